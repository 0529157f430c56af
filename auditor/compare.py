"""Comparisons: each returns the named level that fired and a one-line reason an owner can read.

Which status and severity a level means is declared in `auditor.fields`, not here. These run only
when both sides have a value and they differ beyond case and spacing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from napaudit.auditor.compare_categories import compare_categories as compare_categories
from napaudit.auditor.normalize.address import Address
from napaudit.auditor.normalize.hours import Hours, day_differences, week_in_words
from napaudit.auditor.normalize.name import word_difference
from napaudit.auditor.normalize.place import alias_of, city_standing, zip_info
from napaudit.auditor.normalize.text import words

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


def compare_address(c: Normalized, f: Normalized) -> Level:
    a, b = c.address, f.address
    if not a.parsed or not b.parsed:
        if words(a.raw) == words(b.raw):
            return "format", "same address: punctuation"
        which = b if not b.parsed else a
        return "unreadable", f"could not read '{which.raw}' as a street address ({which.problem})"
    findings = _address_differences(a, b)
    if not findings:
        return "format", "same address: case or punctuation"
    findings.sort(key=lambda lv: _ADDRESS_ORDER.index(lv[0]))
    return findings[0][0], "; ".join(reason for _, reason in findings)


# Most serious first: the first level found is the verdict.
_ADDRESS_ORDER = (
    "box_differs", "number_differs", "street_differs", "suffix_differs", "directional_differs",
    "unit_differs", "unit_missing", "unit_extra", "street_spacing", "suffix_missing",
    "directional_missing", "note", "format",
)  # fmt: skip


def _address_differences(a: Address, b: Address) -> list[Level]:
    out: list[Level] = []
    if a.box or b.box:
        if a.box != b.box:
            out.append(("box_differs", f"PO box {a.box or '(none)'} ≠ {b.box or '(none)'}"))
        return out
    if a.number != b.number:
        out.append(("number_differs", f"street number {b.number or '(none)'} ≠ {a.number}"))
    _street_differences(a, b, out)
    _directional_differences(a, b, out)
    _unit_differences(a, b, out)
    if b.city or b.state or b.zip:
        out.append(("format", "city, state or ZIP written on the address line"))
    for note in b.notes:
        out.append(("note", f"location note '{note}' set aside"))
    return out


def _street_differences(a: Address, b: Address, out: list[Level]) -> None:
    name_a, name_b = (
        " ".join((a.pretype, a.street)).strip(),
        " ".join((b.pretype, b.street)).strip(),
    )
    if name_a != name_b:
        if name_a.replace(" ", "") == name_b.replace(" ", ""):
            out.append(("street_spacing", f"street '{_sp(b, 'street')}' = '{_sp(a, 'street')}'"))
        else:
            out.append(("street_differs", f"street '{_sp(b, 'street')}' ≠ '{_sp(a, 'street')}'"))
    elif _plain(_sp(a, "street")) != _plain(_sp(b, "street")):
        out.append(("format", f"'{_sp(b, 'street')}' = '{_sp(a, 'street')}'"))
    if a.suffix and b.suffix and a.suffix != b.suffix:
        out.append(("suffix_differs", f"suffix '{_sp(b, 'suffix')}' ≠ '{_sp(a, 'suffix')}'"))
    elif a.suffix != b.suffix:
        missing = a if not b.suffix else b
        side = "listing" if not b.suffix else "your record"
        out.append(("suffix_missing", f"suffix '{_sp(missing, 'suffix')}' missing on {side}"))
    elif _plain(_sp(a, "suffix")) != _plain(_sp(b, "suffix")):
        out.append(
            ("format", f"suffix '{_sp(b, 'suffix')}' = '{_sp(a, 'suffix')}' (USPS {a.suffix})")
        )


def _directional_differences(a: Address, b: Address, out: list[Level]) -> None:
    for part, label in (("predir", "directional"), ("postdir", "directional")):
        va, vb = getattr(a, part), getattr(b, part)
        if va and vb and va != vb:
            out.append(("directional_differs", f"{label} '{_sp(b, part)}' ≠ '{_sp(a, part)}'"))
        elif va != vb:
            which, side = (a, "listing") if va else (b, "your record")
            out.append(("directional_missing", f"{label} '{_sp(which, part)}' missing on {side}"))
        elif va and _plain(_sp(a, part)) != _plain(_sp(b, part)):
            out.append(("format", f"'{_sp(b, part)}' = '{_sp(a, part)}'"))


def _unit_differences(a: Address, b: Address, out: list[Level]) -> None:
    ids_a, ids_b = [i for _, i in a.units], [i for _, i in b.units]
    if ids_a == ids_b:
        if _plain(_sp(a, "unit")) != _plain(_sp(b, "unit")):
            out.append(("format", f"'{_sp(b, 'unit')}' = '{_sp(a, 'unit')}'"))
        return
    if ids_a and ids_b:
        out.append(("unit_differs", f"{_unit_word(a)} {' '.join(ids_b)} ≠ {' '.join(ids_a)}"))
    elif ids_a:
        out.append(("unit_missing", f"{_unit_word(a)} {' '.join(ids_a)} missing"))
    else:
        out.append(("unit_extra", f"{_unit_word(b)} {' '.join(ids_b)} not in your record"))


def _unit_word(a: Address) -> str:
    usps = a.units[0][0] if a.units else "#"
    return {"STE": "suite", "APT": "apt", "FL": "floor", "#": "unit", "BLDG": "building"}.get(
        usps, usps.lower()
    )


@lru_cache(maxsize=16384)
def _plain(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _sp(a: Address, part: str) -> str:
    """The source's own spelling of a component."""
    return a.spelling.get(part, getattr(a, part, ""))


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
    rewrites = sorted(set(a.rewrites) ^ set(b.rewrites))
    return "format", "same website: " + (", ".join(rewrites) or "written differently")


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
