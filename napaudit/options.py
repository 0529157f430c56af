"""What every command shares: help settings, the --db option, and how user errors exit."""

from __future__ import annotations

import click

from napaudit.auditor.store import default_path

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100}


class InputProblem(click.ClickException):
    """Bad input a user can fix: one line naming the file, line and column; exit code 2."""

    exit_code = 2


def db_option(func):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=default_path,
        show_default="napaudit.db, or $NAPAUDIT_DB",
        help="SQLite database that keeps every run.",
    )(func)


def warn_rows(problems) -> None:
    """Each skipped row on stderr: file, line, column and why."""
    for p in problems:
        click.echo(f"warning: {p}", err=True)
