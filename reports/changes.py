"""What changed for each business between two runs: new problems, fixes, regressions (a field
that was right and is wrong now; "broke again" when it had been wrong before, was fixed, and is
wrong once more), a wrong value that changed to another wrong value, new duplicates, listings
gone and listings back, sources that became unreachable or came back.

A listing is followed from run to run by its source and listing key. The changes are plain data
(reports.change_types), so the CLI, the alerts and the HTML report say the same thing in the
same words.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from napaudit.auditor.catalog import Source, load_catalog
from napaudit.auditor.collector import collector_off
from napaudit.reports.change_types import (
    BusinessChanges,
    Changes,
    FieldChange,
    SourceChange,
    field_text,
    source_text,
)
from napaudit.reports.load import ReportError, Run, Snapshot, StoredListing, load_snapshot
from napaudit.reports.priority import value_key
from napaudit.reports.wording import field_label, shown, source_name

__all__ = ["BusinessChanges", "Changes", "ChangesError", "FieldChange", "SourceChange"]
__all__ += ["changes_between", "changes_since", "run_changes", "snapshot_changes"]
WRONG = ("mismatch", "missing")
RIGHT = ("match", "variant")
UNREACHABLE = ("blocked", "error")


class ChangesError(ReportError):
    """The runs or the business asked for do not exist (exit code 2, one line)."""


# --- choosing the runs ---------------------------------------------------------------------


def db_path(db_or_store: object) -> str:
    """A path from a path, a Store, a sqlite-utils Database or a sqlite3 connection."""
    if isinstance(db_or_store, str | Path):
        return str(db_or_store)
    if hasattr(db_or_store, "path") and isinstance(db_or_store.path, str):  # auditor Store
        return db_or_store.path
    conn = getattr(db_or_store, "conn", db_or_store)  # sqlite_utils.Database, or a connection
    if isinstance(conn, sqlite3.Connection):
        return conn.execute("PRAGMA database_list").fetchone()[2]
    raise TypeError(f"not a database: {db_or_store!r}")


def latest_runs(db_or_store: object, business: str | None = None) -> tuple[int | None, int]:
    """(earlier run, latest run): the latest finished run (with `business`, the latest that
    checked it) and the finished run before it that did; (None, latest) when there is none."""
    snapshot = _snapshot(db_or_store, None, business)
    ids = business_runs(snapshot, business) if business else [r.id for r in snapshot.runs]
    return (ids[-2] if len(ids) > 1 else None), snapshot.run.id


def business_runs(snapshot: Snapshot, business_id: str) -> list[int]:
    """The finished runs up to the snapshot's that have listings of the business, oldest first."""
    return [r.id for r in snapshot.runs if snapshot.of(r.id, business_id)]


def parse_since(since: str) -> int | datetime:
    """A run id ("12") or an ISO date or time ("2026-05-01", "2026-05-01T06:00"); UTC when no
    zone is given. ValueError for anything else."""
    text = since.strip()
    if text.isdigit():
        return int(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--since '{since}' is neither a run id nor a date (like 2026-05-01)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def changes_between(
    db_or_store: object, old_run: int, new_run: int, business: str | None = None
) -> Changes:
    """What changed from run `old_run` to run `new_run`, per business of `new_run` (or only
    `business`). A business with no listings in `old_run` is listed in `first_check`."""
    snapshot = _snapshot(db_or_store, new_run, business)
    new_run = snapshot.run.id
    if old_run == new_run:
        raise ChangesError(f"run {old_run} is not before run {new_run}")
    if old_run not in {r.id for r in snapshot.runs}:
        raise ChangesError(
            f"{snapshot.db_path}: no finished run {old_run} before run {new_run} "
            f"({_known(snapshot)})"
        )
    return _changes(snapshot, business, lambda _: old_run)


def changes_since(
    db_or_store: object, since: str | int | datetime | None = None, business: str | None = None
) -> Changes:
    """What changed up to the latest finished run, per business: since its previous run (no
    `since`), since run `since` (an int), or since its last run before the date `since`."""
    with collector_off():  # both runs' listings and verdicts hold no cycles (auditor.collector)
        return _changes_since(db_or_store, since, business)


def _changes_since(db_or_store: object, since: str | int | datetime | None, business: str | None
                   ) -> Changes:  # fmt: skip
    snapshot = _snapshot(db_or_store, None, business)
    if isinstance(since, str):
        since = _parsed(since)
    if isinstance(since, int):
        return changes_between(snapshot.db_path, since, snapshot.run.id, business)
    if isinstance(since, datetime):
        before = [r.id for r in snapshot.runs if _started(r) < since]
        if not before:
            first = snapshot.runs[0]
            raise ChangesError(
                f"{snapshot.db_path}: no finished run before {since.date().isoformat()} "
                f"(the first is run {first.id}, {first.started_at[:10]})"
            )
        return _changes(snapshot, business, lambda b: _last(snapshot, b, before[-1]))
    return _changes(snapshot, business, lambda b: _last(snapshot, b, snapshot.run.id - 1))


def run_changes(db_or_store: object, run_id: int) -> Changes:
    """Each business of run `run_id` against its own previous finished run (for alerts)."""
    with collector_off():
        snapshot = _snapshot(db_or_store, run_id, None)
        return _changes(snapshot, None, lambda b: _last(snapshot, b, run_id - 1))


def snapshot_changes(
    snapshot: Snapshot, business_id: str, catalog: dict[str, Source] | None = None
) -> dict | None:
    """For the report: the business's changes since its previous run, or None (first check)."""
    earlier = _last(snapshot, business_id, snapshot.run.id - 1)
    if earlier is None:
        return None
    found = compare_business(snapshot, business_id, earlier, catalog or load_catalog())
    return found.as_dict()


def _snapshot(db_or_store: object, run_id: int | None, business: str | None) -> Snapshot:
    path = db_path(db_or_store)
    try:
        snapshot = load_snapshot(path, run_id, business)
    except ReportError as exc:
        raise ChangesError(str(exc)) from None
    if business is not None and business not in snapshot.businesses:
        known = ", ".join(list(snapshot.businesses)[:5])
        more = ", ..." if len(snapshot.businesses) > 5 else ""
        raise ChangesError(
            f"{path}: no business '{business}' in run {snapshot.run.id} (businesses: {known}{more})"
        )
    return snapshot


def _parsed(since: str) -> int | datetime:
    try:
        return parse_since(since)
    except ValueError as exc:
        raise ChangesError(str(exc)) from None


def _started(run: Run) -> datetime:
    when = datetime.fromisoformat(run.started_at)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _known(snapshot: Snapshot) -> str:
    ids = [r.id for r in snapshot.runs]
    return f"finished runs {ids[0]}-{ids[-1]}" if ids else "no finished runs"


def _last(snapshot: Snapshot, business_id: str, up_to: int) -> int | None:
    ids = [r for r in business_runs(snapshot, business_id) if r <= up_to]
    return ids[-1] if ids else None


def _changes(snapshot: Snapshot, business: str | None, earlier_of) -> Changes:
    catalog = load_catalog()
    out = Changes(snapshot.db_path, snapshot.run.id)
    for business_id in [business] if business else list(snapshot.businesses):
        old = earlier_of(business_id)
        if old is None or not snapshot.of(old, business_id):
            out.first_check.append(business_id)
            continue
        out.businesses.append(compare_business(snapshot, business_id, old, catalog))
    return out


# --- comparing one business ----------------------------------------------------------------


def compare_business(
    snapshot: Snapshot, business_id: str, old_run: int, catalog: dict[str, Source]
) -> BusinessChanges:
    """The changes of one business from `old_run` to the snapshot's run."""
    business = snapshot.businesses[business_id]
    new_run = snapshot.run.id
    out = BusinessChanges(business_id, business.raw.get("name") or business_id, old_run, new_run)
    old, new = snapshot.of(old_run, business_id), snapshot.of(new_run, business_id)
    earlier = [(r.id, snapshot.of(r.id, business_id)) for r in snapshot.runs if r.id < old_run]
    pairs = _pairs(old, new)
    for listing in new:
        if listing.checked:
            _fields(out, listing, pairs.get((listing.source, listing.key)), earlier, catalog)
    _sources(out, old, new, catalog)
    return out


def _pairs(
    old: list[StoredListing], new: list[StoredListing]
) -> dict[tuple[str, str], StoredListing]:
    """Each new listing's earlier self: the same key on the same source or, when a source
    shows one checked listing in both runs, that one (its key may have changed)."""
    by_key = {(x.source, x.key): x for x in old if x.checked}
    pairs = {(x.source, x.key): by_key[x.source, x.key] for x in new if (x.source, x.key) in by_key}
    for source in {x.source for x in new}:
        before = [x for x in old if x.source == source and x.checked]
        now = [x for x in new if x.source == source and x.checked]
        if len(before) == 1 and len(now) == 1:
            pairs.setdefault((source, now[0].key), before[0])
    return pairs


def _fields(
    out: BusinessChanges, listing: StoredListing, before: StoredListing | None, earlier, catalog
):
    """A regression needs `before`: only a listing checked in the earlier run can regress."""
    name = source_name(listing.source, catalog)
    for f in listing.findings.values():
        was = before.findings.get(f.field) if before else None
        kind = _kind(was.status if was else None, f.status)
        if kind is None and was and _changed_wrong(was.status, f.status, before, listing, f.field):
            kind = "still_wrong"
        if kind is None:
            continue
        change = FieldChange(
            kind, listing.source, name, listing.key, listing.url or None, f.field,
            field_label(f.field), was.status if was else None, f.status,
            shown(f.field, f.canonical), shown(f.field, f.found),
            shown(f.field, was.found) if was else "", f.severity,
        )  # fmt: skip
        if kind == "regression":
            _history(change, [before.key, listing.key], earlier, out.old_run)
        change.text = field_text(change, out.old_run)
        {"regression": out.regressions, "new_problem": out.new_problems,
         "fixed": out.fixed, "still_wrong": out.still_wrong}[kind].append(change)  # fmt: skip


def _changed_wrong(before: str, now: str, old: StoredListing, new: StoredListing, name: str):
    """Wrong before and wrong now, but not the same wrong value (compared normalized)."""
    if before != "mismatch" or now != "mismatch":
        return False
    return value_key(old, name) != value_key(new, name)


def _kind(before: str | None, now: str) -> str | None:
    if now in WRONG:
        return "regression" if before in RIGHT else None if before in WRONG else "new_problem"
    if now in RIGHT and before in WRONG:
        return "fixed"
    return None


def _history(
    change: FieldChange,
    keys: list[str],
    earlier: list[tuple[int, list[StoredListing]]],
    old_run: int,
) -> None:
    """Was this field wrong in a run before the earlier one, and fixed after? Broke again."""
    seen = []  # (run, status, found) of the field on this listing, oldest first
    for run_id, listings in earlier:
        for x in listings:
            if x.source == change.source and x.key in keys and change.field in x.findings:
                f = x.findings[change.field]
                seen.append((run_id, f.status, f.found))
    wrong = [i for i, (_, status, _) in enumerate(seen) if status in WRONG]
    if not wrong:
        return
    last = wrong[-1]
    change.broke_again = True
    change.wrong_in = seen[last][0]
    shown_then = shown(change.field, seen[last][2])
    change.same_wrong_value = shown_then == change.found and change.now == "mismatch"
    fixes = [run for run, status, _ in seen[last + 1 :] if status in RIGHT]
    change.fixed_in = fixes[0] if fixes else old_run  # else right first in the earlier run


def _sources(
    out: BusinessChanges, old: list[StoredListing], new: list[StoredListing], catalog
) -> None:
    for source in sorted({x.source for x in old} | {x.source for x in new}):
        before = [x for x in old if x.source == source]
        now = [x for x in new if x.source == source]
        name = source_name(source, catalog)
        checked_before = {x.key for x in before if x.checked}
        checked_now = [x for x in now if x.checked]
        if len({x.key for x in checked_now}) > 1 and len(checked_before) <= 1:
            out.new_duplicates.append(SourceChange(
                "new_duplicate", source, name, [x.key for x in checked_now],
                [x.url for x in checked_now if x.url],
            ))  # fmt: skip
        if not now:
            continue  # not searched this time: nothing is known
        ok_before = [x for x in before if x.outcome == "ok"]
        ok_now = [x for x in now if x.outcome == "ok"]
        missing = [x for x in now if x.outcome == "not_found"]
        if ok_before and not ok_now and missing:
            out.gone.append(SourceChange(
                "gone", source, name, [x.key for x in ok_before],
                [x.url for x in ok_before if x.url], "not_found", missing[0].outcome_reason,
            ))  # fmt: skip
        gone_before = [x for x in before if x.outcome == "not_found"]
        if gone_before and not ok_before and ok_now:
            out.back.append(SourceChange(
                "back", source, name, [x.key for x in ok_now], [x.url for x in ok_now if x.url],
                "ok", gone_before[0].outcome_reason,
            ))  # fmt: skip
        refused = [x for x in now if x.outcome in UNREACHABLE]
        if ok_before and not ok_now and not missing and refused:
            out.unreachable.append(SourceChange(
                "unreachable", source, name, [x.key for x in refused],
                [x.url for x in refused if x.url], refused[0].outcome, refused[0].outcome_reason,
            ))  # fmt: skip
        if before and all(x.outcome in UNREACHABLE for x in before) and ok_now:
            out.reachable_again.append(SourceChange(
                "reachable_again", source, name, [x.key for x in ok_now],
                [x.url for x in ok_now if x.url], "ok",
            ))  # fmt: skip
    for change in (
        *out.new_duplicates,
        *out.gone,
        *out.back,
        *out.unreachable,
        *out.reachable_again,
    ):
        change.text = source_text(change, out.old_run)
