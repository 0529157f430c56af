"""Discovery in open data published as Parquet files (Overture Maps Places, Foursquare OS Places):
no web page to fetch, one DuckDB query per business over the files, each candidate scored with
the auditor's identification, as a search page's results are.

Where the files are: `NAPAUDIT_<SOURCE>_PARQUET` (e.g. NAPAUDIT_OVERTURE_PARQUET), a local
path, a glob or a URL DuckDB reads (`s3://`, `https://`); unset, the newest release under the
catalog's `endpoint` (read over the network with DuckDB's httpfs, around each business's ZIP).
With the crawl setting NAPAUDIT_OPEN_DATA_REMOTE off (the sample web turns it off), nothing is
read over the network: without a path, every business is "not checked", with the reason. A file
that cannot be read is an `error` for every business; a business with no acceptable place in the
files is `not_found`.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import zipcodes
from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.catalog import Source, load_catalog
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.normalize.text import words
from napaudit.spiders.bases.listing import ListingSpider, now
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import ERROR, NOT_FOUND, OK

if TYPE_CHECKING:
    import duckdb

SKIPPED = "skipped"  # the outcome the audit gives a source it could not search at all
NEAR_DEGREES = 0.25  # around a ZIP's centre (~25 km): how far a remote read looks for a place
_STOP = frozenset({"the", "and", "of", "llc", "inc", "co", "corp", "ltd", "&"})


class ParquetSpider(ListingSpider):
    """A source read from Parquet files. A source module sets `name` and `select`, the SQL that
    turns one row of its files into the columns below (`{path}` is the files to read):

    id, name, addresses (list of struct street, city, state, zip, country), phones (list),
    websites (list), closed (text, NULL when open), lon, lat.
    """

    select = ""  # SELECT ... FROM {path}: the source's schema mapped to the columns above
    releases = ""  # glob under the catalog's endpoint that lists a release's files
    release_files = ""  # the files of one release: {release} is the release's folder
    s3_region = ""
    optional_columns: tuple[str, ...] = ()  # columns older releases lack: NULL when absent
    follow_at_most = 3  # acceptable places stored: more than one is a duplicate listing

    def __init__(self, businesses: dict[str, Normalized] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.businesses = businesses or {}
        self.source: Source | None = load_catalog().get(self.name)
        self.label = self.source.name if self.source else self.name
        self.db: duckdb.DuckDBPyConnection | None = None
        self.files = ""  # what is read: the path, or the newest release's files
        self.present: dict[str, str] = {}
        self.db_error: type[Exception] = Exception  # duckdb.Error, once DuckDB is imported

    @property
    def path_env(self) -> str:
        return "NAPAUDIT_" + re.sub(r"\W", "_", self.name).upper() + "_PARQUET"

    async def start(self) -> AsyncIterator[Listing]:
        path, why = self.location()
        if path:
            why = await asyncio.to_thread(self.open, path)
        for business_id, business in self.businesses.items():
            if why:
                outcome = SKIPPED if not path else ERROR
                yield self.search_listing(business_id, path, outcome, why)
                continue
            try:
                rows = await asyncio.to_thread(self.candidates, business, "://" in path)
            except self.db_error as exc:  # a remote read that fails midway: this business only
                reason = f"could not read {self.label} data at {self.files}: {exc}"
                yield self.search_listing(business_id, path, ERROR, reason.splitlines()[0])
                continue
            for item in self.listings(business, rows, path):
                yield item
        if self.db is not None:
            self.db.close()

    # --- where the files are ---------------------------------------------------------------

    def location(self) -> tuple[str, str]:
        """(path, "") to read, or ("", why nothing is read)."""
        path = os.environ.get(self.path_env, "").strip()
        if path:
            return path, ""
        if not self.settings.getbool("NAPAUDIT_OPEN_DATA_REMOTE", True):
            return "", (f"no {self.label} Parquet file set (set {self.path_env}); "
                        "reading the published files is off for this crawl")  # fmt: skip
        if not (self.source and self.source.endpoint and self.releases):
            return "", f"no {self.label} Parquet file set (set {self.path_env})"
        return self.source.endpoint, ""

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
            if self.source and path == self.source.endpoint:
                path = self.newest_release(path)
            self.files = path
            raw = self.db.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})"
            ).fetchall()
            names = {row[0] for row in raw}
            self.present = {c: c if c in names else "NULL" for c in self.optional_columns}
            self.db.execute(f"DESCRIBE {self.query_from()}").fetchall()
        except (duckdb.Error, LookupError) as exc:
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
        return f"({self.select.format(path=_literal(self.files), **self.present)})"

    # --- searching --------------------------------------------------------------------------

    def candidates(self, business: Normalized, near: bool = False) -> list[dict]:
        """The places that share the business's ZIP, or its phone, or a name word and its
        city: the blocking, as a search page does. DuckDB reads only what it needs; with
        `near` (remote files), only around the ZIP's centre."""
        params = blocking(business)
        where = """
            ($zip <> '' AND len(list_filter(addresses, lambda a: left(a.zip, 5) = $zip)) > 0)
            OR ($phone <> '' AND len(list_filter(phones,
                  lambda p: right(regexp_replace(p, '[^0-9]', '', 'g'), 10) = $phone)) > 0)
            OR ($token <> '' AND strip_accents(lower(name)) LIKE '%' || $token || '%'
                AND len(list_filter(addresses, lambda a: lower(a.city) = $city)) > 0)"""
        around = self.near(business) if near else ""
        sql = f"SELECT * FROM {self.query_from()} WHERE ({where}) {around}"
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def near(self, business: Normalized) -> str:
        """A filter on coordinates around the ZIP's centre: it lets DuckDB skip the row groups
        of remote files (the published files are sorted by place) instead of reading them."""
        if not business.zip5:
            return ""
        found = zipcodes.matching(business.zip5)
        if not found:
            return ""
        lat, lon, d = float(found[0]["lat"]), float(found[0]["long"]), NEAR_DEGREES
        return f"AND lat BETWEEN {lat - d} AND {lat + d} AND lon BETWEEN {lon - d} AND {lon + d}"

    def listings(self, business: Normalized, rows: list[dict], path: str) -> list[Listing]:
        business_id = business.record.id
        self.crawler.stats.inc_value(f"napaudit/source/{self.name}/searches")
        found = [as_found(row, business, f"parquet:{self.name}") for row in rows]
        scored = rank_candidates(business, found)
        # An open place before a closed one with the same score: the one people see first.
        accepted = [v for s, _, v in sorted(scored, key=lambda s: (-s[0], bool(s[2]["closed"])))
                    if s >= THRESHOLD]  # fmt: skip
        if not accepted:
            return [self.search_listing(business_id, path, NOT_FOUND,
                                        self.not_found_reason(business, scored))]  # fmt: skip
        if len(accepted) > 1:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/duplicates")
        items = []
        for values in accepted[: self.follow_at_most]:
            note = f"{self.label} marks this place {values['closed']}" if values["closed"] else ""
            if note:
                self.crawler.stats.inc_value(f"napaudit/source/{self.name}/closed")
            values["url"] = values["url"] or self.place_url(values)
            items.append(Listing(
                business_id, self.name, values["url"], OK,
                reason=note,
                fetched_at=now(), found=[values], listing_key=f"{self.name}:{values['id']}",
                searched=self.searched(business),
            ))  # fmt: skip
        return items

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
        reason = (f"searched {self.label} ({self.files}) for {self.searched(business)}: "
                  f"{places}, none is this business")  # fmt: skip
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
    """One place as `extract()` shows a business (Business.as_dict), with its id and whether
    it is closed. Of a place's addresses and phones, the one nearest the business is shown."""
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
    values.update(id=row["id"], url=row.get("url") or "", closed=row.get("closed") or "")
    return values


def _literal(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"
