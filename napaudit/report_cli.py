"""`napaudit report`: the ranked fixes, scores and history of a run, as HTML, PDF, CSV or JSON.

The command is registered on the `cli` group in napaudit/cli.py; the work is done by
reports.build.write_report, which the `audit` and `demo` commands call too.
"""

from __future__ import annotations

import click

from napaudit.auditor.config import ConfigError
from napaudit.options import CONTEXT, EnvironmentProblem, InputProblem, db_option
from napaudit.reports.build import DEFAULT_OUT, FORMATS, write_report
from napaudit.reports.load import ReportError
from napaudit.reports.pdf import RendererMissing


@click.command(context_settings=CONTEXT)
@click.option("--business", metavar="ID", help="Report on this business only (its id).")
@click.option("--all", "all_", is_flag=True,
              help="Report on every business of the run (the default).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: a page per business and index.html for the portfolio; pdf: the same "
                   "printed, a PDF per business and portfolio.pdf, with the [branding] of the "
                   "configuration; csv: one row per fix; json: everything, for other "
                   "tools.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False), default=DEFAULT_OUT,
              show_default="napaudit-report/ beside the database",
              help="Folder to write the report into (created if needed).")  # fmt: skip
@db_option
@click.option("--run", "run_id", type=int, metavar="ID",
              help="Report on this run.  [default: the latest finished run]")  # fmt: skip
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for Excel: UTF-8 with a byte order mark, so accents show right.",
)
def report(
    business: str | None, all_: bool, fmt: str, out: str | None, db_path: str, run_id: int | None,
    excel: bool,
) -> None:  # fmt: skip
    """Rank what to fix first for each business, with its score, and write the report.

    Reads a run from the database (the latest unless --run is given): every problem found on a
    business's listings is ranked by the source's weight, the problem's severity, how many
    sources the source feeds and how many show the same wrong value; a wrong value copied to
    several sources is traced to its likely origin. Sites that were searched and do not list the
    business are "get listed" items. Prints the paths written.

    \b
    Example:
      napaudit report
      napaudit report --business harbor-lane --out reports/
      napaudit report --format pdf --config agency.toml
      napaudit report --format csv --run 3 --config weights.toml
    """
    if business is not None and all_:
        raise InputProblem("use --business ID or --all, not both")
    try:
        paths = write_report(db_path, out, fmt, business=business, run_id=run_id, excel=excel)
    except OSError as exc:  # a full disk, a folder that cannot be written
        where = exc.filename or out
        raise EnvironmentProblem(f"{where}: cannot be written ({exc.strerror})") from None
    except RendererMissing as exc:
        raise EnvironmentProblem(str(exc)) from None
    except (ReportError, ConfigError) as exc:
        raise InputProblem(str(exc)) from None
    for path in paths:
        click.echo(str(path))
