"""The store's schema: sqlite-utils migrations, applied in order when a database is opened.

A database of an older release upgrades in place, with its history: each change is a migration
of its own, and a migration never reads the live field list (a new field is a new migration that
adds its column). Opening refuses, untouched, a file that is not napaudit's database.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

# The record columns of the first release, frozen: later fields arrive by migration.
V1_FIELDS = ("name", "address", "address2", "city", "state", "zip", "country", "phone",
             "website", "hours", "categories")  # fmt: skip
MIGRATION_SET = "napaudit"

migrations = Migrations(MIGRATION_SET)


class StoreError(Exception):
    """The database cannot be used. `environment` tells a machine problem (a read-only file, a
    full disk: exit 4) from a wrong file (not a database, not napaudit's: exit 2)."""

    def __init__(self, message: str, environment: bool = False):
        super().__init__(message)
        self.environment = environment


def _text_columns(names: tuple[str, ...]) -> dict[str, type]:
    return dict.fromkeys(names, str)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {"id": int, "command": str, "args": str, "started_at": str, "finished_at": str,
         "status": str, "counts": str},
        pk="id",
    )  # fmt: skip
    db["businesses"].create(
        _text_columns(("id", "version", *V1_FIELDS, "normalized")), pk=("id", "version")
    )
    db["listings"].create(
        _text_columns(("source", "listing_key", "version", "url", "business_id", *V1_FIELDS,
                       "normalized")),
        pk=("source", "listing_key", "version"),
    )  # fmt: skip
    db["findings"].create(
        _text_columns(("check_id", "field", "status", "canonical", "found", "reason", "severity",
                       "level")),
        pk=("check_id", "field"),
    )  # fmt: skip
    db["run_businesses"].create(
        {"run_id": int, "business_id": str, "version": str},
        pk=("run_id", "business_id"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    columns = _text_columns(("run_id", "source", "listing_key", "version", "url", "business_id",
                             "business_version", "check_id", "linked_by", "match_score",
                             "evidence", "outcome", "outcome_reason", "fetched_at"))  # fmt: skip
    db["run_listings"].create(
        {**columns, "run_id": int, "match_score": float},
        pk=("run_id", "source", "listing_key"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_listings"].create_index(["business_id", "run_id"])


@migrations()
def m002_status_field(db: sqlite_utils.Database) -> None:
    """The `status` field: what a source says about the business being open or closed."""
    for table in ("businesses", "listings"):
        db[table].add_column("status", str)


def _hash(*values: str) -> str:
    return hashlib.sha1("\x1f".join(values).encode()).hexdigest()[:16]


@migrations()
def m003_business_uid(db: sqlite_utils.Database) -> None:
    """One column naming a business version, so that other tables can link to it."""
    db["businesses"].add_column("uid", str)
    db.execute("UPDATE businesses SET uid = id || '@' || version")
    db["businesses"].create_index(["uid"], unique=True)
    db["run_businesses"].add_column("business", str)
    db.execute("UPDATE run_businesses SET business = business_id || '@' || version")


@migrations()
def m004_listing_uid(db: sqlite_utils.Database) -> None:
    """One column naming a listing version (a hash of source, key and version)."""
    db["listings"].add_column("uid", str)
    rows = db.execute("SELECT source, listing_key, version FROM listings").fetchall()
    db.conn.executemany(
        "UPDATE listings SET uid = ? WHERE source = ? AND listing_key = ? AND version = ?",
        [(_hash(s, k, v), s, k, v) for s, k, v in rows],
    )
    db["listings"].create_index(["uid"], unique=True)


@migrations()
def m005_checks(db: sqlite_utils.Database) -> None:
    """A table of checks (a listing version judged against a business version), linked from
    the findings and from each run's listings; filled from the history already stored."""
    db["checks"].create(
        _text_columns(("id", "listing", "business", "source", "listing_key", "business_id",
                       "judged_at")),
        pk="id",
        foreign_keys=[("listing", "listings", "uid"), ("business", "businesses", "uid")],
    )  # fmt: skip
    db.execute(
        "INSERT OR IGNORE INTO checks (id, listing, business, source, listing_key, business_id, "
        "judged_at) SELECT rl.check_id, l.uid, rl.business_id || '@' || rl.business_version, "
        "rl.source, rl.listing_key, rl.business_id, r.started_at FROM run_listings rl "
        "JOIN runs r ON r.id = rl.run_id JOIN listings l ON l.source = rl.source "
        "AND l.listing_key = rl.listing_key AND l.version = rl.version "
        "WHERE rl.check_id IS NOT NULL"
    )
    db["checks"].create_index(["business_id"])


@migrations()
def m006_links(db: sqlite_utils.Database) -> None:
    """Foreign keys, so that a browser of the database follows a finding to its check, its
    listing and its business."""
    db.add_foreign_keys([
        ("findings", "check_id", "checks", "id"),
        ("run_listings", "check_id", "checks", "id"),
        ("run_businesses", "business", "businesses", "uid"),
    ])  # fmt: skip


@migrations()
def m007_run_labels(db: sqlite_utils.Database) -> None:
    """A readable name for each run ("run 3: audit clients.csv, 2026-12-02 07:46")."""
    db["runs"].add_column("label", str)
    db.execute(
        "UPDATE runs SET label = 'run ' || id || ': ' || command || ', ' || "
        "substr(replace(started_at, 'T', ' '), 1, 16)"
    )


@migrations()
def m008_run_scores(db: sqlite_utils.Database) -> None:
    """Each business's score in each run, to chart over time."""
    db["run_scores"].create(
        {"run_id": int, "business_id": str, "score": float, "checked": int,
         "not_checked": int, "problems": int},
        pk=("run_id", "business_id"),
        foreign_keys=[("run_id", "runs", "id")],
    )  # fmt: skip


@migrations()
def m009_views(db: sqlite_utils.Database) -> None:
    """What is wrong now: the findings of each business's latest finished run."""
    db.create_view("latest_findings", LATEST_FINDINGS, replace=True)
    db.create_view(
        "latest_problems",
        "SELECT * FROM latest_findings WHERE status IN ('mismatch', 'missing') ORDER BY "
        "business_id, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 "
        "ELSE 3 END, source, field",
        replace=True,
    )
    db.create_view(
        "scores_over_time",
        "SELECT s.business_id, r.started_at, s.run_id, r.command, s.score, s.checked, "
        "s.not_checked, s.problems FROM run_scores s JOIN runs r ON r.id = s.run_id "
        "WHERE r.status = 'done' ORDER BY s.business_id, s.run_id",
        replace=True,
    )


@migrations()
def m010_provenance_field(db: sqlite_utils.Database) -> None:
    """The `provenance` field: where a source got what it shows (Overture: Meta's data...)."""
    for table in ("businesses", "listings"):
        db[table].add_column("provenance", str)


@migrations()
def m011_verdicts_in_checks(db: sqlite_utils.Database) -> None:
    """A check's verdicts in one column of its row (a JSON array of [field, status, canonical,
    found, reason, severity, level]; the rows moved here in field order, new checks in the order
    judged, read back sorted by field), and `findings` a view showing them a row each, with the
    columns the table had. Storing a row a field was the
    largest cost left in a compare's store (issue 15: 700,000 rows for 100,000 listings, 62 % of
    them "identical"). The stored findings move into their checks; a finding whose check has no
    row yet gets one, so that nothing stored is lost."""
    db["checks"].add_column("verdicts", str)
    db.execute(
        "INSERT OR IGNORE INTO checks (id) SELECT DISTINCT check_id FROM findings "
        "WHERE check_id IS NOT NULL"
    )
    db.execute(
        "UPDATE checks SET verdicts = (SELECT json_group_array(json_array(field, status, "
        "canonical, found, reason, severity, level)) FROM (SELECT * FROM findings AS f "
        "WHERE f.check_id = checks.id ORDER BY f.field))"
    )
    db.execute("DROP TABLE findings")
    db.create_view("findings", FINDINGS)


# Each verdict of each check, a row each (the columns of the findings table of m001).
FINDINGS = """
SELECT c.id AS check_id, json_extract(v.value, '$[0]') AS field,
       json_extract(v.value, '$[1]') AS status, json_extract(v.value, '$[2]') AS canonical,
       json_extract(v.value, '$[3]') AS found, json_extract(v.value, '$[4]') AS reason,
       json_extract(v.value, '$[5]') AS severity, json_extract(v.value, '$[6]') AS level
FROM checks AS c, json_each(c.verdicts) AS v
"""


LATEST_FINDINGS = """
WITH latest AS (
  SELECT rb.business_id, max(rb.run_id) AS run_id
  FROM run_businesses rb JOIN runs r ON r.id = rb.run_id AND r.status = 'done'
  GROUP BY rb.business_id
)
SELECT rl.run_id, rl.business_id, rl.source, rl.listing_key, rl.url, rl.check_id,
       f.field, f.status, f.severity, f.found, f.canonical, f.reason
FROM latest
JOIN run_listings rl ON rl.run_id = latest.run_id AND rl.business_id = latest.business_id
JOIN findings f ON f.check_id = rl.check_id
"""


def open_db(path: str | Path) -> sqlite_utils.Database:
    """The database at `path`, created or upgraded; refuses a file that is not napaudit's."""
    path = Path(path)
    if path.exists():
        _check_ours(path)
    try:
        db = sqlite_utils.Database(path)
        db.conn.execute("PRAGMA busy_timeout = 30000")  # another writer: wait, don't fail
        db.enable_wal()
        migrations.apply(db)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: cannot write the database ({exc})", environment=True) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a napaudit database ({exc})") from None
    return db


def _check_ours(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if path.stat().st_size == 0:
        return  # an empty file: a new database
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            ours = (
                "_sqlite_migrations" in tables
                and conn.execute(
                    "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?",
                    [MIGRATION_SET],
                ).fetchone()[0]
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a napaudit database ({exc})") from None
    if tables and not ours:
        raise StoreError(
            f"{path}: not a napaudit database (it holds other tables: "
            f"{', '.join(sorted(tables)[:3])}); left untouched"
        )
