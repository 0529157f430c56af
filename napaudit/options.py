"""What every command shares: help settings, the common options (--config, -v, -q), the --db
option, how messages reach the terminal, and the exit codes.

Exit codes (documented in the README):
  0    the command finished, and every page it fetched could be checked
  1    an unexpected failure, or an alert that could not be delivered
  2    bad input the user can fix (a file, a line, an option, the configuration)
  3    the run finished, but some listings could not be checked (blocked, timed out, errors)
  4    the environment failed: another run holds the database, the disk is full, the database
       is read-only or not napaudit's
  130  interrupted (Ctrl-C, SIGINT): the run is kept, --resume continues it
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from napaudit.auditor import config
from napaudit.auditor.store import default_path

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100}
EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_NOT_CHECKED, EXIT_ENVIRONMENT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130

# -1 with -q, 0 by default, 1 with -v, 2 with -vv: set once per command by common_options.
_verbosity = [0]


class InputProblem(click.ClickException):
    """Bad input a user can fix: one line naming the file, line and column; exit code 2."""

    exit_code = EXIT_INPUT


class EnvironmentProblem(click.ClickException):
    """The machine, not the input: a full disk, a read-only or foreign database, a database
    another run holds. Exit code 4."""

    exit_code = EXIT_ENVIRONMENT


def verbosity() -> int:
    return _verbosity[0]


def say(message: str) -> None:
    """An informational line on stderr (progress, what was skipped); -q silences it."""
    if _verbosity[0] >= 0:
        click.echo(message, err=True)


def _set_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Remember --config for the whole command, and warn about a file others can read. A named
    file that cannot be used stops the command now; a default one when it is used."""
    config.use(value)
    if ctx.resilient_parsing:
        return
    try:
        loaded = config.load_config()
    except config.ConfigError as exc:
        if value is not None:
            raise InputProblem(str(exc)) from None
        return
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if value:
        _verbosity[0] = value
        _logging(value)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _verbosity[0] = -1
        _logging(-1)


def _logging(level: int) -> None:
    """napaudit's own logger; Scrapy's follows in spiders.crawl from the same verbosity."""
    logger = logging.getLogger("napaudit")
    logger.setLevel({-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(level, 10))
    if level <= 0:
        warnings.filterwarnings("ignore", category=DeprecationWarning)


def add_common_options(command: click.Command) -> click.Command:
    """--config, -v/--verbose and -q/--quiet, added to a command (napaudit.cli adds them to
    every command)."""
    command.params += [
        click.Option(["--config"], type=click.Path(dir_okay=False), expose_value=False,
                     is_eager=True, callback=_set_config,
                     help="The configuration file.  [default: $NAPAUDIT_CONFIG, else "
                          "./napaudit.toml, else ~/.config/napaudit/napaudit.toml]"),
        click.Option(["-v", "--verbose"], count=True, expose_value=False,
                     callback=_set_verbose,
                     help="Say more: -v shows the crawl's log, -vv its debug lines."),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_quiet,
                     help="Say only what went wrong and the command's result."),
    ]  # fmt: skip
    return command


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


@contextlib.contextmanager
def output_file(out: str, bom: bool = False) -> Iterator[TextIO]:
    """A text file to write a command's output into; "-" is standard output. The file is
    written beside its name and renamed into place at the end, so a failed run (a full disk)
    never leaves a truncated or empty file where a good one was."""
    if out == "-":
        stream = sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(out)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
