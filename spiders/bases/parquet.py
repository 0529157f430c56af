"""Discovery in open data published as Parquet files (Overture Maps Places, Foursquare OS Places):
no web page to fetch, one DuckDB query per batch of businesses over the files (a join of the
batch against the places near them, spiders/bases/parquet_bulk.py), each candidate scored with
the auditor's identification, as a search page's results are.

Where the files are: `NAPAUDIT_<SOURCE>_PARQUET` (e.g. NAPAUDIT_OVERTURE_PARQUET), a local
path, a glob or a URL DuckDB reads (`s3://`, `https://`); unset, the newest release under the
catalog's `endpoint` (read over the network with DuckDB's httpfs, around each business's ZIP).
With the crawl setting NAPAUDIT_OPEN_DATA_REMOTE off (the sample web turns it off), nothing is
read over the network: without a path, every business is "not checked", with the reason. A file
that cannot be read is an `error` for every business; a business with no acceptable place in the
files is `not_found`.

Each place is emitted with the raw `status` the data gives (Overture's operating_status,
"closed since <date>" for Foursquare's date_closed), its `categories` and its `provenance`
(which release, whose record, when updated). Several spiders may read the same files (Overture's
places are audited as Facebook's, Bing's or Overture's own by the dataset each came from): the
rows of one batch (or one business) are read once and shared between them.

Every audit reads in bulk, a single business being a batch of one. The query of one business
stays: when a batch's query fails (a remote read cut midway), each of its businesses is read on
its own, so a failure is an `error` for the businesses it hits only; and the crawl setting
NAPAUDIT_OPEN_DATA_BULK = 0 makes every read one business's (bench/opendata.py compares both).
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.catalog import Source, load_catalog
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.normalize.text import STOPWORDS, words
from napaudit.spiders.bases.listing import ListingSpider, now
from napaudit.spiders.bases.parquet_bulk import BULK_SIZE, batches, box, bulk_params, bulk_query
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import ERROR, NOT_FOUND, OK

if TYPE_CHECKING:
    import duckdb

SKIPPED = "skipped"  # the outcome the audit gives a source it could not search at all
_STOP = STOPWORDS


class ParquetSpider(ListingSpider):
    """A source read from Parquet files. A source module sets `name` and `select`, the SQL that
    turns one row of its files into the columns below (`{path}` is the files to read):

    id, name, addresses (list of struct street, city, state, zip, country), phones (list),
    websites (list), status (text as the data says it, NULL when it says nothing), categories
    (list), url, lon, lat, and any column `provenance()` or `keeps()` reads. The base adds
    filename and file_row_number (where the place is in the files) before the first column.
    """

    select = ""  # SELECT ... FROM {path}: the source's schema mapped to the columns above
    releases = ""  # glob under the catalog's endpoint that lists a release's files
    release_files = ""  # the files of one release: {release} is the release's folder
    s3_region = ""
    optional_columns: tuple[str, ...] = ()  # columns older releases lack: NULL when absent
    follow_at_most = 3  # acceptable places stored: more than one is a duplicate listing
    reads = ""  # the catalog source whose files are read, when not this one (facebook: overture)
    scope = ""  # which of the files' places are this source's, in words, for the reasons

    def __init__(self, businesses: dict[str, Normalized] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.businesses = businesses or {}
        catalog = load_catalog()
        self.source: Source | None = catalog.get(self.name)
        self.data: Source | None = catalog.get(self.reads or self.name)  # whose files
        self.label = self.data.name if self.data else self.name
        self.release = ""  # the release read, when known ("2025-02-19.0")
        self.db: duckdb.DuckDBPyConnection | None = None
        self.files = ""  # what is read: the path, or the newest release's files
        self.present: dict[str, str] = {}
        self.db_error: type[Exception] = Exception  # duckdb.Error, once DuckDB is imported
        self.bulk: dict[str, list[dict]] = {}  # the rows the batch's query read, by business

    @property
    def path_env(self) -> str:
        return "NAPAUDIT_" + re.sub(r"\W", "_", self.reads or self.name).upper() + "_PARQUET"

    async def start(self) -> AsyncIterator[Listing]:
        path, why = self.location()
        if path:
            why = await asyncio.to_thread(self.open, path)
        if why:
            outcome = SKIPPED if not path else ERROR
            for business_id in self.businesses:
                yield self.search_listing(business_id, path, outcome, why)
        else:
            async for item in self.search_all(path):
                yield item
        if self.db is not None:
            self.db.close()

    async def search_all(self, path: str) -> AsyncIterator[Listing]:
        near = "://" in path
        size = self.settings.getint("NAPAUDIT_OPEN_DATA_BULK", BULK_SIZE)
        for batch in batches(self.businesses, size, near):
            if size > 0:
                try:
                    self.bulk = await asyncio.to_thread(self.candidates_of, batch, near)
                except self.db_error:  # each business of the batch is then read on its own
                    self.bulk = {}
            for business_id in batch:
                business = self.businesses[business_id]
                try:
                    if business_id in self.bulk:
                        rows = self.candidates(business, near)
                    else:
                        rows = await asyncio.to_thread(self.candidates, business, near)
                except self.db_error as exc:  # a remote read that fails midway: this business
                    reason = f"could not read {self.label} data at {self.files}: {exc}"
                    yield self.search_listing(business_id, path, ERROR, reason.splitlines()[0])
                    continue
                for item in self.listings(business, rows, path):
                    yield item
            self.bulk = {}

    # --- where the files are ---------------------------------------------------------------

    def location(self) -> tuple[str, str]:
        """(path, "") to read, or ("", why nothing is read)."""
        path = os.environ.get(self.path_env, "").strip()
        if path:
            return path, ""
        if not self.settings.getbool("NAPAUDIT_OPEN_DATA_REMOTE", True):
            return "", (f"no {self.label} Parquet file set (set {self.path_env}); "
                        "reading the published files is off for this crawl")  # fmt: skip
        if not (self.data and self.data.endpoint and self.releases):
            return "", f"no {self.label} Parquet file set (set {self.path_env})"
        return self.data.endpoint, ""

    def open(self, path: str) -> str:
        """Connect, find the newest release when `path` is the catalog's endpoint, check the
        files can be read. Returns why they cannot, or ""."""
        # Imported here, not at the top: every audit imports every spider module before it
        # freezes the garbage collector (napaudit/auditing.py), and DuckDB's bindings imported
        # before gc.freeze() print pages of "nanobind: leaked" warnings at exit (DuckDB 2.0).
        import duckdb

        self.db, self.db_error = duckdb.connect(), duckdb.Error
        try:
            if self.s3_region and path.startswith("s3://"):
                self.db.execute(f"SET s3_region = '{self.s3_region}'")
            if self.data and path == self.data.endpoint:
                path = self.newest_release(path)
            self.files = path
            self.release = self.release or release_in(path)
            raw = self.db.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})"
            ).fetchall()
            names = {row[0] for row in raw}
            self.present = {c: c if c in names else "NULL" for c in self.optional_columns}
            self.db.execute(f"DESCRIBE {self.query_from()}").fetchall()
        except (duckdb.Error, LookupError, OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            hint = "" if os.environ.get(self.path_env) else f" (set {self.path_env})"
            return f"could not read {self.label} data at {path}: {first}{hint}"
        return ""

    def newest_release(self, endpoint: str) -> str:
        listed = self.db.execute("SELECT file FROM glob(?)", [endpoint + self.releases])
        files = [row[0] for row in listed.fetchall()]
        folders = sorted({f[len(endpoint) :].split("/")[0] for f in files})
        if not folders:
            raise LookupError(f"no release found under {endpoint}")
        return endpoint + self.release_files.format(release=folders[-1])

    def query_from(self) -> str:
        files = _literal(self.files) + ", filename = true, file_row_number = true"
        select = self.select.format(path=files, **self.present)
        # where each place is in the files: the order both reads (bulk or not) give
        return "(" + select.replace("SELECT ", "SELECT filename, file_row_number, ", 1) + ")"

    # --- searching --------------------------------------------------------------------------

    def candidates(self, business: Normalized, near: bool = False) -> list[dict]:
        """The places that share the business's ZIP, or its phone, or a name word and its
        city: the blocking, as a search page does. DuckDB reads only what it needs; with
        `near` (remote files), only around the ZIP's centre. Read once for every spider that
        reads the same files with the same query; what the batch's query read, when it did."""
        if business.record.id in self.bulk:
            return self.bulk[business.record.id]
        params = blocking(business)
        key = (self.files, self.query_from(), near, business.zip5, tuple(sorted(params.items())))
        return SHARED.get(key, lambda: self.read_rows(business, params, near))

    def read_rows(self, business: Normalized, params: dict, near: bool) -> list[dict]:
        where = """
            ($zip <> '' AND len(list_filter(addresses, lambda a: left(a.zip, 5) = $zip)) > 0)
            OR ($phone <> '' AND len(list_filter(phones,
                  lambda p: right(regexp_replace(p, '[^0-9]', '', 'g'), 10) = $phone)) > 0)
            OR ($token <> '' AND strip_accents(lower(name)) LIKE '%' || $token || '%'
                AND len(list_filter(addresses, lambda a: lower(a.city) = $city)) > 0)"""
        around = box(business) if near else None
        if around:  # it lets DuckDB skip the row groups of remote files (sorted by place)
            params = {**params, **dict(zip(("lat0", "lat1", "lon0", "lon1"), around, strict=True))}
            where = f"({where}) AND lat BETWEEN $lat0 AND $lat1 AND lon BETWEEN $lon0 AND $lon1"
        sql = f"SELECT * FROM {self.query_from()} WHERE {where} ORDER BY filename, file_row_number"
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def candidates_of(self, batch: list[str], near: bool) -> dict[str, list[dict]]:
        """Every business of the batch -> its candidates (as `candidates` finds them), read
        with one query, once for every spider that reads the same files."""
        blocked = [blocking(self.businesses[b]) for b in batch]
        boxes = [box(self.businesses[b]) if near else None for b in batch]
        key = (self.files, self.query_from(), near, tuple(batch),
               tuple(tuple(sorted(p.items())) for p in blocked))  # fmt: skip
        return BULK_SHARED.get(key, lambda: self.read_batch(batch, blocked, boxes))

    def read_batch(self, batch: list[str], blocked: list[dict], boxes: list) -> dict:
        found: dict[str, list[dict]] = {b: [] for b in batch}
        params = bulk_params(blocked, boxes)
        if not params["n"]:  # no business has a ZIP, a phone or a name word: nothing to join
            return found
        cursor = self.db.execute(bulk_query(self.query_from(), boxes), params)
        names = [d[0] for d in cursor.description][1:]
        for row in cursor.fetchall():
            found[batch[row[0]]].append(dict(zip(names, row[1:], strict=True)))
        return found

    def listings(self, business: Normalized, rows: list[dict], path: str) -> list[Listing]:
        business_id = business.record.id
        self.crawler.stats.inc_value(f"napaudit/source/{self.name}/searches")
        found = [self.as_found(row, business) for row in rows if self.keeps(row)]
        scored = rank_candidates(business, found)
        # An open place before a closed one with the same score: the one people see first.
        accepted = [v for s, _, v in sorted(scored, key=lambda s: (-s[0], closed(s[2]["status"])))
                    if s >= THRESHOLD]  # fmt: skip
        if not accepted:
            return [self.search_listing(business_id, path, NOT_FOUND,
                                        self.not_found_reason(business, scored))]  # fmt: skip
        if len(accepted) > 1:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/duplicates")
        items = []
        for values in accepted[: self.follow_at_most]:
            if closed(values["status"]):
                self.crawler.stats.inc_value(f"napaudit/source/{self.name}/closed")
            items.append(Listing(
                business_id, self.name, values["url"], OK, fetched_at=now(), found=[values],
                listing_key=f"{self.name}:{values.pop('id')}", searched=self.searched(business),
            ))  # fmt: skip
        return items

    def as_found(self, row: dict, business: Normalized) -> dict:
        values = as_found(row, business, f"parquet:{self.reads or self.name}")
        values.update(id=self.listing_id(row), url=row.get("url") or self.place_url(row),
                      provenance=self.provenance(row))  # fmt: skip
        return values

    # --- what a source may refine ----------------------------------------------------------

    def keeps(self, row: dict) -> bool:
        """Whether a place is this source's (Overture's are Facebook's, Bing's or its own)."""
        return True

    def listing_id(self, row: dict) -> str:
        return str(row["id"])

    def provenance(self, row: dict) -> str:
        """Whose data the place is, when a third party's: "" by default."""
        return ""

    def place_url(self, row: dict) -> str:
        """Where a person sees the place; default: the files it was read from."""
        return f"{self.files}#{row['id']}"

    def searched(self, business: Normalized) -> str:
        params = blocking(business)
        parts = [f"ZIP {params['zip']}" if params["zip"] else "",
                 f"phone {business.phone.national}" if params["phone"] else "",
                 f"'{params['token']}' in {business.city}" if params["token"] else ""]  # fmt: skip
        return " or ".join(p for p in parts if p) or "nothing (no ZIP, phone or name)"

    def not_found_reason(self, business: Normalized, scored: list) -> str:
        places = f"{len(scored)} place" + ("" if len(scored) == 1 else "s")
        where = f"{self.label}{self.scope} ({self.files})"
        reason = f"searched {where} for {self.searched(business)}: {places}, none is this business"
        if scored:
            score, _, values = scored[0]
            reason += f" (closest: '{values.get('name', '')}', score {score:.2f})"
        return reason

    def search_listing(self, business_id: str, url: str, outcome: str, reason: str) -> Listing:
        return Listing(business_id, self.name, url, outcome, reason, fetched_at=now(),
                       listing_key=f"search:{business_id}")  # fmt: skip


def blocking(business: Normalized) -> dict[str, str]:
    """The query's parameters: ZIP, the phone's last ten digits, the name's longest word."""
    tokens = [w for w in words(business.record.name or "") if w not in _STOP and len(w) > 2]
    return {
        "zip": business.zip5 or "",
        "phone": business.phone.national[-10:] if business.phone.national else "",
        "token": max(tokens, key=len) if tokens else "",
        "city": (business.city or "").lower(),
    }


def as_found(row: dict, business: Normalized, method: str) -> dict:
    """One place as `extract()` shows a business (Business.as_dict), with its raw status and
    categories. Of a place's addresses and phones, the one nearest the business is shown."""
    zip5, digits = business.zip5, business.phone.national[-10:]
    addresses = [a for a in row.get("addresses") or [] if a]
    address = next((a for a in addresses if zip5 and (a.get("zip") or "")[:5] == zip5),
                   addresses[0] if addresses else {})  # fmt: skip
    phones = [p for p in row.get("phones") or [] if p]
    phone = next((p for p in phones if digits and re.sub(r"\D", "", p).endswith(digits)),
                 phones[0] if phones else "")  # fmt: skip
    websites = [w for w in row.get("websites") or [] if w]
    values = {
        "name": row.get("name") or "",
        "address": address.get("street") or "",
        "city": address.get("city") or "",
        "state": re.sub(r"^[A-Z]{2}-", "", address.get("state") or ""),  # "US-CA" -> "CA"
        "zip": address.get("zip") or "",
        "country": address.get("country") or "",
        "phone": phone,
        "website": websites[0] if websites else "",
        "hours": "",
    }
    values["method"] = {f: method for f, v in values.items() if v}
    seen = [c for c in dict.fromkeys(row.get("categories") or []) if c]
    values.update(status=row.get("status") or "", categories="; ".join(seen))
    return values


def closed(status: str) -> bool:
    """Whether a raw status says the place is closed ("permanently_closed", "closed since")."""
    return "closed" in (status or "").lower()


def release_in(path: str) -> str:
    """The release a path names: Overture's "2025-02-19.0", Foursquare's "dt=2024-11-19"."""
    found = re.search(r"(\d{4}-\d{2}-\d{2}\.\d+)|dt=?(\d{4}-\d{2}-\d{2})", path)
    return (found[1] or found[2]) if found else ""


class SharedRows:
    """What one query read, for every spider that asks the same of the same files: Overture's
    files are searched by three spiders at once, and a remote read costs seconds."""

    def __init__(self, size: int = 256):
        self.size, self.lock = size, threading.Lock()
        self.entries: OrderedDict[tuple, list] = OrderedDict()

    def get(self, key: tuple, read: Callable[[], list[dict]]) -> list[dict]:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                entry = self.entries[key] = [threading.Lock(), None]
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
        with entry[0]:  # the first spider reads; the others wait for its rows
            if entry[1] is None:
                entry[1] = read()
            return entry[1]


SHARED = SharedRows()
BULK_SHARED = SharedRows(size=2)  # a batch's rows: Overture's three spiders go through together


def _literal(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"
