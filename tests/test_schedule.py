"""`napaudit schedule`: the crontab line, the systemd units, and --install, done once."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from napaudit.schedule_cli import schedule

FAKE_CRONTAB = """#!/bin/sh
# crontab -l / crontab - over a file beside this script, as cron's own command does
f="$(dirname "$0")/crontab.txt"
if [ "$1" = "-l" ]; then
  if [ -f "$f" ]; then cat "$f"; exit 0; fi
  echo "no crontab for tester" >&2; exit 1
fi
if [ "$1" = "-" ]; then cat > "$f"; fi
"""


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working folder holding clients.csv, and a fake crontab command."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clients.csv").write_text("id,name\nacme,Acme Plumbing\n")
    script = tmp_path / "bin" / "crontab"
    script.parent.mkdir()
    script.write_text(FAKE_CRONTAB)
    script.chmod(0o755)
    monkeypatch.setenv("NAPAUDIT_CRONTAB", str(script))
    monkeypatch.setenv("NAPAUDIT_SYSTEMD_DIR", str(tmp_path / "units"))
    return tmp_path


def unit(here: Path) -> str:
    """The unit name napaudit gives the schedule of here/clients.csv."""
    from napaudit.schedule_cli import job_name

    return job_name(here / "clients.csv")


def installed(here: Path) -> list[str]:
    path = here / "bin" / "crontab.txt"
    return path.read_text().splitlines() if path.exists() else []


def test_cron_line_has_absolute_paths_this_napaudit_and_a_log(runner, here):
    result = runner.invoke(schedule, ["--weekly", "clients.csv", "--db", "runs.db",
                                      "--notify", "https://hooks.test/a%20b"])  # fmt: skip
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert line.startswith(f"0 6 * * 1 cd {here} && ")
    assert "https://hooks.test/a\\%20b" in line  # a bare % would end cron's command
    # What cron runs: \% becomes %, then sh splits the words.
    command = shlex.split(line.replace("\\%", "%").split(" && ", 1)[1].split(" >> ")[0])
    assert Path(command[0]).parent == Path(sys.executable).absolute().parent
    assert command[1:] == ["batch", str(here / "clients.csv"), "--db", str(here / "runs.db"),
                           "--notify", "https://hooks.test/a%20b"]  # fmt: skip
    assert f">> {here / 'runs-batch.log'} 2>&1 # {unit(here)}: {here / 'clients.csv'}" in line
    assert installed(here) == []  # printed only


@pytest.mark.parametrize(
    "at, cron",
    [("Mon 06:00", "0 6 * * 1"), ("friday 22:30", "30 22 * * 5"), ("Sun 0:05", "5 0 * * 0")],
)
def test_at_sets_the_day_and_time(runner, here, at, cron):
    result = runner.invoke(schedule, ["--weekly", "--at", at, "clients.csv"])
    assert result.exit_code == 0 and result.stdout.startswith(cron + " cd ")


@pytest.mark.parametrize(
    "at, message",
    [
        ("Mon 6", "is not a day and a time"),
        ("06:00", "is not a day and a time"),
        ("Mon 24:00", "'24:00' is not a time of day"),
        ("Mo 06:00", "'Mo' is not a day of the week"),
        ("Someday 06:00", "'Someday' is not a day of the week"),
    ],
)
def test_a_bad_at_exits_2(runner, here, at, message):
    result = runner.invoke(schedule, ["--weekly", "--at", at, "clients.csv"])
    assert result.exit_code == 2 and message in result.output


def test_weekly_is_required_and_the_clients_file_must_exist(runner, here):
    assert "say how often: --weekly" in runner.invoke(schedule, ["clients.csv"]).output
    result = runner.invoke(schedule, ["--weekly", "nope.csv"])
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_install_adds_the_line_once_and_keeps_other_lines(runner, here):
    (here / "bin" / "crontab.txt").write_text("15 3 * * * /usr/bin/backup\n")
    first = runner.invoke(schedule, ["--weekly", "clients.csv", "--install"])
    assert first.exit_code == 0, first.output
    assert "Added to your crontab." in first.stderr
    line = first.stdout.strip()
    assert installed(here) == ["15 3 * * * /usr/bin/backup", line]
    again = runner.invoke(schedule, ["--weekly", "clients.csv", "--install"])
    assert "Already in your crontab." in again.stderr
    assert installed(here) == ["15 3 * * * /usr/bin/backup", line]
    moved = runner.invoke(schedule, ["--weekly", "--at", "Wed 07:15", "clients.csv", "--install"])
    assert installed(here) == ["15 3 * * * /usr/bin/backup", moved.stdout.strip()]
    assert moved.stdout.startswith("15 7 * * 3 ")


def test_install_with_no_crontab_yet(runner, here):
    result = runner.invoke(schedule, ["--weekly", "clients.csv", "--install"])
    assert result.exit_code == 0 and installed(here) == [result.stdout.strip()]


def test_systemd_units_are_printed(runner, here):
    result = runner.invoke(schedule, ["--weekly", "--at", "Tue 05:45", "clients.csv",
                                      "--systemd", "--db", "runs.db"])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"# {here / 'units' / (unit(here) + '.service')}" in out
    assert f"WorkingDirectory={here}\n" in out
    exe = Path(sys.executable).absolute().parent / "napaudit"
    assert (f"ExecStart={exe} batch {here / 'clients.csv'} --db {here / 'runs.db'}\n") in out
    assert f"StandardOutput=append:{here / 'runs-batch.log'}" in out
    assert "OnCalendar=Tue *-*-* 05:45:00\n" in out and "WantedBy=timers.target" in out
    assert not (here / "units").exists()


def test_systemd_install_writes_the_units_once(runner, here):
    args = ["--weekly", "clients.csv", "--systemd", "--install", "--notify", "https://h.test/x"]
    first = runner.invoke(schedule, args)
    assert first.exit_code == 0, first.output
    units = here / "units"
    name = unit(here)
    assert sorted(p.name for p in units.iterdir()) == [f"{name}.service", f"{name}.timer"]
    service = (units / f"{name}.service").read_text()
    assert "--notify https://h.test/x\n" in service
    assert f"Wrote {units / (name + '.timer')}" in first.stdout
    assert ("systemctl --user daemon-reload && systemctl --user enable --now "
            f"{name}.timer") in first.stdout  # fmt: skip
    again = runner.invoke(schedule, args)
    assert f"Unchanged {units / (name + '.service')}" in again.stdout
    assert installed(here) == []


def test_a_bad_notify_target_exits_2(runner, here):
    result = runner.invoke(schedule, ["--weekly", "clients.csv", "--notify", "ftp://x.test/y"])
    assert result.exit_code == 2 and "use a webhook URL" in result.output


def test_two_folders_with_a_clients_file_each_get_two_units(runner, here, monkeypatch):
    """Agency A and agency B both keep a clients.csv: installing B's must not replace A's."""
    names = []
    for agency in ("agency-a", "agency-b"):
        folder = here / agency
        folder.mkdir()
        (folder / "clients.csv").write_text("id,name\nacme,Acme Plumbing\n")
        monkeypatch.chdir(folder)
        result = runner.invoke(schedule, ["--weekly", "clients.csv", "--systemd", "--install"])
        assert result.exit_code == 0, result.output
        names.append(unit(folder))
    assert names[0] != names[1] and all(n.startswith("napaudit-clients-") for n in names)
    written = sorted(p.name for p in (here / "units").iterdir())
    assert written == sorted(f"{n}.{kind}" for n in names for kind in ("service", "timer"))
    # The same folder always gets the same name: installing again changes nothing.
    again = runner.invoke(schedule, ["--weekly", "clients.csv", "--systemd", "--install"])
    assert again.output.count("Unchanged") == 2


def test_install_replaces_a_line_installed_under_the_name_without_a_folder_hash(runner, here):
    earlier = f"0 5 * * 1 cd {here} && napaudit batch x # napaudit-clients: {here / 'clients.csv'}"
    (here / "bin" / "crontab.txt").write_text(f"MAILTO=me\n{earlier}\n")
    result = runner.invoke(schedule, ["--weekly", "clients.csv", "--install"])
    assert result.exit_code == 0, result.output
    assert installed(here) == ["MAILTO=me", result.stdout.strip()]


def test_install_names_a_unit_left_from_the_name_without_a_folder_hash(runner, here):
    units = here / "units"
    units.mkdir()
    (units / "napaudit-clients.service").write_text(
        f"[Unit]\nDescription=napaudit weekly batch of {here / 'clients.csv'}\n"
    )
    result = runner.invoke(schedule, ["--weekly", "clients.csv", "--systemd", "--install"])
    assert result.exit_code == 0, result.output
    assert (f"An earlier unit runs the same clients file: {units / 'napaudit-clients.service'}; "
            "stop it with systemctl --user disable --now napaudit-clients.timer") in result.stderr  # fmt: skip
