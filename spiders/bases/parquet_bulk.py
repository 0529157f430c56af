"""Open data matched in bulk: the businesses of a batch joined against the places near them in
one DuckDB query, instead of one query (one scan of the files) per business.

A business's blocking (`parquet.blocking`: its ZIP, its phone's last ten digits, its name's
longest word in its city) becomes join keys: "z<zip>", "p<phone>", "c<city>" (the last with the
word the place's name must contain). Each place's keys are computed once, as it is read; a hash
join pairs them with the batch's keys, and the places paired with a business are exactly those
the per-business query finds (same expressions, same NULL rules: tests/test_opendata_bulk.py
compares the two). The pairs are then read back in full, ordered by business and by the place's
position in the files, the order the per-business query gives, so ties in identification are
broken the same way.

Memory: a query holds one batch (`NAPAUDIT_OPEN_DATA_BULK` businesses, 1,000 unless set; 0 goes
back to one query per business) and its candidates, around 3 KB a candidate in Python. Read
over the network, the batches are made by region (a 1-degree cell of the ZIP's centre), and each
query reads only around its businesses (the union of their boxes), so DuckDB still skips the row
groups of places far from every business of the batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import zipcodes
from napaudit.auditor.normalize.record import Normalized

BULK_SIZE = 1000  # businesses per query when the crawl does not say
NEAR_DEGREES = 0.25  # around a ZIP's centre (~25 km): how far a remote read looks for a place

# A place's join keys: one per address's ZIP, per phone, per address's city (a NULL drops out,
# as it fails the per-business query's comparison).
PLACE_KEYS = """list_concat(
    list_transform(coalesce(addresses, []), lambda a: 'z' || left(a.zip, 5)),
    list_transform(coalesce(phones, []),
                   lambda t: 'p' || right(regexp_replace(t, '[^0-9]', '', 'g'), 10)),
    list_transform(coalesce(addresses, []), lambda a: 'c' || lower(a.city)))"""

BULK_SQL = """
WITH c AS (SELECT unnest($n) AS n, unnest($key) AS key, unnest($token) AS token,
                  unnest($lat0) AS lat0, unnest($lat1) AS lat1,
                  unnest($lon0) AS lon0, unnest($lon1) AS lon1),
p AS NOT MATERIALIZED (SELECT * FROM {places} {around}),
hit AS (
  SELECT DISTINCT c.n, k.filename, k.file_row_number
  FROM (SELECT filename, file_row_number, name, lat, lon, unnest({keys}) AS key FROM p) k
  JOIN c ON k.key = c.key
  WHERE (c.token = '' OR strip_accents(lower(k.name)) LIKE '%' || c.token || '%')
    AND (c.lat0 IS NULL OR (k.lat BETWEEN c.lat0 AND c.lat1 AND k.lon BETWEEN c.lon0 AND c.lon1)))
SELECT hit.n AS bulk_n, p.* FROM p
JOIN hit ON p.filename = hit.filename AND p.file_row_number = hit.file_row_number
ORDER BY hit.n, p.filename, p.file_row_number"""


def box(business: Normalized) -> tuple[float, float, float, float] | None:
    """(lat0, lat1, lon0, lon1) around the business's ZIP centre, or None (no ZIP, or one the
    ZIP table does not know): where a remote read looks."""
    if not business.zip5:
        return None
    found = zipcodes.matching(business.zip5)
    if not found:
        return None
    lat, lon, d = float(found[0]["lat"]), float(found[0]["long"]), NEAR_DEGREES
    return lat - d, lat + d, lon - d, lon + d


def batches(businesses: dict[str, Normalized], size: int, near: bool) -> list[list[str]]:
    """The business ids in batches of at most `size`, in their order; read over the network
    (`near`), grouped first by region, businesses without a box together."""
    ids = list(businesses)
    size = max(size, 1)
    if not near:
        return [ids[i : i + size] for i in range(0, len(ids), size)]
    regions: dict[tuple, list[str]] = {}
    for business_id in ids:
        around = box(businesses[business_id])
        cell = (math.floor(around[0]), math.floor(around[2])) if around else ()
        regions.setdefault(cell, []).append(business_id)
    return [group[i : i + size] for group in regions.values()
            for i in range(0, len(group), size)]  # fmt: skip


def keys(params: dict[str, str]) -> Iterable[tuple[str, str]]:
    """(key, word) pairs of a business's blocking: the word is what a place's name must
    contain when the key is its city."""
    if params["zip"]:
        yield "z" + params["zip"], ""
    if params["phone"]:
        yield "p" + params["phone"], ""
    if params["token"]:
        yield "c" + params["city"], params["token"]


def bulk_query(places: str, boxes: list[tuple | None]) -> str:
    """The batch's query over `places` (the source's query); with boxes (a remote read), only
    the places inside their union are read."""
    around = ""
    if boxes and all(boxes):
        lat0, lat1 = min(b[0] for b in boxes), max(b[1] for b in boxes)
        lon0, lon1 = min(b[2] for b in boxes), max(b[3] for b in boxes)
        # DOUBLE, as the businesses' own boxes are: a place on the edge of one is inside
        around = (f"WHERE lat BETWEEN {lat0!r}::DOUBLE AND {lat1!r}::DOUBLE "
                  f"AND lon BETWEEN {lon0!r}::DOUBLE AND {lon1!r}::DOUBLE")  # fmt: skip
    return BULK_SQL.format(places=places, around=around, keys=PLACE_KEYS)


def bulk_params(blocked: list[dict[str, str]], boxes: list[tuple | None]) -> dict[str, list]:
    """The batch as the query's parameters: one row per (business, key)."""
    columns: dict[str, list] = {name: [] for name in
                                ("n", "key", "token", "lat0", "lat1", "lon0", "lon1")}  # fmt: skip
    for n, (params, around) in enumerate(zip(blocked, boxes, strict=True)):
        for key, token in keys(params):
            columns["n"].append(n)
            columns["key"].append(key)
            columns["token"].append(token)
            for name, value in zip(("lat0", "lat1", "lon0", "lon1"), around or (None,) * 4,
                                   strict=True):  # fmt: skip
                columns[name].append(value)
    return columns
