"""`napaudit changes`: what changed for each business between two runs, in an owner's words."""

from __future__ import annotations

import json

import click

from napaudit.options import CONTEXT, InputProblem, db_option
from napaudit.reports.changes import Changes, ChangesError, changes_since

NOTHING_YET = "Only one run: nothing to compare yet."
# The summary's order and words: (count key, singular, plural).
SUMMARY = (
    ("regressions", "regression", "regressions"),
    ("new_problems", "new problem", "new problems"),
    ("still_wrong", "wrong value changed", "wrong values changed"),
    ("fixed", "fix", "fixes"),
    ("new_duplicates", "new duplicate", "new duplicates"),
    ("gone", "listing gone", "listings gone"),
    ("back", "listing back", "listings back"),
    ("unreachable", "source unreachable", "sources unreachable"),
    ("reachable_again", "source reachable again", "sources reachable again"),
)


@click.command(context_settings=CONTEXT)
@db_option
@click.option("--business", metavar="ID", help="Only this business (its id in your clients file).")
@click.option("--since", metavar="RUN|DATE",
              help="Compare with this run (an id), or with the last run before this date "
                   "(2026-05-01). Default: each business's previous run.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: sentences a business; json: all details.")  # fmt: skip
def changes(db_path: str, business: str | None, since: str | None, fmt: str) -> None:
    """Say what changed for each business since its last run, worst news first.

    Regressions come first, then new problems, wrong values that changed to other wrong values,
    new duplicates, listings gone, sources that could not be checked, fixes and listings back.

    A regression is a detail that was right and is wrong now; "broke again" means it had been
    wrong before, was fixed, and is wrong once more (aggregators re-push old data).

    \b
    Example:
      napaudit changes
      napaudit changes --business harbor-lane --since 2026-05-01
      napaudit changes --since 12 --format json
    """
    try:
        found = changes_since(db_path, since, business)
    except ChangesError as exc:
        raise InputProblem(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
        return
    if not found.businesses:
        click.echo(NOTHING_YET)
        return
    for line in text_lines(found):
        click.echo(line)


def text_lines(found: Changes) -> list[str]:
    lines = []
    for b in found.businesses:
        head = f"{b.name} ({b.business_id}), run {b.old_run} \u2192 run {b.new_run}"
        items = b.items()
        lines.append(f"{head}:" if items else f"{head}: no changes.")
        lines.extend(f"  {item.text}" for item in items)
    if found.first_check:
        lines.append(f"First check, nothing earlier to compare: {', '.join(found.first_check)}.")
    lines.append(summary_line(found))
    return lines


def summary_line(found: Changes) -> str:
    counts = found.counts()
    n = len(found.businesses)
    parts = []
    for key, one, many in SUMMARY:
        value = counts.get(key, 0)
        if not value:
            continue
        text = f"{value} {one if value == 1 else many}"
        if key == "regressions" and counts.get("broke_again"):
            text += f" ({counts['broke_again']} broke again)"
        parts.append(text)
    what = ", ".join(parts) or "no changes"
    return f"{n} business{'' if n == 1 else 'es'} compared: {what}."
