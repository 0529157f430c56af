"""The napaudit command line: a thin layer of commands over the auditor, spiders and reports."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from napaudit.auditor.audit import (
    compare_records,
    cpu_snapshot,
    normalize_businesses,
    routed,
    warm,
)
from napaudit.auditor.catalog import CatalogError, load_catalog
from napaudit.auditor.collector import collector_off
from napaudit.auditor.config import ConfigError
from napaudit.auditor.cores import usable_cores
from napaudit.auditor.models import Result, verdict_strings
from napaudit.auditor.records import InputError, read_aside, read_records
from napaudit.auditor.store import content_version, result_rows
from napaudit.changes_cli import changes
from napaudit.crawl_cli import audit, batch, demo, extract
from napaudit.history_cli import browse, rejudge
from napaudit.lock import run_lock
from napaudit.options import (
    CONTEXT,
    EnvironmentProblem,
    InputProblem,
    add_common_options,
    db_option,
    output_file,
    say,
    warn_rows,
)
from napaudit.report_cli import report
from napaudit.reports.config import load_weights
from napaudit.reports.export import FORMATS, Writer, encoder
from napaudit.reports.scores import RunScores, listing_score
from napaudit.runs import open_store
from napaudit.schedule_cli import schedule


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="napaudit")
def cli() -> None:
    """Audit how a local business is listed across the web, and say what to fix first."""


@cli.command(context_settings=CONTEXT)
@click.argument("canonical", type=click.Path(dir_okay=False))
@click.argument("listings", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: one object per listing; json: one array; csv: one row per listing "
                   "and field; text: for reading in a terminal.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write the findings here instead of standard output.")  # fmt: skip
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for Excel: UTF-8 with a byte order mark, so accents show right.",
)
@db_option
def compare(canonical: str, listings: str, fmt: str, out: str, excel: bool, db_path: str) -> None:
    """Judge every field of every listing against the business it describes.

    CANONICAL holds your businesses (CSV, JSON or JSON Lines: id, name, address, address2,
    city, state, zip, country, phone, website, hours, categories). LISTINGS holds the same
    columns plus listing_id, and optionally source, url and business_id; a listing without a
    business_id is identified first. Each field is judged match, variant (same value written
    differently), mismatch or missing, with a reason and a severity.

    \b
    Example:
      napaudit compare clients.csv listings.csv --format text
      napaudit compare clients.csv listings.jsonl --format csv --out findings.csv
    """
    with collector_off():  # from the first record read to the last stored (auditor.collector)
        since = cpu_snapshot()  # the cores' idleness is read from here (compare_records)
        businesses, listing_records, problems, canon, index = _read_inputs(canonical, listings)
        with run_lock(db_path):  # one writer at a time: a running batch is never disturbed
            run_compare(businesses, listing_records, problems, listings, fmt, out, db_path,
                        canonical, excel, canon=canon, since=since, identifier=index)  # fmt: skip


def _read_inputs(canonical: str, listings: str):
    """The businesses, the listings, the rows skipped, and the businesses normalized and their
    identification index (`warm`), each or None.
    A large listings file is read by a forked helper (`read_aside`) while this process
    normalizes the businesses (measured 2026-12-04 on bench/compare.py's input: the 0.9 s the
    listings took here became the 0.14 s of taking them back); the helper also routes them
    among compare's workers (`audit.routed`), so that each worker, not this process, takes
    back its own share."""
    try:
        businesses, problems = read_records(canonical, "canonical")
    except InputError as exc:
        raise InputProblem(str(exc)) from None
    aside = read_aside(listings, "listings", routed(businesses, listings, usable_cores()))
    canon = index = None
    try:
        if aside is None:
            listing_records, more = read_records(listings, "listings")
        else:
            canon = normalize_businesses(businesses)
            if not aside.ready():  # what the workers will share, while the helper finishes
                index = warm(canon)
            listing_records = aside.result()
            more = listing_records.problems
    except InputError as exc:
        raise InputProblem(str(exc)) from None
    finally:
        if aside is not None:
            aside.close()
    if not businesses:
        raise InputProblem(f"{canonical}: no usable business records")
    return businesses, listing_records, problems + more, canon, index


def run_compare(businesses, listing_records, problems, listings, fmt, out, db_path, canonical,
                excel=False, workers=None, canon=None, since=None, identifier=None):  # fmt: skip
    """`canon`: the businesses already normalized; `since`: a `cpu_snapshot` taken before
    reading them; `identifier`: their identification index (each None when not), as
    compare_records takes them."""
    canon, encoded, more = compare_records(businesses, listing_records, listings, workers,
                                           encode=_encoder(fmt), canon=canon, since=since,
                                           identifier=identifier)  # fmt: skip
    warn_rows(problems + more)
    store = open_store(db_path)
    run_id = store.start_run("compare", {"canonical": canonical, "listings": listings},
                             label=f"compare {Path(listings).name}")  # fmt: skip
    tally: Counter[str] = Counter()
    board = RunScores(_weights())
    try:
        with output_file(out, bom=excel and fmt == "csv") as stream:
            writer = Writer(stream, fmt)
            writer.begin()
            store.save(run_id, canon, _tally(encoded, writer, tally, board))
            writer.end()
    except BaseException as exc:
        store.finish_run(run_id, dict(tally), status="failed")
        if isinstance(exc, OSError):
            raise EnvironmentProblem(f"{out}: cannot be written ({exc.strerror})") from None
        raise
    store.save_scores(run_id, board.rows())
    counts = {"businesses": len(canon), "listings": writer.count, "skipped": len(problems + more),
              **tally}  # fmt: skip
    store.finish_run(run_id, counts)
    say(_summary(counts, run_id, db_path))


def _encoder(fmt: str):
    """What compare's workers send back for each result, encoded once where it was judged: its
    text in `fmt`, its store rows, and what the tally and the scores count."""
    text = encoder(fmt)
    versions: dict[str, str] = {}  # business id -> version, as Store.save_businesses has them

    def encode(r: Result):
        business_id = r.business.record.id if r.business else None
        version = None
        if business_id is not None:
            version = versions.get(business_id)
            if version is None:
                version = versions[business_id] = content_version(r.business.record)
        statuses = {v.field: v.status for v in r.verdicts}
        counted = (r.linked_by or "unmatched", business_id, r.listing.source, r.outcome, statuses,
                   listing_score(statuses))  # fmt: skip
        strings = verdict_strings(r.verdicts)  # encoded once, for the text and the check
        return text(r, strings), result_rows(r, version, strings), counted

    return encode


def _weights():
    try:
        return load_weights()
    except ConfigError as exc:
        raise InputProblem(str(exc)) from None


def _tally(encoded, writer: Writer, tally: Counter, board: RunScores):
    """Write each result's text, count it, score it; pass its store rows on."""
    for text, rows, (linked, business_id, source, outcome, statuses, scored) in encoded:
        writer.write(text)
        tally[linked] += 1
        tally.update(statuses.values())  # counted in C
        board.add(business_id, source, outcome, statuses, scored)
        yield rows


def _summary(counts: dict, run_id: int, db_path: str) -> str:
    verdicts = ", ".join(
        f"{counts.get(s, 0)} {s}" for s in ("match", "variant", "mismatch", "missing")
    )
    return (
        f"compared {counts['listings']} listings with {counts['businesses']} businesses: "
        f"{counts.get('given', 0)} linked, {counts.get('identified', 0)} identified, "
        f"{counts.get('unmatched', 0)} not identified, {counts['skipped']} rows skipped; "
        f"fields: {verdicts}. Stored as run {run_id} in {db_path}."
    )


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a table; json: all fields.")  # fmt: skip
def sources(fmt: str) -> None:
    """List the sources napaudit knows: kind, weight, what each feeds, how it is checked.

    The catalog is data/sources.toml; weights (1-10) say how much a wrong value there costs,
    and an aggregator's errors spread to every source it feeds. "checked" says how far to
    trust napaudit there: verified (read on real pages or API answers, named in the catalog
    with their date), assumed (modelled from documentation, not yet seen on a real page), not
    searchable yet (catalogued, no spider reads it) or not checkable (with the reason).

    \b
    Example:
      napaudit sources
      napaudit sources --format json
    """
    from napaudit.spiders.sources import spider_classes  # Scrapy loads only for this command

    try:
        catalog = load_catalog()
    except CatalogError as exc:
        raise InputProblem(str(exc)) from None
    spiders = spider_classes()
    coverage = {sid: s.coverage(sid in spiders) for sid, s in catalog.items()}
    if fmt == "json":
        rows = [{**s.__dict__, "has_spider": sid in spiders, "coverage": coverage[sid][0],
                 "coverage_detail": coverage[sid][1]} for sid, s in catalog.items()]  # fmt: skip
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'id':<18} {'kind':<10} {'weight':>6}  {'found by':<18} {'checked':<19} feeds")
    for s in catalog.values():
        found_by = f"{s.find} ({s.through})" if s.through else s.find
        feeds = ", ".join(s.feeds)
        click.echo(f"{s.id:<18} {s.kind:<10} {s.weight:>6}  {found_by:<18} "
                   f"{coverage[s.id][0]:<19} {feeds}".rstrip())  # fmt: skip
    counts = Counter(kind for kind, _ in coverage.values())
    searchable = counts["verified"] + counts["assumed"]
    click.echo(f"{len(catalog)} sources: {searchable} searchable ({counts['verified']} verified, "
               f"{counts['assumed']} assumed), {counts['not searchable yet']} not searchable yet, "
               f"{counts['not checkable']} not checkable; weights, reasons and evidence in "
               "data/sources.toml", err=True)  # fmt: skip


for command in (audit, batch, browse, changes, demo, extract, rejudge, report, schedule):
    cli.add_command(command)
for command in cli.commands.values():
    add_common_options(command)


def main() -> None:
    cli(prog_name="napaudit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
