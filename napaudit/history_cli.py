"""The commands over stored history: `rejudge` (today's rules on an old run, no network) and
`browse` (the database in Datasette)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import click

from napaudit.auditor.collector import collector_off
from napaudit.auditor.history import HistoryError
from napaudit.auditor.judging import judge_run
from napaudit.lock import run_lock
from napaudit.options import CONTEXT, EnvironmentProblem, InputProblem, db_option, say
from napaudit.runs import open_history, open_store, score_run


@click.command(context_settings=CONTEXT)
@db_option
@click.option("--run", "run_id", type=int, metavar="ID",
              help="The run to judge again.  [default: the latest finished run]")  # fmt: skip
def rejudge(db_path: str, run_id: int | None) -> None:
    """Judge a stored run again with today's rules, as a new run, without the network.

    What each page showed is in the database: every listing of the run is normalized,
    identified and judged again with the rules of this version of napaudit, and stored as a
    new run (the old run keeps its verdicts). Prints how many verdicts changed. Use it after
    an upgrade, so that an improvement reaches past audits; `napaudit report` and
    `napaudit changes` then read the new run.

    \b
    Example:
      napaudit rejudge
      napaudit rejudge --run 3 --db agency.db
    """
    with collector_off():  # the run's records, verdicts and rows hold no cycles
        with open_history(db_path) as history:
            try:
                old = history.run(run_id)
            except HistoryError as exc:
                raise InputProblem(str(exc)) from None
        with run_lock(db_path):
            store = open_store(db_path)
            new = store.start_run("rejudge", {"from_run": old.id}, label=f"rejudge of run {old.id}")
            store.copy_history(old.id, new)
            tally = judge_run(store, new)
            score_run(store, new)
            store.finish_run(new, {"from_run": old.id, **tally})
            with open_history(db_path) as history:
                _, before = history.stored(old.id)
                _, after = history.stored(new)
        changed = _changed(before, after)
        click.echo(f"Re-judged run {old.id} as run {new}: {sum(tally.values())} verdicts, "
                   f"{changed} changed. Stored as run {new} in {db_path}.")  # fmt: skip


def _changed(before: set, after: set) -> int:
    """Verdicts whose status or reason differs (keyed by business, source, listing, field)."""
    old = {row[:4]: row[4:] for row in before}
    new = {row[:4]: row[4:] for row in after}
    return sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))


@click.command(context_settings=CONTEXT)
@db_option
@click.option("--port", type=int, default=8001, show_default=True, help="Port to serve on.")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True,
              help="Open a web browser on it.")  # fmt: skip
def browse(db_path: str, port: int, open_browser: bool) -> None:
    """Open the database in Datasette: every run, listing, check and finding, linked.

    Findings link to their check, which links to the listing and the business version it
    judged; the views latest_findings and latest_problems say what is wrong now, and
    scores_over_time charts each business's score run by run. Needs the optional extra:
    pip install 'napaudit[browse]'.

    \b
    Example:
      napaudit browse
      napaudit browse --db agency.db --port 8080 --no-open
    """
    if importlib.util.find_spec("datasette") is None:
        raise EnvironmentProblem(
            "napaudit browse needs Datasette: pip install 'napaudit[browse]' "
            "(or: pip install datasette)"
        )
    open_history(db_path).close()  # a missing or foreign file fails here, with its name
    with tempfile.TemporaryDirectory() as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(db_path)), encoding="utf-8")
        say(f"Serving {db_path} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        command = [sys.executable, "-m", "datasette", "serve", db_path, "--metadata",
                   str(metadata), "--port", str(port), "--host", "127.0.0.1"]  # fmt: skip
        if open_browser:
            command.append("--open")
        try:
            subprocess.run(command, check=False)
        except KeyboardInterrupt:
            pass


def datasette_metadata(db_path: str) -> dict:
    """The shipped metadata (titles, descriptions, facets, label columns), for this file."""
    template = json.loads((files("napaudit.data") / "datasette.json").read_text("utf-8"))
    database = template["databases"].pop("napaudit")
    template["databases"][Path(db_path).stem] = database
    return template
