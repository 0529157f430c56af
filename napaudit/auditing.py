"""`napaudit audit`: read the clients and listing URLs, crawl, judge, store, summarize.

The crawl keeps its Scrapy JOBDIR beside the database, named after the inputs, so that an
interrupted audit resumes (`--resume`) into the same run with nothing lost or doubled.
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from auditor.normalize.record import normalize_record
from auditor.records import InputError, RowProblem, read_records
from auditor.store import Store
from spiders.bases import ListingSpider, Target
from spiders.crawl import CrawlOptions, crawl_settings, run_crawl
from spiders.pipelines import AuditRun


class AuditInputError(Exception):
    """Input the user can fix (exit 2)."""


@dataclass
class AuditOutcome:
    run_id: int
    finished: bool  # False when interrupted: resume with --resume
    problems: list[RowProblem]
    summary: list[dict]  # one row per business
    stats: dict


def read_inputs(clients: str, listings: str):
    try:
        businesses, problems = read_records(clients, "canonical")
        targets, more = read_records(listings, "targets")
    except InputError as exc:
        raise AuditInputError(str(exc)) from None
    if not businesses:
        raise AuditInputError(f"{clients}: no usable business records")
    known = {b.id for b in businesses}
    for t in targets:
        if t.business_id not in known:
            message = f"business_id '{t.business_id}' is not in {clients}"
            more.append(RowProblem(listings, t.line, "business_id", message))
    targets = [t for t in targets if t.business_id in known]
    return businesses, targets, problems + more


def job_dir(db_path: str, clients: str, listings: str) -> Path:
    key = hashlib.sha1(f"{Path(clients).resolve()}|{Path(listings).resolve()}".encode())
    return Path(f"{db_path}.jobs") / f"audit-{key.hexdigest()[:12]}"


def run_audit(
    clients: str,
    listings: str,
    db_path: str,
    options: CrawlOptions,
    resume: bool = False,
    extra_settings: dict | None = None,
) -> AuditOutcome:
    businesses, targets, problems = read_inputs(clients, listings)
    jobs = job_dir(db_path, clients, listings)
    store = Store(db_path)
    run_id = _resumed_run(jobs) if resume else None
    if run_id is None:
        shutil.rmtree(jobs, ignore_errors=True)  # a new run starts from nothing
        jobs.mkdir(parents=True, exist_ok=True)
        args = {"clients": clients, "listings": listings}
        run_id = store.start_run("audit", args)
        (jobs / "run.json").write_text(json.dumps({"run_id": run_id}))
    canon = {b.id: normalize_record(b) for b in businesses}
    versions = store.save_businesses(run_id, canon.values())
    run = AuditRun(store, run_id, canon, versions)
    settings = crawl_settings(
        options if options.job_dir else _with_job_dir(options, jobs), extra_settings
    )
    done = store.listings_done(run_id) if resume else set()
    spider_targets = [
        Target(t.business_id, t.source, t.url)
        for t in targets
        if (t.business_id, t.source, t.url) not in done
    ]
    # What lives to the end (the clients, the catalog, the modules) is left out of every
    # garbage collection from here on: a crawl makes millions of short-lived objects.
    gc.freeze()
    stats = run_crawl(ListingSpider, settings, targets=spider_targets, audit_run=run)
    finished = stats.get("finish_reason") == "finished"
    summary = store.summary(run_id)
    counts = {"businesses": len(canon), "listings": len(targets), "skipped": len(problems)}
    store.finish_run(run_id, counts, status="done" if finished else "interrupted")
    if finished:
        shutil.rmtree(jobs, ignore_errors=True)
    return AuditOutcome(run_id, finished, problems, summary, stats)


def _resumed_run(jobs: Path) -> int | None:
    try:
        return int(json.loads((jobs / "run.json").read_text())["run_id"])
    except (OSError, ValueError, KeyError):
        return None


def _with_job_dir(options: CrawlOptions, jobs: Path) -> CrawlOptions:
    return CrawlOptions(**{**options.__dict__, "job_dir": jobs / "scrapy"})


def summary_table(rows: list[dict]) -> str:
    head = f"{'business':<24} {'checked':>7} {'not checked':>11} {'mismatch':>8} {'missing':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['business_id'][:24]:<24} {r['checked']:>7} {r['not_checked']:>11} "
            f"{r['mismatch']:>8} {r['missing']:>7}"
        )
    return "\n".join(lines)
