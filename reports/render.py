"""Render the report data (reports.build) as HTML pages, a CSV of fixes, or JSON (the PDF is
the HTML printed: reports.pdf).

HTML pages are self-contained: inline CSS and SVG, no script, no font or file from elsewhere,
and a Content-Security-Policy that forbids scripts, so that a page stays inert even if scraped
text ever slipped past the escaping. Jinja2 autoescapes everything, and nothing is marked safe.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from napaudit.auditor.config import Branding
from napaudit.reports.brand import brand_view
from napaudit.reports.export import csv_safe, csv_writer
from napaudit.reports.wording import (
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    day,
    is_link,
    link_label,
)

CSV_COLUMNS = ("business_id", "business", "rank", "kind", "source", "field", "action", "from",
               "to", "severity", "priority", "reason", "fix_url", "listing_url",
               "root_cause_origin", "instruction", "evidence")  # fmt: skip
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w")
GAUGE_RADIUS = 52
GOOD, FAIR = 90, 70  # score bands: green from GOOD, amber from FAIR, red below


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("napaudit.reports", "templates"),
        autoescape=True,  # every page shows scraped text: escaping is never optional
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day
    env.filters["grade"] = grade
    env.filters["site"] = link_label
    env.filters["address"] = web_address
    env.filters["css_text"] = css_text
    env.filters["first_upper"] = lambda text: text[:1].upper() + text[1:]
    env.tests["weblink"] = is_link
    env.globals.update(
        status_labels=STATUS_LABELS, outcome_labels=OUTCOME_LABELS, severity_labels=SEVERITY_LABELS
    )
    return env


def pages(data: dict, portfolio: bool, brand: Branding | None, printed: bool = False):
    """(file name, HTML) of every page: one per business, then the portfolio's index.html."""
    env = environment()
    page = env.get_template("business.html")
    look = brand_view(brand)
    context = {"data": data, "portfolio": portfolio, "brand": look, "printed": printed}
    for business in data["businesses"]:
        yield business["page"], page.render(b=business_view(business), **context)
    if portfolio:
        rows = sorted(data["businesses"], key=_worst_first)
        html = env.get_template("index.html").render(rows=rows, summary=_summary(rows), **context)
        yield "index.html", html


def write_html(data: dict, out: Path, portfolio: bool = True, brand=None) -> list[Path]:
    """One page per business, then (with `portfolio`) the agency's index.html."""
    written = []
    for name, html in pages(data, portfolio, brand):
        path = out / name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def write_csv(data: dict, path: Path, bom: bool = False) -> Path:
    """One row per fix, in rank order per business; every cell safe to open in a spreadsheet
    (with `bom`, a byte order mark first, for Excel)."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv_writer(stream)
        writer.writerow(CSV_COLUMNS)
        for b in data["businesses"]:
            for f in b["fixes"]:
                row = (b["id"], b["name"], f["rank"], f["kind"], f["source"], f["field"],
                       f["action"], f["from"], f["to"], f["severity"], f["priority"],
                       f["reason"], f["fix_url"], f["listing_url"], f["root_cause"],
                       f["text"], (f["evidence"] or {}).get("text"))  # fmt: skip
                writer.writerow([csv_safe(cell) for cell in row])
    return path


def write_json(data: dict, path: Path) -> Path:
    """One JSON document, written a business per line: json's C encoder works only without
    `indent`, and a whole portfolio as one string would double the memory a report takes."""
    head = {k: v for k, v in data.items() if k != "businesses"}
    with path.open("w", encoding="utf-8") as stream:
        stream.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "businesses": [')
        for n, business in enumerate(data["businesses"]):
            stream.write(("\n" if not n else ",\n") + json.dumps(business, ensure_ascii=False))
        stream.write("\n]}\n")
    return path


def business_view(b: dict) -> dict:
    """The business's data plus what only the page needs: diffs and chart geometry."""
    # A listing's table shows what differs; the details shown exactly as yours are named below it.
    listings = [
        {**x, "rows": [{**f, **_diff_of(f)} for f in x["fields"] if f["status"] != "match"],
         "matched": [f["field_label"] for f in x["fields"] if f["status"] == "match"],
         "problems": sum(1 for f in x["fields"] if f["status"] in ("mismatch", "missing"))}
        for x in b["listings"]
    ]  # fmt: skip
    gaps = set(b["coverage"]["sources_missing"])
    # Sites in the order of their first fix in the list above; then the correct ones, by name.
    first = {}
    for f in b["fixes"]:
        first.setdefault((f["source"], f["listing_key"]), f["rank"])
    listings.sort(key=lambda x: (first.get((x["source"], x["listing_key"]), len(b["fixes"]) + 1),
                                 x["source_name"].lower()))  # fmt: skip
    return {
        **b,
        "listings": listings,
        "gauge": gauge(b["score"]),
        "bars": bars(b["scores"]["fields"], b["listings"]),
        "chart": line_chart(b["history"]) if len(b["history"]) > 1 else None,
        "main_fixes": [f for f in b["fixes"] if f["kind"] != "optional"],
        "optional": [f for f in b["fixes"] if f["kind"] == "optional"],
        "not_searched": [n for n in b["not_checked"] if n["outcome"] == "skipped"],
        "unchecked": [
            n
            for n in b["not_checked"]
            if n["outcome"] != "skipped"
            and not (n["outcome"] == "not_found" and n["source"] in gaps)
        ],
    }


def web_address(url: str) -> str:
    """'https://www.example.com/contact.html' -> 'example.com/contact.html'."""
    rest = url.split("://", 1)[-1]
    return link_label(url) + (rest[rest.index("/") :] if "/" in rest else "")


def css_text(text: str) -> str:
    """Text for a CSS string (a printed page's margin boxes): every character but ASCII letters
    and digits as a CSS escape, so no quote, backslash or "</style" can end it."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}"
                   for c in str(text))  # fmt: skip


def diff(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both strings as (text, differs) segments: the words that differ, case aside.

    Punctuation and spacing are left out of the comparison ("(714) 555-0142" against
    "714-555-0199" highlights only 0142 and 0199), and a gap between two differing words is
    highlighted with them, so "Suite 210" reads as one change.
    """
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    wa = [i for i, t in enumerate(ta) if _WORD.match(t)]
    wb = [j for j, t in enumerate(tb) if _WORD.match(t)]
    fa, fb = [False] * len(ta), [False] * len(tb)
    matcher = SequenceMatcher(
        None, [ta[i].lower() for i in wa], [tb[j].lower() for j in wb], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            for k in range(i1, i2):
                fa[wa[k]] = True
            for k in range(j1, j2):
                fb[wb[k]] = True
    return _segments(ta, fa, wa), _segments(tb, fb, wb)


def _segments(tokens: list[str], flags: list[bool], words: list[int]) -> list[tuple[str, bool]]:
    if words and all(flags[i] for i in words):  # nothing in common: the whole value differs
        flags = [True] * len(tokens)
    for before, after in zip(words, words[1:], strict=False):
        if flags[before] and flags[after]:
            for k in range(before + 1, after):
                flags[k] = True
    segments: list[tuple[str, bool]] = []
    for text, differs in zip(tokens, flags, strict=True):
        if segments and segments[-1][1] == differs:
            segments[-1] = (segments[-1][0] + text, differs)
        else:
            segments.append((text, differs))
    return segments


def _diff_of(f: dict) -> dict:
    """Only a wrong value is highlighted: a variant is right, written differently, and a
    highlight there would read as a mistake."""
    mine, theirs = f["canonical_text"], f["found_text"]
    if f["status"] == "mismatch" and mine and theirs:
        mine_parts, their_parts = diff(mine, theirs)
    else:
        mine_parts, their_parts = [(mine, False)], [(theirs, False)]
    return {"canonical_parts": mine_parts, "found_parts": their_parts}


def grade(score: float | None) -> str:
    if score is None:
        return "none"
    return "good" if score >= GOOD else "fair" if score >= FAIR else "poor"


def short_day(stamp: str) -> str:
    """'2026-11-24T02:40:54+00:00' -> 'Nov 24'."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{moment:%b} {moment.day}"


def gauge(score: float | None) -> dict:
    circumference = 2 * math.pi * GAUGE_RADIUS
    share = (score or 0) / 100
    return {"r": GAUGE_RADIUS, "c": round(circumference, 2),
            "dash": round(circumference * share, 2)}  # fmt: skip


def bars(fields: dict[str, float], listings: list[dict]) -> list[dict]:
    labels = {f["field"]: f["field_label"] for x in listings for f in x["fields"]}
    return [
        {"label": labels.get(name, name), "score": value, "width": round(3.6 * value, 1),
         "y": 8 + 30 * i}
        for i, (name, value) in enumerate(fields.items())
    ]  # fmt: skip


def line_chart(history: list[dict], width: int = 640, height: int = 200) -> dict:
    """Point positions of the score over time: x by run, y by score (0 at the bottom)."""
    left, right, top, bottom = 64, 56, 24, 44
    span = max(len(history) - 1, 1)
    every = max(1, math.ceil(len(history) / 8))  # at most ~8 date labels, so they never overlap
    points = []
    for i, h in enumerate(history):
        x = left + (width - left - right) * i / span
        y = top + (height - top - bottom) * (100 - h["score"]) / 100
        label = short_day(h["started_at"]) if i % every == 0 or i == len(history) - 1 else ""
        points.append({"x": round(x, 1), "y": round(y, 1), "score": h["score"], "label": label,
                       "run_id": h["run_id"], "day": day(h["started_at"])})  # fmt: skip
    grid = [{"value": v, "y": round(top + (height - top - bottom) * (100 - v) / 100, 1)}
            for v in (0, 50, 100)]  # fmt: skip
    return {"width": width, "height": height, "left": left, "right": width - right,
            "base": height - bottom, "points": points, "grid": grid,
            "path": " ".join(f"{p['x']},{p['y']}" for p in points)}  # fmt: skip


def _worst_first(b: dict) -> tuple:
    return (b["score"] is None, b["score"] if b["score"] is not None else 0, b["name"].lower(),
            b["id"])  # fmt: skip


def _summary(rows: list[dict]) -> dict:
    scores = [b["score"] for b in rows if b["score"] is not None]
    return {
        "clients": len(rows),
        "average": round(sum(scores) / len(scores)) if scores else None,
        "urgent": sum(b["urgent"] for b in rows),
        "needs_work": sum(1 for s in scores if s < GOOD),
        "good": GOOD,
        "gaps": sum(len(b["coverage"]["sources_missing"]) for b in rows),
    }
