"""Free-text opening hours: what business sites, directories and APIs show ('Mon-Fri 9am-5pm',
'Monday through Friday between 8:00 a.m. and 5:00 p.m.', 'M-F 900-1700, closed 12-1 for lunch').

Days a text does not mention are closed. A later rule replaces earlier ones for the days it
names; times with no days of their own add to the days just named ('Mon-Fri 9-12; 1-5'), or
cover every day when nothing was named yet ('10:00-20:00; Su off'); times marked closed are cut
out ('closed 12-1 for lunch'). Anything a careful reader could not turn into one week (seasons,
months, 'every other Friday', 'by appointment') makes the whole text unreadable: not a guess.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from napaudit.auditor.normalize.hours_week import DAY, Interval, Week, canonical, subtract
from napaudit.auditor.normalize.hours_words_table import EVERY_DAY as EVERY
from napaudit.auditor.normalize.hours_words_table import Token, plain, word_table


class Clock(NamedTuple):
    hour: int
    minute: int
    ap: str  # "a", "p" or "" when no am/pm was written
    fixed: bool  # written so it can only be a 24-hour time ("18:00", "0:30", "09:00", "9h")


class Rule(NamedTuple):
    days: frozenset[int] | None  # None: no day named
    intervals: tuple[Interval, ...]
    cut: bool  # True: the intervals are closed ('closed 12-1')


WORDS = word_table()
_DASHES = re.compile("[\u2010-\u2015\u2212~\ufffd]")  # U+FFFD: a dash lost to a bad encoding
# 'am', 'a.m.', ' PM'; a bare 'a'/'p' only when attached ('9a-5p'): '9:00 a 18:00' is Spanish.
_AMPM = r"(?:\s*(?P<ap>[ap])\.?\s?m(?![a-z])\.?|(?P<ap1>[ap])(?![a-z]))"
_TOKEN = re.compile(
    r"(?P<sep>[;\n|])"
    r"|(?P<always>24\s*[/x]\s*7)"
    r"|(?P<allday>24\s*(?:hours|hour|hrs|hr|h|std)(?![a-z])|all\s+day|around\s+the\s+clock)"
    r"|(?P<every>(?:7|seven)\s+days|every\s+day|tous\s+les\s+jours|todos\s+los\s+d[ií]as)"
    rf"|(?P<time>(?<![\d:.])(?P<h>\d{{1,2}})(?:(?P<sep2>[:.h])(?P<m>\d\d))?(?::\d\d)?(?!\d)"
    rf"(?P<hsuffix>h(?![a-z]))?{_AMPM}?)"
    r"|(?P<dash>-)|(?P<comma>[,&/+])"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)|(?P<num>\d+)"
)
# '900-1700', '0930-1730' (quarter hours only, so that '555-1234' stays a phone number) and
# '900AM', '1230pm' get their colon back before reading.
_COMPACT_RANGE = re.compile(
    r"(?<![\d:.\-/])(\d{1,2})([03]0|[14]5)\s*-\s*(\d{1,2})([03]0|[14]5)(?![\d:.\-/])"
)
_COMPACT_AMPM = re.compile(r"(?<![\d:.])(\d{1,2})([0-5]\d)(?=\s*[ap]\.?\s?m\b|[ap]\b)")
_NOON = re.compile(r"\b12(?:[:.]00)?\s*(noon|midnight)\b")
_PARENS = re.compile(r"\([^()\d]*\)|\[[^\[\]\d]*\]")  # notes in brackets that name no time
_HOLIDAY_EXCEPTION = re.compile(
    r"\b(?:except|excluding|closed\s+on|closed)\s+(?:on\s+)?(?:all\s+|most\s+|major\s+|public\s+"
    r"|bank\s+|federal\s+|legal\s+|national\s+)*holidays?\b"
)


def read_text(text: str) -> Week | None:
    tokens = _tokens(_prepare(text))
    if any(token.kind == "doubt" for token in tokens):
        return None
    rules = _pair(_groups(_settle(tokens)))
    if not rules or any(rule is None for rule in rules):
        return None
    named = [rule.days for rule in rules if rule.days is not None]
    if not any(rule.intervals for rule in rules) and named and frozenset().union(*named) != EVERY:
        return None  # 'Closed Sundays' alone says nothing of the other days
    if _two_schedules(rules):
        return None
    return _apply(rules)


def _two_schedules(rules: list[Rule]) -> bool:
    """The same days given different hours twice ('Lobby: Mon-Fri 9-5; Drive-thru: Mon-Fri
    8-6', a winter and a summer column) are two schedules, not one week. A rule for some of
    the days named before ('Daily 9-5, Sunday 12-5') is an exception, and is read."""
    given: dict[frozenset[int], tuple[Interval, ...]] = {}
    for rule in rules:
        if rule.days and not rule.cut:
            if given.get(rule.days, rule.intervals) != rule.intervals:
                return True
            given[rule.days] = rule.intervals
    return False


def _prepare(text: str) -> str:
    text = _DASHES.sub("-", text.lower())
    text = _PARENS.sub(" ", text)
    text = _HOLIDAY_EXCEPTION.sub(" ", text)
    text = re.sub(r"\bevery\s+other\b|\bevery\s+(?:1st|2nd|3rd|4th|first|second|third|last)\b",
                  " alternate ", text)  # fmt: skip
    text = re.sub(r"\bbusiness\s+days?\b|\bwork(?:ing)?\s+days?\b", " weekdays ", text)
    text = re.sub(r"(\w)'s\b", r"\1", text)  # "Monday's"
    text = re.sub(r"-feira\b", "", text)  # 'segunda-feira'
    text = _NOON.sub(r" \1 ", text)
    text = _COMPACT_RANGE.sub(r"\1:\2-\3:\4", text)
    return _COMPACT_AMPM.sub(r"\1:\2", text)


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "break"
        if kind == "always":
            # 'Mon-Fri 24/7' is all day on those days; alone it is every day.
            after_days = tokens and tokens[-1].kind in ("day", "weakday", "days")
            tokens += [Token("allday")] if after_days else [Token("days", EVERY), Token("allday")]
        elif kind == "every":
            tokens.append(Token("days", EVERY))
        elif kind == "time":
            tokens.append(_time_token(match))
        elif kind == "word":
            tokens.append(WORDS.get(plain(match["word"]), Token("break")))
        else:
            tokens.append(Token("break" if kind == "num" else kind))
    return tokens


def _time_token(match: re.Match[str]) -> Token:
    digits = match["h"]
    hour, minute = int(digits), int(match["m"] or 0)
    if hour > 47 or minute > 59:  # OSM writes a close after midnight as up to 47:59
        return Token("break")
    ap = match["ap"] or match["ap1"] or ""
    french = match["sep2"] == "h" or bool(match["hsuffix"])  # '9h', '17h30': 24-hour
    fixed = not ap and ((len(digits) == 2 and digits[0] == "0") or hour == 0 or french)
    if hour > 12:  # '13:00 pm' is still 13:00
        ap, fixed = "", True
    return Token("time", Clock(hour, minute, ap, fixed))


_NEIGHBOURS = {"day", "weakday", "days", "time", "noon", "midnight"}


def _settle(tokens: list[Token]) -> list[Token]:
    """Weak words become what their neighbours say: 'T' is Tuesday beside 'Th' or '9-5', and
    'a' is a dash between two days or two times; otherwise both end the run they are in."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        before = _neighbour(tokens, i, -1)
        after = _neighbour(tokens, i, 1)
        if token.kind == "weakday":
            beside = {before.kind, after.kind} & _NEIGHBOURS
            out[i] = Token("day", token.value) if beside else Token("break")
        elif token.kind == "weakdash":
            days = {"day", "weakday", "days"}
            same = (before.kind in days and after.kind in days) or (
                before.kind in ("time", "noon", "midnight") and after.kind == "time"
            )
            out[i] = Token("dash") if same else Token("break")
        elif token.kind in ("noon", "midnight"):
            out[i] = Token("time", Clock(12, 0, "p" if token.kind == "noon" else "a", False))
    return out


def _neighbour(tokens: list[Token], i: int, step: int) -> Token:
    """The nearest token that is not a dash, comma or filler ('M-W-F', 'T, Th')."""
    j = i + step
    while 0 <= j < len(tokens) and tokens[j].kind in ("dash", "comma", "and", "filler"):
        j += step
    return tokens[j] if 0 <= j < len(tokens) else Token("break")


_GROUP_OF = {"day": "D", "days": "D", "time": "T", "closed": "T", "allday": "T", "lunch": "T"}


def _groups(tokens: list[Token]) -> list[Token]:
    """Runs of day tokens become ('D', days), runs of time tokens ('T', Rule or None).

    Any other word ends a run, so 'We are open Mon-Fri' keeps 'We' apart from 'Mon-Fri'.
    """
    groups: list[Token] = []
    run: list[Token] = []
    kind = ""

    def close_run() -> None:
        if run:
            groups.append(Token("D", _day_set(run)) if kind == "D" else Token("T", _time_rule(run)))
            run.clear()

    for token in tokens:
        group = _GROUP_OF.get(token.kind, "")
        if group and (group != kind or _starts_cut(run, token)):
            close_run()
            kind = group
        if group or (run and token.kind in ("dash", "comma", "and", "filler")):
            run.append(token)
            continue
        if token.kind == "filler":
            continue
        close_run()
        kind = ""
        if token.kind == "sep":
            groups.append(token)
    close_run()
    return groups


def _day_set(run: list[Token]) -> frozenset[int]:
    days: set[int] = set()
    run = [t for t in run if t.kind != "filler"]
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


def _time_rule(run: list[Token]) -> Rule | None:
    """'08:00-12:00, 13:00-17:30' -> its intervals; 'closed' -> no intervals; 'closed 12-1' ->
    intervals to cut out; None = not read."""
    run = [t for t in run if t.kind != "filler"]
    kinds = [t.kind for t in run]
    if "dash" not in kinds and kinds.count("time") == 2 and "and" in kinds:
        run = [Token("dash") if t.kind == "and" else t for t in run]  # 'between 9 and 5'
        kinds = [t.kind for t in run]
    intervals: list[Interval] = []
    i = 0
    while i < len(run):
        if run[i].kind == "allday":
            intervals.append((0, DAY))
        elif kinds[i : i + 3] == ["time", "dash", "time"]:
            pair = interval(run[i].value, run[i + 2].value)
            if pair is None:
                return None
            later = intervals and pair[0] < intervals[-1][1] and pair[0] + 720 < DAY
            if later and _unmarked(run[i].value, run[i + 2].value):
                pair = (pair[0] + 720, pair[1] + 720)  # '8:30-12, 1-5': the second is afternoon
            intervals.append(pair)
            i += 2
        elif run[i].kind == "time":
            return None  # a lone time ('open until 10pm') is not a schedule
        i += 1
    closed = "closed" in kinds or "lunch" in kinds
    if not intervals and not closed:
        return None
    if "lunch" in kinds and not intervals:
        return None  # 'closed for lunch' with no times: which hours is not said
    return Rule(None, tuple(intervals), closed and bool(intervals))


def _starts_cut(run: list[Token], token: Token) -> bool:
    """'9-5 closed 12-1' is two rules: the hours, then the time cut out of them."""
    kinds = {t.kind for t in run}
    return (
        token.kind in ("closed", "lunch")
        and not kinds & {"closed", "lunch"}
        and bool(kinds & {"time", "allday"})
    )


def _pair(groups: list[Token]) -> list[Rule | None]:
    """Match each day group with its times: 'Mon-Fri 9-5' and '9-5 Mon-Fri' both read.

    Text that starts time-first ('Closed Sundays') pairs each time with the days after it;
    otherwise times follow their days, and times with no days of their own stay unnamed
    (days=None) for `_apply` to place.
    """
    first = _next_real(groups, 0)
    time_first = first is not None and _kinds(groups, first, 2) == ["T", "D"]
    rules: list[Rule | None] = []
    i = 0
    while i < len(groups):
        kind, value = groups[i]
        after = _next_real(groups, i + 1)
        if kind == "D" and after is not None and groups[after].kind == "T":
            rule = groups[after].value
            rules.append(rule and rule._replace(days=value))
            i = after + 1
            continue
        if kind == "T":
            then = _next_real(groups, i + 2)
            own_time = then is not None and groups[then].kind == "T"
            if _kinds(groups, i + 1, 1) == ["D"] and (time_first or not own_time):
                rules.append(value and value._replace(days=groups[i + 1].value))
                i += 2
                continue
            rules.append(value)
        i += 1
    return rules


def _kinds(groups: list[Token], start: int, count: int) -> list[str]:
    return [group.kind for group in groups[start : start + count]]


def _next_real(groups: list[Token], start: int) -> int | None:
    for i in range(start, len(groups)):
        if groups[i].kind != "sep":
            return i
    return None


def _apply(rules: list[Rule]) -> Week:
    """Named days take their hours (a later rule replaces an earlier one); unnamed hours add to
    the days named last, or cover every day before any day is named; cuts close part of a day.
    'Closed' with no day closes everything when it is all the text says, and is otherwise the
    days not named, which are closed anyway."""
    week: list[list[Interval]] = [[] for _ in range(7)]
    named: frozenset[int] | None = None
    for rule in rules:
        days, add = rule.days, False
        if days is None:
            if not rule.intervals and len(rules) > 1:
                continue
            add = named is not None and not rule.cut
            days = named if named is not None else EVERY
        else:
            named = days
        for day in days:
            if rule.cut:
                week[day] = list(subtract(tuple(week[day]), rule.intervals))
            elif add:
                week[day] += rule.intervals
            else:
                week[day] = list(rule.intervals)
    return canonical(week)


def _minutes(clock: Clock, ap: str) -> int:
    hour = clock.hour
    if ap and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ap == "p" else 0)
    return hour * 60 + clock.minute


def _unmarked(*clocks: Clock) -> bool:
    return all(not c.ap and not c.fixed and 1 <= c.hour <= 12 for c in clocks)


def interval(start: Clock, end: Clock) -> Interval | None:
    """Minutes from two clock readings, guessing the am/pm that was left out.

    '9-5' is 09:00-17:00 and '9-5pm' 09:00-17:00, but '1-5pm' is 13:00-17:00: a missing half of
    the day is the one that keeps the opening before the closing. With no am/pm at all, an
    opening at 1 to 4 o'clock is in the afternoon ('Sat 1-5'): businesses do not open at 1 am.
    A close at or before the opening is after midnight and keeps counting past 1440
    ('18:00-02:00' -> 1080-1560).
    """
    if _unmarked(start, end) and start.hour <= 4:
        opens = _minutes(start, "p")
    elif start.ap or start.fixed or not end.ap:
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
