"""Opening hours: schema.org openingHours text, openingHoursSpecification, OSM opening_hours and
the free text business sites show, all read into one weekly table of minute intervals.

Days a value does not mention are closed, as in OSM. Later rules replace earlier ones for the days
they name ("Mo-Su 10:00-22:00; Su off"), as in OSM; openingHoursSpecification entries add up
instead, because sites list a split day as two entries. A value that cannot be read is returned
with `problem` set, never raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from napaudit.auditor.normalize.text import squash

DAY = 1440  # minutes
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EVERY_DAY = frozenset(range(7))

Interval = tuple[int, int]
Week = tuple[tuple[Interval, ...], ...]


class Token(NamedTuple):
    kind: str  # day, days, time, closed, allday, dash, comma, sep, break, doubt
    value: Any = None


class Clock(NamedTuple):
    hour: int
    minute: int
    ap: str  # "a", "p" or "" when no am/pm was written
    fixed: bool  # written so it can only be a 24-hour time ("09:00", "18:00", "0:30")


def _word_table() -> dict[str, Token]:
    table: dict[str, Token] = {}
    spellings = ("m mo mon", "tu tue tues", "we wed weds", "th thu thur thurs", "f fr fri")
    spellings += ("sa sat", "su sun")
    for day, names in enumerate(spellings):
        for name in (*names.split(), _FULL_NAMES[day], _FULL_NAMES[day] + "s"):
            table[name] = Token("day", day)
    # "w", "t" and "s" alone are left out: too many words shorten to them.
    groups = {
        "daily everyday": _EVERY_DAY,
        "weekday weekdays": frozenset(range(5)),
        "weekend weekends": frozenset({5, 6}),
        # Holiday rules name no weekday; reading them as no days at all drops them.
        "ph sh holiday holidays": frozenset(),
    }
    for names, days in groups.items():
        table.update(dict.fromkeys(names.split(), Token("days", days)))
    table.update(dict.fromkeys(("closed", "off"), Token("closed")))
    table.update(dict.fromkeys(("to", "through", "thru", "till", "til", "until"), Token("dash")))
    table["and"] = Token("comma")
    # 'closed for lunch 12-1' would read as opening hours; better not understood than wrong.
    table["lunch"] = Token("doubt")
    table["noon"] = Token("time", Clock(12, 0, "p", False))
    table["midnight"] = Token("time", Clock(12, 0, "a", False))
    return table


_WORDS = _word_table()
_DASHES = re.compile("[\u2010-\u2015\u2212~]")
_AMPM = r"(?:(?P<ap>[ap])\.?\s?m(?![a-z])\.?|(?P<ap1>[ap])(?![a-z]))"
_TOKEN = re.compile(
    r"(?P<sep>[;\n|])"
    r"|(?P<always>24\s*[/x]\s*7)"
    r"|(?P<allday>24\s*(?:hours|hour|hrs|hr|h)(?![a-z])|all\s+day|around\s+the\s+clock)"
    r"|(?P<every>(?:7|seven)\s+days|every\s+day)"
    rf"|(?P<time>(?<!\d)(?P<h>\d{{1,2}})(?:[:.](?P<m>\d\d))?(?::\d\d)?(?!\d)\s*{_AMPM}?)"
    r"|(?P<dash>-)|(?P<comma>[,&/+])"
    r"|(?P<word>[a-z]+(?:'[a-z]+)*)|(?P<num>\d+)"
)
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
    """Text, a list of openingHours strings, or openingHoursSpecification dicts; never raises."""
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
    week = _read_text(text)
    if week is None:
        return Hours(raw=raw, week=None, problem=f"not understood: {squash(raw)[:80]!r}")
    return Hours(raw=raw, week=week)


@lru_cache(maxsize=65536)
def _hours_from_json(key: str) -> Hours:
    value = json.loads(key)
    items = value if isinstance(value, list) else [value]
    if not items:
        return Hours(raw=key, week=None, problem="empty")
    if all(isinstance(item, str) for item in items):
        # A list of openingHours strings is one rule per string.
        week = _read_text("\n".join(squash(item) for item in items))
    elif all(isinstance(item, dict) for item in items):
        week = _read_specification(items)
    else:
        week = None
    if week is None:
        return Hours(raw=key, week=None, problem=f"not understood: {key[:80]!r}")
    return Hours(raw=key, week=week)


def _read_text(text: str) -> Week | None:
    tokens = _tokens(_DASHES.sub("-", text.lower()))
    rules = _pair(_groups(tokens))
    if not rules or any(spec is None for _, spec in rules):
        return None
    if any(token.kind == "doubt" for token in tokens):
        return None
    week: list[list[Interval]] = [[] for _ in range(7)]
    for days, spec in rules:
        for day in days:
            week[day] = list(spec)
    return tuple(_merge(intervals) for intervals in week)


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "break"
        if kind == "always":
            tokens += [Token("days", _EVERY_DAY), Token("allday")]
        elif kind == "every":
            tokens.append(Token("days", _EVERY_DAY))
        elif kind == "time":
            tokens.append(_time_token(match))
        elif kind == "word":
            tokens.append(_WORDS.get(match["word"], Token("break")))
        else:
            tokens.append(Token("break" if kind == "num" else kind))
    return tokens


def _time_token(match: re.Match[str]) -> Token:
    digits = match["h"]
    hour, minute = int(digits), int(match["m"] or 0)
    if hour > 47 or minute > 59:  # OSM writes a close after midnight as up to 47:59
        return Token("break")
    ap = match["ap"] or match["ap1"] or ""
    fixed = (len(digits) == 2 and digits[0] == "0") or hour == 0 or hour > 12
    return Token("time", Clock(hour, minute, "" if fixed else ap, fixed))


_GROUP_OF = {"day": "D", "days": "D", "time": "T", "closed": "T", "allday": "T"}


def _groups(tokens: list[Token]) -> list[Token]:
    """Runs of day tokens become ('D', days), runs of time tokens ('T', intervals or None).

    Any other word ends a run, so 'We are open Mon-Fri' keeps 'We' apart from 'Mon-Fri'.
    """
    groups: list[Token] = []
    run: list[Token] = []
    kind = ""

    def close_run() -> None:
        if run:
            groups.append(Token("D", _day_set(run)) if kind == "D" else Token("T", _time_spec(run)))
            run.clear()

    for token in tokens:
        group = _GROUP_OF.get(token.kind, "")
        if group and group != kind:
            close_run()
            kind = group
        if group or (run and token.kind in ("dash", "comma")):
            run.append(token)
            continue
        close_run()
        kind = ""
        if token.kind == "sep":
            groups.append(token)
    close_run()
    return groups


def _day_set(run: list[Token]) -> frozenset[int]:
    days: set[int] = set()
    i = 0
    while i < len(run):
        if run[i].kind == "days":
            days |= run[i].value
        elif [t.kind for t in run[i : i + 3]] == ["day", "dash", "day"]:
            first, last = run[i].value, run[i + 2].value
            days |= {(first + k) % 7 for k in range((last - first) % 7 + 1)}  # 'Fr-Mo' wraps
            i += 2
        elif run[i].kind == "day":
            days.add(run[i].value)
        i += 1
    return frozenset(days)


def _time_spec(run: list[Token]) -> tuple[Interval, ...] | None:
    """The intervals of a run like '08:00-12:00, 13:00-17:30'; () = closed; None = not read."""
    intervals: list[Interval] = []
    understood = False
    i = 0
    while i < len(run):
        if run[i].kind == "closed":
            understood = True
        elif run[i].kind == "allday":
            intervals.append((0, DAY))
        elif [t.kind for t in run[i : i + 3]] == ["time", "dash", "time"]:
            interval = _interval(run[i].value, run[i + 2].value)
            if interval is None:
                return None
            intervals.append(interval)
            i += 2
        i += 1
    return tuple(intervals) if intervals or understood else None


def _pair(groups: list[Token]) -> list[tuple[frozenset[int], Any]]:
    """Match each day group with its times: 'Mon-Fri 9-5' and '9-5 Mon-Fri' both read.

    Text that starts time-first ('Closed Sundays') pairs each time with the days after it;
    otherwise times follow their days, and a time with no days of its own covers every day,
    as in OSM ('10:00-20:00; Su off').
    """
    first = _next_real(groups, 0)
    time_first = first is not None and _kinds(groups, first, 2) == ["T", "D"]
    rules: list[tuple[frozenset[int], Any]] = []
    i = 0
    while i < len(groups):
        kind, value = groups[i]
        after = _next_real(groups, i + 1)
        if kind == "D" and after is not None and groups[after].kind == "T":
            rules.append((value, groups[after].value))
            i = after + 1
            continue
        if kind == "T":
            then = _next_real(groups, i + 2)
            own_time = then is not None and groups[then].kind == "T"
            if _kinds(groups, i + 1, 1) == ["D"] and (time_first or not own_time):
                rules.append((groups[i + 1].value, value))
                i += 2
                continue
            rules.append((_EVERY_DAY, value))
        i += 1
    return rules


def _kinds(groups: list[Token], start: int, count: int) -> list[str]:
    return [group.kind for group in groups[start : start + count]]


def _next_real(groups: list[Token], start: int) -> int | None:
    for i in range(start, len(groups)):
        if groups[i].kind != "sep":
            return i
    return None


def _minutes(clock: Clock, ap: str) -> int:
    hour = clock.hour
    if ap and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ap == "p" else 0)
    return hour * 60 + clock.minute


def _interval(start: Clock, end: Clock) -> Interval | None:
    """Minutes from two clock readings, guessing the am/pm that was left out.

    '9-5' is 09:00-17:00 and '9-5pm' 09:00-17:00, but '1-5pm' is 13:00-17:00: a missing half of
    the day is the one that keeps the opening before the closing. A close at or before the
    opening is after midnight and keeps counting past 1440 ('18:00-02:00' -> 1080-1560).
    """
    if start.ap or start.fixed or not end.ap:
        opens = _minutes(start, start.ap)
    else:
        opens = _minutes(start, end.ap)
        if opens >= _minutes(end, end.ap):
            opens = _minutes(start, "p" if end.ap == "a" else "a")
    if end.ap or end.fixed:
        candidates = [_minutes(end, end.ap)]
    else:
        candidates = [_minutes(end, ""), _minutes(end, "") + 720]
    later = [c for c in candidates if c > opens]
    closes = min(later) if later else candidates[0] + DAY
    if closes % DAY == DAY - 1:  # '23:59' means until midnight
        closes += 1
    if opens >= DAY or closes - opens > DAY:
        return None
    return (opens, closes)


def _merge(intervals: list[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


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
        interval = _interval(start, end) if start and end else None
        if interval is None:
            return None
        for day in days:
            week[day].append(interval)
    return tuple(_merge(intervals) for intervals in week)


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
        kind, day = _WORDS.get(word, Token(""))
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
