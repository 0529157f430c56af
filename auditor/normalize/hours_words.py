"""A weekly table said in plain US-English words, as a report shows it to an owner:
'Monday to Friday, 8 am to 5 pm; Saturday, 10 am to 2 pm; closed on Sunday'.

The words read back as the same week (tests/test_hours_words.py checks it), so a report never
says something the auditor would read differently.
"""

from __future__ import annotations

from napaudit.auditor.normalize.hours_week import DAY, Interval, Week

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe(week: Week) -> str:
    """Days with the same hours grouped ('Monday to Friday', 'Saturday and Sunday', 'every
    day'), each with its hours; the closed days last ('closed on weekends')."""
    closed = frozenset(day for day in range(7) if not week[day])
    if len(closed) == 7:
        return "Closed every day"
    groups: dict[tuple[Interval, ...], list[int]] = {}
    for day in range(7):
        if week[day]:
            groups.setdefault(week[day], []).append(day)
    parts = [
        f"{days_in_words(frozenset(days))}, {times_in_words(intervals)}"
        for intervals, days in groups.items()
    ]
    if closed:
        parts.append(_closed_in_words(closed))
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def days_in_words(days: frozenset[int]) -> str:
    """'every day', 'Monday to Friday', 'Saturday and Sunday', 'Friday to Monday',
    'Monday, Wednesday and Friday', 'Monday to Wednesday and Saturday'."""
    if len(days) == 7:
        return "every day"
    items = []
    for run in _runs(days):
        if len(run) >= 3:
            items.append(f"{DAY_NAMES[run[0]]} to {DAY_NAMES[run[-1]]}")
        else:
            items += [DAY_NAMES[day] for day in run]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _runs(days: frozenset[int]) -> list[list[int]]:
    """Consecutive days, the week read as a circle ('Fr, Sa, Su, Mo' is one run), Monday's
    run first."""
    starts = sorted(day for day in days if (day - 1) % 7 not in days)
    runs = []
    for start in starts:
        run = [start]
        while (run[-1] + 1) % 7 in days and (run[-1] + 1) % 7 != start:
            run.append((run[-1] + 1) % 7)
        runs.append(run)
    return runs


def _closed_in_words(days: frozenset[int]) -> str:
    if days == {5, 6}:
        return "closed on weekends"
    phrase = days_in_words(days)
    return f"closed {phrase}" if " to " in phrase else f"closed on {phrase}"


def times_in_words(intervals: tuple[Interval, ...]) -> str:
    """'8 am to 5 pm', '9 am to noon and 1 pm to 5:30 pm', '6 pm to 2 am', 'open 24 hours'."""
    if intervals == ((0, DAY),):
        return "open 24 hours"
    return " and ".join(f"{clock_in_words(a)} to {clock_in_words(b)}" for a, b in intervals)


def clock_in_words(minute: int) -> str:
    """'8 am', '5:30 pm', 'noon', 'midnight', '12:15 am'."""
    minute %= DAY
    if minute == 0:
        return "midnight"
    if minute == 720:
        return "noon"
    hour, rest = divmod(minute, 60)
    half = "am" if hour < 12 else "pm"
    shown = (hour - 1) % 12 + 1
    return f"{shown} {half}" if rest == 0 else f"{shown}:{rest:02d} {half}"
