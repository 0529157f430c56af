"""Street addresses: usaddress splits the line, scourgify's USPS Pub 28 tables name the parts.

The result keeps each component in its USPS form beside the spelling the source used, so that a
verdict can say "suffix 'Rd' = 'Road' (USPS)". Text that is not part of a postal address
(parenthesized notes, cross streets, mall or building names) is set aside in `notes`.

usaddress costs ~275 us a call, so each distinct line is parsed once (lru_cache); scourgify's own
normalize_address_record would parse it a second time, so only its tables are used here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import usaddress
from napaudit.auditor.normalize.text import squash
from num2words import num2words
from scourgify.address_constants import (
    CITY_ABBRS,
    DIRECTIONAL_REPLACEMENTS,
    LONGHAND_STREET_TYPES,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)


@dataclass(frozen=True)
class Address:
    raw: str
    number: str = ""  # "570", "123A", "123 1/2"
    predir: str = ""  # USPS: "N", "SW"
    pretype: str = ""  # "AVE" in "Avenue of the Americas", "HWY" in "Highway 9"
    street: str = ""  # "5TH", "SAINT CHARLES", "OF THE AMERICAS"
    suffix: str = ""  # USPS: "ST", "BLVD"
    postdir: str = ""
    units: tuple[tuple[str, str], ...] = ()  # (("STE", "200"),), USPS designators
    box: str = ""  # PO box number
    city: str = ""  # only when the line itself carried them
    state: str = ""
    zip: str = ""
    notes: tuple[str, ...] = ()  # set aside, not compared
    problem: str = ""  # why the line could not be read as an address
    # the source's own spelling of each component, for reasons ("Blv." for suffix BLVD)
    spelling: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def parsed(self) -> bool:
        return not self.problem

    @property
    def street_key(self) -> str:
        """Street name and type in USPS form, for blocking and identification."""
        return " ".join(p for p in (self.pretype, self.street, self.suffix) if p)


# --- reference tables, built from libraries -------------------------------------------------

_DIRECTIONALS = {**DIRECTIONAL_REPLACEMENTS, **{v: v for v in DIRECTIONAL_REPLACEMENTS.values()}}
_SUFFIXES = dict(STREET_TYPE_ABBREVIATIONS)
_UNITS = {**OCCUPANCY_TYPE_ABBREVIATIONS, **{v: v for v in OCCUPANCY_TYPE_ABBREVIATIONS.values()}}
_UNITS.update({"FLR": "FL", "NO": "#", "NUMBER": "#"})  # spellings seen in listings, not in Pub 28


def _ordinals() -> dict[str, str]:
    """'FIFTH' -> '5TH', 'TWENTY-FIRST' and 'TWENTY FIRST' -> '21ST' (num2words spells them)."""
    table = {}
    for n in range(1, 200):
        word = num2words(n, to="ordinal").upper().replace(" AND ", " ")
        for form in {word, word.replace("-", " "), word.replace("-", "")}:
            table[form] = f"{n}{_indicator(n)}"
    return table


def _indicator(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


_ORDINAL_WORDS = _ordinals()
_ORDINAL_NUMBER = re.compile(r"^(\d+)(ST|ND|RD|TH|D)?$")

# Text that locates the business but is not part of its postal address.
_PARENS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_CROSS = re.compile(
    r"(?:,\s*|\s+)((?:between|btwn|btw|b/t|bet\.|at|@|near|nr\.?|off|across from|corner of|"
    r"cor\.? of|next to|behind|opposite|inside|in the|located in|located at|within)\s.*?)"
    r"(?=,|;|$)",
    re.IGNORECASE,
)
_BOX = re.compile(r"^(?:P\.?\s*O\.?\s*|POST OFFICE\s+)?BOX\s*#?\s*([\w-]+)$", re.IGNORECASE)

_STREET_LABELS = ("StreetNamePreModifier", "StreetName", "StreetNamePostModifier")
_NOTE_LABELS = ("Recipient", "BuildingName", "LandmarkName", "NotAddress", "CornerOf")


def set_aside(line: str) -> tuple[str, list[str]]:
    """Remove notes in parentheses and cross-street phrases; return (address text, notes)."""
    notes = [m.group(1).strip() for m in _PARENS.finditer(line) if m.group(1).strip()]
    text = _PARENS.sub(" ", line)
    first_digit = re.search(r"\d", text)
    start = first_digit.start() if first_digit else 0
    head, tail = text[:start], text[start:]
    for m in _CROSS.finditer(tail):
        notes.append(m.group(1).strip(" ,;"))
    tail = _CROSS.sub("", tail)
    return squash(head + tail).strip(" ,;"), notes


@lru_cache(maxsize=262144)
def normalize_address(raw: str) -> Address:
    line = squash(raw)
    if not line:
        return Address(raw=raw, problem="empty")
    text, notes = set_aside(line)
    box = _BOX.match(text.strip(" ,."))
    if box:
        return Address(raw=raw, box=box.group(1).upper(), notes=tuple(notes))
    text, respelled = _unlisted_suffixes(text)
    try:
        tokens = usaddress.parse(text)
    except Exception as exc:  # usaddress raises on odd input; an address must never crash a run
        return Address(raw=raw, notes=tuple(notes), problem=f"unreadable ({type(exc).__name__})")
    address = _assemble(raw, tokens, notes)
    if respelled and address.spelling.get("suffix") in respelled:
        address.spelling["suffix"] = respelled[address.spelling["suffix"]]
    return address


def _unlisted_suffixes(text: str) -> tuple[str, dict[str, str]]:
    """Write a suffix spelling Pub 28 does not list ('Blv.') as USPS does ('BLVD') before
    usaddress reads the line: an unknown word at the end of a street makes usaddress mislabel
    the words before it ("50 Harbor Blv." reads 'Harbor' as a street type)."""
    tokens = text.split(" ")
    respelled: dict[str, str] = {}
    for i, token in enumerate(tokens[1:], start=1):
        word = token.rstrip(",")
        key = _clean(word)
        if not key or key in _SUFFIXES or not (usps := _suffix(word)):
            continue
        following = _clean(tokens[i + 1]) if i + 1 < len(tokens) else ""
        ends_street = (
            not following
            or following.startswith("#")
            or following in _UNITS
            or following in _DIRECTIONALS
        )
        if token.endswith(",") or ends_street:
            tokens[i] = usps + ("," if token.endswith(",") else "")
            respelled[usps] = word
    return " ".join(tokens), respelled


def _groups(tokens: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Consecutive tokens of one label, in order: [("AddressNumber", ["570"]), ...]."""
    groups: list[tuple[str, list[str]]] = []
    for token, label in tokens:
        if groups and groups[-1][0] == label:
            groups[-1][1].append(token)
        else:
            groups.append((label, [token]))
    return groups


def _assemble(raw: str, tokens: list[tuple[str, str]], notes: list[str]) -> Address:
    parts: dict[str, list[str]] = {}
    crossed = False  # after an intersection separator, the rest is a cross street
    for label, toks in _groups(tokens):
        text = " ".join(toks).strip(" ,;")
        if label == "IntersectionSeparator" and parts.get("AddressNumber"):
            crossed = True
        if crossed or label in _NOTE_LABELS:
            if text:
                notes.append(text)
            continue
        if label in parts and label not in _STREET_LABELS + ("OccupancyIdentifier",):
            notes.append(text)  # a second street or number: not this address's
            continue
        parts.setdefault(label, []).append(text)

    spelling: dict[str, str] = {}
    street_words = " ".join(
        w for label in _STREET_LABELS for w in parts.get(label, []) if w
    ).split()
    suffix_raw = _first(parts, "StreetNamePostType")
    if not suffix_raw and len(street_words) > 1 and _suffix(street_words[-1]):
        suffix_raw = street_words.pop()  # usaddress left "Blv." in the name
    pretype_raw = _first(parts, "StreetNamePreType")
    number = " ".join(
        p
        for label in ("AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix")
        if (p := _first(parts, label))
    )
    if not (number or street_words or pretype_raw):
        return Address(raw=raw, notes=tuple(notes), problem="no street found")
    for name, value in (
        ("predir", _first(parts, "StreetNamePreDirectional")),
        ("suffix", suffix_raw),
        ("postdir", _first(parts, "StreetNamePostDirectional")),
        ("pretype", pretype_raw),
        ("street", " ".join(street_words)),
    ):
        if value:
            spelling[name] = value
    units = _units(parts, spelling)
    if "unit" in spelling:
        spelling["unit"] = _as_written(raw, spelling["unit"])
    zip5, zip4 = split_zip(_first(parts, "ZipCode"))
    return Address(
        raw=raw,
        number=_clean(number).replace(" ", "") if "/" not in number else _clean(number),
        predir=_directional(_first(parts, "StreetNamePreDirectional")),
        pretype=" ".join(_suffix(w) or _clean(w) for w in pretype_raw.split()),
        street=_street_name(street_words, numbered=not pretype_raw),
        suffix=_suffix(suffix_raw) or _clean(suffix_raw),
        postdir=_directional(_first(parts, "StreetNamePostDirectional")),
        units=units,
        city=_first(parts, "PlaceName"),
        state=_first(parts, "StateName"),
        zip="-".join(p for p in (zip5, zip4) if p),
        notes=tuple(n for n in notes if n),
        spelling=spelling,
    )


def _first(parts: dict[str, list[str]], label: str) -> str:
    values = parts.get(label)
    return values[0] if values else ""


_DROP = str.maketrans("", "", ".,;")


def _clean(text: str) -> str:
    return text.translate(_DROP).upper().strip()


def _directional(text: str) -> str:
    key = _clean(text).replace("-", "").replace(" ", "")
    return _DIRECTIONALS.get(key, key)


@lru_cache(maxsize=4096)
def _suffix(word: str) -> str:
    """USPS suffix for a spelling: 'Boulevard', 'Blvd', 'Blv.' -> 'BLVD'; '' when not a suffix."""
    key = _clean(word)
    if key in _SUFFIXES:
        return _SUFFIXES[key]
    # A spelling Pub 28 does not list ("Blv") is accepted when it abbreviates exactly one
    # street type: same first letter, its letters in order within the long form.
    if not (3 <= len(key) <= 4 or word.endswith(".")) or not key.isalpha():
        return ""  # abbreviations are short or end with a period; "Crest" is a name
    hits = {abbr for abbr, long in LONGHAND_STREET_TYPES.items() if _abbreviates(key, long)}
    return hits.pop() if len(hits) == 1 else ""


def _abbreviates(short: str, long: str) -> bool:
    if short[0] != long[0] or " " in long:
        return False
    rest = iter(long[1:])
    return all(c in rest for c in short[1:])


def _street_name(words: list[str], numbered: bool) -> str:
    out = []
    for i, word in enumerate(words):
        w = _clean(word)
        if w in _ORDINAL_WORDS:
            w = _ORDINAL_WORDS[w]
        elif (m := _ORDINAL_NUMBER.match(w)) and numbered and len(words) == 1:
            n = int(m.group(1))
            w = f"{n}{_indicator(n)}"  # "5", "5th", "5TH" -> "5TH"
        elif m and m.group(2):
            n = int(m.group(1))
            w = f"{n}{_indicator(n)}"  # "2d" -> "2ND"
        elif i == 0 and len(words) > 1 and w in CITY_ABBRS and w not in ("VA",):
            w = CITY_ABBRS[w]  # "St Charles" -> "SAINT CHARLES"
        out.append(w)
    return " ".join(out)


def _units(parts: dict[str, list[str]], spelling: dict[str, str]) -> tuple[tuple[str, str], ...]:
    units = []
    for type_label, id_label in (
        ("SubaddressType", "SubaddressIdentifier"),
        ("OccupancyType", "OccupancyIdentifier"),
    ):
        kind = _first(parts, type_label)
        ident = " ".join(parts.get(id_label, []))
        if not (kind or ident):
            continue
        spelling.setdefault("unit", " ".join(p for p in (kind, ident) if p))
        if ident.startswith("#") and not kind:
            kind = "#"
        key = _clean(kind)
        ident = re.sub(r"[#\s\-.,]", "", ident).upper()
        if key in ("FL", "FLR", "FLOOR") or _UNITS.get(key) == "FL":
            ident = re.sub(r"(ST|ND|RD|TH)$", "", ident)  # "2nd Floor" = "Floor 2"
        usps = _UNITS.get(key, key) if key else "#"
        units.append((usps, ident))
    return tuple(units)


def _as_written(line: str, joined: str) -> str:
    """How `line` wrote tokens that usaddress joined with spaces ('#200', not '# 200')."""
    if joined in line:
        return joined
    tight = joined.replace(" ", "")
    return tight if tight in line else joined


def split_zip(text: str) -> tuple[str, str]:
    """'90210-1234' -> ('90210', '1234'); '2134' (a spreadsheet ate the 0) -> ('02134', '')."""
    digits = "".join(c for c in text or "" if c.isdigit())
    if len(digits) == 9:
        return digits[:5], digits[5:]
    if len(digits) in (3, 4):
        return digits.zfill(5), ""
    if len(digits) == 5:
        return digits, ""
    return "", ""
