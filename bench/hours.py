"""Opening hours read from real third-party strings: how many come out as the right week, per class,
on a held-out half that was not used for tuning.

    .venv/bin/python bench/hours.py              # the held-out half (the figure the README quotes)
    .venv/bin/python bench/hours.py --half study # the study half, with every miss printed
    .venv/bin/python bench/hours.py --list study # the study half's ids and strings, to label them
    .venv/bin/python bench/hours.py --unit       # the realistic unit cases of test_hours_cases.py

Classes: `free text` = the hand-labelled HOURS spans of the US contact pages (consecutive spans
form one schedule); `osm` = OSM opening_hours values in the Overpass answers; `day lists` = the
per-day text directories and APIs show (Google Places weekday_text, Yellow Pages AU app state).
Identical strings within a class count once. Each case gets a stable id (file and position); the
split is by a hash of that id, fixed before any held-out string was labelled or scored. The
expected weeks are written by hand in tests/fixtures/hours/realdata_expected.json, keyed by id;
the strings themselves stay in ../shared/realdata. Needs that folder (or NAPAUDIT_REALDATA).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")
EXPECTED = ROOT / "tests" / "fixtures" / "hours" / "realdata_expected.json"
CLASSES = ("free text", "osm", "day lists")
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # one of CLASSES
    raw: object  # text, a list of lines, or a {day name: [text]} mapping


def collect(realdata: Path = REALDATA) -> list[Case]:
    cases = _contact_pages(realdata) + _overpass(realdata) + _google(realdata) + _yellow(realdata)
    seen: set[tuple[str, str]] = set()
    unique = []
    for case in cases:
        key = (case.kind, _squash(json.dumps(case.raw, sort_keys=True, ensure_ascii=False)))
        if key not in seen:
            seen.add(key)
            unique.append(case)
    return unique


def half_of(case_id: str) -> str:
    """'study' or 'heldout', from a hash of the id alone: the split never looks at the strings."""
    return "study" if hashlib.sha256(case_id.encode()).digest()[0] % 2 == 0 else "heldout"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _contact_pages(realdata: Path) -> list[Case]:
    folder = realdata / "pages" / "us-contact-pages" / "wa"
    cases = []
    for path in sorted(folder.glob("*.html"), key=lambda p: int(p.stem)):
        tree = lxml_html.fromstring(path.read_bytes())
        for k, text in enumerate(_hours_blocks(tree)):
            cases.append(Case(f"wa/{path.stem}#{k}", "free text", text))
    return cases


def _hours_blocks(tree) -> list[str]:
    """Consecutive HOURS spans with nothing but spaces or punctuation between them form one
    schedule ('Sun-Thurs:' <br> '9:00AM-9:00PM'); any other text in between starts a new one."""
    blocks: list[list[str]] = []
    joined = False  # True while only spaces or punctuation followed the last HOURS span
    for node, text in _walk(tree):
        if node == "hours":
            if joined and blocks:
                blocks[-1].append(text)
            else:
                blocks.append([text])
            joined = True
        elif re.search(r"\w", text):
            joined = False
    out = []
    for parts in blocks:
        text = "\n".join(part.strip() for part in parts if part.strip())
        if re.search(r"\w", text):
            out.append(text)
    return out


def _walk(element):
    """(kind, text) in document order; an HOURS span yields its whole text once."""
    if element.get("wa-type") == "HOURS":
        yield "hours", element.text_content()
        if element.tail:
            yield "text", element.tail
        return
    if isinstance(element.tag, str) and element.tag not in ("script", "style") and element.text:
        yield "text", element.text
    for child in element:
        yield from _walk(child)
    if element.tail:
        yield "text", element.tail


def _overpass(realdata: Path) -> list[Case]:
    cases = []
    for path in sorted((realdata / "api" / "overpass-api").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for element in data.get("elements", []):
            value = (element.get("tags") or {}).get("opening_hours")
            if value:
                cases.append(Case(f"overpass/{path.stem}#{element['id']}", "osm", value))
    return cases


def _google(realdata: Path) -> list[Case]:
    paths = sorted((realdata / "api" / "google-places-api").glob("*.json"))
    paths += sorted((realdata / "realweb" / "api" / "google_places").glob("*.json"))
    cases = []
    for path in paths:
        for k, lines in enumerate(_find_key(json.loads(path.read_text(encoding="utf-8")))):
            if lines:
                cases.append(Case(f"google/{path.stem}#{k}", "day lists", lines))
    return cases


def _find_key(value: object) -> list[list[str]]:
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            if key in ("weekday_text", "weekdayDescriptions") and isinstance(inner, list):
                found.append(inner)
            else:
                found += _find_key(inner)
        return found
    if isinstance(value, list):
        return [lines for inner in value for lines in _find_key(inner)]
    return []


def _yellow(realdata: Path) -> list[Case]:
    path = realdata / "pages" / "directories" / "client-crawler-yellowpages.html"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    found = re.findall(r'"openingHours":(\{[^{}]*\})', text)
    cases = []
    for k, blob in enumerate(found):
        days = json.loads(blob)
        if days:
            cases.append(Case(f"yellowpages-au#{k}", "day lists", days))
    return cases


def expected_weeks(path: Path = EXPECTED) -> dict[str, list[str] | str]:
    """id -> seven day strings ('09:00-17:00', '09:00-12:00,13:00-17:00', 'closed', '24h'),
    or 'unreadable' where a careful reader finds no single week in the string."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def week_of(expected: list[str] | str):
    """A hand-written expectation as the table normalize_hours returns (None: unreadable)."""
    if expected == "unreadable":
        return None
    days = []
    for text in expected:
        intervals = []
        for part in [] if text == "closed" else text.split(","):
            if part == "24h":
                intervals.append((0, 1440))
                continue
            start, end = (int(c[:2]) * 60 + int(c[3:]) for c in part.split("-"))
            intervals.append((start, end if end > start else end + 1440))
        days.append(tuple(intervals))
    return tuple(days)


def score(cases: list[Case], expected: dict, half: str) -> dict[str, Counter]:
    """Per class: right (the week, or 'unreadable' where that is right), missed (read as
    unreadable though a week was there), wrong (a week that is not the one written)."""
    from napaudit.auditor.normalize.hours import normalize_hours

    tally = {kind: Counter() for kind in CLASSES}
    for case in cases:
        if half_of(case.id) != half or case.id not in expected:
            continue
        want = week_of(expected[case.id])
        got = normalize_hours(case.raw).week
        outcome = "right" if got == want else "missed" if got is None else "wrong"
        tally[case.kind][outcome] += 1
        if outcome != "right":
            tally[case.kind][f"miss:{case.id}"] += 1
    return tally


def unit_cases() -> None:
    """The share of the realistic unit cases (tests/test_hours_cases.py) read right, per class."""
    sys.path.insert(0, str(ROOT / "tests"))
    from napaudit.auditor.normalize.hours import normalize_hours
    from test_hours_cases import CASES

    for kind, cases in CASES.items():
        right = sum(normalize_hours(raw).week == want for raw, want in cases)
        print(f"  {kind:10} {right:3}/{len(cases):<3} = {right / len(cases):.2f} right")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("study", "heldout"), default="heldout")
    parser.add_argument("--list", choices=("study", "heldout"), help="print ids and strings")
    parser.add_argument("--unit", action="store_true", help="score the unit cases instead")
    args = parser.parse_args()
    if args.unit:
        unit_cases()
        return
    if not REALDATA.exists():
        sys.exit(f"real data not present: {REALDATA}")
    sys.path.insert(0, str(ROOT))
    cases = collect()
    if args.list:
        for case in cases:
            if half_of(case.id) == args.list:
                print(f"{case.id}\t{case.kind}\t{json.dumps(case.raw, ensure_ascii=False)}")
        return
    expected = expected_weeks()
    tally = score(cases, expected, args.half)
    print(f"{args.half} half ({REALDATA}):")
    for kind in CLASSES:
        counts = tally[kind]
        total = counts["right"] + counts["missed"] + counts["wrong"]
        share = counts["right"] / total if total else 0.0
        missed, wrong = counts["missed"], counts["wrong"]
        print(f"  {kind:10} {counts['right']:3}/{total:<3} = {share:.2f} right; "
              f"{missed} unreadable with a week, {wrong} wrong week")  # fmt: skip
        if args.half == "study":
            for key in sorted(k for k in counts if k.startswith("miss:")):
                print(f"      {key[5:]}")
    unlabelled = [c.id for c in cases if half_of(c.id) == args.half and c.id not in expected]
    if unlabelled:
        print(f"  {len(unlabelled)} cases of this half have no expected week yet")


if __name__ == "__main__":
    main()
