"""Opening hours: OSM opening_hours, schema.org openingHours text and openingHoursSpecification,
per-day mappings from directory and API data, and the free text business sites show, all read
into one weekly table of minute intervals (see hours_week), and said back in plain words.

Text is read as OSM syntax first (opening-hours-py, in hours_osm), and only when it is not OSM
syntax by the free-text reader (hours_text). Days a value does not mention are closed, as in
OSM. openingHoursSpecification entries add up, because sites list a split day as two entries.
A value that cannot be read is returned with `problem` set, never raised and never guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from napaudit.auditor.normalize.hours_osm import read_osm
from napaudit.auditor.normalize.hours_text import WORDS, Clock, interval, read_text
from napaudit.auditor.normalize.hours_week import DAY, Interval, Week, canonical, within_days
from napaudit.auditor.normalize.hours_words import describe
from napaudit.auditor.normalize.hours_words_table import Token, plain
from napaudit.auditor.normalize.text import squash

DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
__all__ = ["DAY", "Hours", "Week", "day_differences", "hours_in_words", "normalize_hours"]
__all__ += ["week_in_words"]

_HOLIDAY_KINDS = frozenset(("public", "bank", "school", "national", "federal"))
_SPEC_TIME = re.compile(
    r"\s*(\d{1,2}):(\d\d)(?::\d\d(?:\.\d+)?)?\s*(?:([ap])\.?\s?m\.?)?\s*(?:z|[+-]\d\d:?\d\d)?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hours:
    raw: str  # the value as read; for a list or dict, its compact JSON
    week: Week | None  # Monday..Sunday, each a sorted tuple of (open, close) minutes
    problem: str = ""  # why it was not understood; empty when it was

    def day_text(self, day: int) -> str:
        """'09:00-17:00', '09:00-12:00, 13:00-17:00', 'closed', 'open 24 hours'."""
        if self.week is None:
            return "unknown"
        intervals = self.week[day]
        if not intervals:
            return "closed"
        if intervals == ((0, DAY),):
            return "open 24 hours"
        return ", ".join(f"{_clock_text(start)}-{_clock_text(end)}" for start, end in intervals)


def normalize_hours(raw: object) -> Hours:
    """Text, a list of openingHours strings, openingHoursSpecification dicts, or a mapping of
    day names to their hours; never raises."""
    if raw is None:
        return Hours(raw="", week=None, problem="empty")
    if isinstance(raw, str):
        return _hours_from_text(raw)
    try:
        key = json.dumps(raw, ensure_ascii=False, separators=(",", ":"), default=str)
    except (TypeError, ValueError, RecursionError):
        return Hours(raw="", week=None, problem=f"unsupported value: {type(raw).__name__}")
    if not isinstance(raw, (dict, list, tuple)):
        return Hours(raw=key, week=None, problem=f"unsupported value: {type(raw).__name__}")
    return _hours_from_json(key)


def day_differences(canonical: Hours, found: Hours) -> list[str]:
    """['Sat: closed ≠ 10:00-14:00']: one phrase per day whose hours differ, canonical first."""
    if canonical.week is None or found.week is None:
        return []
    return [
        f"{DAY_ABBREVIATIONS[day]}: {canonical.day_text(day)} ≠ {found.day_text(day)}"
        for day in range(7)
        if canonical.week[day] != found.week[day]
    ]


def week_in_words(hours: Hours) -> str:
    """'Monday to Friday, 8 am to 5 pm; closed on weekends'; unreadable hours come back as
    their own text, squashed."""
    if hours.week is None:
        return squash(hours.raw)
    return describe(hours.week)


def hours_in_words(raw: object) -> str:
    """What a source or a record shows (OSM, schema.org text or specification, free text) in
    plain US-English words; a value that cannot be read comes back as its text, squashed."""
    hours = normalize_hours(raw)
    if (
        hours.week is None
        and isinstance(raw, (list, tuple))
        and all(isinstance(item, str) for item in raw)
    ):
        return squash("; ".join(raw))
    return week_in_words(hours)


def _clock_text(minute: int) -> str:
    # 24:00 closes at midnight; later closes belong to the night after and read as the clock does.
    if minute > DAY:
        minute -= DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


# The same few hundred texts repeat across thousands of listings.
@lru_cache(maxsize=65536)
def _hours_from_text(raw: str) -> Hours:
    text = "\n".join(squash(line) for line in raw.splitlines())
    if not text.strip():
        return Hours(raw=raw, week=None, problem="empty")
    structured = _json_text(text)
    if structured is not None:  # the store keeps structured hours as JSON text
        found = _hours_from_json(structured)
        return Hours(raw=raw, week=found.week, problem=found.problem)
    week, problem = _read_string(text)
    if week is None:
        return Hours(raw=raw, week=None, problem=problem)
    return Hours(raw=raw, week=week)


def _json_text(text: str) -> str | None:
    """The compact JSON of a list or dict written as JSON text, else None."""
    if text.lstrip()[:1] not in ("[", "{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, (list, dict)):
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _read_string(text: str) -> tuple[Week | None, str]:
    """OSM syntax first; free text when it is not OSM.

    The OSM specification lets a rule for Saturday erase the part of Friday's 'Fr 18:00-02:00'
    that falls on Saturday (the library follows it); mappers mean Friday 6 pm to 2 am, and so do
    the other sources compared with them. When the free-text reading, which keeps a night with
    the day it started on, agrees with the library's on every day up to midnight, it is kept.
    """
    osm = read_osm(text.strip().replace("\n", "; "))
    week = read_text(text)
    if osm is not None:
        strict, why = osm
        if strict is None:
            return None, f"not understood ({why}): {squash(text)[:80]!r}"
        if week is None or within_days(week) != within_days(strict):
            return strict, ""
    return week, "" if week is not None else f"not understood: {squash(text)[:80]!r}"


@lru_cache(maxsize=65536)
def _hours_from_json(key: str) -> Hours:
    value = json.loads(key)
    items = value if isinstance(value, list) else [value]
    if not items:
        return Hours(raw=key, week=None, problem="empty")
    week: Week | None = None
    if all(isinstance(item, str) for item in items):
        # A list of openingHours strings is one rule per string.
        week, _ = _read_string("\n".join(squash(item) for item in items if squash(item)))
    elif isinstance(value, dict) and _day_mapping(value) is not None:
        week = read_text(_day_mapping(value))
    elif all(isinstance(item, dict) for item in items):
        week = _read_specification(items)
    if week is None:
        return Hours(raw=key, week=None, problem=f"not understood: {key[:80]!r}")
    return Hours(raw=key, week=week)


def _day_mapping(value: dict) -> str | None:
    """{'Monday': ['7:00am - 6:00pm'], 'Saturday': 'Closed', 'Public Holidays': [...]} as text
    lines ('Monday: 7:00am - 6:00pm'). A day 'not provided' is a day not mentioned: closed."""
    lines = []
    for name, hours in value.items():
        words = [w for w in plain(str(name)).split() if w not in _HOLIDAY_KINDS]
        if not words or not all(WORDS.get(w, Token("")).kind in ("day", "days") for w in words):
            return None
        texts = hours if isinstance(hours, list) else [hours]
        if not all(isinstance(text, str) for text in texts):
            return None
        shown = ", ".join(squash(text) for text in texts)
        if all(WORDS[w].value == frozenset() for w in words):
            continue  # holidays name no weekday, whatever their hours say
        if plain(shown) not in ("not provided", "", "n/a"):
            lines.append(f"{name}: {shown}")
    return "\n".join(lines) if lines else None


def _read_specification(items: list[dict]) -> Week | None:
    week: list[list[Interval]] = [[] for _ in range(7)]
    undated = [item for item in items if not ({"validFrom", "validThrough"} & item.keys())]
    # Dated entries are holiday exceptions beside the weekly pattern, unless they are all there is.
    for item in undated or items:
        days = _spec_days(item.get("dayOfWeek"))
        if days is None:
            return None
        opens, closes = item.get("opens"), item.get("closes")
        if not opens or not closes:
            continue  # a day listed with no times is closed, and unlisted days are closed anyway
        start, end = _spec_clock(opens), _spec_clock(closes)
        pair = interval(start, end) if start and end else None
        if pair is None:
            return None
        for day in days:
            week[day].append(pair)
    return canonical(week)


def _spec_days(value: object) -> frozenset[int] | None:
    """'Monday', 'https://schema.org/Monday', 'schema:Monday' or a list of them."""
    names = value if isinstance(value, list) else [value]
    days: set[int] = set()
    for name in names:
        if not isinstance(name, str):
            return None
        word = re.split(r"[/:#]", name)[-1].strip().lower()
        if word == "publicholidays":
            continue
        kind, day = WORDS.get(word, Token(""))
        if kind != "day":
            return None
        days.add(day)
    return frozenset(days)


def _spec_clock(value: object) -> Clock | None:
    match = _SPEC_TIME.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 47 or int(match[2]) > 59:
        return None
    ap = (match[3] or "").lower()
    # Structured times are 24-hour unless they say otherwise: '9:00' here is never 21:00.
    return Clock(int(match[1]), int(match[2]), ap, not ap)
