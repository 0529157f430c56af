"""Format-only rewrites of a week never change the week read (issue 17.1, hypothesis).

Each writer below is written by hand here, from the week alone; the week it writes must read
back exactly, whichever reader (OSM library, free text, openingHoursSpecification, per-day
mapping) takes it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from napaudit.auditor.normalize.hours import Hours, normalize_hours, week_in_words
from test_hours import DAYS, as_google, as_osm, clock24, weeks

NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GERMAN = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
FRENCH = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# A week is a large draw (seven days of up to three intervals); on a busy machine drawing one
# can take longer than Hypothesis' health check allows, which says nothing about the readers.
weekly = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def clock12(minute: int, space: str = "", zero: bool = True) -> str:
    """'09:05AM', '9:05 am', '12:00PM' (noon), '12:00AM' (midnight)."""
    hour, rest = divmod(minute % 1440, 60)
    shown = (hour - 1) % 12 + 1
    text = f"{shown:02d}:{rest:02d}" if zero else f"{shown}:{rest:02d}"
    return f"{text}{space}{'AM' if hour < 12 else 'PM'}"


def as_osm_grouped(table: tuple) -> str:
    """Days with the same hours in one rule ('Mo-We,Fr 09:00-17:00'); closed days left out."""
    rules: dict[tuple, list[int]] = {}
    for day, intervals in enumerate(table):
        if intervals:
            rules.setdefault(intervals, []).append(day)
    parts = []
    for intervals, days in rules.items():
        spans, start = [], days[0]
        for prev, day in zip(days, [*days[1:], None], strict=True):
            if day != prev + 1:
                spans.append(DAYS[start] if start == prev else f"{DAYS[start]}-{DAYS[prev]}")
                start = day
        times = ",".join(f"{clock24(a)}-{clock24(b)}" for a, b in intervals)
        parts.append(f"{','.join(spans)} {times}")
    return "; ".join(parts) or "closed"


def as_us_text(table: tuple, space: str, zero: bool) -> str:
    """'Monday: 09:00AM-05:00PM, 06:00PM-09:00PM' lines, or 'Monday: 9:00 am - 5:00 pm'."""
    dash = "-" if not space else " - "
    lines = []
    for name, intervals in zip(NAMES, table, strict=True):
        times = ", ".join(
            f"{clock12(a, space, zero)}{dash}{clock12(b, space, zero)}" for a, b in intervals
        )
        lines.append(f"{name}: {times or 'Closed'}")
    return "\n".join(lines)


def as_specification(table: tuple) -> list[dict]:
    """schema.org openingHoursSpecification, one entry per interval; a closed day is listed
    with no times."""
    entries = []
    for name, intervals in zip(NAMES, table, strict=True):
        day = {"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{name}"}
        entries += [day | {"opens": clock24(a), "closes": clock24(b)} for a, b in intervals]
        entries += [] if intervals else [day]
    return entries


def as_day_mapping(table: tuple) -> dict:
    """{'Monday': ['9:00am - 5:00pm'], 'Sunday': ['Closed']}, as directory app states hold it."""
    return {
        name: [f"{clock12(a, '', False).lower()} - {clock12(b, '', False).lower()}"
               for a, b in intervals] or ["Closed"]
        for name, intervals in zip(NAMES, table, strict=True)
    }  # fmt: skip


def as_foreign(table: tuple, names: list[str], closed: str) -> str:
    lines = []
    for name, intervals in zip(names, table, strict=True):
        times = ", ".join(f"{clock24(a)}-{clock24(b)}" for a, b in intervals)
        lines.append(f"{name} {times or closed}")
    return "\n".join(lines)


@weekly
@given(weeks())
def test_osm_with_days_grouped_reads_back(table: tuple) -> None:
    assert normalize_hours(as_osm_grouped(table)).week == table


@weekly
@given(weeks(), st.sampled_from(["", " "]), st.booleans())
def test_12_hour_text_with_or_without_zeros_and_spaces_reads_back(table, space, zero) -> None:
    assert normalize_hours(as_us_text(table, space, zero)).week == table


@weekly
@given(weeks())
def test_specification_reads_back(table: tuple) -> None:
    assert normalize_hours(as_specification(table)).week == table


@weekly
@given(weeks())
def test_day_mapping_reads_back(table: tuple) -> None:
    assert normalize_hours(as_day_mapping(table)).week == table


@weekly
@given(weeks(), st.sampled_from([(GERMAN, "geschlossen"), (FRENCH, "fermé")]))
def test_day_names_in_other_languages_read_back(table: tuple, language: tuple) -> None:
    names, closed = language
    assert normalize_hours(as_foreign(table, names, closed)).week == table


@weekly
@given(weeks())
def test_words_read_back_as_the_same_week(table: tuple) -> None:
    words = week_in_words(Hours(raw="", week=table))
    assert normalize_hours(words).week == table


@weekly
@given(weeks())
def test_every_writing_is_the_same_week(table: tuple) -> None:
    written = [as_osm(table), as_osm_grouped(table), as_google(table), as_specification(table)]
    assert {normalize_hours(value).week for value in written} == {table}
