"""Comparisons: each returns the named level that fired and a one-line reason an owner can read.

Which status and severity a level means is declared in `auditor.fields`, not here. These run only
when both sides have a value and they differ beyond case and spacing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from napaudit.auditor.compare_address import compare_address  # noqa: F401 - fields reads it here
from napaudit.auditor.compare_categories import compare_categories  # noqa: F401 - fields reads it
from napaudit.auditor.normalize.hours import Hours, day_differences, week_in_words
from napaudit.auditor.normalize.name import word_difference
from napaudit.auditor.normalize.place import alias_of, city_standing, zip_info

if TYPE_CHECKING:
    from napaudit.auditor.normalize.record import Normalized

Level = tuple[str, str]  # (level name, reason)


def compare_name(c: Normalized, f: Normalized) -> Level:
    if c.name.words == f.name.words:
        rewrites = sorted(set(c.name.rewrites) ^ set(f.name.rewrites))
        return "format", "same name: " + ("; ".join(rewrites) or "case or punctuation")
    return "differs", "name words differ: " + word_difference(c.name, f.name)


def compare_phone(c: Normalized, f: Normalized) -> Level:
    a, b = c.phone, f.phone
    if not b.e164:
        return "invalid", f"'{b.raw}' is {b.problem}"
    if a.e164 == b.e164:
        if a.extension == b.extension:
            return "format", f"same number {a.display()}, written differently"
        if not b.extension:
            return "extension_missing", f"extension {a.extension} missing"
        if not a.extension:
            return "extension_extra", f"extension {b.extension} added"
        return "extension_differs", f"extension {a.extension} ≠ {b.extension}"
    short = [p for p in (a, b) if len(p.national) == 7]  # dialled locally, no area code
    if short and a.local7 and a.local7 == b.local7:
        side = "listing" if b in short else "your record"
        return "no_area_code", f"area code missing on {side}; the other 7 digits match"
    if not b.valid:
        return "invalid", f"'{b.raw}' is not a valid number ({b.problem}); yours is {a.display()}"
    return "differs", f"{b.display()} ≠ {a.display()}"


def compare_city(c: Normalized, f: Normalized) -> Level:
    if c.city_key == f.city_key:
        return "format", f"'{f.city}' = '{c.city}'"
    zip5 = c.zip5 or f.zip5
    standing, preferred = city_standing(f.city, zip5)
    if standing == "preferred":
        return "usps_acceptable", f"'{f.city}' is the USPS name for ZIP {zip5}"
    if standing == "acceptable":
        return "usps_acceptable", f"'{f.city}' is a USPS-accepted name for ZIP {zip5}"
    if standing == "known":
        return "usps_known", f"'{f.city}' is a name for ZIP {zip5}; USPS prefers '{preferred}'"
    state = c.state or f.state
    if standing == "unknown" and state:  # no ZIP on either side: what USPS ties in the state
        if usps := alias_of(f.city, c.city, state) or alias_of(c.city, f.city, state):
            return "usps_known", f"'{f.city}' and '{c.city}' name one place ({usps}, {state})"
    return "differs", f"'{f.city}' ≠ '{c.city}'"


def compare_state(c: Normalized, f: Normalized) -> Level:
    if c.state == f.state:
        return "format", f"'{f.shown['state']}' = '{c.shown['state']}'"
    return "differs", f"'{f.shown['state']}' ≠ '{c.shown['state']}'"


def compare_zip(c: Normalized, f: Normalized) -> Level:
    if not f.zip5:
        return "invalid", f"'{f.shown['zip']}' is not a ZIP code"
    if c.zip5 == f.zip5:
        if c.zip4 and f.zip4 and c.zip4 != f.zip4:
            return "zip4_differs", f"ZIP+4 {f.zip5}-{f.zip4} ≠ {c.zip5}-{c.zip4}"
        return "format", "same ZIP" + (
            " (ZIP+4 shown on one side only)" if c.zip4 or f.zip4 else ""
        )
    reason = f"ZIP {f.zip5} ≠ {c.zip5}"
    info = zip_info(f.zip5)
    if info is None and (c.record.country or "US").upper() in ("US", "USA"):
        return "differs", reason + f"; {f.zip5} is not a US ZIP code"
    if info is not None and c.city:
        standing, preferred = city_standing(c.city, f.zip5)
        if standing == "other":
            reason += f"; ZIP {f.zip5} is not in {c.city} (it is {preferred}, {info.state})"
    return "differs", reason


def compare_website(c: Normalized, f: Normalized) -> Level:
    a, b = c.website, f.website
    if b.problem:
        return "invalid", f"'{b.raw}' is not a web address"
    if a.problem:
        return "invalid", f"your record's website '{a.raw}' is not a web address"
    if a.host != b.host:
        if b.platform and not a.platform:
            return "platform", f"points to a {b.platform} page, not your website {a.host}"
        return "domain_differs", f"domain '{b.host}' ≠ '{a.host}'"
    if (a.path, a.query) != (b.path, b.query):
        return "page", f"same site, but a different page: '{b.display()}' (yours '{a.display()}')"
    return "format", _website_format(a.rewrites, b.rewrites)


@lru_cache(maxsize=4096)
def _website_format(mine: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    """The reason two spellings of one address are the same website: what one rewrote and the
    other did not (a listing's website is most often its business's, spelled as its source
    spells every one)."""
    rewrites = sorted(set(mine) ^ set(theirs))
    return "same website: " + (", ".join(rewrites) or "written differently")


def compare_hours(c: Normalized, f: Normalized) -> Level:
    """Reasons name each day that differs, then say both weeks in words for the owner."""
    a, b = c.hours, f.hours
    if b.week is None:
        return "unreadable", f"could not read the listing's hours '{b.raw}'{_why(b)}"
    if a.week is None:
        return "unreadable", f"could not read your hours '{a.raw}'{_why(a)}"
    diffs = day_differences(b, a)  # the listing's hours first, as in every other reason
    if not diffs:
        return "format", f"same weekly hours, written differently: {week_in_words(a)}"
    listing, yours = week_in_words(b), week_in_words(a)
    return "differs", f"{'; '.join(diffs)}. The listing says: {listing}. You say: {yours}."


def _why(hours: Hours) -> str:
    """' (seasonal: the hours change from week to week)' when the reader said why."""
    found = re.match(r"not understood \((.+?)\):", hours.problem)
    return f" ({found[1]})" if found else ""


def compare_status(c: Normalized, f: Normalized) -> Level:
    """What the listing says about being open, against the owner's record (open unless it says
    otherwise). Runs only when the listing says something."""
    mine = c.values.get("status") or "open"
    theirs = f.values.get("status")
    if not theirs:
        return "unreadable", f"could not tell open or closed from '{f.shown['status']}'"
    if theirs == mine:
        return "format", f"both say {mine}"
    if theirs == "closed":
        return "closed", "the listing says the business is permanently closed"
    if theirs == "temporarily closed":
        return "temporarily_closed", "the listing says the business is temporarily closed"
    return "open_again", f"the listing says the business is open; your record says {mine}"
