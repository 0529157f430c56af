"""The SQLite store (sqlite-utils): every run is kept, and nothing is stored twice.

What a source showed is content, stored once under a hash of itself: `businesses` and `listings`
hold each distinct version. A check is one listing version judged against one business version;
its `findings` (one per field) are stored once under the check's hash. What a run saw is history:
`run_businesses` and `run_listings` say, run by run, which versions were seen, how each listing
was identified and which check judged it. Running the same input twice adds a run and its
history rows, and no content row.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from napaudit.auditor.models import Record, Result
from napaudit.auditor.normalize.record import Normalized
from sqlite_utils import Migrations

DEFAULT_DB = "napaudit.db"
RAW_FIELDS = ("name", "address", "address2", "city", "state", "zip", "country", "phone",
              "website", "hours", "categories")  # fmt: skip
FLUSH_EVERY = 5000  # results written per batch, inside the run's one transaction

# Column orders, declared once: the migration creates them, the writers bind them.
BUSINESS_COLUMNS = ("id", "version", *RAW_FIELDS, "normalized")
LISTING_COLUMNS = ("source", "listing_key", "version", "url", "business_id", *RAW_FIELDS,
                   "normalized")  # fmt: skip
FINDING_COLUMNS = ("check_id", "field", "status", "canonical", "found", "reason", "severity",
                   "level")  # fmt: skip
RUN_LISTING_COLUMNS = ("run_id", "source", "listing_key", "version", "url", "business_id",
                       "business_version", "check_id", "linked_by", "match_score", "evidence",
                       "outcome", "outcome_reason", "fetched_at")  # fmt: skip

migrations = Migrations("napaudit")


def _columns(names: tuple[str, ...], types: dict[str, type] | None = None) -> dict[str, type]:
    return {name: (types or {}).get(name, str) for name in names}


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {"id": int, "command": str, "args": str, "started_at": str, "finished_at": str,
         "status": str, "counts": str},
        pk="id",
    )  # fmt: skip
    db["businesses"].create(_columns(BUSINESS_COLUMNS), pk=("id", "version"))
    db["listings"].create(_columns(LISTING_COLUMNS), pk=("source", "listing_key", "version"))
    db["findings"].create(_columns(FINDING_COLUMNS), pk=("check_id", "field"))
    db["run_businesses"].create(
        {"run_id": int, "business_id": str, "version": str},
        pk=("run_id", "business_id"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_listings"].create(
        _columns(RUN_LISTING_COLUMNS, {"run_id": int, "match_score": float}),
        pk=("run_id", "source", "listing_key"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_listings"].create_index(["business_id", "run_id"])


def default_path() -> str:
    return os.environ.get("NAPAUDIT_DB") or DEFAULT_DB


def open_db(path: str | Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.enable_wal()
    migrations.apply(db)
    return db


def version_of(values: Iterable[object]) -> str:
    """A short, stable hash of what a source showed (values in a fixed order)."""
    text = "\x1f".join(v if isinstance(v, str) else _json(v) for v in values)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.db = open_db(path)

    def start_run(self, command: str, args: dict) -> int:
        table = self.db["runs"]
        table.insert(
            {"command": command, "args": _json(args), "started_at": now(), "status": "running"}
        )
        return table.last_pk

    def finish_run(self, run_id: int, counts: dict, status: str = "done") -> None:
        self.db["runs"].update(
            run_id, {"finished_at": now(), "status": status, "counts": _json(counts)}
        )

    def save(
        self, run_id: int, businesses: Iterable[Normalized], results: Iterable[Result]
    ) -> None:
        """Store a run's businesses and results in one transaction: all or nothing."""
        with self.db.atomic():
            versions = self._save_businesses(run_id, businesses)
            batch: list[Result] = []
            for r in results:
                batch.append(r)
                if len(batch) == FLUSH_EVERY:
                    self._save_results(run_id, batch, versions)
                    batch = []
            self._save_results(run_id, batch, versions)

    def save_businesses(self, run_id: int, businesses: Iterable[Normalized]) -> dict[str, str]:
        """Store a run's businesses in one transaction; returns id -> version."""
        with self.db.atomic():
            return self._save_businesses(run_id, businesses)

    def save_results(self, run_id: int, results: list[Result], versions: dict[str, str]) -> None:
        """Store one batch of a run's results in one transaction (a crawl stores as it goes)."""
        with self.db.atomic():
            self._save_results(run_id, results, versions)

    def _save_businesses(self, run_id: int, businesses: Iterable[Normalized]) -> dict[str, str]:
        rows, history, versions = [], [], {}
        for b in businesses:
            raw = _raw(b.record)
            version = version_of(raw)
            versions[b.record.id] = version
            rows.append((b.record.id, version, *map(_text, raw), _json(b.as_dict())))
            history.append((run_id, b.record.id, version))
        insert(self.db, "businesses", BUSINESS_COLUMNS, rows)
        insert(self.db, "run_businesses", ("run_id", "business_id", "version"), history, True)
        return versions

    def _save_results(self, run_id: int, results: list[Result], versions: dict[str, str]):
        listings, history, findings = [], [], []
        for r in results:
            rec = r.listing
            business_id = r.business.record.id if r.business else rec.business_id
            bversion = versions.get(business_id) if business_id else None
            score, evidence = (r.match.score, _json(r.match.evidence)) if r.match else (None, None)
            version = check_id = None
            if r.outcome == "ok":  # a page not checked shows nothing to store but why
                raw = _raw(rec)
                version = version_of((*raw, rec.url, rec.business_id or ""))
                listings.append((rec.source, rec.id, version, rec.url, rec.business_id,
                                 *map(_text, raw), r.normalized))  # fmt: skip
                check_id = version_of((rec.source, rec.id, version, business_id or "",
                                       bversion or ""))  # fmt: skip
                findings.extend(
                    (check_id, v.field, v.status, v.canonical, v.found, v.reason, v.severity,
                     v.level)
                    for v in r.verdicts
                )  # fmt: skip
            history.append((run_id, rec.source, rec.id, version, rec.url, business_id, bversion,
                            check_id, r.linked_by, score, evidence, r.outcome,
                            r.outcome_reason or None, r.fetched_at or None))  # fmt: skip
        insert(self.db, "listings", LISTING_COLUMNS, listings)
        insert(self.db, "run_listings", RUN_LISTING_COLUMNS, history, replace=True)
        insert(self.db, "findings", FINDING_COLUMNS, findings)

    def listings_done(self, run_id: int) -> set[tuple[str, str, str]]:
        """(business_id, source, url) of every listing a run has stored: what --resume skips."""
        rows = self.db.execute(
            "select business_id, source, url from run_listings where run_id = ?", [run_id]
        )
        return {tuple(row) for row in rows}

    def outcome_counts(self, run_id: int) -> dict[str, int]:
        rows = self.db.execute(
            "select outcome, count(*) from run_listings where run_id = ? group by outcome",
            [run_id],
        )
        return dict(rows.fetchall())

    def summary(self, run_id: int) -> list[dict]:
        """Per business of a run: listings checked and not, mismatched and missing fields."""
        sql = """
            select rb.business_id,
              sum(rl.outcome = 'ok') as checked,
              sum(rl.outcome is not null and rl.outcome != 'ok') as not_checked,
              coalesce(sum((select count(*) from findings f
                            where f.check_id = rl.check_id and f.status = 'mismatch')), 0)
                as mismatch,
              coalesce(sum((select count(*) from findings f
                            where f.check_id = rl.check_id and f.status = 'missing')), 0)
                as missing
            from run_businesses rb
            left join run_listings rl
              on rl.run_id = rb.run_id and rl.business_id = rb.business_id
            where rb.run_id = ?
            group by rb.business_id
            order by rb.business_id
        """
        rows = self.db.execute(sql, [run_id]).fetchall()
        keys = ("business_id", "checked", "not_checked", "mismatch", "missing")
        return [dict(zip(keys, (row[0], *(v or 0 for v in row[1:])), strict=True))
                for row in rows]  # fmt: skip

    def counts(self) -> dict[str, int]:
        return {name: self.db[name].count for name in self.db.table_names()}


def insert(
    db: sqlite_utils.Database,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple],
    replace: bool = False,
) -> None:
    """Insert rows in one parameterized statement; a row whose key exists is kept (content is
    immutable under its hash) or, with `replace`, updated.

    sqlite-utils' upsert_all inspects every value in Python (measured 2026-11-24: ~2 us a value,
    more than the rest of a compare run together), so the hot path binds the rows itself, into
    the tables the sqlite-utils migrations created.
    """
    if not rows:
        return
    pks = db[table].pks
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pks)
    action = f"DO UPDATE SET {updates}" if replace and updates else "DO NOTHING"
    sql = (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(f'[{p}]' for p in pks)}) {action}"
    )
    db.conn.executemany(sql, rows)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _raw(record: Record) -> tuple:
    return tuple(getattr(record, f) for f in RAW_FIELDS)


def _text(value: object) -> object:
    """Structured hours become JSON text in their column; the rest is already text."""
    return _json(value) if isinstance(value, (list, dict)) else value
