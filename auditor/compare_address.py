"""Street addresses compared part by part: the level that fired and a reason an owner can read.

Reasons read "listing first, then yours" and quote each side's own spelling ("suite 201 ≠ 210",
"suffix 'Rd' = 'Road' (USPS RD)"). The level's status and severity are declared in
`auditor.fields`; identification (`auditor.identify`) reads the same levels, so a difference
weighs the same in both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from napaudit.auditor.normalize import address_words as aw
from napaudit.auditor.normalize.address import Address
from napaudit.auditor.normalize.text import words
from scourgify.address_constants import OCCUPANCY_TYPE_ABBREVIATIONS

if TYPE_CHECKING:
    from napaudit.auditor.normalize.record import Normalized

Level = tuple[str, str]  # (level name, reason)

# Most serious first: the first level found is the verdict.
ORDER = (
    "box_differs", "number_differs", "street_differs", "suffix_differs", "directional_differs",
    "unit_differs", "unit_missing", "unit_extra", "street_spacing", "suffix_missing",
    "directional_missing", "note", "format",
)  # fmt: skip
UNIT_LEVELS = frozenset({"unit_differs", "unit_missing", "unit_extra"})


def compare_address(c: Normalized, f: Normalized) -> Level:
    return compare_addresses(c.address, f.address)


def compare_addresses(a: Address, b: Address) -> Level:
    """`a` is yours, `b` the listing's."""
    if not a.parsed or not b.parsed:
        if words(a.raw) == words(b.raw):
            return "format", "same address: punctuation"
        which = b if not b.parsed else a
        return "unreadable", f"could not read '{which.raw}' as a street address ({which.problem})"
    findings = address_differences(a, b)
    if not findings:
        return "format", "same address: case or punctuation"
    return findings[0][0], "; ".join(reason for _, reason in findings)


@lru_cache(maxsize=65536)
def address_differences(a: Address, b: Address) -> tuple[Level, ...]:
    """Every difference between two parsed addresses, most serious first. (Cached: the
    identification of a listing and its verdict compare the same pair.)"""
    out: list[Level] = []
    if a.box or b.box:
        if a.box != b.box:
            out.append(("box_differs", f"PO box {a.box or '(none)'} ≠ {b.box or '(none)'}"))
        return tuple(out)
    if a.number != b.number:
        out.append(("number_differs", f"street number {b.number or '(none)'} ≠ {a.number}"))
    elif _plain(_sp(a, "number")) != _plain(_sp(b, "number")):
        out.append(("format", f"'{_sp(b, 'number')}' = '{_sp(a, 'number')}'"))
    street: list[Level] = []
    _street_differences(a, b, street)
    _directional_differences(a, b, street)
    if a.street_words == b.street_words and any(lv != "format" for lv, _ in street):
        # the same words, read as other parts ('South Blvd': a directional or a name)
        same = _plain(_sp(a, "line")) == _plain(_sp(b, "line"))
        street = [] if same else [("format", f"'{_sp(b, 'line')}' = '{_sp(a, 'line')}'")]
    out += street
    _unit_differences(a, b, out)
    if b.city or b.state or b.zip:
        out.append(("format", "city, state or ZIP written on the address line"))
    for note in b.notes:
        out.append(("note", f"location note '{note}' set aside"))
    return tuple(sorted(out, key=lambda lv: ORDER.index(lv[0])))


def _street_differences(a: Address, b: Address, out: list[Level]) -> None:
    name_a, name_b = _shown_name(a), _shown_name(b)
    same_type = a.pretype == b.pretype or aw.same_route(a.pretype, b.pretype)
    if a.street != b.street or not same_type:
        if (a.pretype + a.street).replace(" ", "") == (b.pretype + b.street).replace(" ", ""):
            out.append(("street_spacing", f"street '{name_b}' = '{name_a}'"))
        else:
            if _plain(name_a) == _plain(name_b):  # same words, other parts: say what differs
                name_a, name_b = a.street_key, b.street_key
            out.append(("street_differs", f"street '{name_b}' ≠ '{name_a}'"))
    elif _plain(name_a) != _plain(name_b):
        out.append(("format", f"'{name_b}' = '{name_a}'"))
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


def _shown_name(a: Address) -> str:
    """The street's name as the source wrote it, with its route designator ('Co Rd 12')."""
    return " ".join(p for p in (_sp(a, "pretype"), _sp(a, "street")) if p)


def _directional_differences(a: Address, b: Address, out: list[Level]) -> None:
    dirs_a, dirs_b = {a.predir, a.postdir} - {""}, {b.predir, b.postdir} - {""}
    shown_a = " ".join(_sp(a, p) for p in ("predir", "postdir") if getattr(a, p))
    shown_b = " ".join(_sp(b, p) for p in ("predir", "postdir") if getattr(b, p))
    if dirs_a and dirs_b and not dirs_a & dirs_b:  # "W Ave" and "Ave E", whichever side of it
        out.append(("directional_differs", f"directional '{shown_b}' ≠ '{shown_a}'"))
        return
    if dirs_a == dirs_b and (a.predir, a.postdir) != (b.predir, b.postdir):
        out.append(("format", f"directional '{shown_b}' written on the other side of the name"))
        return
    for part in ("predir", "postdir"):
        va, vb = getattr(a, part), getattr(b, part)
        if va and vb and va != vb:
            out.append(("directional_differs", f"directional '{_sp(b, part)}' ≠ '{_sp(a, part)}'"))
        elif va != vb:
            which, side = (a, "listing") if va else (b, "your record")
            shown = f"directional '{_sp(which, part)}' missing on {side}"
            out.append(("directional_missing", shown))
        elif va and _plain(_sp(a, part)) != _plain(_sp(b, part)):
            out.append(("format", f"'{_sp(b, part)}' = '{_sp(a, part)}'"))


def _unit_differences(a: Address, b: Address, out: list[Level]) -> None:
    missing, extra = _unmatched(a.units, b.units), _unmatched(b.units, a.units)
    if missing and extra:
        (kind, ident), (their_kind, theirs) = missing[0], extra[0]
        if _same_kind(kind, their_kind):
            out.append(("unit_differs", f"{_unit_word(kind)} {theirs} ≠ {ident}"))
        else:
            shown = f"{_unit_word(their_kind)} {theirs} ≠ {_unit_word(kind)} {ident}"
            out.append(("unit_differs", shown))
    elif missing:
        out.append(("unit_missing", ", ".join(f"{_unit_word(k)} {i}" for k, i in missing)
                    + " missing"))  # fmt: skip
    elif extra:
        out.append(("unit_extra", ", ".join(f"{_unit_word(k)} {i}" for k, i in extra)
                    + " not in your record"))  # fmt: skip
    elif _plain(_sp(a, "unit")) != _plain(_sp(b, "unit")):
        out.append(("format", f"'{_sp(b, 'unit')}' = '{_sp(a, 'unit')}'"))


def _unmatched(units, others) -> list[tuple[str, str]]:
    """The units of `units` that `others` does not show (a '#' stands for any designator;
    suite, apartment, unit, room, office and space are one kind; a floor is a floor)."""
    left = list(others)
    out = []
    for kind, ident in units:
        match = next((o for o in left if o[1] == ident and _same_kind(kind, o[0])), None)
        if match is None:
            out.append((kind, ident))
        else:
            left.remove(match)
    return out


def _same_kind(a: str, b: str) -> bool:
    generic = aw.GENERIC_UNITS
    return a == b or "#" in (a, b) or (a in generic and b in generic)


_UNIT_WORDS = {v: k.lower() for k, v in OCCUPANCY_TYPE_ABBREVIATIONS.items()}
_UNIT_WORDS.update({"#": "unit", "APT": "apt"})


def _unit_word(kind: str) -> str:
    return _UNIT_WORDS.get(kind, kind.lower())


@lru_cache(maxsize=16384)
def _plain(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _sp(a: Address, part: str) -> str:
    """The source's own spelling of a component."""
    return a.spelling.get(part, getattr(a, part, ""))
