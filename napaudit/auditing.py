"""`napaudit audit` and `napaudit batch`: read the clients (and listing URLs, when known),
crawl, judge, store, summarize.

With listing URLs, each page is fetched and judged. Without, every enabled source searches for
every client (discovery). The crawl keeps its Scrapy JOBDIR beside the database, named after the
inputs, so that an interrupted audit resumes (`--resume`) into the same run, skipping what that
run has stored: nothing lost, nothing doubled.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from napaudit.auditor.audit import not_checked
from napaudit.auditor.catalog import load_catalog
from napaudit.auditor.config import ConfigError, api_key, load_config
from napaudit.auditor.cores import usable_cores
from napaudit.auditor.history import History
from napaudit.auditor.judging import OnDemand, judge_run
from napaudit.auditor.normalize.record import Normalized, normalize_record
from napaudit.auditor.records import InputError, RowProblem, read_records
from napaudit.auditor.store import Store, content_version
from napaudit.progress import Progress
from napaudit.runs import score_run
from napaudit.spiders.bases import ListingSpider, Target
from napaudit.spiders.crawl import Crawl, CrawlOptions, crawl_settings, run_crawls
from napaudit.spiders.pagework import PageWorker
from napaudit.spiders.pipelines import AuditRun
from napaudit.spiders.sources import spider_classes


class AuditInputError(Exception):
    """Input the user can fix (exit 2)."""


class AuditStoreError(Exception):
    """The run's results could not all be stored (a full disk, a database deleted or replaced
    under the run): exit 4. The run is kept and `--resume` fetches what is missing."""


@dataclass
class AuditOutcome:
    run_id: int
    finished: bool  # False when interrupted: resume with --resume
    problems: list[RowProblem]
    summary: list[dict]  # one row per business
    stats: dict
    skipped: dict[str, str] = field(default_factory=dict)  # source -> why it was not searched
    outcomes: dict[str, int] = field(default_factory=dict)  # listings of the run, by outcome
    exit_code: int = 0  # set by the command (napaudit.options)


def read_inputs(clients: str, listings: str | None):
    """The clients and listing pages to audit. A listing's source must be a catalog id: an
    unknown one (a typo, a site's name) is an error naming the file, line and value, and the
    closest id, before anything is fetched or stored."""
    try:
        businesses, problems = read_records(clients, "canonical")
        targets, more = read_records(listings, "targets") if listings else ([], [])
    except InputError as exc:
        raise AuditInputError(str(exc)) from None
    if not businesses:
        raise AuditInputError(f"{clients}: no usable business records")
    catalog = load_catalog()
    for t in targets:
        if t.source not in catalog:
            raise AuditInputError(str(InputError(listings, _unknown_source(t.source, catalog),
                                                 t.line, "source")))  # fmt: skip
    known = {b.id for b in businesses}
    for t in targets:
        if t.business_id not in known:
            message = f"business_id '{t.business_id}' is not in {clients}"
            more.append(RowProblem(listings, t.line, "business_id", message))
    targets = [t for t in targets if t.business_id in known]
    return businesses, targets, problems + more


def _unknown_source(value: str, catalog) -> str:
    """'unknown source 'yelow pages' (closest catalog id: 'yellowpages'; see napaudit sources)'."""
    from rapidfuzz import fuzz, process, utils

    names = {sid: sid for sid in catalog} | {s.name: sid for sid, s in catalog.items()}
    best = process.extractOne(value, list(names), scorer=fuzz.WRatio,
                              processor=utils.default_process, score_cutoff=60)  # fmt: skip
    hint = f"closest catalog id: '{names[best[0]]}'; " if best else ""
    return f"unknown source '{value}' ({hint}see napaudit sources)"


def job_dir(db_path: str, clients: str, listings: str | None, sources: list[str] | None) -> Path:
    inputs = [str(Path(clients).resolve()), str(Path(listings).resolve()) if listings else ""]
    key = hashlib.sha1("|".join([*inputs, ",".join(sources or [])]).encode())
    return Path(f"{db_path}.jobs") / f"audit-{key.hexdigest()[:12]}"


def select_sources(names: list[str] | None) -> list[str]:
    """The sources to search: those named, or every one napaudit has a spider for."""
    catalog, spiders = load_catalog(), spider_classes()
    if not names:
        return [sid for sid in catalog if sid in spiders and catalog[sid].checkable]
    unknown = [n for n in names if n not in catalog]
    if unknown:
        raise AuditInputError(f"--sources: unknown source '{unknown[0]}' (see napaudit sources)")
    return names


def run_audit(
    clients: str,
    listings: str | None,
    db_path: str,
    options: CrawlOptions,
    resume: bool = False,
    extra_settings: dict | None = None,
    sources: list[str] | None = None,
    command: str = "audit",
    progress: bool = False,
) -> AuditOutcome:
    businesses, targets, problems = read_inputs(clients, listings)
    chosen = None if listings else select_sources(sources)
    try:  # read once; a broken [keys] table stops the audit before anything starts
        config, catalog = load_config(), load_catalog()
        keys = {sid: api_key(sid, catalog[sid].key_env, config) for sid in chosen or []}
    except ConfigError as exc:
        raise AuditInputError(str(exc)) from None
    jobs = job_dir(db_path, clients, listings, chosen)
    store = Store(db_path)
    identity = _identity(db_path)
    run_id = _resumed_run(jobs) if resume else None
    if run_id is None:
        shutil.rmtree(jobs, ignore_errors=True)  # a new run starts from nothing
        jobs.mkdir(parents=True, exist_ok=True)
        args = {"clients": clients, "listings": listings, "sources": chosen}
        run_id = store.start_run(command, args, label=f"{command} {Path(clients).name}")
        write_atomically(jobs / "run.json", json.dumps({"run_id": run_id}))
    elif (jobs / REFETCH).exists() or _ended_abnormally(store, run_id):
        _forget_queues(jobs)  # what the last attempt lost is searched again
    done = History(store.db).listings_done(run_id) if resume else set()
    guarded = {"NAPAUDIT_DISK_PATH": str(Path(db_path).resolve().parent), **(extra_settings or {})}
    settings = crawl_settings(options, guarded)
    todo = [Target(t.business_id, t.source, t.url) for t in targets
            if (t.business_id, t.source, t.url) not in done]  # fmt: skip
    beside = bool(listings) and _page_worker_wanted(len(todo), settings)
    if beside:  # the page worker normalizes the clients as their pages come, and sends them
        canon = OnDemand({b.id: b for b in businesses})
        versions = {b.id: content_version(b) for b in businesses}
        run = AuditRun(store, run_id, canon, versions, businesses_stored=False)
    else:
        canon = {b.id: normalize_record(b) for b in businesses}
        run = AuditRun(store, run_id, canon, store.save_businesses(run_id, canon.values()))
    skipped: dict[str, str] = {}
    if listings:
        # The pages given: no JOBDIR queue, since every page is one request and the store says
        # which were fetched (a resumed run fetches the others; a disk queue cost ~1 ms a page,
        # measured 2026-12-02).
        crawls = [Crawl(ListingSpider, {"targets": todo, "audit_run": run,
                                        "pages_elsewhere": beside})]  # fmt: skip
    else:
        crawls = _discovery_crawls(chosen, keys, canon, done, run, options, jobs, skipped)
    # What lives to the end (the clients, the catalog, the modules) is left out of every
    # garbage collection from here on: a crawl makes millions of short-lived objects.
    gc.freeze()
    shown = _progress(crawls, listings is not None) if progress else None
    run.pages = PageWorker(canon, run.versions) if beside else None
    run.on_judged = shown.item if shown else None  # a page the worker judged, said
    try:
        stats = run_crawls(
            settings, crawls,
            on_item=shown.item if shown else None, on_tick=shown.tick if shown else None,
        )  # fmt: skip
    finally:
        if run.pages is not None:
            run.pages.close()
    if shown:
        shown.close()
    reason = stats.get("finish_reason")
    lost = _lost(stats, crawls, store, run_id, db_path, identity)
    finished = reason == "finished" and not lost
    counts = {"businesses": len(businesses), "listings": len(targets), "skipped": len(problems)}
    status = "done" if finished else "failed" if reason == "failed" else "interrupted"
    if finished:  # pages were judged as they were stored; the auditor judges what was not
        judge_run(store, run_id, canon)
        counts.update(History(store.db).status_counts(run_id))
        score_run(store, run_id)
    try:
        if lost:
            write_atomically(jobs / REFETCH, lost)
        store.finish_run(run_id, counts, status=status)
    except (OSError, sqlite3.Error) as exc:
        lost = lost or f"{db_path} could not be written ({exc})"
    if reason == "failed":
        raise RuntimeError(f"the crawl failed to start; run {run_id} is marked failed")
    if lost:
        raise AuditStoreError(f"{lost}; run {run_id} is kept: fix that, then continue it "
                              "with --resume")  # fmt: skip
    if finished:
        shutil.rmtree(jobs, ignore_errors=True)
    history = History(store.db)
    return AuditOutcome(run_id, finished, problems, history.summary(run_id), stats, skipped,
                        history.outcome_counts(run_id))  # fmt: skip


def _progress(crawls: list[Crawl], by_url: bool) -> Progress:
    """What each business waits for: its pages (with --listings) or one answer per source."""
    expected: dict[str, set[str]] = {}
    for crawl in crawls:
        if by_url:
            for t in crawl.kwargs["targets"]:
                expected.setdefault(t.business_id, set()).add(t.url)
        else:
            for business_id in crawl.kwargs["businesses"]:
                expected.setdefault(business_id, set()).add(crawl.spider.name)
    return Progress(expected, by_source=not by_url)


def _page_worker_wanted(pages: int, settings) -> bool:
    """Whether the pages' work goes to a process beside the crawl (spiders.pagework): from
    NAPAUDIT_PAGE_WORKER_FROM pages to fetch, when there is a second core to run it on."""
    least = settings.getint("NAPAUDIT_PAGE_WORKER_FROM")
    return bool(least) and pages >= least and usable_cores() >= 2


def _job(folder: Path) -> dict:
    return {"JOBDIR": str(folder)}


def _discovery_crawls(sources, keys, canon, done, run, options, jobs, skipped) -> list[Crawl]:
    """One spider per source, all in one process: per-site politeness is shared by clients."""
    catalog, spiders = load_catalog(), spider_classes()
    searched = {(b, s) for b, s, _ in done}
    crawls = []
    for sid in sources:
        source = catalog[sid]
        why = _why_not(source, sid in spiders, keys[sid])
        if why:
            skipped[sid] = why
            _store_skipped(run, canon, sid, why)
            continue
        todo = {bid: n for bid, n in canon.items() if (bid, sid) not in searched}
        kwargs = {"businesses": todo, "audit_run": run}
        if options.delay != 0:  # a source's own pace (usage policies), never faster than asked
            kwargs["download_delay"] = max(options.delay or 0, 1 / source.rate)
        if keys[sid]:
            kwargs["api_key"] = keys[sid]
        crawls.append(Crawl(spiders[sid], kwargs, _job(jobs / sid)))
    return crawls


def _why_not(source, has_spider: bool, key: str) -> str:
    if not source.checkable:
        return f"cannot be checked automatically: {source.why_not}"
    if not has_spider:
        return "napaudit has no spider for this source yet"
    if source.key_env and not source.search_url and not key:
        return f"no API key (set {source.key_env}, or [keys] {source.id} in napaudit.toml)"
    return ""


def _store_skipped(run: AuditRun, canon: dict[str, Normalized], sid: str, why: str) -> None:
    """A source the run could not search is 'not checked' for every client, with the reason."""
    rows = [
        not_checked(b, sid, "", "skipped", why, key=f"search:{bid}") for bid, b in canon.items()
    ]
    run.store.save_results(run.run_id, rows, run.versions)


REFETCH = "refetch"  # in a JOBDIR: the last attempt lost results, so search again from the store


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a full disk never leaves a truncated state file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _identity(db_path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(db_path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _lost(stats: dict, crawls: list[Crawl], store: Store, run_id: int, db_path: str,
          identity) -> str:  # fmt: skip
    """Why some of the run's results are not in the database, or "" when all are."""
    if _identity(db_path) != identity:
        return f"{db_path} was deleted or replaced while the run went on"
    failed = stats.get("napaudit/store_failed")
    if failed:
        return f"{db_path} could not be written ({failed})"
    if stats.get("finish_reason") != "finished":
        return ""  # interrupted: --resume continues from JOBDIR
    stored = {(b, s) for b, s, _ in History(store.db).listings_done(run_id)}
    stored_urls = History(store.db).listings_done(run_id)
    missing = 0
    for crawl in crawls:
        if "targets" in crawl.kwargs:
            missing += sum(1 for t in crawl.kwargs["targets"]
                           if (t.business_id, t.source, t.url) not in stored_urls)  # fmt: skip
        else:
            name = crawl.spider.name
            missing += sum(1 for b in crawl.kwargs["businesses"] if (b, name) not in stored)
    return f"{missing} results of the crawl were not stored" if missing else ""


def _ended_abnormally(store: Store, run_id: int) -> bool:
    """The last attempt could not even record how it ended (a full disk): its JOBDIR queue may
    be truncated too."""
    runs = {r.id: r for r in History(store.db).runs()}
    return run_id in runs and runs[run_id].status == "running"


def _forget_queues(jobs: Path) -> None:
    """Drop each spider's JOBDIR (its queue and state), keeping the run: every business whose
    results are not in the store is searched again."""
    for folder in jobs.iterdir():
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
    (jobs / REFETCH).unlink(missing_ok=True)


def _resumed_run(jobs: Path) -> int | None:
    try:
        return int(json.loads((jobs / "run.json").read_text())["run_id"])
    except (OSError, ValueError, KeyError):
        return None


def summary_table(rows: list[dict]) -> str:
    head = f"{'business':<24} {'checked':>7} {'not checked':>11} {'mismatch':>8} {'missing':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['business_id'][:24]:<24} {r['checked']:>7} {r['not_checked']:>11} "
            f"{r['mismatch']:>8} {r['missing']:>7}"
        )
    return "\n".join(lines)
