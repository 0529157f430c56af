"""Compare listings with canonical records: identify each listing, then judge every field.

Large inputs use the cores that are free: forked worker processes normalize, identify and judge
the listings, while this process writes what they send back, in input order. They start before
compare_records returns, so that they begin while the caller stores the businesses. Workers
inherit the canonical records, the identification index and the ZIP table from the fork; the
listings of one business go to one worker (`route`), so that the strings they share are parsed
once. Listings read by a helper (`records.read_aside`) can come routed from it (`routed`): each
worker then reads back its own share, and this process none of them.
What travels back is each result already encoded by the caller's `encode` (compare: its output
text and store rows), or else only its normalized values, its match and its verdicts.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from queue import Empty
from typing import TypeVar

from napaudit.auditor.collector import collector_off
from napaudit.auditor.cores import usable_cores
from napaudit.auditor.fields import EXTRACTED
from napaudit.auditor.identify import Identifier, Match, score_pair
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record, Result, Verdict
from napaudit.auditor.normalize.place import zip_info
from napaudit.auditor.normalize.record import Normalized, normalize_record, normalize_records
from napaudit.auditor.normalize.text import squash, unicode_only
from napaudit.auditor.records import RowProblem, record_values

CHUNK = 500  # listings a worker sends back at a time
STAGE = 500  # listings taken through each step of judging together (_judge)
PARALLEL_FROM = 5000  # below this, forking costs more than it saves

_NOT_DIGITS = bytes(c for c in range(128) if not chr(c).isdigit())  # bytes.translate deletes them

# What forked workers read: set in the parent just before the pool forks, never written after.
_SHARED: dict = {}

Judged = tuple[str, Match | None, str | None, list[Verdict]]
T = TypeVar("T")


@dataclass
class Routed:
    """Listings as the helper that read them left them (`routed`): the usable ones routed among
    `workers` there, each worker's share pickled apart. A forked worker reads back its own
    share; this process reads none, unless it judges them otherwise (`records`)."""

    problems: list[RowProblem]  # the rows skipped as the file was read
    unknown: list[RowProblem]  # the rows naming a business that is not among the businesses
    chosen: Sequence[int]  # route(usable listings, ..., workers)
    parts: list[bytes]  # each worker's listings' field values (record_values), pickled
    needs_index: bool  # some listing names no business: it must be identified

    @property
    def workers(self) -> int:
        return len(self.parts)

    def __len__(self) -> int:
        return len(self.chosen)

    def records(self) -> list[Record]:
        """The usable listings, in input order."""
        shares = [iter(_share(part)) for part in self.parts]
        return [next(shares[w]) for w in self.chosen]


def routed(businesses: list[Record], listings_path: str, workers: int) -> Callable:
    """`records.read_aside`'s `prepare` for compare: in the helper that read the listings, set
    the bad rows apart and route the rest among `workers` (as compare_records would), each
    worker's share pickled on its own. This process then neither reads back nor routes the
    listings (measured 2026-12-05 on bench/compare.py's input: ~0.34 s before the fork, against
    ~0.17 s in each worker for its half)."""
    by_id = {b.id: b for b in businesses}

    def prepare(records: list[Record], problems: list[RowProblem]) -> Routed:
        usable, unknown = _usable(records, by_id, listings_path)
        chosen = route(usable, by_id, workers)
        shares: list[list[Record]] = [[] for _ in range(workers)]
        for rec, w in zip(usable, chosen, strict=True):
            shares[w].append(rec)
        parts = [pickle.dumps(record_values(share), protocol=pickle.HIGHEST_PROTOCOL)
                 for share in shares]  # fmt: skip
        return Routed(problems, unknown, array("H", chosen), parts, _needs_index(usable))

    return prepare


def _share(part: bytes) -> list[Record]:
    return [Record(*values) for values in pickle.loads(part)]


def _usable(listings: Sequence[Record], by_id: Mapping,
            listings_path: str) -> tuple[list[Record], list[RowProblem]]:  # fmt: skip
    """The listings to judge, and a bad row for each that names a business not in `by_id`."""
    usable = [rec for rec in listings if rec.business_id is None or rec.business_id in by_id]
    unknown = [
        RowProblem(listings_path, rec.line, "business_id",
                   f"business_id '{rec.business_id}' is not in the canonical records")
        for rec in listings
        if rec.business_id is not None and rec.business_id not in by_id
    ]  # fmt: skip
    return usable, unknown


def _needs_index(listings: Sequence[Record]) -> bool:
    """Whether some listing names no business, so must be identified."""
    return any(rec.business_id is None for rec in listings)


def compare_records(
    businesses: list[Record], listings: list[Record] | Routed, listings_path: str = "",
    workers: int | None = None, encode: Callable[[Result], T] | None = None,
    canon: list[Normalized] | None = None, since: tuple | None = None,
    identifier: Identifier | None = None,
) -> tuple[list[Normalized], Iterator[Result] | Iterator[T], list[RowProblem]]:  # fmt: skip
    """Normalize the businesses, then yield one Result per usable listing, in input order (or,
    given `encode`, what it makes of each Result, made where the listing was judged).

    A listing naming a business_id that is not among the businesses is a bad row: it is
    returned as a problem, not judged. `workers` is the number of processes that judge beside
    this one (0: judge here); by default as many as the cores free now (`free_cores`), when
    there are two or more and PARALLEL_FROM listings or more. `listings` may come `Routed` from
    the helper that read them: each worker then takes back its own share, when the workers are
    those they were routed for and `encode` is given. `canon`: the businesses already
    normalized (`normalize_businesses`); `since`: a `cpu_snapshot` taken before the caller's
    own work on this compare began; `identifier`: their identification index, made already
    (`warm`).
    """
    # The cores' idleness is read over this process's own work (from `since`: the reading too;
    # else the businesses' normalizing), its own time given back, rather than over a pause.
    watched = since
    if watched is None and workers is None and len(listings) >= PARALLEL_FROM:
        watched = cpu_snapshot()
    if canon is None:
        canon = normalize_businesses(businesses)
    by_id = {n.record.id: n for n in canon}
    usable: list[Record] | Routed
    if isinstance(listings, Routed):
        problems, usable = listings.unknown, listings
    else:
        usable, problems = _usable(listings, by_id, listings_path)
    if workers is None:
        free = free_cores(since=watched) if len(usable) >= PARALLEL_FROM else 0
        workers = free if free > 1 else 0
    if isinstance(usable, Routed) and (workers != usable.workers or encode is None):
        usable = usable.records()  # judged here, by other workers, or returned as Results
    return canon, _results(canon, by_id, usable, workers, encode, identifier), problems


def warm(canon: list[Normalized]) -> Identifier:
    """What needs only the businesses, made ahead: the identification index (returned, for
    compare_records) and the ZIP table. `napaudit compare` makes them while the helper reading
    the listings has not finished, time it would otherwise spend waiting for them."""
    zip_info("00000")
    return Identifier(canon)


def normalize_businesses(businesses: list[Record]) -> list[Normalized]:
    return normalize_records(businesses)


def free_cores(interval: float = 0.2, since: tuple | None = None) -> int:
    """How many of the cores this process may use are idle now, counting the one this process
    works on (read from /proc/stat over `interval` seconds at least, from `since`, a
    `cpu_snapshot`, when given, with this process's own CPU time in that span (its ended
    children's included: the helper that read the listings) counted as idle;
    where there is no /proc/stat, from the load average). Forked workers on cores that other
    jobs keep busy cost more than they save (issue 15: 2.5x slower than judging here)."""
    cores = usable_cores()
    try:
        before = since or cpu_snapshot()
        if before is None:
            raise OSError("no /proc/stat")
        time.sleep(max(0.0, before[2] + interval - time.monotonic()))
        after = cpu_snapshot()
        spent = [a - b for a, b in zip(after[0], before[0], strict=True)]  # user, nice, system...
        idle = (spent[3] + spent[4]) / (sum(spent) or 1)  # idle and iowait
        own = (after[1] - before[1]) / max(after[2] - before[2], 1e-9)  # in cores
        free = idle * (os.cpu_count() or cores) + own
    except (OSError, ValueError, IndexError, TypeError):  # no /proc (macOS)
        try:
            free = (os.cpu_count() or cores) - os.getloadavg()[0]
        except (OSError, AttributeError):  # no load average either
            free = cores
    return max(0, min(cores, int(free + 0.5)))


def cpu_snapshot() -> tuple[list[int], float, float] | None:
    """(the machine's CPU times from /proc/stat, this process's CPU seconds and its ended and
    reaped children's, the monotonic clock), or None where there is no /proc/stat."""
    try:
        with open("/proc/stat") as f:
            machine = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    children = os.times()
    own = time.process_time() + children.children_user + children.children_system
    return machine, own, time.monotonic()


def _results(canon, by_id, listings: list[Record] | Routed, workers: int, encode,
             identifier: Identifier | None = None) -> Iterator:  # fmt: skip
    if identifier is None:
        if isinstance(listings, Routed):
            needs_index = listings.needs_index
        else:
            needs_index = _needs_index(listings)
        identifier = Identifier(canon) if needs_index else None
    shared = {
        "by_id": by_id,
        "identifier": identifier,
        "listings": listings,
        "encode": encode,
    }
    # The inputs live until the run ends; left in the collector's generations, every collection
    # re-walks them (measured 2026-11-24: unpickling verdicts 5x slower). Freeze them once. A
    # listing's objects hold no cycles, so reference counting frees them: the collector stays
    # off until the run ends, in this process and the workers it forks (measured 2026-12-02:
    # 5-10% of a compare's CPU went to collections that freed nothing; peak memory unchanged).
    gc.freeze()
    if workers > 0 and "fork" in multiprocessing.get_all_start_methods():
        results = _forked(shared, workers)
        next(results)  # the workers start now, while the caller stores the businesses
        return results
    return _judged_here(shared, listings, encode)


def _judged_here(shared: dict, listings: list[Record], encode) -> Iterator:
    with collector_off():
        judged = _judge(shared, listings)
        yield from judged if encode is None else map(encode, judged)


def route(listings: Sequence[Record], by_id: Mapping[str, Record], workers: int) -> list[int]:
    """The worker that judges each listing. The listings of one business mostly go to the same
    worker, so that the strings they share (address lines, phones) are parsed by one process
    only, and its caches serve the rest: keyed by the last seven digits of the phone, else the
    street line (the business's own when the listing names it). The keys go to the workers
    most listings first, each to the one with the fewest so far (a hash of the key left them
    5 % apart on bench/compare.py's input, and the last worker ran on alone); a listing with
    no key goes to the one with the fewest then. When one key still leaves a worker with much
    more than its share, listings are dealt out in turn instead."""
    # named: the key of each business a listing names, made once (with the digits deleted as
    # bytes, bench/compare.py's 100,000 keys took 0.07 s instead of 0.135)
    keys, named = [], {}
    for rec in listings:
        business_id = rec.business_id
        if business_id:
            key = named.get(business_id)
            if key is None:
                seen = by_id[business_id]  # the business as read
                key = named[business_id] = _route_key(seen.phone, seen.address)
        else:
            key = _route_key(rec.phone, rec.address)
        keys.append(key)
    counts = Counter(keys)  # in order of first appearance: ties go the same way every run
    keyless = counts.pop("", 0)
    loads = [0] * workers
    worker_of: dict[str, int] = {}
    for key, count in sorted(counts.items(), key=itemgetter(1), reverse=True):  # stable
        w = worker_of[key] = loads.index(min(loads))
        loads[w] += count
    if keyless:
        chosen = []
        for key in keys:
            if not key:
                w = loads.index(min(loads))
                loads[w] += 1
            chosen.append(worker_of[key] if key else w)
    else:
        chosen = list(map(worker_of.__getitem__, keys))
    if max(map(chosen.count, range(workers))) > 1.25 * len(listings) / workers:
        return [i // CHUNK % workers for i in range(len(listings))]
    return chosen


def _route_key(phone: str | None, address: str) -> str:
    """The last seven digits of the phone, else the street line (squashed, casefolded)."""
    phone = phone or ""
    if phone.isascii():  # deleted in C
        digits = phone.encode().translate(None, _NOT_DIGITS)[-7:].decode()
    else:
        digits = "".join(c for c in phone if c.isdigit())[-7:]
    return digits if len(digits) == 7 else squash(address).casefold()


def _forked(shared: dict, workers: int) -> Iterator:
    """Yield None once `workers` forked processes have started, then what they judged, in input
    order. Started (its first None taken), the generator stops the workers when it is closed,
    or dropped unfinished."""
    listings, by_id, encode = shared["listings"], shared["by_id"], shared["encode"]
    if isinstance(listings, Routed):  # routed already, each worker's share apart
        chosen, parts = listings.chosen, listings.parts
    else:
        chosen, parts = route(listings, {k: n.record for k, n in by_id.items()}, workers), None
    zip_info("00000")  # the ZIP table, read once here and shared, not once per worker
    gc.freeze()
    context = multiprocessing.get_context("fork")
    queues = [context.Queue() for _ in range(workers)]  # a worker never waits for this process
    _SHARED.update(shared, chosen=chosen, parts=parts)
    processes = [context.Process(target=_work, args=(w, queues[w]), daemon=True)
                 for w in range(workers)]  # fmt: skip
    try:
        with collector_off():  # here until the last result, and in the workers, forked with it off
            for process in processes:
                process.start()
            yield None
            waiting: list[deque] = [deque() for _ in range(workers)]
            for i, w in enumerate(chosen):
                if not waiting[w]:
                    waiting[w].extend(_receive(queues[w], processes[w]))
                judged = waiting[w].popleft()
                if encode is None:
                    normalized, match, business_id, verdicts = judged
                    business = by_id[business_id] if business_id else None
                    judged = Result(listings[i], normalized, match, business, verdicts)
                yield judged
    finally:
        _SHARED.clear()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _receive(queue, process) -> list:
    """The next chunk a worker judged; its error, raised here; or an error when it died."""
    while True:
        try:
            chunk = queue.get(timeout=1.0)
            break
        except Empty:
            if not process.is_alive() and queue.empty():
                raise RuntimeError(
                    f"a compare worker ended unexpectedly (exit code {process.exitcode})"
                ) from None
    if isinstance(chunk, BaseException):
        raise chunk
    return chunk


def _work(worker: int, queue) -> None:
    """In a forked worker: judge this worker's listings, in input order, and send them back in
    chunks, each result encoded once (`encode`), or else as picklable values only."""
    try:
        if _SHARED["parts"] is not None:
            records = _share(_SHARED["parts"][worker])
        else:
            records = [rec for rec, w in zip(_SHARED["listings"], _SHARED["chosen"], strict=True)
                       if w == worker]  # fmt: skip
        encode = _SHARED["encode"] or _picklable
        for start in range(0, len(records), CHUNK):
            queue.put([encode(r) for r in _judge(_SHARED, records[start : start + CHUNK])])
    except BaseException as exc:  # raised again in the parent
        queue.put(exc if _can_pickle(exc) else RuntimeError(repr(exc)))


def _picklable(r: Result) -> Judged:
    return r.normalized, r.match, r.business.record.id if r.business else None, r.verdicts


def _can_pickle(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _judge(shared: dict, records: Sequence[Record]) -> Iterator[Result]:
    """Normalize, identify and judge each listing, STAGE listings at a time: each step runs over
    the batch before the next begins (normalize_records says why)."""
    by_id, identifier = shared["by_id"], shared["identifier"]
    for start in range(0, len(records), STAGE):
        batch = records[start : start + STAGE]
        found = normalize_records(batch)
        matches = [None if rec.business_id is not None else identifier.identify(listing)
                   for rec, listing in zip(batch, found, strict=True)]  # fmt: skip
        businesses = []
        for rec, match in zip(batch, matches, strict=True):
            business_id = rec.business_id if match is None else match.business_id
            businesses.append(by_id[business_id] if business_id else None)
        verdicts = [judge(business, listing) if business else []
                    for business, listing in zip(businesses, found, strict=True)]  # fmt: skip
        normalized = [listing.json() for listing in found]
        yield from map(Result, batch, normalized, matches, businesses, verdicts)


def rank_candidates(business: Normalized, found: list[dict]) -> list[tuple[float, list[str], dict]]:
    """The businesses a page shows, each scored against `business`, best first."""
    return [(score, evidence, values) for score, evidence, values, _ in _ranked(business, found)]


def _ranked(business: Normalized, found: list[dict]) -> list[tuple]:
    """rank_candidates, each with its candidate normalized: (score, evidence, values, listing)."""
    scored = []
    for values in found:
        values = unicode_only(values)  # a page's text, made storable
        record = Record(id="", business_id=business.record.id,
                        **{f: values.get(f) or "" for f in EXTRACTED})  # fmt: skip
        record.country = record.country or business.record.country
        listing = normalize_record(record)
        score, evidence = score_pair(business, listing)
        scored.append((score, evidence, values, listing))
    return sorted(scored, key=lambda s: -s[0])


def page_listing(
    business: Normalized, found: list[dict], source: str, url: str, fetched_at: str = "",
    key: str = "",
) -> Result:  # fmt: skip
    """What a fetched page shows of the canonical `business`, judged, ready to store.

    A page may show several businesses (a sidebar of others, a chain's locations): the one
    kept is the one that scores best against `business`, and its score is kept as evidence.
    It is judged here, as it is stored, with what ranking normalized: the very judgement
    auditor.judging gives the stored listing (normalized again from its stored values, scored
    again against the business), which `rejudge` repeats whenever asked; the crawl's pages are
    never normalized and scored twice.
    """
    score, evidence, values, listing = _ranked(business, found)[0]
    record = Record(id=key or url, source=source, url=url, business_id=business.record.id,
                    **{f: values.get(f) or "" for f in EXTRACTED})  # fmt: skip
    record.country = record.country or business.record.country
    # normalized once, when ranked: the values are the same, only the record's name differs
    listing = replace(listing, record=record)
    match = Match(business.record.id, round(score, 3), business.record.id, evidence)
    normalized = listing.json()
    return Result(listing.record, normalized, match, business, judge(business, listing),
                  fetched_at=fetched_at)  # fmt: skip


def not_checked(
    business: Normalized, source: str, url: str, outcome: str, reason: str, fetched_at: str = "",
    key: str = "",
) -> Result:  # fmt: skip
    """A listing whose page could not be checked: no verdicts, only why."""
    record = Record(id=key or url, source=source, url=url, business_id=business.record.id)
    return Result(record, "", None, business, [], outcome, reason, fetched_at)
