"""OSM opening_hours values, read by opening-hours-py (the Rust opening-hours crate), then laid out
as one week.

The library implements the whole specification (`;` replaces, `,` adds, `off` closes part of a
day, `Mo-Su` alone is open all day, `PH`, months, weeks, fallbacks), so the reading here is only:
evaluate the value and keep the week that holds. A value with months, weeks, dates, easter or
nth weekdays is evaluated over a reference year; any other value repeats every week.

A weekly table cannot say everything OSM can. What comes back unreadable, with the reason:
- seasonal values: no single week holds for at least 47 of the 52 weeks of the year
  ('Jan-Mar ...; Apr-Dec ...', 'week 1-26 ...', 'Mo[1] off'). Short exceptions (a closed
  week, 'Dec 25 off', 'easter off') are set aside, as public holidays are.
- values with a year ('2024 Mo-Fr ...'): which year they mean is not a week.
- times that follow the sun ('sunrise-sunset'), an open end ('18:00+'), 'unknown', and a
  comment standing for a whole day's hours ('Sa "by appointment"').
Public and school holidays name no ordinary weekday: no country is given, so they never apply.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache

from napaudit.auditor.normalize.hours_week import DAY, Interval, Week, canonical
from opening_hours import OpeningHours, ParserError, State

# 2029 is a common year that starts on a Monday: its 52 weeks are Monday-first from 1 January.
_YEAR_START = datetime(2029, 1, 1)
_MINUTE = timedelta(minutes=1)
_WEEKS = 52
_HOLDS = 47  # of 52 weeks: anything shorter than about five weeks is an exception, not a season
_SUN = re.compile(r"sunrise|sunset|dawn|dusk", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d:])(?:19|20)\d\d(?![\d:])")
_OPEN_END = re.compile(r"\d\+")
# Selectors that can make one week differ from another; without them one week is the year.
_SEASONAL = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|easter)|\[", re.IGNORECASE
)
_DAY_RANGE_SPACES = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\s+-\s+(Mo|Tu|We|Th|Fr|Sa|Su)\b")
_DAYS_24_7 = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)(\s*)24/7")


@lru_cache(maxsize=16384)
def read_osm(text: str) -> tuple[Week | None, str] | None:
    """(week, '') or (None, why) for an OSM value; None when the text is not OSM syntax."""
    hours = _parse(text)
    if hours is None:
        return None
    written = str(hours.normalize())
    for pattern, why in (
        (_SUN, "times follow sunrise or sunset"),
        (_YEAR, "rules for given years"),
        (_OPEN_END, "an opening with no closing time"),
    ):
        if pattern.search(written):
            return None, why
    return _week_that_holds(hours, _WEEKS if _SEASONAL.search(written) else 1)


def _parse(text: str) -> OpeningHours | None:
    """The value as written, else after format-only repairs mappers often need."""
    repaired = _DAY_RANGE_SPACES.sub(r"\1-\2", re.sub("[\u2010-\u2015\u2212]", "-", text))
    # 'Mo-Fr 24/7' is common in OSM data and means all day on those days; 'daily' is Mo-Su.
    repaired = _DAYS_24_7.sub(r"\1 00:00-24:00", repaired)
    repaired = re.sub(r"\bdaily\b", "Mo-Su", repaired, flags=re.IGNORECASE)
    for candidate in dict.fromkeys((text.strip(), repaired.strip())):
        if not candidate:
            continue
        try:
            return OpeningHours(candidate)
        except ParserError:
            continue
    return None


def _week_that_holds(hours: OpeningHours, weeks: int) -> tuple[Week | None, str]:
    end = _YEAR_START + timedelta(weeks=weeks, days=1)
    days: list[list[Interval]] = [[] for _ in range(weeks * 7 + 1)]
    for start, stop, state, comment in hours.intervals(_YEAR_START, end):
        if state == State.CLOSED:
            continue
        if state == State.UNKNOWN:
            return None, "hours marked unknown"
        if comment and stop - start >= timedelta(days=1):
            return None, f"a whole day given as a note: {comment!r}"
        _lay_out(days, start, stop)
    if not _agrees_with_states(hours, days):
        return None, "a fallback rule the weekly table cannot follow"
    tally = Counter(canonical(days[w * 7 : w * 7 + 7]) for w in range(weeks))
    week, count = tally.most_common(1)[0]
    if count < min(weeks, _HOLDS):
        return None, "seasonal: the hours change from week to week"
    return week, ""


def _lay_out(days: list[list[Interval]], start: datetime, stop: datetime) -> None:
    """Cut an opening at each midnight into the days of the year."""
    first, offset = divmod((start - _YEAR_START) // _MINUTE, DAY)
    length = (stop - start) // _MINUTE
    day = first
    while length > 0 and day < len(days):
        piece = min(length, DAY - offset)
        days[day].append((offset, offset + piece))
        length -= piece
        offset = 0
        day += 1


def _agrees_with_states(hours: OpeningHours, days: list[list[Interval]]) -> bool:
    """The library's interval listing and its state at a given time agree at noon and at 3 am
    through the first week; a fallback rule ('|| "by appointment"') has been seen to split them."""
    for day in range(7):
        for minute in (180, 720):
            moment = _YEAR_START + timedelta(days=day, minutes=minute)
            is_open = any(start <= minute < end for start, end in days[day])
            if is_open != (hours.state(moment)[0] == State.OPEN):
                return False
    return True
