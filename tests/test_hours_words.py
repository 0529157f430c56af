"""Hours in words, not syntax (issue 14.2): what an owner reads in a report."""

from __future__ import annotations

import pytest
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.hours import Hours, hours_in_words, normalize_hours, week_in_words
from napaudit.auditor.normalize.record import normalize_record
from test_hours import week


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Mo-Fr 08:00-17:00", "Monday to Friday, 8 am to 5 pm; closed on weekends"),
        ("Mon-Fri 8am-5pm, Sat 10am-2pm",
         "Monday to Friday, 8 am to 5 pm; Saturday, 10 am to 2 pm; closed on Sunday"),
        ("Sa-Su 10:00-16:00", "Saturday and Sunday, 10 am to 4 pm; closed Monday to Friday"),
        ("24/7", "Every day, open 24 hours"),
        ("Open 24 hours", "Every day, open 24 hours"),
        ("Mo-Su 09:00-17:30", "Every day, 9 am to 5:30 pm"),
        ("Mo-Fr 09:00-12:00,13:00-17:00",
         "Monday to Friday, 9 am to noon and 1 pm to 5 pm; closed on weekends"),
        ("Fr-Sa 18:00-02:00", "Friday and Saturday, 6 pm to 2 am; closed Sunday to Thursday"),
        ("Tu-Su 12:00-24:00", "Tuesday to Sunday, noon to midnight; closed on Monday"),
        ("Mo,We,Fr 09:00-13:00",
         "Monday, Wednesday and Friday, 9 am to 1 pm; "
         "closed on Tuesday, Thursday, Saturday and Sunday"),
        ("Fr-Mo 10:00-18:00", "Friday to Monday, 10 am to 6 pm; closed Tuesday to Thursday"),
        ("Mo-Fr 24/7; Sa 08:00-12:00",
         "Monday to Friday, open 24 hours; Saturday, 8 am to noon; closed on Sunday"),
        ("Mo-Th 07:15-15:45; Fr 07:15-12:00",
         "Monday to Thursday, 7:15 am to 3:45 pm; Friday, 7:15 am to noon; closed on weekends"),
        ("Mo 00:00-06:00", "Monday, midnight to 6 am; closed Tuesday to Sunday"),
        ("Mo-Sa 09:00-17:00; Su off", "Monday to Saturday, 9 am to 5 pm; closed on Sunday"),
        ("closed", "Closed every day"),
        # schema.org openingHoursSpecification, as a list, a dict and the JSON text the store keeps
        ([{"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday", "Tuesday"],
           "opens": "09:00", "closes": "17:00"}],
         "Monday and Tuesday, 9 am to 5 pm; closed Wednesday to Sunday"),
        ({"dayOfWeek": "https://schema.org/Saturday", "opens": "10:00", "closes": "14:00"},
         "Saturday, 10 am to 2 pm; closed Sunday to Friday"),
        ('[{"dayOfWeek": "Sunday", "opens": "12:00:00", "closes": "17:00:00"}]',
         "Sunday, noon to 5 pm; closed Monday to Saturday"),
        # schema.org openingHours as a list of strings; a per-day mapping
        (["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"],
         "Monday to Friday, 9 am to 5 pm; Saturday, 10 am to 2 pm; closed on Sunday"),
        ({"Monday": ["7:00am - 4:00pm"], "Tuesday": ["7:00am - 4:00pm"], "Sunday": ["Closed"]},
         "Monday and Tuesday, 7 am to 4 pm; closed Wednesday to Sunday"),
    ],
)  # fmt: skip
def test_hours_in_words(raw: object, words: str) -> None:
    assert hours_in_words(raw) == words


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Call   for\n hours", "Call for hours"),
        ("Summer hours:  Mon-Sat 9-7", "Summer hours: Mon-Sat 9-7"),
        ("Jan-Mar Mo-Fr 10:00-16:00; Apr-Dec Mo-Fr 09:00-18:00",
         "Jan-Mar Mo-Fr 10:00-16:00; Apr-Dec Mo-Fr 09:00-18:00"),
        (["by appointment", "  call  ahead"], "by appointment; call ahead"),
        ({"dayOfWeek": "Funday"}, '{"dayOfWeek":"Funday"}'),
        (None, ""),
        ("", ""),
    ],
)  # fmt: skip
def test_unreadable_hours_come_back_as_their_text(raw: object, words: str) -> None:
    assert hours_in_words(raw) == words


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (week({"Mo-Fr": "08:00-17:00"}), "Monday to Friday, 8 am to 5 pm; closed on weekends"),
        (week({"Mo-Su": "24h"}), "Every day, open 24 hours"),
        (week({}), "Closed every day"),
        (week({"Mo-Fr": "00:15-12:30"}), "Monday to Friday, 12:15 am to 12:30 pm; closed on weekends"),
        (week({"Sa": "22:00-03:30"}), "Saturday, 10 pm to 3:30 am; closed Sunday to Friday"),
        (week({"Mo,Tu,Th": "09:00-17:00", "We": "09:00-12:00"}),
         "Monday, Tuesday and Thursday, 9 am to 5 pm; Wednesday, 9 am to noon; "
         "closed Friday to Sunday"),
    ],
)  # fmt: skip
def test_week_in_words(table: tuple, words: str) -> None:
    assert week_in_words(Hours(raw="", week=table)) == words


def test_week_in_words_of_unreadable_hours_is_their_text() -> None:
    assert week_in_words(normalize_hours("  by   appointment ")) == "by appointment"


def _hours_verdict(mine: object, theirs: object):
    canonical = normalize_record(Record(id="b", name="Acme", hours=mine))
    found = normalize_record(Record(id="l", name="Acme", hours=theirs))
    return {v.field: v for v in judge(canonical, found)}["hours"]


def test_a_difference_is_said_in_words_too() -> None:
    v = _hours_verdict("Mo-Fr 09:00-17:00", "Mon-Sat 9am-5pm")
    assert v.status == "mismatch"
    assert v.reason == (
        "Sat: 09:00-17:00 ≠ closed. "
        "The listing says: Monday to Saturday, 9 am to 5 pm; closed on Sunday. "
        "You say: Monday to Friday, 9 am to 5 pm; closed on weekends."
    )


def test_same_hours_written_differently_are_said_once() -> None:
    v = _hours_verdict("Mo-Fr 09:00-17:00", "09:00AM-05:00PM Monday-Friday")
    assert v.status == "variant"
    assert v.reason == (
        "same weekly hours, written differently: Monday to Friday, 9 am to 5 pm; closed on weekends"
    )


def test_unreadable_hours_say_why_when_known() -> None:
    v = _hours_verdict("Mo-Fr 09:00-17:00", "Jan-Mar Mo-Fr 10:00-16:00; Apr-Dec Mo-Fr 09:00-18:00")
    assert v.status == "mismatch"
    assert v.reason.endswith("(seasonal: the hours change from week to week)")
