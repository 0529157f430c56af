"""The commands that crawl: audit and batch (a run over many clients), demo, extract.

Scrapy is imported inside the commands, so that the other commands start without it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import click

from napaudit.auditor.config import ConfigError
from napaudit.lock import run_lock
from napaudit.options import (
    CONTEXT,
    EXIT_INTERRUPTED,
    EXIT_NOT_CHECKED,
    EXIT_OK,
    EnvironmentProblem,
    InputProblem,
    db_option,
    say,
    verbosity,
    warn_rows,
)
from napaudit.reports.build import DEFAULT_OUT, write_report
from napaudit.reports.load import ReportError


def json_option(func):
    return click.option(
        "--json", "as_json", is_flag=True,
        help="Print the summary as one JSON object (for scripts and CI) instead of a table.",
    )(func)  # fmt: skip


def report_dir_option(func):
    return click.option(
        "--report", "report_dir", type=click.Path(file_okay=False), default=DEFAULT_OUT,
        show_default="napaudit-report/ beside the database",
        help="Folder for the HTML report written at the end.",
    )(func)  # fmt: skip


def crawl_options(func):
    """The options every crawling command shares: what to check, where to store, how politely."""
    options = [
        click.argument("clients", type=click.Path(dir_okay=False)),
        click.option("--listings", "urls", type=click.Path(dir_okay=False),
                     help="CSV (or JSON) of business_id,source,url: the listing pages to check. "
                          "Without it, each source is searched for each business."),
        click.option("--sources", metavar="ID,ID...",
                     help="Search only these sources (catalog ids; default: every source "
                          "napaudit can search)."),
        db_option,
        click.option("--cache", is_flag=True, help="Keep fetched pages in an HTTP cache beside "
                                                   "the database (for development)."),
        click.option("--resume", is_flag=True,
                     help="Continue an interrupted run of the same files where it stopped."),
        click.option("--archive", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Keep the evidence: write every response fetched (and what was sent, "
                          "API keys removed) to this WARC file (.warc.gz). A new run needs a new "
                          "file; --resume appends to it."),
        click.option("--user-agent",
                     help="Say who is crawling (default: napaudit and its web page)."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Seconds between requests to one site at least (each source's own "
                          "pace may be slower; AutoThrottle adjusts it)."),
        click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True,
                     help="Seconds before a page counts as timed out."),
        report_dir_option,
        json_option,
        click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                     callback=_parse_settings,
                     help="A Scrapy setting for this crawl, as `scrapy crawl -s` takes it "
                          "(repeatable; a JSON object is merged into a dict setting)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _parse_settings(ctx, param, values: tuple[str, ...]) -> dict:
    """NAME=VALUE pairs; a VALUE that reads as JSON (a number, true, a list, an object) is
    taken as that value, anything else as text."""
    settings = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name.strip()):
            raise click.BadParameter(f"'{pair}': expected NAME=VALUE, NAME in capitals")
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        _check_number(pair, name.strip(), parsed)
        settings[name.strip()] = parsed
    return settings


def _check_number(pair: str, name: str, value: object) -> None:
    """A setting napaudit's settings give a number (a delay, a limit, a batch size) takes a
    number, not text it would fail on once the crawl has started."""
    from napaudit.spiders import settings as defaults

    default = getattr(defaults, name, None)
    if isinstance(default, bool) or not isinstance(default, int | float):
        return
    wanted = int if isinstance(default, int) else int | float
    if isinstance(value, bool) or not isinstance(value, wanted) or value < 0:
        kind = "a whole number" if wanted is int else "a number"
        raise click.BadParameter(f"'{pair}': {name} takes {kind}, 0 or more")


@click.command(context_settings=CONTEXT)
@crawl_options
@click.option("--replay", type=click.Path(dir_okay=False), metavar="FILE",
              help="Judge from a WARC file written by --archive instead of the web: nothing is "
                   "fetched, and a page that is not in the file is not checked.")  # fmt: skip
def audit(**args) -> None:
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
      napaudit audit clients.csv --archive 2026-12-02.warc.gz
      napaudit audit clients.csv --replay 2026-12-02.warc.gz --db replayed.db
    """
    outcome = _run("audit", **args)
    raise SystemExit(outcome.exit_code)


@click.command(context_settings=CONTEXT)
@crawl_options
@click.option("--notify", "targets", multiple=True, metavar="URL|mailto:ADDR",
              help="After the run, send what regressed since the last run: POST JSON to a "
                   "webhook URL, or mail it (SMTP settings from the environment).")  # fmt: skip
def batch(targets: tuple[str, ...], **args) -> None:
    """Audit many clients in one crawl, as an agency's weekly re-check does.

    One Scrapy process checks every client, so each site's politeness is shared by all of
    them. Shows its progress on a terminal (businesses and requests done, pages not checked,
    time left), or a plain line per business otherwise; ends with a summary and the report.
    --resume continues an interrupted run where it stopped, with nothing lost or doubled.

    \b
    Example:
      napaudit batch clients.csv --notify https://hooks.example.com/napaudit
      napaudit batch clients.csv --resume
    """
    from napaudit.alerts import check_target

    for target in targets:
        check_target(target)  # a bad target fails now, not after the crawl
    outcome = _run("batch", **args)
    if targets:
        _notify(args["db_path"], outcome.run_id, targets)
    raise SystemExit(outcome.exit_code)


def _run(command: str, clients, urls, sources, db_path, cache, resume, user_agent, delay,
         timeout, report_dir, settings=None, retries=None, as_json=False,
         not_checked_code=EXIT_NOT_CHECKED, archive=None, replay=None):  # fmt: skip
    from napaudit.auditing import AuditInputError, AuditStoreError, run_audit
    from napaudit.auditor.schema import StoreError
    from napaudit.spiders.crawl import CrawlOptions  # Scrapy loads only for the commands that crawl

    _check_evidence_options(archive, replay, cache)
    if replay:
        delay = 0  # nobody to be polite to: every answer comes from the file

    options = CrawlOptions(
        user_agent=user_agent, delay=delay, timeout=timeout, retries=retries,
        cache_dir=Path(f"{db_path}.httpcache") if cache else None,
        log_level={-1: "CRITICAL", 0: "WARNING", 1: "INFO"}.get(verbosity(), "DEBUG"),
    )  # fmt: skip
    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else None
    try:
        with run_lock(db_path):  # two runs on one database never overlap
            settings = {**(settings or {}), **_evidence_settings(archive, replay, resume)}
            outcome = run_audit(clients, urls, db_path, options, resume=resume, sources=chosen,
                                command=command, progress=not as_json and verbosity() >= 0,
                                extra_settings=settings)  # fmt: skip
    except AuditInputError as exc:
        raise InputProblem(str(exc)) from None
    except StoreError as exc:
        raise (EnvironmentProblem if exc.environment else InputProblem)(str(exc)) from None
    except AuditStoreError as exc:
        raise EnvironmentProblem(str(exc)) from None
    warn_rows(outcome.problems)
    report = None
    if outcome.finished:
        try:
            paths = write_report(db_path, report_dir, "html", run_id=outcome.run_id)
        except (ReportError, ConfigError) as exc:
            raise InputProblem(str(exc)) from None
        report = next((p for p in paths if p.name == "index.html"), paths[0])
    summary = run_summary(outcome, db_path, report, not_checked_code)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_summary(outcome, summary)
    _say_evidence(outcome.stats, archive, replay)
    if not outcome.finished:
        raise SystemExit(EXIT_INTERRUPTED)
    outcome.exit_code = summary["exit_code"]
    return outcome


def _check_evidence_options(archive: str | None, replay: str | None, cache: bool) -> None:
    if archive and replay:
        raise click.UsageError("--archive and --replay: a replay fetches nothing to archive")
    if (archive or replay) and cache:
        raise click.UsageError(
            f"{'--archive' if archive else '--replay'} and --cache: pages answered from the "
            "cache are " + ("not fetched, so not archived" if archive else "not the archive's")
        )


def _evidence_settings(archive: str | None, replay: str | None, resume: bool) -> dict:
    """The crawl settings of --archive (every fetch written to a WARC file) or --replay (every
    request answered from one, the network never opened)."""
    if not archive and not replay:
        return {}
    from napaudit.spiders.archive import ArchiveError, archive_settings, prepare_archive
    from napaudit.spiders.replay import ReplayIndex, replay_settings

    try:
        if archive:
            prepare_archive(archive, resume)
            return archive_settings(archive)
        index = ReplayIndex.load(replay)  # read now: a file that is no WARC stops here
    except ArchiveError as exc:
        raise InputProblem(str(exc)) from None
    say(f"Replaying {replay} ({len(index)} answers archived): nothing is fetched.")
    _stand_in_keys()
    return replay_settings(replay)


REPLAY_KEY = "napaudit-replay"  # sent nowhere: a replay answers from the file


def _stand_in_keys() -> None:
    """A replay needs no API key: each keyed source gets a stand-in, so that the answers the
    archive holds are judged (and no real key is even read)."""
    from napaudit.auditor.catalog import load_catalog

    for source in load_catalog().values():
        if source.key_env:
            os.environ[source.key_env] = REPLAY_KEY


def _say_evidence(stats: dict, archive: str | None, replay: str | None) -> None:
    if archive:
        done, failed = (stats.get(f"napaudit/archive/{k}", 0) for k in ("responses", "failures"))
        say(f"Archived in {archive}: {done} responses, {failed} fetches that got none.")
    missing = stats.get("napaudit/replay/not_in_archive", 0)
    if replay and missing:
        say(f"{missing} requests were not in {replay}: their pages are not checked.")


def run_summary(outcome, db_path: str, report: Path | None, not_checked_code: int) -> dict:
    """What a script reads of a run: its id and status, each business's counts, the listings
    by outcome, the sources not searched and why, the report, and the exit code."""
    not_checked = {k: n for k, n in outcome.outcomes.items() if k not in ("ok", "not_found",
                                                                        "skipped")}  # fmt: skip
    code = not_checked_code if not_checked else EXIT_OK
    return {
        "run_id": outcome.run_id,
        "status": "done" if outcome.finished else "interrupted",
        "database": str(db_path),
        "businesses": outcome.summary,
        "listings": dict(sorted(outcome.outcomes.items())),
        "not_searched": dict(sorted(outcome.skipped.items())),
        "report": str(report) if report else None,
        "exit_code": code if outcome.finished else EXIT_INTERRUPTED,
    }


def _print_summary(outcome, summary: dict) -> None:
    from napaudit.auditing import summary_table

    click.echo(summary_table(outcome.summary))
    for source, why in outcome.skipped.items():
        say(f"Not searched: {source}: {why}")
    not_checked = {k: n for k, n in outcome.outcomes.items() if k != "ok"}
    if not_checked:
        parts = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(not_checked.items())
        )
        click.echo(f"Not checked: {parts} (reasons in the report).")
    if not outcome.finished:
        click.echo(f"Interrupted: run {outcome.run_id} is kept; continue it with --resume.",
                   err=True)  # fmt: skip
        return
    click.echo(f"Stored as run {outcome.run_id} in {summary['database']}.")
    click.echo(f"Report: {summary['report']}")


def _notify(db_path: str, run_id: int, targets: tuple[str, ...]) -> None:
    from napaudit.alerts import notify_after_run

    sent = notify_after_run(db_path, run_id, list(targets))
    if sent is None:
        click.echo("No regression since the last run: no alert sent.", err=True)
    else:
        click.echo(f"Alert sent ({len(targets)} target(s)): {sent['text']}.", err=True)


@click.command(context_settings=CONTEXT)
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl",
              show_default=True, help="jsonl: one object a line; json: one array.")  # fmt: skip
@click.option("--user-agent", help="Say who is fetching (default: napaudit and its web page).")
@click.option("--limit", type=click.IntRange(min=0), default=1000, show_default=True,
              help="At most this many businesses from one page (0: no limit); the rest are "
                   "counted and left out.")  # fmt: skip
def extract(target: str, fmt: str, user_agent: str | None, limit: int) -> None:
    """Print the businesses a page shows: name, address, phone, website, hours.

    TARGET is a URL or a saved HTML file. Structured data (JSON-LD, microdata, RDFa, hCard,
    an embedded app state) comes first, then what the page's text shows; `method` says how each
    value was found. Best match first.

    \b
    Example:
      napaudit extract https://example.com/contact
      napaudit extract saved-page.html --format json
    """
    rows, left_out = _extract(target, user_agent, limit)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    if not rows:
        click.echo(f"{target}: no business found on the page", err=True)
    if left_out:
        click.echo(f"{target}: {left_out} more businesses on the page were left out (--limit "
                   f"{limit})", err=True)  # fmt: skip


def _extract(target: str, user_agent: str | None, limit: int) -> tuple[list[dict], int]:
    from napaudit.spiders.crawl import CrawlOptions
    from napaudit.spiders.extract import extract as extract_page
    from napaudit.spiders.fetch import fetch_page

    if not re.match(r"^https?://", target, re.I):
        try:
            html = Path(target).read_bytes()
        except OSError as exc:
            raise InputProblem(f"{target}: cannot be read ({exc.strerror})") from None
        shown = extract_page(html, Path(target).resolve().as_uri(), limit=limit or None)
        return [b.as_dict() for b in shown], shown.left_out
    listing = fetch_page(target, CrawlOptions(user_agent=user_agent, delay=0, retries=1),
                         {"NAPAUDIT_PAGE_LIMIT": limit})  # fmt: skip
    if listing.outcome != "ok":
        raise InputProblem(f"{target}: could not fetch the page ({listing.reason})")
    return listing.found, listing.left_out


@click.command(context_settings=CONTEXT)
@db_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=3.0,
    show_default=True,
    help="Seconds before a sample page counts as timed out.",
)
@report_dir_option
@json_option
def demo(db_path: str, timeout: float, report_dir: str, as_json: bool) -> None:
    """Audit the sample clients against a local sample web, and show what it finds.

    Serves sampleweb/site (fictional listings on ten directories, with planted problems and
    pages that are blocked, gone or time out) on 127.0.0.1, audits data/samples/clients.csv
    against it and prints the summary. It exits 0 when it ran, although its sample web plants
    pages that cannot be checked (the summary counts them).

    \b
    Example:
      napaudit demo
      napaudit demo --db /tmp/demo.db
    """
    from napaudit.sampleweb.middleware import crawl_settings
    from napaudit.sampleweb.search import SAMPLES
    from napaudit.sampleweb.server import serving, write_demo_targets

    clients = str(SAMPLES / "clients.csv")
    with serving() as web, tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp) / "listing_urls.csv"
        write_demo_targets(web, urls)
        say(f"Sample web serving on {web.base_url}")
        # listings are stored under the sample web's stable host, whatever port it has today,
        # so that one demo's run compares with the next (napaudit changes)
        _run("demo", clients, str(urls), None, db_path, False, False, None, 0, timeout,
             report_dir, settings=crawl_settings(web.base_url), retries=1,
             as_json=as_json, not_checked_code=EXIT_OK)  # fmt: skip
