"""The SQLite store (sqlite-utils): every run is kept, and nothing is stored twice.

What a source showed is content, stored once under a hash of itself: `businesses` and `listings`
hold each distinct version. A check is one listing version judged against one business version, with
the verdicts it gave: `checks` holds each distinct one, its verdicts (one per field) in its
`verdicts` column as one JSON array, and the `findings` view shows them a row each (a table row each
was the largest cost of a compare's store: issue 15). What a run saw is history: `run_businesses`
and `run_listings` say, run by run, which versions were seen, how each listing was identified and
which check judged it; `run_scores` keeps each business's score per run. Running the same input
twice adds a run and its history rows, and no content row. Re-judging history with better rules
(`napaudit rejudge`) adds a run whose checks differ where the verdicts differ; the old run keeps its
own. In a crawl's run, a listing belongs to one business: two that claim it are settled as they are
stored (`_one_business_a_listing`).

The schema changes only through the migrations in `auditor/schema.py`. The read side (runs,
the latest findings, history) is `auditor/history.py`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import islice
from json.encoder import encode_basestring as _encode_string
from operator import attrgetter
from pathlib import Path

import sqlite_utils
from napaudit.auditor.fields import FIELDS
from napaudit.auditor.jsontext import json_text
from napaudit.auditor.models import Record, Result, Verdict, VerdictStrings
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.schema import V1_FIELDS, open_db

DEFAULT_DB = "napaudit.db"
# The raw fields a store row keeps: every declared field (each has its column, by migration).
RAW_FIELDS = tuple(f.name for f in FIELDS)
_LATER_FIELDS = tuple(f for f in RAW_FIELDS if f not in V1_FIELDS)
# A record's values in these orders, read in C (several attributes: each getter gives a tuple).
_V1_VALUES = attrgetter(*V1_FIELDS)
_RAW_VALUES = attrgetter(*RAW_FIELDS)
# Results written per transaction. Each commit writes every page the transaction changed to the
# write-ahead log; results arrive in hash order, so most index pages change in every transaction
# (measured 2026-12-05, bench/compare.py's 100,000 results stored alone, three rounds: 2.10-2.22
# CPU-s with 20,000, 2.24-2.77 with 5,000; 100,000 spilled the page cache and took more).
FLUSH_EVERY = 20000
# Results inserted at a time, within a transaction: when the last result comes, only this many
# are left to insert (a compare's main process finished 5,000 after its workers had: ~0.13 s).
INSERT_EVERY = 500
BULK_CACHE_KIB = 65536  # SQLite's page cache while a compare stores its results

# Column orders, declared once: the writers bind them.
BUSINESS_COLUMNS = ("id", "version", *RAW_FIELDS, "normalized", "uid")
LISTING_COLUMNS = ("source", "listing_key", "version", "url", "business_id", *RAW_FIELDS,
                   "normalized", "uid")  # fmt: skip
CHECK_COLUMNS = ("id", "listing", "business", "source", "listing_key", "business_id",
                 "verdicts", "judged_at")  # fmt: skip
RUN_LISTING_COLUMNS = ("run_id", "source", "listing_key", "version", "url", "business_id",
                       "business_version", "check_id", "linked_by", "match_score", "evidence",
                       "outcome", "outcome_reason", "fetched_at")  # fmt: skip
# Positions in a run_listings row without its run id (the `seen` of result_rows).
_SEEN = ("business_id", "check_id", "match_score", "outcome", "outcome_reason", "fetched_at")
_BUSINESS, _CHECK, _SCORE, _OUTCOME, _REASON, _FETCHED = (RUN_LISTING_COLUMNS.index(c) - 1
                                                          for c in _SEEN)  # fmt: skip


def default_path() -> str:
    return os.environ.get("NAPAUDIT_DB") or DEFAULT_DB


def version_of(values: Iterable[object]) -> str:
    """A short, stable hash of what a source showed (values in a fixed order)."""
    values = values if isinstance(values, tuple) else tuple(values)
    try:  # all text, as a compare's are: joined in C (~3 hashes a listing)
        text = "\x1f".join(values)
    except TypeError:  # structured hours, None: as JSON
        text = "\x1f".join(v if isinstance(v, str) else _json(v) for v in values)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def content_version(record: Record, *more: str) -> str:
    """The version of a record's raw values. Fields declared after the first release count
    only when they hold a value, so that a new field leaves every existing version as it was."""
    values = _V1_VALUES(record)
    later = [f"{f}={_text(v)}" for f in _LATER_FIELDS if (v := getattr(record, f))]
    return version_of((*values, *later, *more))


def checked(listing_uid: str, business_uid: str, verdicts: list[Verdict],
            strings: VerdictStrings | None = None) -> tuple[str, str]:  # fmt: skip
    """A check's id and its verdicts as its `verdicts` column stores them.

    A check is its listing, its business and the verdicts they gave: judged again with the same
    rules it is the same check (the same id); with rules that decide otherwise, a new one. The
    column is a JSON array of each verdict's values in Verdict's order, the fields in the order
    judged (the history reads them in field order, as the findings table's key gave them).
    `strings`: the verdicts' values already encoded (`verdict_strings`), if the caller has them."""
    if strings is None:
        texts = list(map(_json_strings, verdicts))
    else:
        texts = ["[" + ", ".join(values) + "]" for values in strings]
    return version_of((listing_uid, business_uid, *texts)), "[" + ", ".join(texts) + "]"


def _json_strings(values: tuple) -> str:
    """json.dumps(list(values)), built from the C string encoder when every value is a string
    (a verdict's always are): a compare hashes ~7 verdicts a listing."""
    try:
        return "[" + ", ".join(map(_encode_string, values)) + "]"
    except TypeError:  # a value that is not text
        return _json(list(values))


def listing_uid(source: str, listing_key: str, version: str) -> str:
    return version_of((source, listing_key, version))


def business_uid(business_id: str, version: str) -> str:
    return f"{business_id}@{version}"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Writes a run's content and history. Reading is napaudit.auditor.history."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.db: sqlite_utils.Database = open_db(path)

    def start_run(self, command: str, args: dict, label: str = "") -> int:
        table = self.db["runs"]
        with self.db.atomic():
            table.insert({"command": command, "args": _json(args), "started_at": now(),
                          "status": "running"})  # fmt: skip
            run_id = table.last_pk
            table.update(run_id, {"label": f"run {run_id}: {label or command}, {now()[:16]}"})
        return run_id

    def finish_run(self, run_id: int, counts: dict, status: str = "done") -> None:
        """Mark the run; then fold the write-ahead log into the database file, so that a copy
        of the `.db` file alone holds everything."""
        with self.db.atomic():
            self.db["runs"].update(
                run_id, {"finished_at": now(), "status": status, "counts": _json(counts)}
            )
        self.checkpoint()

    def checkpoint(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:  # another reader holds the log: it is folded later
            pass

    def save(self, run_id: int, businesses: Iterable[Normalized], rows: Iterable[ResultRows]):
        """Store a run's businesses, then its results (as `result_rows` gives them), in
        transactions of FLUSH_EVERY results: a long run never holds the database for minutes,
        and one that fails midway is marked failed (its rows stay, unused by any finished run).
        The results are inserted INSERT_EVERY at a time as they come."""
        # Findings arrive in hash order: with the default 2 MiB of page cache, inserting them
        # re-reads index pages (measured 2026-12-02, 100,000 listings: 15% less CPU with 64 MiB).
        self.db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        self.save_businesses(run_id, businesses)
        rows = iter(rows)
        more = True
        while more:
            with self.db.atomic():  # FLUSH_EVERY results, INSERT_EVERY at a time
                left = FLUSH_EVERY
                while left and more:
                    size = min(INSERT_EVERY, left)
                    batch = list(islice(rows, size))
                    self._save_rows(run_id, batch)
                    more, left = len(batch) == size, left - len(batch)

    def save_businesses(self, run_id: int, businesses: Iterable[Normalized]) -> dict[str, str]:
        """Store a run's businesses in one transaction; returns id -> version."""
        with self.db.atomic():
            return self._save_businesses(run_id, businesses)

    def save_results(self, run_id: int, results: list[Result], versions: dict[str, str]) -> None:
        """Store one batch of a run's results in one transaction (a crawl stores as it goes)."""
        with self.db.atomic():
            self._save_results(run_id, results, versions)

    def save_rows(self, run_id: int, rows: list[ResultRows],
                  businesses: Iterable[Normalized] = ()) -> None:  # fmt: skip
        """save_results for results already turned into rows (`result_rows`), as a crawl's
        page worker sends them; with `businesses`, their rows first, in the same transaction."""
        with self.db.atomic():
            self._save_businesses(run_id, businesses)
            self._save_rows(run_id, self._one_business_a_listing(run_id, rows))

    def save_scores(self, run_id: int, rows: Iterable[dict]) -> None:
        """Each business's score in this run (reports.scores), for charts over time."""
        columns = ("run_id", "business_id", "score", "checked", "not_checked", "problems")
        values = [(run_id, *(r.get(c) for c in columns[1:])) for r in rows]
        with self.db.atomic():
            insert(self.db, "run_scores", columns, values, replace=True)

    def _save_businesses(self, run_id: int, businesses: Iterable[Normalized]) -> dict[str, str]:
        rows, history, versions = [], [], {}
        for b in businesses:
            version = content_version(b.record)
            versions[b.record.id] = version
            uid = business_uid(b.record.id, version)
            raw = (_text(getattr(b.record, f)) for f in RAW_FIELDS)
            rows.append((b.record.id, version, *raw, b.json(), uid))
            history.append((run_id, b.record.id, version, uid))
        insert(self.db, "businesses", BUSINESS_COLUMNS, rows)
        insert(self.db, "run_businesses", ("run_id", "business_id", "version", "business"),
               history, True)  # fmt: skip
        return versions

    def _save_results(self, run_id: int, results: list[Result], versions: dict[str, str]):
        rows = []
        for r in results:
            business_id = r.business.record.id if r.business else r.listing.business_id
            rows.append(result_rows(r, versions.get(business_id) if business_id else None))
        self._save_rows(run_id, self._one_business_a_listing(run_id, rows))

    def _one_business_a_listing(self, run_id: int, rows: list[ResultRows]) -> list[ResultRows]:
        """A listing belongs to one business per run. When businesses claim one (source, key)
        showing one entry, in this batch or in one stored before it, the one identified with the
        higher score keeps it (the lower id on a tie); each other is stored under a key of its
        own, not found (its page unchecked, if it was), saying whose listing it is. Without this
        the later claim replaced the earlier one: of two clients that one Google place could be,
        one had no row at all. A page showing several businesses (a hotel's restaurants) is one
        key but several entries: each business keeps the entry it matched, the first under the
        key, each other under `<key>#<business id>`. One indexed lookup a batch."""
        out = list(rows)
        for by_business in self._claims(run_id, rows).values():
            if len(by_business) < 2:
                continue
            ranked = sorted(by_business.items(), key=lambda c: _claim_rank(c[0], c[1][1]))
            kept: dict[tuple, tuple[str, tuple]] = {}  # entry shown -> who keeps it, its row
            for n, (business_id, (listing, seen, where)) in enumerate(ranked):
                # what the page showed: the listing row's raw values
                entry = tuple(listing[5:-2]) if listing and seen[_OUTCOME] == "ok" else None
                if n == 0 or (entry is not None and entry not in kept):
                    kept[entry] = (business_id, seen)
                    if n == 0:
                        continue  # the key stays with it
                    moved = _also_shown(listing, seen)
                else:
                    winner, won = kept.get(entry) or kept[next(iter(kept))]
                    moved = (None, None, _not_theirs(seen, winner, won))
                for i in where:  # in this batch: stored as its own instead
                    out[i] = moved
                if not where:  # stored: moved to its own key; the key's new row replaces it
                    out.append(moved)
        return out

    def _claims(self, run_id: int, rows: list[ResultRows]) -> dict[tuple, dict[str, tuple]]:
        """(source, key) -> business id -> (listing row, run_listings row without the run id,
        where it is in this batch) of each business's claim on a key of this batch: the
        stored one (where=[]), else the batch's (the last counts, as it would be stored)."""
        keys = sorted({(seen[0], seen[1]) for *_, seen in rows})
        columns = [f"rl.{c}" for c in RUN_LISTING_COLUMNS[1:]] + [f"l.{c}" for c in LISTING_COLUMNS]
        claims: dict[tuple, dict[str, tuple]] = {}
        # CROSS JOIN: the keys outside, so that each is one search of the primary key (a plain
        # JOIN let SQLite scan the run's rows instead, checked with EXPLAIN QUERY PLAN)
        for row in self.db.execute(
            f"SELECT {', '.join(columns)} FROM json_each(?) AS j CROSS JOIN run_listings AS rl "
            "ON rl.run_id = ? AND rl.source = json_extract(j.value, '$[0]') AND rl.listing_key "
            "= json_extract(j.value, '$[1]') LEFT JOIN listings AS l ON l.source = rl.source "
            "AND l.listing_key = rl.listing_key AND l.version = rl.version",
            [_json(keys), run_id],
        ):  # fmt: skip
            seen, listing = row[: len(RUN_LISTING_COLUMNS) - 1], row[len(RUN_LISTING_COLUMNS) - 1 :]
            listing = listing if listing[0] is not None else None
            claims.setdefault((seen[0], seen[1]), {})[seen[_BUSINESS]] = (listing, seen, [])
        for i, (listing, _, seen) in enumerate(rows):
            by_business = claims.setdefault((seen[0], seen[1]), {})
            *_, before = by_business.get(seen[_BUSINESS]) or (None, None, [])
            by_business[seen[_BUSINESS]] = (listing, seen, [*before, i])
        return claims

    def _save_rows(self, run_id: int, rows: list[ResultRows]) -> None:
        listings, history, checks = [], [], []
        stamp = now()
        for listing, check, seen in rows:
            if listing is not None:
                listings.append(listing)
            if check is not None:
                checks.append((*check, stamp))
            history.append((run_id, *seen))
        insert(self.db, "listings", LISTING_COLUMNS, listings)
        insert(self.db, "checks", CHECK_COLUMNS, checks)
        insert(self.db, "run_listings", RUN_LISTING_COLUMNS, history, replace=True)

    def copy_history(self, from_run: int, to_run: int) -> None:
        """A new run that saw what `from_run` saw: its businesses and listings, not yet judged."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO run_businesses (run_id, business_id, version, business) "
                "SELECT ?, business_id, version, business FROM run_businesses WHERE run_id = ?",
                [to_run, from_run],
            )
            columns = [c for c in RUN_LISTING_COLUMNS if c not in ("run_id", "check_id")]
            names = ", ".join(columns)
            self.db.execute(
                f"INSERT INTO run_listings (run_id, {names}) "
                f"SELECT ?, {names} FROM run_listings WHERE run_id = ?",
                [to_run, from_run],
            )

    def save_judged(self, run_id: int, judged: list[tuple[dict, Result]]) -> None:
        """Checks and findings for listings a run stored unjudged (a crawl, a re-judgement):
        `judged` pairs each run_listings row (as history.unjudged gives it) with its Result."""
        checks, updates = [], []
        stamp = now()
        for row, r in judged:
            business_id = r.business.record.id if r.business else None
            check_id = None
            if business_id:
                buid = business_uid(business_id, row["business_version"] or "")
                check_id, verdicts = checked(row["uid"], buid, r.verdicts)
                checks.append((check_id, row["uid"], buid, row["source"], row["listing_key"],
                               business_id, verdicts, stamp))  # fmt: skip
            score, evidence = (r.match.score, _json(r.match.evidence)) if r.match else (None, None)
            updates.append((check_id, business_id, r.linked_by, score, evidence, run_id,
                            row["source"], row["listing_key"]))  # fmt: skip
        with self.db.atomic():
            insert(self.db, "checks", CHECK_COLUMNS, checks)
            self.db.conn.executemany(
                "UPDATE run_listings SET check_id = ?, business_id = coalesce(?, business_id), "
                "linked_by = ?, match_score = ?, evidence = ? "
                "WHERE run_id = ? AND source = ? AND listing_key = ?",
                updates,
            )

    def close(self) -> None:
        self.db.close()


# What storing one result writes: its listings row (None when not checked), its checks row
# without the time (None when not judged; its verdicts in it), and its run_listings row without
# the run id. Plain tuples: cheap to build where the result was judged and to send from there.
ResultRows = tuple[tuple | None, tuple | None, tuple]


def result_rows(r: Result, business_version: str | None,
                strings: VerdictStrings | None = None) -> ResultRows:  # fmt: skip
    """The rows storing `r` writes, its business being at `business_version` (`strings`: its
    verdicts' values encoded, `verdict_strings`, when the caller has them)."""
    rec = r.listing
    business_id = r.business.record.id if r.business else rec.business_id
    score, evidence = (r.match.score, _json(r.match.evidence)) if r.match else (None, None)
    version = check_id = listing = check = None
    if r.outcome == "ok":  # a page not checked shows nothing to store but why
        version = content_version(rec, rec.url, rec.business_id or "")
        uid = listing_uid(rec.source, rec.id, version)
        raw = [_json(v) if isinstance(v, (list, dict)) else v for v in _RAW_VALUES(rec)]  # _text
        listing = (rec.source, rec.id, version, rec.url, rec.business_id, *raw, r.normalized, uid)
        if r.judged and business_id:
            buid = business_uid(business_id, business_version or "")
            check_id, verdicts = checked(uid, buid, r.verdicts, strings)
            check = (check_id, uid, buid, rec.source, rec.id, business_id, verdicts)
    seen = (rec.source, rec.id, version, rec.url, business_id, business_version, check_id,
            r.linked_by, score, evidence, r.outcome, r.outcome_reason or None,
            r.fetched_at or None)  # fmt: skip
    return listing, check, seen


def _claim_rank(business_id: str, seen: tuple) -> tuple:
    """Which claim on a listing comes first: a listing shown before a page not checked, then
    the higher score, then the lower business id (the same winner whatever the order)."""
    score = seen[_SCORE] if seen[_SCORE] is not None else -1.0
    return (seen[_OUTCOME] != "ok", -score, business_id)


def _also_shown(listing: tuple, seen: tuple) -> ResultRows:
    """The rows of a listing kept under `<key>#<business id>`: the page under its key shows
    another business too, which keeps the key. Its check named the listing under the key, so
    it is left unjudged here: judge_run judges it from the store once the crawl ends."""
    source, key, version, *_ = listing
    own = f"{key}#{seen[_BUSINESS]}"
    listing = (source, own, *listing[2:-1], listing_uid(source, own, version))
    return listing, None, (source, own, *seen[2:_CHECK], None, *seen[_CHECK + 1 :])


def _not_theirs(seen: tuple, winner: str, won: tuple) -> tuple:
    """A run_listings row (without the run id) for a claim another business kept: under a
    search key of its own business, not found (its outcome kept if its page was not checked)."""
    source, key, _, url, business_id, business_version, *_ = seen
    outcome, reason = seen[_OUTCOME], seen[_REASON]
    if outcome == "ok":
        outcome = "not_found"
        reason = (f"{key} is business {winner}'s listing in this run (its score "
                  f"{_score(won[_SCORE])}; this business's {_score(seen[_SCORE])})")  # fmt: skip
    return (source, f"search:{business_id}:{key}", None, url, business_id, business_version, None,
            None, None, None, outcome, reason, seen[_FETCHED])  # fmt: skip


def _score(score: float | None) -> str:
    return "none" if score is None else f"{score:.3f}"


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
    return json_text(value)  # json.dumps(value, ensure_ascii=False)


def _text(value: object) -> object:
    """Structured hours become JSON text in their column; the rest is already text."""
    return _json(value) if isinstance(value, (list, dict)) else value
