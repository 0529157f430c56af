"""`napaudit schedule`: run a batch every week, from cron or a systemd user timer.

It prints what to install (a crontab line, or a .timer and a .service) with absolute paths and
this virtualenv's napaudit, and with --install puts it in place: the crontab line replaces an
earlier one for the same clients file, so installing twice changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from napaudit.alerts import check_target
from napaudit.options import CONTEXT, InputProblem, db_option

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CRON_DAY = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
SYSTEMD_DAY = {d: d.capitalize() for d in DAYS}
FULL_DAY = {"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday",
            "fri": "friday", "sat": "saturday", "sun": "sunday"}  # fmt: skip
DEFAULT_AT = "Mon 06:00"


@dataclass(frozen=True)
class When:
    day: str  # mon..sun
    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{SYSTEMD_DAY[self.day]} {self.hour:02d}:{self.minute:02d}"


def parse_at(text: str) -> When:
    """'Mon 06:00' (a day, then 24-hour time) -> When; ValueError otherwise."""
    found = re.fullmatch(r"\s*([A-Za-z]+)\.?\s+(\d{1,2}):(\d{2})\s*", text)
    if not found:
        raise ValueError(f"'{text}' is not a day and a time, like \"Mon 06:00\"")
    name, hour, minute = found[1].lower(), int(found[2]), int(found[3])
    day = name[:3]
    if len(name) < 3 or day not in DAYS or not FULL_DAY[day].startswith(name):
        raise ValueError(f"'{found[1]}' is not a day of the week (Mon, Tue, ... Sun)")
    if hour > 23 or minute > 59:
        raise ValueError(f"'{found[2]}:{found[3]}' is not a time of day (00:00 to 23:59)")
    return When(day, hour, minute)


@dataclass(frozen=True)
class Job:
    """What runs: in which folder, which command, where its output goes."""

    name: str  # napaudit-<clients stem>-<folder hash>: the unit name and the crontab marker
    folder: Path
    argv: list[str]
    log: Path
    clients: Path


def make_job(clients: str, db: str, targets: tuple[str, ...]) -> Job:
    clients_path = Path(clients).absolute()
    db_path = Path(db).absolute()
    exe = Path(sys.executable).absolute().parent / "napaudit"  # not resolved: stay in the venv
    base = [str(exe)] if exe.is_file() else [str(Path(sys.executable).absolute()), "-m", "napaudit"]
    argv = [*base, "batch", str(clients_path), "--db", str(db_path)]
    for target in targets:
        argv += ["--notify", target]
    log = db_path.with_name(f"{db_path.stem}-batch.log")
    return Job(job_name(clients_path), Path.cwd(), argv, log, clients_path)


def job_name(clients: Path) -> str:
    """'napaudit-clients-3f2a9c1b': the clients file's name and a hash of its folder, so that
    two agencies' folders, each with its own clients.csv, never share (and overwrite) a unit."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", clients.stem).strip("-") or "clients"
    folder = hashlib.sha1(str(clients.parent).encode("utf-8")).hexdigest()[:8]
    return f"napaudit-{stem}-{folder}"


# --- cron ----------------------------------------------------------------------------------


def cron_line(job: Job, when: When) -> str:
    command = " ".join(shlex.quote(a) for a in job.argv)
    line = (f"{when.minute} {when.hour} * * {CRON_DAY[when.day]} cd {shlex.quote(str(job.folder))}"
            f" && {command} >> {shlex.quote(str(job.log))} 2>&1")  # fmt: skip
    # In a crontab, an unescaped % ends the command (the rest becomes its standard input).
    return line.replace("%", "\\%") + f" {marker(job)}"


def marker(job: Job) -> str:
    return f"# {job.name}: {job.clients}"


def install_cron(line: str, job: Job) -> bool:
    """Put `line` in the user's crontab in place of an earlier one for the same clients file.
    False when it was already there (nothing written)."""
    crontab = shlex.split(os.environ.get("NAPAUDIT_CRONTAB") or "crontab")
    try:
        current = subprocess.run([*crontab, "-l"], capture_output=True, text=True)
    except FileNotFoundError:
        raise InputProblem(f"'{crontab[0]}' not found: install cron, or use --systemd") from None
    # `crontab -l` fails with "no crontab for <user>" when there is none yet: start empty.
    lines = current.stdout.splitlines() if current.returncode == 0 else []
    if line in lines:
        return False
    # An earlier line for the same clients file, whatever name it was installed under
    # (earlier versions named it without the folder hash), is replaced, never doubled.
    ours = re.compile(rf"# napaudit-[A-Za-z0-9_-]+: {re.escape(str(job.clients))}$")
    kept = [x for x in lines if not ours.search(x.rstrip())]
    text = "\n".join([*kept, line]) + "\n"
    done = subprocess.run([*crontab, "-"], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"crontab refused the new line: {done.stderr.strip()}")
    return True


# --- systemd -------------------------------------------------------------------------------


def systemd_units(job: Job, when: When) -> dict[str, str]:
    """{file name: text} of the .service and the .timer."""
    exec_start = " ".join(_systemd_quote(a) for a in job.argv)
    log = _systemd_escape(str(job.log))
    service = (
        "[Unit]\n"
        f"Description=napaudit weekly batch of {_systemd_escape(str(job.clients))}\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={_systemd_quote(str(job.folder))}\n"
        f"ExecStart={exec_start}\n"
        f"StandardOutput=append:{log}\n"
        f"StandardError=append:{log}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run {job.name} every week ({when})\n\n"
        "[Timer]\n"
        f"OnCalendar={SYSTEMD_DAY[when.day]} *-*-* {when.hour:02d}:{when.minute:02d}:00\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{job.name}.service": service, f"{job.name}.timer": timer}


def _systemd_escape(text: str) -> str:
    return text.replace("%", "%%")  # % starts a specifier in unit files


def _systemd_quote(arg: str) -> str:
    text = _systemd_escape(arg).replace("$", "$$")  # $ expands variables in ExecStart
    if re.search(r"[\s\"'\\;]", text) or not text:
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def systemd_dir() -> Path:
    configured = os.environ.get("NAPAUDIT_SYSTEMD_DIR")
    return Path(configured) if configured else Path.home() / ".config" / "systemd" / "user"


def install_units(units: dict[str, str]) -> list[tuple[Path, bool]]:
    folder = systemd_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputProblem(f"{folder}: cannot create the folder ({exc.strerror})") from None
    written = []
    for name, text in units.items():
        path = folder / name
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
            path.chmod(0o600)  # a --notify URL may carry a token
        written.append((path, changed))
    return written


# --- the command ---------------------------------------------------------------------------


def _at(ctx, param, value: str) -> When:
    try:
        return parse_at(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(context_settings=CONTEXT)
@click.argument("clients", type=click.Path(exists=True, dir_okay=False))
@click.option("--weekly", is_flag=True, help="Run every week (the schedule agencies use).")
@click.option("--at", "when", default=DEFAULT_AT, show_default=True, callback=_at,
              metavar='"DAY HH:MM"',
              help="Day of the week and 24-hour time, local time.")  # fmt: skip
@db_option
@click.option("--notify", "targets", multiple=True, metavar="URL|mailto:ADDR",
              help="After each run, send what regressed (as for batch --notify).")  # fmt: skip
@click.option("--systemd", is_flag=True, help="A systemd user timer and service instead of cron.")
@click.option("--install", is_flag=True,
              help="Install it: add the crontab line (replacing an earlier one for the same "
                   "clients file), or write the units into ~/.config/systemd/user.")  # fmt: skip
def schedule(clients, weekly, when, db_path, targets, systemd, install) -> None:
    """Run `napaudit batch CLIENTS` every week, from cron or a systemd user timer.

    Prints the crontab line (or, with --systemd, a user timer and service); --install puts it
    in place. Paths are absolute; the command is this installation's napaudit;
    the output goes to a log beside the database. A lock on the database keeps two runs from
    ever overlapping.

    \b
    Example:
      napaudit schedule --weekly clients.csv
      napaudit schedule --weekly --at "Fri 22:30" clients.csv --notify mailto:me@agency.test
      napaudit schedule --weekly clients.csv --install
      napaudit schedule --weekly clients.csv --systemd --install
    """
    if not weekly:
        raise click.UsageError("say how often: --weekly (the only schedule for now)")
    for target in targets:
        check_target(target)
    job = make_job(clients, db_path, targets)
    if any(t.lower().startswith("mailto:") for t in targets):
        toml = job.folder / "napaudit.toml"
        click.echo(f"Mail settings: a scheduled run does not see your shell's variables; put "
                   f"them in the [smtp] table of {toml}.", err=True)  # fmt: skip
    if systemd:
        _systemd(job, when, install)
    else:
        _cron(job, when, install)


def _cron(job: Job, when: When, install: bool) -> None:
    line = cron_line(job, when)
    click.echo(line)
    if install:
        added = install_cron(line, job)
        click.echo("Added to your crontab." if added else "Already in your crontab.", err=True)
    else:
        click.echo("Add it with `crontab -e`, or run this again with --install.", err=True)


def _systemd(job: Job, when: When, install: bool) -> None:
    units = systemd_units(job, when)
    enable = (f"systemctl --user daemon-reload && systemctl --user enable --now "
              f"{job.name}.timer")  # fmt: skip
    if not install:
        for name, text in units.items():
            click.echo(f"# {systemd_dir() / name}\n{text}")
        click.echo(f"Write these files, then: {enable}", err=True)
        return
    for path, changed in install_units(units):
        click.echo(f"{'Wrote' if changed else 'Unchanged'} {path}")
    click.echo(f"Enable it: {enable}")
    for other in earlier_units(job):
        click.echo(f"An earlier unit runs the same clients file: {other}; stop it with "
                   f"systemctl --user disable --now {other.stem}.timer", err=True)  # fmt: skip


def earlier_units(job: Job) -> list[Path]:
    """Services in the units folder that batch the same clients file under another name (as
    earlier versions named them): two timers would run the same batch twice."""
    described = f"Description=napaudit weekly batch of {_systemd_escape(str(job.clients))}\n"
    return [
        path
        for path in sorted(systemd_dir().glob("napaudit-*.service"))
        if path.stem != job.name and described in path.read_text(encoding="utf-8", errors="ignore")
    ]
