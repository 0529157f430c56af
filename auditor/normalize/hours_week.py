"""The weekly table every hours reader returns, and the one canonical way to write it.

A week is seven days, Monday first; each day a sorted tuple of (open, close) minutes from that
day's midnight. A close after midnight keeps counting past 1440 ('Fr 18:00-02:00' is Friday
(1080, 1560)), so the night belongs to the day it started on, as people say it.
"""

from __future__ import annotations

DAY = 1440  # minutes

Interval = tuple[int, int]
Week = tuple[tuple[Interval, ...], ...]


def merge(intervals: list[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def subtract(intervals: tuple[Interval, ...], cut: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """`intervals` with the `cut` ones taken out ('09:00-17:00' minus '12:00-13:00')."""
    out = list(intervals)
    for cut_start, cut_end in cut:
        kept: list[Interval] = []
        for start, end in out:
            if cut_end <= start or cut_start >= end:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        out = kept
    return tuple(out)


def canonical(days: list[list[Interval]]) -> Week:
    """One way to write one week, so that the same opening hours compare equal however written.

    An opening that runs on past midnight joins the night before it: 'Fr 18:00-24:00; Sa
    00:00-02:00', 'Fr 18:00-02:00' and a timeline that stays open from Friday 6 pm to Saturday
    2 am are one week. A day open all 24 hours stays a day of its own.
    """
    week = [list(merge(day)) for day in days]
    for day in range(7):
        after = (day + 1) % 7
        while week[day] and week[after] and week[day][-1][0] > 0:
            start, end = week[day][-1]
            first_start, first_end = week[after][0]
            if end < DAY or first_start > end - DAY or (first_start, first_end) == (0, DAY):
                break
            week[day][-1] = (start, max(end, first_end + DAY))
            week[after].pop(0)
    return tuple(tuple(day) for day in week)


def within_days(week: Week) -> Week:
    """Each day's hours cut at its own midnight: what two readings must agree on when they
    differ only in whether a night past midnight belongs to the day it started on."""
    return tuple(tuple((start, min(end, DAY)) for start, end in day) for day in week)
