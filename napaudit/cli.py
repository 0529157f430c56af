"""The napaudit command line: a thin layer of commands over the auditor, spiders and reports."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

from auditor.audit import compare_records
from auditor.catalog import CatalogError, load_catalog
from auditor.records import InputError, RowProblem, read_records
from auditor.store import Store
from napaudit.options import CONTEXT, InputProblem, db_option
from napaudit.report_cli import report
from reports.build import DEFAULT_OUT, write_report
from reports.export import FORMATS, Writer
from reports.load import ReportError

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def report_dir_option(func):
    return click.option(
        "--report", "report_dir", type=click.Path(file_okay=False), default=DEFAULT_OUT,
        show_default=True, help="Folder for the HTML report written at the end.",
    )(func)  # fmt: skip


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
@db_option
def compare(canonical: str, listings: str, fmt: str, out: str, db_path: str) -> None:
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
    businesses, listing_records, problems = _read_inputs(canonical, listings)
    run_compare(businesses, listing_records, problems, listings, fmt, out, db_path, canonical)


def _read_inputs(canonical: str, listings: str):
    try:
        businesses, problems = read_records(canonical, "canonical")
        listing_records, more = read_records(listings, "listings")
    except InputError as exc:
        raise InputProblem(str(exc)) from None
    if not businesses:
        raise InputProblem(f"{canonical}: no usable business records")
    return businesses, listing_records, problems + more


def run_compare(businesses, listing_records, problems, listings, fmt, out, db_path, canonical):
    canon, results, more = compare_records(businesses, listing_records, listings)
    _warn(problems + more)
    store = Store(db_path)
    run_id = store.start_run("compare", {"canonical": canonical, "listings": listings})
    tally: Counter[str] = Counter()
    with click.open_file(out, "w", encoding="utf-8") as stream:
        writer = Writer(stream, fmt)
        try:
            store.save(run_id, canon, _tally(writer.tee(results), tally))
        except BaseException:
            store.finish_run(run_id, dict(tally), status="failed")
            raise
    counts = {"businesses": len(canon), "listings": writer.count, "skipped": len(problems + more),
              **tally}  # fmt: skip
    store.finish_run(run_id, counts)
    click.echo(_summary(counts, run_id, db_path), err=True)


def _tally(results, tally: Counter):
    for r in results:
        tally[r.linked_by or "unmatched"] += 1
        for v in r.verdicts:
            tally[str(v.status)] += 1
        yield r


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


def _warn(problems: list[RowProblem]) -> None:
    for p in problems:
        click.echo(f"warning: {p}", err=True)


@cli.command(context_settings=CONTEXT)
@click.argument("clients", type=click.Path(dir_okay=False))
@click.option(
    "--listings",
    "urls",
    type=click.Path(dir_okay=False),
    help="CSV (or JSON) of business_id,source,url: the listing pages to check. Without it, "
    "each source is searched for each business.",
)
@click.option(
    "--sources",
    metavar="ID,ID...",
    help="Search only these sources (catalog ids; default: every source napaudit can search).",
)
@db_option
@click.option(
    "--cache",
    is_flag=True,
    help="Keep fetched pages in an HTTP cache beside the database (for development).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted audit of the same files where it stopped.",
)
@click.option("--user-agent", help="Say who is crawling (default: napaudit and its web page).")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one site (AutoThrottle adjusts it).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    help="Seconds before a page counts as timed out.",
)
@report_dir_option
def audit(
    clients, urls, sources, db_path, cache, resume, user_agent, delay, timeout, report_dir
) -> None:
    """Find each business's listings, crawl them and judge what they show.

    CLIENTS holds your businesses (as for compare). Without --listings, every source searches
    for every business (its search page or its API) and the listings found are judged; with
    --listings, the pages named there (business_id, source, url) are checked. Pages that are
    blocked, gone or time out are reported as not checked, with the reason. Polite by default:
    robots.txt obeyed, each source's pace, at most 2 requests at a time per site, an honest
    User-Agent.

    \b
    Example:
      napaudit audit clients.csv
      napaudit audit clients.csv --sources yellowpages,bbb,manta
      napaudit audit clients.csv --listings listing_urls.csv --resume
    """
    from spiders.crawl import CrawlOptions  # Scrapy loads only for the commands that crawl

    options = CrawlOptions(
        user_agent=user_agent, delay=delay, timeout=timeout,
        cache_dir=Path(f"{db_path}.httpcache") if cache else None,
    )  # fmt: skip
    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else None
    _audit(clients, urls, db_path, options, resume, report_dir, chosen)


def _audit(clients, urls, db_path, options, resume, report_dir, sources=None) -> None:
    from napaudit.auditing import AuditInputError, run_audit, summary_table

    try:
        outcome = run_audit(clients, urls, db_path, options, resume=resume, sources=sources)
    except AuditInputError as exc:
        raise InputProblem(str(exc)) from None
    _warn(outcome.problems)
    click.echo(summary_table(outcome.summary))
    for source, why in outcome.skipped.items():
        click.echo(f"Not searched: {source}: {why}", err=True)
    not_checked = {k.rsplit("/", 1)[1]: v for k, v in outcome.stats.items()
                   if k.startswith("napaudit/outcome/") and not k.endswith("/ok")}  # fmt: skip
    if not_checked:
        parts = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(not_checked.items())
        )
        click.echo(f"Not checked: {parts} (reasons in the report).")
    if not outcome.finished:
        click.echo(f"Interrupted: run {outcome.run_id} is kept; continue it with --resume.",
                   err=True)  # fmt: skip
        raise SystemExit(130)
    click.echo(f"Stored as run {outcome.run_id} in {db_path}.")
    try:
        paths = write_report(db_path, report_dir, "html", run_id=outcome.run_id)
    except ReportError as exc:
        raise InputProblem(str(exc)) from None
    index = next((p for p in paths if p.name == "index.html"), paths[0])
    click.echo(f"Report: {index}")


@cli.command(context_settings=CONTEXT)
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl",
              show_default=True, help="jsonl: one object a line; json: one array.")  # fmt: skip
@click.option("--user-agent", help="Say who is fetching (default: napaudit and its web page).")
def extract(target: str, fmt: str, user_agent: str | None) -> None:
    """Print the businesses a page shows: name, address, phone, website, hours.

    TARGET is a URL or a saved HTML file. Structured data (JSON-LD, microdata, RDFa, hCard,
    an embedded app state) comes first, then what the page's text shows; `method` says how each
    value was found. Best match first.

    \b
    Example:
      napaudit extract https://example.com/contact
      napaudit extract saved-page.html --format json
    """
    rows = _extract(target, user_agent)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    if not rows:
        click.echo(f"{target}: no business found on the page", err=True)


def _extract(target: str, user_agent: str | None) -> list[dict]:
    from spiders.crawl import CrawlOptions
    from spiders.extract import extract as extract_page
    from spiders.fetch import fetch_page

    if not re.match(r"^https?://", target, re.I):
        try:
            html = Path(target).read_bytes()
        except OSError as exc:
            raise InputProblem(f"{target}: cannot be read ({exc.strerror})") from None
        return [b.as_dict() for b in extract_page(html, Path(target).resolve().as_uri())]
    listing = fetch_page(target, CrawlOptions(user_agent=user_agent, delay=0, retries=1))
    if listing.outcome != "ok":
        raise InputProblem(f"{target}: could not fetch the page ({listing.reason})")
    return listing.found


@cli.command(context_settings=CONTEXT)
@db_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=3.0,
    show_default=True,
    help="Seconds before a sample page counts as timed out.",
)
@report_dir_option
def demo(db_path: str, timeout: float, report_dir: str) -> None:
    """Audit the sample clients against a local sample web, and show what it finds.

    Serves data/sampleweb (fictional listings on ten directories, with planted problems and
    pages that are blocked, gone or time out) on 127.0.0.1, audits data/samples/clients.csv
    against it and prints the summary.

    \b
    Example:
      napaudit demo
      napaudit demo --db /tmp/demo.db
    """
    from napaudit.sampleweb import serving, write_demo_targets
    from spiders.crawl import CrawlOptions

    clients = str(SAMPLES / "clients.csv")
    with serving() as web, tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp) / "listing_urls.csv"
        write_demo_targets(web, urls)
        click.echo(f"Sample web serving on {web.base_url}", err=True)
        options = CrawlOptions(delay=0, timeout=timeout, retries=1)
        _audit(clients, str(urls), db_path, options, False, report_dir)


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a table; json: all fields.")  # fmt: skip
def sources(fmt: str) -> None:
    """List the sources napaudit knows: kind, weight, what each feeds, how it is checked.

    The catalog is data/sources.toml; weights (1-10) say how much a wrong value there costs,
    and an aggregator's errors spread to every source it feeds.

    \b
    Example:
      napaudit sources
      napaudit sources --format json
    """
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        raise InputProblem(str(exc)) from None
    if fmt == "json":
        rows = [dict(s.__dict__) for s in catalog.values()]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'id':<18} {'kind':<10} {'weight':>6}  {'found by':<8} {'checked':<8} feeds")
    for s in catalog.values():
        feeds = ", ".join(s.feeds) if s.feeds else ""
        checked = "yes" if s.checkable else "no"
        click.echo(f"{s.id:<18} {s.kind:<10} {s.weight:>6}  {s.find:<8} {checked:<8} {feeds}")
    click.echo(f"{len(catalog)} sources; weights and reasons in data/sources.toml", err=True)


cli.add_command(report)


def main() -> None:
    cli(prog_name="napaudit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
