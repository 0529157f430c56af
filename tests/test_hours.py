from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from napaudit.auditor.normalize.hours import day_differences, normalize_hours

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def week(table: dict[str, str]) -> tuple:
    """{'Mo-Fr': '09:00-17:00', 'Sa,Su': '10:00-12:00, 13:00-16:00'} -> the expected weekly table.

    Built by hand here, not by the code under test; unlisted days are closed.
    """
    days: list[tuple] = [()] * 7
    for names, hours in table.items():
        intervals = []
        for part in hours.split(", "):
            if part == "24h":
                intervals.append((0, 1440))
            elif part != "closed":
                start, end = (minute(clock) for clock in part.split("-"))
                intervals.append((start, end if end > start else end + 1440))
        for name in names.split(","):
            first, _, last = name.partition("-")
            a, b = DAYS.index(first), DAYS.index(last or first)
            for k in range((b - a) % 7 + 1):
                days[(a + k) % 7] = tuple(intervals)
    return tuple(days)


WEEKDAYS_9_5 = week({"Mo-Fr": "09:00-17:00"})
EVERY_DAY_24H = week({"Mo-Su": "24h"})


def spec(days: list[str], opens: str | None = None, closes: str | None = None) -> dict:
    item = {"@type": "OpeningHoursSpecification", "dayOfWeek": days}
    if opens is not None:
        item |= {"opens": opens, "closes": closes}
    return item


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # schema.org openingHours
        ("Mo-Fr 09:00-17:00", WEEKDAYS_9_5),
        ("Mo,Tu,We 10:00-14:00", week({"Mo-We": "10:00-14:00"})),
        ("Tu,Th 16:00-20:00", week({"Tu,Th": "16:00-20:00"})),
        ("Mo-Fr 09:00-17:00, Sa 10:00-14:00", week({"Mo-Fr": "09:00-17:00", "Sa": "10:00-14:00"})),
        (
            ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"],
            week({"Mo-Fr": "09:00-17:00", "Sa": "10:00-14:00"}),
        ),
        # OSM opening_hours
        (
            "Mo-Fr 08:00-12:00,13:00-17:30; Sa 08:00-12:00; Su off",
            week({"Mo-Fr": "08:00-12:00, 13:00-17:30", "Sa": "08:00-12:00"}),
        ),
        ("24/7", EVERY_DAY_24H),
        ("Mo-Su 10:00-22:00", week({"Mo-Su": "10:00-22:00"})),
        ("Mo-Fr 09:00-17:00; PH off", WEEKDAYS_9_5),
        ("Tu-Su 12:00-24:00", week({"Tu-Su": "12:00-24:00"})),
        ("Fr-Mo 10:00-18:00", week({"Fr-Mo": "10:00-18:00"})),
        ("Fr 18:00-02:00", week({"Fr": "18:00-02:00"})),
        ("Fr 22:00-26:00", week({"Fr": "22:00-02:00"})),
        ("10:00-20:00; Su off", week({"Mo-Sa": "10:00-20:00"})),
        ("Mo-Su 10:00-22:00; Su 12:00-18:00", week({"Mo-Sa": "10:00-22:00", "Su": "12:00-18:00"})),
        # text from business sites and directories
        ("Mon-Fri 9am-5pm", WEEKDAYS_9_5),
        ("Monday - Friday: 9:00 AM - 5:00 PM", WEEKDAYS_9_5),
        ("Mon–Fri 9–5", WEEKDAYS_9_5),
        ("Mon. - Fri. 9 a.m. to 5 p.m.", WEEKDAYS_9_5),
        ("Monday through Friday, 9:00-5:00 p.m.", WEEKDAYS_9_5),
        ("Sat 10am-2pm", week({"Sa": "10:00-14:00"})),
        ("Sat & Sun 10-4", week({"Sa,Su": "10:00-16:00"})),
        ("Mon-Sat 9-5, Closed Sundays", week({"Mo-Sa": "09:00-17:00"})),
        ("Open 24 hours", EVERY_DAY_24H),
        ("Open 24 Hours, 7 Days", EVERY_DAY_24H),
        ("Open 7 days 11am-10pm", week({"Mo-Su": "11:00-22:00"})),
        ("Daily 11:00-22:00", week({"Mo-Su": "11:00-22:00"})),
        ("Weekdays 8-6", week({"Mo-Fr": "08:00-18:00"})),
        ("Weekends 10-4", week({"Sa,Su": "10:00-16:00"})),
        ("M-F 8:30am - 5:30pm", week({"Mo-Fr": "08:30-17:30"})),
        ("Tues-Thurs 11-7", week({"Tu-Th": "11:00-19:00"})),
        ("Mon-Fri noon-midnight", week({"Mo-Fr": "12:00-24:00"})),
        ("12pm-12am", week({"Mo-Su": "12:00-24:00"})),
        ("Fri-Sat 1-5pm", week({"Fr,Sa": "13:00-17:00"})),
        ("Fri 11-2pm", week({"Fr": "11:00-14:00"})),
        ("Fri 10:00 PM - 2:00 AM", week({"Fr": "22:00-02:00"})),
        ("9am-5pm Mon-Fri, 10am-2pm Sat", week({"Mo-Fr": "09:00-17:00", "Sa": "10:00-14:00"})),
        ("We are open Mon-Fri 9-5", WEEKDAYS_9_5),
        # Was expected unreadable before closed-for-part-of-a-day was read (issue 17.1).
        ("Mon-Fri 9-5 (closed for lunch 12-1)", week({"Mo-Fr": "09:00-12:00, 13:00-17:00"})),
        ("Mon: 9 AM – 5 PM", week({"Mo": "09:00-17:00"})),
        (
            "Monday 9:00\u202fAM–5:00\u202fPM\nTuesday 9:00\u202fAM–5:00\u202fPM\n"
            "Wednesday Closed\nThursday 9:00\u202fAM–8:00\u202fPM",
            week({"Mo,Tu": "09:00-17:00", "Th": "09:00-20:00"}),
        ),
        (
            "Monday\n9 AM–5 PM\nTuesday\n10 AM–4 PM",
            week({"Mo": "09:00-17:00", "Tu": "10:00-16:00"}),
        ),
        (
            "Hours: Mon–Thu 11 AM–9 PM · Fri–Sat 11 AM–10 PM · Sun Closed",
            week({"Mo-Th": "11:00-21:00", "Fr,Sa": "11:00-22:00"}),
        ),
        # schema.org openingHoursSpecification
        (spec(["Monday", "Tuesday"], "09:00", "17:00"), week({"Mo,Tu": "09:00-17:00"})),
        (
            spec(["https://schema.org/Monday", "http://schema.org/Friday"], "9:00", "17:00:00"),
            week({"Mo,Fr": "09:00-17:00"}),
        ),
        (spec("schema:Saturday", "00:00", "00:00"), week({"Sa": "24h"})),
        (spec(["Sunday"], "10:00", "23:59"), week({"Su": "10:00-24:00"})),
        (
            [
                spec(["Monday"], "08:00", "12:00"),
                spec(["Monday"], "13:00", "17:00"),
                spec(["Friday"], "18:00", "02:00"),
                spec(["Sunday"]),
            ],
            week({"Mo": "08:00-12:00, 13:00-17:00", "Fr": "18:00-02:00"}),
        ),
        (
            [
                spec(["Monday"], "09:00", "17:00"),
                {"opens": "00:00", "closes": "00:00", "validFrom": "2025-12-25"},
            ],
            week({"Mo": "09:00-17:00"}),
        ),
    ],
)
def test_reads_weekly_table(raw: object, expected: tuple) -> None:
    hours = normalize_hours(raw)
    assert hours.problem == ""
    assert hours.week == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Call for hours",
        "by appointment",
        "Open until 10pm",
        "Mon 9am",
        "Tues-Thurs",
        "Call 555-1234",
        "Mo 25:00-26:00",
        # Were read as a week closed every day: a closure alone says nothing of the other days.
        "Closed Sundays",
        "Sunday: Closed",
    ],
)
def test_text_without_hours_is_not_understood(raw: str) -> None:
    hours = normalize_hours(raw)
    assert hours.week is None
    assert hours.problem == f"not understood: {raw!r}"


@pytest.mark.parametrize(
    "raw",
    [
        spec(["Funday"], "09:00", "17:00"),
        spec(["Monday"], "9am", "5pm"),
        {"opens": "09:00", "closes": "17:00"},
        [1, 2],
        ["Mo-Fr 09:00-17:00", {"dayOfWeek": "Monday"}],
    ],
)
def test_structure_without_hours_is_not_understood(raw: object) -> None:
    hours = normalize_hours(raw)
    assert hours.week is None
    assert hours.problem.startswith("not understood: ")


@pytest.mark.parametrize("raw", [None, "", "  \n ", []])
def test_empty(raw: object) -> None:
    hours = normalize_hours(raw)
    assert (hours.week, hours.problem) == (None, "empty")


def test_raw_keeps_text_and_compact_json() -> None:
    assert normalize_hours(" Mo-Fr 09:00-17:00 ").raw == " Mo-Fr 09:00-17:00 "
    assert normalize_hours(["Mo 9-5", "Tu 9-5"]).raw == '["Mo 9-5","Tu 9-5"]'
    assert normalize_hours({"dayOfWeek": "Monday"}).raw == '{"dayOfWeek":"Monday"}'


def test_repeated_text_is_read_once() -> None:
    assert normalize_hours("Mon-Sat 7am-7pm") is normalize_hours("Mon-Sat 7am-7pm")


def test_same_hours_written_three_ways_are_equal() -> None:
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    osm = normalize_hours("Mo-Fr 09:00-17:00")
    text = normalize_hours("Mon-Fri 9am-5pm")
    specification = normalize_hours([spec([day], "09:00", "17:00") for day in weekdays])
    assert osm.week == text.week == specification.week == WEEKDAYS_9_5
    assert day_differences(osm, text) == []
    assert day_differences(text, specification) == []


def test_different_hours_are_named_per_day() -> None:
    canonical = normalize_hours("Mo-Fr 09:00-17:00; Su 10:00-16:00")
    found = normalize_hours("Mon-Fri 9am-5pm, Sat 10am-2pm, Closed Sundays")
    assert day_differences(canonical, found) == [
        "Sat: closed ≠ 10:00-14:00",
        "Sun: 10:00-16:00 ≠ closed",
    ]
    assert day_differences(found, normalize_hours("Mon-Fri 9-6, Sat 10-2")) == [
        f"{day}: 09:00-17:00 ≠ 09:00-18:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")
    ]


def test_no_differences_when_either_is_not_understood() -> None:
    assert day_differences(normalize_hours("Call for hours"), normalize_hours("24/7")) == []


@pytest.mark.parametrize(
    ("raw", "day", "text"),
    [
        ("Mo 09:00-17:00", 0, "09:00-17:00"),
        ("Mo 09:00-12:00,13:00-17:00", 0, "09:00-12:00, 13:00-17:00"),
        ("Mo 09:00-17:00", 1, "closed"),
        ("24/7", 6, "open 24 hours"),
        ("Fr 18:00-02:00", 4, "18:00-02:00"),
        ("Tu-Su 12:00-24:00", 2, "12:00-24:00"),
        ("Call for hours", 0, "unknown"),
    ],
)
def test_day_text(raw: str, day: int, text: str) -> None:
    assert normalize_hours(raw).day_text(day) == text


@given(st.text())
def test_never_raises_on_text(raw: str) -> None:
    hours = normalize_hours(raw)
    assert hours.raw == raw
    assert (hours.week is None) == (hours.problem != "")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.sampled_from(["09:00", "Monday"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["dayOfWeek", "opens", "closes", "@type"]), inner)
    ),
    max_leaves=12,
)


@given(_JSON)
def test_never_raises_on_structures(raw: object) -> None:
    hours = normalize_hours(raw)
    assert (hours.week is None) == (hours.problem != "")


def night_joined(table: tuple) -> bool:
    """A night past midnight belongs to the day it started on: no day starts at 00:00 while the
    day before is still open then ('Fr 18:00-24:00; Sa 00:00-02:00' is 'Fr 18:00-02:00')."""
    for day in range(7):
        after = table[(day + 1) % 7]
        if table[day] and after and after[0] != (0, 1440):
            start, end = table[day][-1]
            if start > 0 and end >= 1440 and after[0][0] <= end - 1440:
                return False
    return True


@st.composite
def raw_weeks(draw: st.DrawFn) -> tuple:
    days = []
    for _ in range(7):
        points = sorted(draw(st.sets(st.integers(0, 1440).filter(lambda m: m != 1439), max_size=6)))
        intervals = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
        last_open = intervals[-1][0] if intervals else 0
        if last_open >= 2 and draw(st.booleans()):  # the last one closes after midnight
            closes = draw(st.integers(1441, min(last_open + 1439, 1440 + 599)))
            intervals[-1] = (last_open, closes)
        days.append(tuple(intervals))
    return tuple(days)


def weeks() -> st.SearchStrategy[tuple]:
    """Weekly tables the way normalize_hours returns them: sorted, apart, 23:59 read as 24:00,
    a night with the day it started on.

    A close after midnight stays before 10:00: '11:00-10:00' reads as 11am-10pm, as on most sites.
    """
    return raw_weeks().filter(night_joined)


def clock24(m: int) -> str:
    m = m - 1440 if m > 1440 else m
    return f"{m // 60:02d}:{m % 60:02d}"


def clock12(m: int) -> str:
    hour, minutes = divmod(m % 1440, 60)
    return f"{(hour - 1) % 12 + 1}:{minutes:02d}\u202f{'AM' if hour < 12 else 'PM'}"


def as_osm(table: tuple) -> str:
    rules = []
    for day, intervals in zip(DAYS, table, strict=True):
        times = ",".join(f"{clock24(a)}-{clock24(b)}" for a, b in intervals)
        rules.append(f"{day} {times or 'off'}")
    return "; ".join(rules)


def as_google(table: tuple) -> str:
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    lines = []
    for day, intervals in zip(names, table, strict=True):
        times = ", ".join(f"{clock12(a)}–{clock12(b)}" for a, b in intervals)
        lines.append(f"{day} {times or 'Closed'}")
    return "\n".join(lines)


@given(weeks())
def test_week_written_as_osm_reads_back(table: tuple) -> None:
    assert normalize_hours(as_osm(table)).week == table


@given(weeks())
def test_week_written_in_12_hour_text_reads_back(table: tuple) -> None:
    assert normalize_hours(as_google(table)).week == table
