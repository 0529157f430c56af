"""The store's read side: runs, what a run saw and judged, the latest findings, the history.

Reports, benchmarks and tests read the database through here, never with SQL of their own. A
History opened on a path only reads (a report never creates a database or adds a row to one);
opened on a Store's database it reads what that store wrote.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import sqlite_utils
from napaudit.auditor.fields import STRUCTURED
from napaudit.auditor.models import Record
from napaudit.auditor.store import RAW_FIELDS


class HistoryError(Exception):
    """The database cannot be read as asked (no such file, no such run): exit code 2."""


@dataclass(frozen=True)
class Run:
    id: int
    command: str
    started_at: str
    status: str
    label: str = ""


class Finding(NamedTuple):
    field: str
    status: str
    canonical: str
    found: str
    reason: str
    severity: str


@dataclass
class StoredListing:
    """A listing as one run saw it: where, how it was identified, and its findings."""

    run_id: int
    source: str
    key: str
    url: str
    business_id: str
    outcome: str  # ok, or not_found / blocked / error / skipped: then it was not checked
    outcome_reason: str
    linked_by: str
    match_score: float | None
    normalized_json: str = ""  # parsed only when needed: most listings never are
    findings: dict[str, Finding] = field(default_factory=dict)
    provenance: str = ""  # where the source got what it shows (Overture: Meta's data...)

    @property
    def checked(self) -> bool:
        return self.outcome == "ok" and bool(self.findings)

    @cached_property
    def normalized(self) -> dict:
        return json.loads(self.normalized_json or "{}")


@dataclass
class StoredBusiness:
    id: str
    raw: dict[str, str]  # the owner's record, as written


class History:
    def __init__(self, source: str | Path | sqlite_utils.Database):
        if isinstance(source, sqlite_utils.Database):
            self.path, self.conn, self._own = "", source.conn, False
        else:
            self.path = str(source)
            if not Path(source).is_file():
                raise HistoryError(f"{source}: no such database (run 'napaudit compare' first)")
            self.conn, self._own = sqlite3.connect(f"file:{source}?mode=ro", uri=True), True

    def close(self) -> None:
        if self._own:
            self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def _checks(self) -> str:
        """What holds each check's verdicts as a JSON array (`id`, `verdicts`): the checks
        table; in a database of an older release, read as it is (no `verdicts` column, a
        findings table with a row each), a temporary view that gathers them in the same form."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(checks)")}
        if "verdicts" in columns:
            return "checks"
        self.conn.execute(
            "CREATE TEMP VIEW IF NOT EXISTS gathered_verdicts AS SELECT check_id AS id, "
            "json_group_array(json_array(field, status, canonical, found, reason, severity, "
            "level)) AS verdicts FROM (SELECT * FROM main.findings ORDER BY check_id, field) "
            "GROUP BY check_id"
        )
        return "gathered_verdicts"

    def _rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    # --- runs ---------------------------------------------------------------------------

    def runs(self) -> list[Run]:
        try:
            rows = self._rows("SELECT * FROM runs ORDER BY id")  # an older release: no label
        except sqlite3.DatabaseError as exc:
            # An empty file, or one napaudit did not make: sqlite3 says which in its message.
            raise HistoryError(f"{self.path}: not a napaudit database ({exc})") from None
        return [Run(r["id"], r["command"] or "", r["started_at"] or "", r["status"] or "",
                    r["label"] if "label" in r.keys() else "") for r in rows]  # fmt: skip

    def run(self, run_id: int | None = None) -> Run:
        """Run `run_id`, or the latest finished run."""
        runs = self.runs()
        if run_id is None:
            done = [r for r in runs if r.status == "done"]
            if not done:
                raise HistoryError(f"{self.path}: no finished runs (run 'napaudit compare' first)")
            return done[-1]
        for run in runs:
            if run.id == run_id:
                return run
        known = f"runs {runs[0].id}-{runs[-1].id}" if runs else "no runs"
        raise HistoryError(f"{self.path}: no run {run_id} ({known})")

    # --- what a run saw -----------------------------------------------------------------

    def businesses(self, run_id: int) -> dict[str, StoredBusiness]:
        rows = self._rows(
            "SELECT b.* FROM run_businesses rb JOIN businesses b "
            "ON b.id = rb.business_id AND b.version = rb.version "
            "WHERE rb.run_id = ? ORDER BY b.id",
            (run_id,),
        )
        return {r["id"]: StoredBusiness(r["id"], {f: r[f] or "" for f in RAW_FIELDS})
                for r in rows}  # fmt: skip

    def business_records(self, run_id: int) -> dict[str, tuple[str, Record]]:
        """id -> (version, the record as the owner wrote it) for a run's businesses."""
        rows = self._rows(
            "SELECT b.* FROM run_businesses rb JOIN businesses b "
            "ON b.id = rb.business_id AND b.version = rb.version WHERE rb.run_id = ?",
            (run_id,),
        )
        return {r["id"]: (r["version"], _record(r, r["id"])) for r in rows}

    def listings(
        self, last: int, run_ids: set[int], business: str | None = None
    ) -> dict[int, dict[str, list[StoredListing]]]:
        """run id -> business id -> its listings, for the runs in `run_ids` up to `last`, of
        the businesses of run `last` (their listings in earlier runs are their history); of
        `business` alone when given (one client's report need not read every client's)."""
        where, params = self._up_to(last, business)
        rows = self._rows(
            "SELECT rl.run_id, rl.source, rl.listing_key, rl.url, rl.business_id, rl.check_id, "
            "rl.linked_by, rl.match_score, rl.outcome, rl.outcome_reason, l.normalized, "
            "l.provenance "
            "FROM run_listings rl LEFT JOIN listings l ON l.source = rl.source "
            "AND l.listing_key = rl.listing_key AND l.version = rl.version "
            f"WHERE {where} ORDER BY rl.run_id, rl.source, rl.listing_key",
            params,
        )
        findings = self._findings(last, business)
        out: dict[int, dict[str, list[StoredListing]]] = defaultdict(lambda: defaultdict(list))
        for r in rows:
            if r["run_id"] not in run_ids:
                continue
            out[r["run_id"]][r["business_id"]].append(StoredListing(
                r["run_id"], r["source"] or "", r["listing_key"], r["url"] or "",
                r["business_id"], r["outcome"] or "ok", r["outcome_reason"] or "",
                r["linked_by"] or "", r["match_score"], r["normalized"] or "",
                findings.get(r["check_id"], {}), r["provenance"] or "",
            ))  # fmt: skip
        return {run_id: dict(by_business) for run_id, by_business in out.items()}

    @staticmethod
    def _up_to(last: int, business: str | None) -> tuple[str, tuple]:
        """SQL and its parameters: a run_listings row `rl` of a run up to `last`, about a
        business of run `last` (and about `business`, when given)."""
        where = ("rl.run_id <= ? AND rl.business_id IN "
                 "(SELECT business_id FROM run_businesses WHERE run_id = ?)")  # fmt: skip
        if business is None:
            return where, (last, last)
        return where + " AND rl.business_id = ?", (last, last, business)

    def _findings(self, last: int, business: str | None = None) -> dict[str, dict[str, Finding]]:
        where, params = self._up_to(last, business)
        rows = self.conn.execute(
            f"SELECT id, verdicts FROM {self._checks} WHERE id IN "
            f"(SELECT check_id FROM run_listings rl WHERE {where})",
            params,
        )
        out: dict[str, dict[str, Finding]] = {}
        for check_id, text in rows:
            out[check_id] = {
                name: Finding(name, status, canonical or "", found or "", reason or "",
                              severity or "none")
                for name, status, canonical, found, reason, severity, _ in _verdicts(text)
            }  # fmt: skip
        return out

    def unjudged(self, run_id: int) -> Iterator[tuple[dict, Record]]:
        """The run's fetched listings that no check judged yet, each with its stored record."""
        rows = self._rows(
            "SELECT rl.source, rl.listing_key, rl.business_id AS run_business_id, "
            "rl.business_version, rl.linked_by, rl.match_score, l.* "
            "FROM run_listings rl JOIN listings l ON l.source = rl.source "
            "AND l.listing_key = rl.listing_key AND l.version = rl.version "
            "WHERE rl.run_id = ? AND rl.outcome = 'ok' AND rl.check_id IS NULL "
            "ORDER BY rl.source, rl.listing_key",
            (run_id,),
        )
        keys = ("source", "listing_key", "run_business_id", "business_version", "linked_by",
                "match_score", "uid")  # fmt: skip
        for r in rows:
            row = {k: r[k] for k in keys}
            record = _record(r, r["listing_key"])
            record.source, record.url = r["source"], r["url"] or ""
            record.business_id = r["business_id"]
            yield row, record

    # --- summaries ----------------------------------------------------------------------

    def listings_done(self, run_id: int) -> set[tuple[str, str, str]]:
        """(business_id, source, url) of every listing a run has stored: what --resume skips."""
        rows = self._rows(
            "SELECT business_id, source, url FROM run_listings WHERE run_id = ?", (run_id,)
        )
        return {tuple(row) for row in rows}

    def outcome_counts(self, run_id: int) -> dict[str, int]:
        rows = self._rows(
            "SELECT outcome, count(*) FROM run_listings WHERE run_id = ? GROUP BY outcome",
            (run_id,),
        )
        return {r[0]: r[1] for r in rows}

    def status_counts(self, run_id: int) -> dict[str, int]:
        """How many verdicts of each status the run's checks gave (match, variant, ...)."""
        rows = self.conn.execute(
            f"SELECT c.verdicts FROM run_listings rl JOIN {self._checks} c "
            "ON c.id = rl.check_id WHERE rl.run_id = ?",
            (run_id,),
        )
        counted = Counter(v[1] for (text,) in rows for v in _verdicts(text))
        return dict(sorted(counted.items()))  # as GROUP BY gave them

    def summary(self, run_id: int) -> list[dict]:
        """Per business of a run: listings checked and not, mismatched and missing fields."""
        rows = self.conn.execute(
            "SELECT rb.business_id, rl.outcome, c.verdicts FROM run_businesses rb "
            "LEFT JOIN run_listings rl ON rl.run_id = rb.run_id AND rl.business_id = "
            f"rb.business_id LEFT JOIN {self._checks} c ON c.id = rl.check_id "
            "WHERE rb.run_id = ? ORDER BY rb.business_id",
            (run_id,),
        )
        out: dict[str, dict] = {}
        for business_id, outcome, text in rows:
            row = out.get(business_id)
            if row is None:
                row = out[business_id] = dict(business_id=business_id, checked=0,
                                              not_checked=0, mismatch=0, missing=0)  # fmt: skip
            if outcome is not None:
                row["checked" if outcome == "ok" else "not_checked"] += 1
            for v in _verdicts(text):
                if v[1] == "mismatch" or v[1] == "missing":
                    row[v[1]] += 1
        return list(out.values())

    def stored(self, run_id: int | None = None) -> tuple[set, set]:
        """What a run (default: every run) stored, to compare two runs: its listings
        (business, source, key, outcome, reason) and their findings (business, source, key,
        field, status, reason)."""
        where, params = ("WHERE r.run_id = ?", (run_id,)) if run_id else ("", ())
        listings = self._rows(
            "SELECT business_id, source, listing_key, outcome, outcome_reason "
            f"FROM run_listings r {where}",
            params,
        )
        findings = self.conn.execute(
            f"SELECT r.business_id, r.source, r.listing_key, c.verdicts FROM run_listings r "
            f"JOIN {self._checks} c ON c.id = r.check_id {where}",
            params,
        )
        return {tuple(r) for r in listings}, {
            (*key, v[0], v[1], v[4]) for *key, text in findings for v in _verdicts(text)
        }

    def verdicts(self, run_id: int) -> Iterator[tuple[str, str, str, dict[str, str]]]:
        """(business, source, outcome, field -> status) for each listing of a run."""
        rows = self.conn.execute(  # plain tuples: an audit scores every row it stored
            "SELECT rl.business_id, rl.source, rl.outcome, c.verdicts "
            f"FROM run_listings rl LEFT JOIN {self._checks} c ON c.id = rl.check_id "
            "WHERE rl.run_id = ? ORDER BY rl.business_id, rl.source, rl.listing_key",
            (run_id,),
        )
        for business_id, source, outcome, text in rows:
            yield business_id, source, outcome, {v[0]: v[1] for v in _verdicts(text)}

    def latest_problems(self, business_id: str | None = None) -> list[dict]:
        """What is wrong now: the mismatched and missing fields of each business's latest run."""
        where, params = ("WHERE business_id = ?", (business_id,)) if business_id else ("", ())
        return [dict(r) for r in self._rows(f"SELECT * FROM latest_problems {where}", params)]

    def scores(self, business_id: str) -> list[tuple[int, float | None]]:
        """(run, score) of a business in every finished run: its score over time."""
        rows = self._rows(
            "SELECT run_id, score FROM scores_over_time WHERE business_id = ? ORDER BY run_id",
            (business_id,),
        )
        return [(r[0], r[1]) for r in rows]


def _verdicts(text: str | None) -> list[list]:
    """A check's stored verdicts: [field, status, canonical, found, reason, severity, level]
    each, in field order (as the findings table's key gave them before they moved into the
    checks, which store them in the order judged)."""
    return sorted(json.loads(text), key=itemgetter(0)) if text else []


def _record(row: sqlite3.Row, ident: str) -> Record:
    """A stored row back into the record it was: structured values parsed from their JSON."""
    values = {}
    for name in RAW_FIELDS:
        value = row[name] if name in row.keys() else None
        if name in STRUCTURED and isinstance(value, str) and value[:1] in "[{":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        values[name] = value if value is not None else ""
    values["country"] = values.get("country") or "US"
    return Record(id=ident, **values)
