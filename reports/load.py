"""Read what a report needs from the store: one run's businesses, and the listings of every run
up to it (the history: earlier scores, and where a wrong value was seen first).

The store is only read: a report never creates a database or adds a row to one.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from napaudit.auditor.store import RAW_FIELDS


class ReportError(Exception):
    """A report cannot be made from what the user asked for (exit code 2, one line)."""


@dataclass(frozen=True)
class Run:
    id: int
    command: str
    started_at: str
    status: str


class Finding(NamedTuple):
    field: str
    status: str
    canonical: str
    found: str
    reason: str
    severity: str


@dataclass
class Listing:
    run_id: int
    source: str
    key: str
    url: str
    business_id: str
    outcome: str  # ok, or not_found / blocked / error: then it was not checked
    outcome_reason: str
    linked_by: str
    match_score: float | None
    normalized_json: str = ""  # parsed only when needed: most listings never are
    findings: dict[str, Finding] = field(default_factory=dict)

    @property
    def checked(self) -> bool:
        return self.outcome == "ok" and bool(self.findings)

    @cached_property
    def normalized(self) -> dict:
        return json.loads(self.normalized_json or "{}")


@dataclass
class Business:
    id: str
    raw: dict[str, str]  # the owner's record, as written


@dataclass
class Snapshot:
    """One run's businesses, and the listings about them in that run and every earlier one."""

    db_path: str
    run: Run
    runs: list[Run]  # every finished run up to and including `run`, oldest first
    businesses: dict[str, Business]  # in the run, in id order
    listings: dict[int, dict[str, list[Listing]]]  # run id -> business id -> its listings

    def current(self, business_id: str) -> list[Listing]:
        return self.of(self.run.id, business_id)

    def of(self, run_id: int, business_id: str) -> list[Listing]:
        return self.listings.get(run_id, {}).get(business_id, [])


def load_snapshot(db_path: str | Path, run_id: int | None = None) -> Snapshot:
    """Read the run `run_id` (by default the latest finished run) and its history."""
    path = Path(db_path)
    if not path.is_file():
        raise ReportError(f"{path}: no such database (run 'napaudit compare' first)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        runs = _runs(conn, path)
        run = _pick_run(runs, run_id, path)
        businesses = _businesses(conn, run.id)
        if not businesses:
            raise ReportError(f"{path}: run {run.id} has no businesses (status {run.status})")
        history = [r for r in runs if r.id <= run.id and (r.status == "done" or r.id == run.id)]
        listings = _listings(conn, run.id, {r.id for r in history})
    finally:
        conn.close()
    return Snapshot(str(path), run, history, businesses, listings)


def _runs(conn: sqlite3.Connection, path: Path) -> list[Run]:
    try:
        rows = conn.execute("SELECT id, command, started_at, status FROM runs ORDER BY id")
        return [Run(r["id"], r["command"] or "", r["started_at"] or "", r["status"] or "")
                for r in rows]  # fmt: skip
    except sqlite3.DatabaseError as exc:
        # An empty file, or one napaudit did not make: sqlite3 says which in its message.
        raise ReportError(f"{path}: not a napaudit database ({exc})") from None


def _pick_run(runs: list[Run], run_id: int | None, path: Path) -> Run:
    if run_id is None:
        done = [r for r in runs if r.status == "done"]
        if not done:
            raise ReportError(f"{path}: no finished runs (run 'napaudit compare' first)")
        return done[-1]
    for run in runs:
        if run.id == run_id:
            return run
    known = f"runs {runs[0].id}-{runs[-1].id}" if runs else "no runs"
    raise ReportError(f"{path}: no run {run_id} ({known})")


def _businesses(conn: sqlite3.Connection, run_id: int) -> dict[str, Business]:
    rows = conn.execute(
        "SELECT b.* FROM run_businesses rb JOIN businesses b "
        "ON b.id = rb.business_id AND b.version = rb.version "
        "WHERE rb.run_id = ? ORDER BY b.id",
        (run_id,),
    )
    return {r["id"]: Business(r["id"], _raw(r)) for r in rows}


def _listings(conn: sqlite3.Connection, last: int, run_ids: set[int]) -> dict[int, dict]:
    # Only the businesses of the chosen run matter; their listings in earlier runs are history.
    rows = conn.execute(
        "SELECT rl.run_id, rl.source, rl.listing_key, rl.url, rl.business_id, rl.check_id, "
        "rl.linked_by, rl.match_score, rl.outcome, rl.outcome_reason, l.normalized "
        "FROM run_listings rl LEFT JOIN listings l ON l.source = rl.source "
        "AND l.listing_key = rl.listing_key AND l.version = rl.version "
        "WHERE rl.run_id <= ? AND rl.business_id IN "
        "(SELECT business_id FROM run_businesses WHERE run_id = ?) "
        "ORDER BY rl.run_id, rl.source, rl.listing_key",
        (last, last),
    ).fetchall()
    findings = _findings(conn, last)
    out: dict[int, dict[str, list[Listing]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["run_id"] not in run_ids:
            continue
        out[r["run_id"]][r["business_id"]].append(Listing(
            r["run_id"], r["source"] or "", r["listing_key"], r["url"] or "", r["business_id"],
            r["outcome"] or "ok", r["outcome_reason"] or "", r["linked_by"] or "",
            r["match_score"], r["normalized"] or "", findings.get(r["check_id"], {}),
        ))  # fmt: skip
    return {run_id: dict(by_business) for run_id, by_business in out.items()}


def _findings(conn: sqlite3.Connection, last: int) -> dict[str, dict[str, Finding]]:
    rows = conn.execute(
        "SELECT * FROM findings WHERE check_id IN (SELECT check_id FROM run_listings "
        "WHERE run_id <= ? AND business_id IN "
        "(SELECT business_id FROM run_businesses WHERE run_id = ?))",
        (last, last),
    )
    out: dict[str, dict[str, Finding]] = defaultdict(dict)
    for r in rows:
        out[r["check_id"]][r["field"]] = Finding(
            r["field"], r["status"], r["canonical"] or "", r["found"] or "", r["reason"] or "",
            r["severity"] or "none",
        )  # fmt: skip
    return out


def _raw(row: sqlite3.Row) -> dict[str, str]:
    return {f: row[f] or "" for f in RAW_FIELDS}
