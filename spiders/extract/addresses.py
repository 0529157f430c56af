"""Postal addresses in text: find "City, ST 12345" anchors, let usaddress label the lines around
them, and cut the street line, city, state and ZIP out of the text as the page shows them.

A US address is anchored on its state and ZIP (state names and codes come from scourgify's
table); a Canadian one on its region and postal code, and a UK one on its postcode, whose shapes
(A1A 1A1, W1T 3NL) are distinctive enough alone. A US ZIP ranks its address first (the pages are
mostly US), and the zipcodes data (USPS city names per ZIP) settles where a street ends and its
city begins when no comma does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import usaddress
from napaudit.auditor.normalize.place import zip_info
from napaudit.auditor.normalize.text import squash
from scourgify.address_constants import STATE_ABBREVIATIONS, STREET_TYPE_ABBREVIATIONS

_CODES = sorted(set(STATE_ABBREVIATIONS.values()))
_NAMES = sorted((k for k in STATE_ABBREVIATIONS if len(k) > 2), key=len, reverse=True)
# Codes must be capitalized ("CA", "Ma"): lower-case "in", "or", "me" before a number are words.
_STATE = "|".join(
    [r"(?i:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _NAMES) + ")"]
    + [c[0] + f"(?i:{c[1]})" for c in _CODES]
)
_US_ANCHOR = re.compile(
    rf"(?<![\w.])(?P<state>{_STATE})\.?[ \t]*,?\s*"
    r"(?P<zip>\d{5}(?:[ \t]?-[ \t]?\d{4})?)(?![\d-])"
)
_CA_ANCHOR = re.compile(
    r"(?<![\w.])(?P<state>[A-Z][a-z]+(?: [A-Z][a-z]+)?|[A-Z]{2})\.?[ \t]*,?\s*"
    r"(?P<zip>[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?![\w])"
)
# A UK postcode ("W1T 3NL", "NN18 9ET") has no region before it; the empty group keeps the shape.
_UK_ANCHOR = re.compile(
    r"(?<![\w])(?P<state>)(?P<zip>[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})(?![\w])"
)
# "Springfield, IL" with no ZIP: a state after a comma that ends its line (or comes before a
# country or a separator). Tried only when no address with a postal code was found, and kept
# only with a numbered street before it: a state name alone ends many a sentence.
_US_NO_ZIP = re.compile(
    rf",[ \t]*(?P<state>{_STATE})\.?(?P<zip>)(?=[ \t]*(?:,?[ \t]*(?:USA|U\.S\.A?\.?|"
    r"United States))?[ \t]*(?:$|[|•·–—]))",
    re.MULTILINE,
)
_ANCHORS = (_US_ANCHOR, _CA_ANCHOR, _UK_ANCHOR, _US_NO_ZIP)
# A place and nothing else: "Springfield, IL", "Springfield Illinois", "Texas".
_PLACE_ONLY = re.compile(rf"(?:[A-Za-z][\w .'-]*,?\s+)?(?:{_STATE})\.?(?:,?\s+(?:USA|US))?")
_COUNTRY = re.compile(
    r"^[\s,]*(USA|U\.S\.A\.?|U\.S\.|US|United States(?: of America)?|Canada|UK|"
    r"United Kingdom|England)\b",
    re.IGNORECASE,
)
_STREET_LABELS = frozenset(
    """AddressNumberPrefix AddressNumber AddressNumberSuffix StreetNamePreModifier
    StreetNamePreDirectional StreetNamePreType StreetName StreetNamePostType
    StreetNamePostDirectional StreetNamePostModifier OccupancyType OccupancyIdentifier
    SubaddressType SubaddressIdentifier USPSBoxType USPSBoxID USPSBoxGroupType USPSBoxGroupID
    """.split()
)
_NAMED_PLACE = frozenset({"LandmarkName", "BuildingName"})
_SUFFIX_WORDS = frozenset(STREET_TYPE_ABBREVIATIONS) | frozenset(STREET_TYPE_ABBREVIATIONS.values())
# "Mailing address: PO Box 42", "Office: 120 Oak St": a label before a street is no part of it.
_LABEL = re.compile(r"(?i)^[^\d:]{2,30}:\s*(?=\d|p\.?\s*o\b|box\b|post\s+office)")
_MAX_LINE = 90  # a longer line is prose, not a line of an address block
_PUNCT = " ,|·•"  # separators pages put between the parts of an address on one line
_SEPARATORS = _PUNCT + "-–—"


@dataclass
class Found:
    """One address found in a list of lines; `line` is the index of its city/state/ZIP line."""

    address: str
    city: str
    state: str
    zip: str
    country: str
    line: int
    street_line: int  # index of the line its street starts on (== line when on one line)


# What every anchor ends with, cheap to find: the state-name alternation of the US anchor
# costs ~5 ms on an 18 KB page when tried at every position, so it is tried only before these.
_ZIP_SHAPES = {
    _US_ANCHOR: re.compile(r"(?<![\d-])\d{5}(?:[ \t]?-[ \t]?\d{4})?(?![\d-])"),
    _CA_ANCHOR: re.compile(r"(?<![\w])[A-Z]\d[A-Z][ \t]?\d[A-Z]\d(?![\w])"),
}
_BEFORE_ZIP = 60  # characters a state name, its dot and the spaces take before the ZIP


def find_addresses(lines: list[str]) -> list[Found]:
    """Every postal address in the lines, in page order."""
    text = "\n".join(lines)
    starts = _line_starts(lines)
    found: list[Found] = []
    for anchor in _ANCHORS:
        if anchor in (_UK_ANCHOR, _US_NO_ZIP) and found:
            break  # these shapes are tried only on pages with no address found before
        for m in _anchors(anchor, text):
            line = _line_of(starts, m.start("state"))
            address = _around(lines, starts, line, m)
            if address and (anchor is not _US_NO_ZIP or _numbered(address.address)):
                found.append(address)
    return sorted(found, key=lambda f: f.line)


def _anchors(anchor: re.Pattern, text: str):
    shape = _ZIP_SHAPES.get(anchor)
    if shape is None:
        yield from anchor.finditer(text)
        return
    for z in shape.finditer(text):
        # search the full string from just before the ZIP: lookbehinds still see the text
        m = anchor.search(text, max(0, z.start() - _BEFORE_ZIP), z.end())
        while m is not None and m.start("zip") < z.start():
            m = anchor.search(text, m.start() + 1, z.end())
        if m is not None and m.start("zip") == z.start():
            yield m


def is_place(text: str) -> bool:
    """A city and state, or a state, alone: where a business is, not what it is called."""
    return bool(_PLACE_ONLY.fullmatch(squash(text)))


def street_lines(lines: list[str]) -> list[Found]:
    """Lines that are a street line and nothing else ("418 Castro Street"), for pages that
    show a street without its city, state and ZIP (a café listing its branches' streets)."""
    found = []
    for i, line in enumerate(lines):
        if len(line) > 50 or not re.match(r"\d+\w*\s+\w", line):
            continue
        try:
            tokens = usaddress.parse(line)
        except Exception:  # usaddress raises on odd input
            continue
        labels = {label for _, label in tokens}
        suffix = next((t for t, label in tokens if label == "StreetNamePostType"), "")
        if labels <= _STREET_LABELS and suffix.upper().strip(".,") in _SUFFIX_WORDS:
            found.append(Found(line.strip(" ,"), "", "", "", "", line=i, street_line=i))
    return found


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # the last line starting at or before offset
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if starts[mid] <= offset else (lo, mid - 1)
    return lo


def _around(lines: list[str], starts: list[int], line: int, m: re.Match) -> Found | None:
    """Read the street and city before an anchor: its own line up to the state, then one more
    short line above at a time (up to three) until a numbered street turns up, joined with ", "
    as the address would be written on one line. Fewer lines give usaddress less to mislabel."""
    head = lines[line][: m.start("state") - starts[line]]
    if len(head) > _MAX_LINE:
        head = re.split(r"[.:;!?]\s|\|", head)[-1]
    tail = squash(f"{m.group('state')} {m.group('zip')}")
    pieces = [head.strip(_PUNCT)]
    street, city = _split(", ".join(p for p in pieces if p), tail)
    first = street_line = line
    while not _numbered(street) and first > max(line - 3, 0) and not _has_number_label(head):
        above = lines[first - 1]
        if len(above) > _MAX_LINE or above.endswith(":"):
            break
        first -= 1
        pieces.insert(0, above.strip(_PUNCT))
        wider_street, wider_city = _split(", ".join(p for p in pieces if p), tail)
        if wider_street and (not street or _numbered(wider_street)):
            street, street_line = wider_street, first
        city = wider_city or city
    if not city and not street:
        return None
    street, city = _usps_city(_LABEL.sub("", street), city, m.group("zip"))
    country = _COUNTRY.match(m.string[m.end() : m.end() + 40])
    return Found(
        address=street,
        city=city,
        state=squash(m.group("state")),
        zip=squash(m.group("zip")),
        country=squash(country.group(1)) if country else "",
        line=line,
        street_line=street_line,
    )


def _numbered(street: str) -> bool:
    """'1810 Main Street', 'P.O. Box 4410': a street line with its number."""
    return bool(re.search(r"\d", street))


def _usps_city(street: str, city: str, zip_code: str) -> tuple[str, str]:
    """Where a street ends and its city begins, by the ZIP's USPS city names. usaddress reads
    words between a street and its city as part of the city ("22 Center Street Riverbend Mall
    Auburn"): when a USPS name ends the run, the words before it go back to the street line.
    It also leaves the first words of a city on the street ("41 Shore Road Old" +
    "Saybrook"): when the city ends a USPS name whose first words end the street, they move."""
    info = zip_info(zip_code[:5]) if re.fullmatch(r"\d{5}", zip_code[:5]) else None
    if info is None or not city:
        return street, city
    for name in (info.city, *info.acceptable):
        head, sep, tail = city.upper().rpartition(" " + name.upper())
        if sep and not tail and head:
            cut = len(city) - len(name)
            return squash(f"{street} {city[:cut]}") if street else street, city[cut:].strip()
    for name in (info.city, *info.acceptable):
        if not name.upper().endswith(" " + city.upper()):
            continue
        first = name[: len(name) - len(city)].strip().upper()
        trimmed = street.rstrip(_SEPARATORS)
        if trimmed.upper().endswith(" " + first):
            rest = trimmed[: len(trimmed) - len(first)].rstrip(_SEPARATORS)
            if _numbered(rest):
                return rest, f"{trimmed[len(rest) :].strip(_SEPARATORS)} {city}"
    return street, city


def _has_number_label(head: str) -> bool:
    """A line that already starts with a street number needs no lines from above."""
    return bool(re.match(r"\s*\d+\w*\s+\w", head))


def split_address(one_line: str) -> dict[str, str]:
    """'123 Main St, Springfield, IL 62701' -> address, city, state, zip (those found)."""
    text = squash(one_line)
    for anchor in _ANCHORS:
        # the last anchor: a street line may itself hold a number that looks like one
        m = next(iter(reversed(list(anchor.finditer(text)))), None)
        if m and anchor is _US_NO_ZIP and not _numbered(text[: m.start()]):
            m = None
        if m:
            tail = squash(f"{m['state']} {m['zip']}")
            street, city = _split(text[: m.start("state")].rstrip(" ,"), tail)
            street, city = _usps_city(_LABEL.sub("", street), city, m["zip"])
            country = _COUNTRY.match(text[m.end() :])
            parts = {
                "address": street,
                "city": city,
                "state": squash(m.group("state")),
                "zip": squash(m.group("zip")),
                "country": squash(country.group(1)) if country else "",
            }
            return {k: v for k, v in parts.items() if v}
    street, city = _split(text, "")
    return (
        {k: v for k, v in {"address": street, "city": city}.items() if v}
        if street
        else {"address": text}
    )


@lru_cache(maxsize=4096)
def _split(block: str, tail: str) -> tuple[str, str]:
    """(street line, city) out of the text before a state: the last run of usaddress's street
    labels, and the place name after it (the last comma-separated piece of it)."""
    if not block.strip():
        return "", ""
    try:
        # with its state and ZIP after it, usaddress reads the last words before them as a city
        tokens = usaddress.parse(f"{block}, {tail}" if tail else block)
    except Exception:  # usaddress raises on odd input; text must never crash an extraction
        return "", ""
    spans = _spans(block, [token for token, _ in tokens])
    labels = [label for _, label in tokens][: len(spans)]
    end = len(spans)
    city_from = end
    while city_from > 0 and labels[city_from - 1] == "PlaceName":
        city_from -= 1
    city = street = ""
    if city_from < end:
        city = block[spans[city_from][0] : spans[end - 1][1]]
        city = city.split(",")[-1].strip(" ,") or city.strip(" ,")
    street_from = city_from
    while street_from > 0 and labels[street_from - 1] in _STREET_LABELS:
        street_from -= 1
    street_labels = set(labels[street_from:city_from])
    # a numbered street, a box, or a named one: "Larkin Field Road", "Route 7"
    if street_labels & {"AddressNumber", "USPSBoxID"} or (
        "StreetName" in street_labels
        and street_labels & {"StreetNamePostType", "StreetNamePreType"}
    ):
        street = block[spans[street_from][0] : spans[city_from - 1][1]].strip(" ,")
    elif street_from == city_from and street_from > 0 and labels[street_from - 1] in _NAMED_PLACE:
        # "Larkin Field, Boston": a street with no number, which usaddress calls a landmark
        named = block[: spans[street_from - 1][1]].split(",")[-1].strip(" ,")
        if named.split() and named.split()[-1].upper().strip(".") in _SUFFIX_WORDS:
            street = named
    return street, city


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each usaddress token sits in the text (tokens past the text are dropped)."""
    spans, offset = [], 0
    for token in tokens:
        core = token.strip(",;")
        at = text.find(core, offset) if core else -1
        if at < 0:
            break
        spans.append((at, at + len(core)))
        offset = at + len(core)
    return spans
