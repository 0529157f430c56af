"""Compare listings with canonical records: identify each listing, then judge every field.

Large inputs use every core: the listings are split into chunks that forked worker processes
normalize, identify and judge, while this process writes what they return. Workers inherit the
canonical records and the identification index from the fork, so only the listing's normalized
values, its match and its verdicts travel back.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from napaudit.auditor.fields import EXTRACTED
from napaudit.auditor.identify import Identifier, Match, score_pair
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record, Result, Verdict
from napaudit.auditor.normalize.place import zip_info
from napaudit.auditor.normalize.record import Normalized, normalize_record
from napaudit.auditor.records import RowProblem

CHUNK = 2000  # listings a worker judges per task
PARALLEL_FROM = 5000  # below this, forking costs more than it saves

# What forked workers read: set in the parent just before the pool forks, never written after.
_SHARED: dict = {}

Judged = tuple[str, Match | None, str | None, list[Verdict]]
T = TypeVar("T")


def compare_records(
    businesses: list[Record], listings: list[Record], listings_path: str = "",
    workers: int | None = None, encode: Callable[[Result], T] | None = None,
) -> tuple[list[Normalized], Iterator[Result] | Iterator[T], list[RowProblem]]:  # fmt: skip
    """Normalize the businesses, then yield one Result per usable listing, in input order (or,
    given `encode`, what it makes of each Result, made where the listing was judged).

    A listing naming a business_id that is not among the businesses is a bad row: it is
    returned as a problem, not judged. `workers` is the number of processes that judge beside
    this one (0: judge here); by default as many as the cores free now (`free_cores`), when
    there are two or more and PARALLEL_FROM listings or more.
    """
    canon = [normalize_record(b) for b in businesses]
    by_id = {n.record.id: n for n in canon}
    problems = [
        RowProblem(listings_path, rec.line, "business_id",
                   f"business_id '{rec.business_id}' is not in the canonical records")
        for rec in listings
        if rec.business_id is not None and rec.business_id not in by_id
    ]  # fmt: skip
    usable = [rec for rec in listings if rec.business_id is None or rec.business_id in by_id]
    if workers is None:
        free = free_cores() if len(usable) >= PARALLEL_FROM else 0
        workers = free if free > 1 else 0
    return canon, _results(canon, by_id, usable, workers, encode), problems


def free_cores(interval: float = 0.2) -> int:
    """How many of the cores this process may use are idle now (read from /proc/stat over
    `interval` seconds; where there is none, from the load average). Forked workers on cores
    that other jobs keep busy cost more than they save (measured 2026-11-24: 2.5x slower than
    judging here)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    try:
        before = _cpu_times()
        time.sleep(interval)
        after = _cpu_times()
        busy = [a - b for a, b in zip(after, before, strict=True)]
        idle = (busy[3] + busy[4]) / (sum(busy) or 1)  # idle and iowait
        total = os.cpu_count() or cores
        free = idle * total
    except (OSError, ValueError, IndexError):
        free = (os.cpu_count() or cores) - os.getloadavg()[0]
    return max(0, min(cores, int(free + 0.5)))


def _cpu_times() -> list[int]:
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:]]


def _results(canon, by_id, listings: list[Record], workers: int, encode) -> Iterator:
    needs_index = any(rec.business_id is None for rec in listings)
    shared = {
        "by_id": by_id,
        "identifier": Identifier(canon) if needs_index else None,
        "listings": listings,
        "encode": encode,
    }
    bounds = [(i, min(i + CHUNK, len(listings))) for i in range(0, len(listings), CHUNK)]
    # The inputs live until the run ends; left in the collector's generations, every collection
    # re-walks them (measured 2026-11-24: unpickling verdicts 5x slower). Freeze them once.
    gc.freeze()
    if workers > 0 and "fork" in multiprocessing.get_all_start_methods():
        zip_info("00000")  # the ZIP table, read once here and shared, not once per worker
        gc.freeze()
        _SHARED.update(shared)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for (start, _), judged in zip(bounds, pool.imap(_judge_chunk, bounds), strict=True):
                    if encode is None:
                        yield from _assemble(listings, by_id, start, judged)
                    else:
                        yield from judged
        finally:
            _SHARED.clear()
    else:
        for start, end in bounds:
            judged = _judge(shared, start, end)
            yield from judged if encode is None else map(encode, judged)


def _judge_chunk(bounds: tuple[int, int]) -> list:
    """In a worker: what is sent back, encoded once (`encode`), or else only picklable values."""
    encode = _SHARED["encode"]
    if encode is not None:
        return [encode(r) for r in _judge(_SHARED, *bounds)]
    return [(r.normalized, r.match, r.business.record.id if r.business else None, r.verdicts)
            for r in _judge(_SHARED, *bounds)]  # fmt: skip


def _judge(shared: dict, start: int, end: int) -> Iterator[Result]:
    """Normalize, identify and judge listings[start:end]."""
    by_id, identifier = shared["by_id"], shared["identifier"]
    for rec in shared["listings"][start:end]:
        found = normalize_record(rec)
        match = None
        if rec.business_id is not None:
            business_id = rec.business_id
        else:
            match = identifier.identify(found)
            business_id = match.business_id
        business = by_id[business_id] if business_id else None
        verdicts = judge(business, found) if business else []
        normalized = json.dumps(found.as_dict(), ensure_ascii=False)
        yield Result(rec, normalized, match, business, verdicts)


def _assemble(listings, by_id, start: int, judged: list[Judged]) -> Iterator[Result]:
    for offset, (normalized, match, business_id, verdicts) in enumerate(judged):
        business = by_id[business_id] if business_id else None
        yield Result(listings[start + offset], normalized, match, business, verdicts)


def rank_candidates(business: Normalized, found: list[dict]) -> list[tuple[float, list[str], dict]]:
    """The businesses a page shows, each scored against `business`, best first."""
    scored = []
    for values in found:
        record = Record(id="", business_id=business.record.id,
                        **{f: values.get(f) or "" for f in EXTRACTED})  # fmt: skip
        record.country = record.country or business.record.country
        score, evidence = score_pair(business, normalize_record(record))
        scored.append((score, evidence, values))
    return sorted(scored, key=lambda s: -s[0])


def page_listing(
    business: Normalized, found: list[dict], source: str, url: str, fetched_at: str = "",
    key: str = "",
) -> Result:  # fmt: skip
    """What a fetched page shows of the canonical `business`, ready to store and not yet
    judged (auditor.judging judges it after the crawl, and again whenever asked).

    A page may show several businesses (a sidebar of others, a chain's locations): the one
    kept is the one that scores best against `business`, and its score is kept as evidence.
    """
    score, evidence, values = rank_candidates(business, found)[0]
    record = Record(id=key or url, source=source, url=url, business_id=business.record.id,
                    **{f: values.get(f) or "" for f in EXTRACTED})  # fmt: skip
    record.country = record.country or business.record.country
    listing = normalize_record(record)
    match = Match(business.record.id, round(score, 3), business.record.id, evidence)
    normalized = json.dumps(listing.as_dict(), ensure_ascii=False)
    return Result(listing.record, normalized, match, business, [], fetched_at=fetched_at,
                  judged=False)  # fmt: skip


def not_checked(
    business: Normalized, source: str, url: str, outcome: str, reason: str, fetched_at: str = "",
    key: str = "",
) -> Result:  # fmt: skip
    """A listing whose page could not be checked: no verdicts, only why."""
    record = Record(id=key or url, source=source, url=url, business_id=business.record.id)
    return Result(record, "", None, business, [], outcome, reason, fetched_at)
