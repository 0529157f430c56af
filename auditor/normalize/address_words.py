"""The words of a street address and their one canonical spelling.

USPS Pub 28 (usaddress-scourgify's tables) gives street types, directionals and unit designators;
num2words spells ordinals ("Forty-Second") and cardinals ("One Hundred Ten"). The few spellings
neither has (route designators such as "Co Rd" or "SR", "MLK", "Flr", "No." as a unit marker) are
in small tables here, each marked as such.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words
from scourgify.address_constants import (
    CITY_ABBRS,
    DIRECTIONAL_REPLACEMENTS,
    LONGHAND_STREET_TYPES,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

DIRECTIONALS = {**DIRECTIONAL_REPLACEMENTS, **{v: v for v in DIRECTIONAL_REPLACEMENTS.values()}}
SUFFIXES = dict(STREET_TYPE_ABBREVIATIONS)
UNITS = {**OCCUPANCY_TYPE_ABBREVIATIONS, **{v: v for v in OCCUPANCY_TYPE_ABBREVIATIONS.values()}}
# Unit spellings seen in listings that Pub 28 does not list.
UNITS.update({"FLR": "FL", "NO": "#", "NUMBER": "#", "BLD": "BLDG", "PENTHOUSE": "PH"})
# Designators that name the same kind of space: a listing writes "#200" for "Suite 200".
# The others (floor, building, penthouse...) say which kind of space, and must agree.
GENERIC_UNITS = frozenset({"#", "STE", "APT", "UNIT", "RM", "OFC", "SPC"})
UNIT_MARKERS = frozenset({"NO", "NUMBER", "#"})  # "Apt No 101", "Apt # 101": 101 is the unit
# Designators that are never a street's or a city's word when a unit number follows them.
DESIGNATORS = frozenset(
    k for k, v in UNITS.items() if v in {"APT", "STE", "UNIT", "RM", "FL", "BLDG", "DEPT", "PH"}
)


def indicator(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


def _spellings(n: int, to: str) -> set[str]:
    """'TWENTY-FIRST', 'TWENTY FIRST', 'TWENTYFIRST'; 'ONE HUNDRED AND TEN' and without 'AND'."""
    word = num2words(n, to=to).upper().replace(",", "")
    forms = {word, word.replace(" AND ", " ")}
    return {f for w in forms for f in (w, w.replace("-", " "), w.replace("-", ""))}


def _ordinals() -> dict[str, str]:
    """'FIFTH' -> '5TH', 'TWENTY-FIRST' and 'TWENTY FIRST' -> '21ST' (num2words spells them)."""
    return {form: f"{n}{indicator(n)}" for n in range(1, 200) for form in _spellings(n, "ordinal")}


def _cardinals() -> dict[str, int]:
    """'ONE' -> 1, 'ONE HUNDRED TEN' -> 110: house numbers written in words."""
    return {form: n for n in range(1, 1000) for form in _spellings(n, "cardinal")}


ORDINAL_WORDS = _ordinals()
CARDINAL_WORDS = _cardinals()
_LONGEST = max(len(w.split()) for w in {**ORDINAL_WORDS, **CARDINAL_WORDS})
_DOCTOR = re.compile(r"^(DR|DOCTOR) ")
_JUNIOR = re.compile(r" (JR|JUNIOR)$")
_UNIT_PUNCTUATION = re.compile(r"[#\s\-.,]")
_ORDINAL_ENDING = re.compile(r"(?<=\d)(ST|ND|RD|TH)$")
ORDINAL_NUMBER = re.compile(r"^(\d+)(ST|ND|RD|TH|D)?$")

# Route designators: Pub 28 lists "COUNTY ROAD", "STATE ROUTE", "US HIGHWAY"...; these spellings
# of them it does not (no library has them), so they are written out before usaddress reads a line.
_OWN_ROUTE_SPELLINGS = {
    "CO RD": "County Road", "CO ROAD": "County Road", "CNTY RD": "County Road",
    "CR": "County Road", "C R": "County Road", "CO HWY": "County Highway",
    "CO RTE": "County Route", "SR": "State Route", "ST RT": "State Route",
    "ST RTE": "State Route", "SH": "State Highway", "RT": "Route", "US": "US Highway",
}  # fmt: skip
# Which road a designator names. A bare "Highway 9" or "Route 9" is how listings write a state
# or a US route alike, so it agrees with either; a state route and a US route of one number are
# two roads. "HWY" and "RTE" are Pub 28's own abbreviations.
ROUTE_KIND = {
    "COUNTY RD": "county", "COUNTY RTE": "county", "COUNTY HWY": "county",
    "STATE RTE": "state", "STATE HWY": "state", "STATE RD": "state",
    "US HWY": "us", "US RTE": "us", "HWY": "any", "RTE": "any",
}  # fmt: skip

# Every spelling of a designator, written out in full words ("US Hwy" -> "US Highway"), as
# usaddress reads them best: Pub 28's spellings, then the table above.
ROUTE_SPELLINGS = {
    **{k: LONGHAND_STREET_TYPES[v].title().replace("Us ", "US ")
       for k, v in STREET_TYPE_ABBREVIATIONS.items() if v in ROUTE_KIND},
    **_OWN_ROUTE_SPELLINGS,
}  # fmt: skip

# "St Charles", "Mt Vernon", "Ft Worth": the abbreviations that begin names (not "VA").
NAME_ABBREVIATIONS = {k: v for k, v in CITY_ABBRS.items() if k in ("ST", "MT", "FT")}

# "Martin Luther King Jr" has one abbreviation everyone uses and no library lists.
_MLK = ("MARTIN LUTHER KING", "M L KING", "MLK")


@lru_cache(maxsize=65536)  # a few thousand words make up most address lines
def clean(text: str) -> str:
    return text.translate(_DROP).upper().strip()


_DROP = str.maketrans("", "", ".,;")


def directional(text: str) -> str:
    key = clean(text).replace("-", "").replace(" ", "")
    return DIRECTIONALS.get(key, key)


def route_kind(pretype: str) -> str:
    return ROUTE_KIND.get(pretype, "")


def same_route(a: str, b: str) -> bool:
    """'HWY' and 'STATE RTE' name one road; 'STATE RTE' and 'US HWY' do not."""
    ka, kb = route_kind(a), route_kind(b)
    return bool(ka and kb) and (ka == kb or "any" in (ka, kb))


def name_word(word: str, before_name: bool) -> str:
    """One word of a street name, as Pub 28 abbreviates it wherever it stands: 'CENTER' and
    'CTR' -> 'CTR', 'MOUNT' -> 'MT', 'NORTH' -> 'N'; 'SAINT' -> 'ST' before another word."""
    w = clean(word)
    if w in ORDINAL_WORDS:
        return ORDINAL_WORDS[w]
    if (m := ORDINAL_NUMBER.match(w)) and m.group(2):
        n = int(m.group(1))
        return f"{n}{indicator(n)}"  # "2d" -> "2ND"
    if w in DIRECTIONALS:
        return DIRECTIONALS[w]
    if w == "SAINT" and before_name:
        return "ST"
    return SUFFIXES.get(w, w)


def street_name(words: list[str], numbered: bool) -> str:
    """A street name in canonical words; a lone number of a numbered street gets its ordinal
    ('5' and 'Fifth' -> '5TH'), and every spelling of Martin Luther King Jr is one name."""
    if len(words) == 1 and numbered and (m := ORDINAL_NUMBER.match(clean(words[0]))):
        n = int(m.group(1))
        return f"{n}{indicator(n)}"
    out = [name_word(w, i + 1 < len(words)) for i, w in enumerate(words)]
    joined = " ".join(out)
    core = _JUNIOR.sub("", _DOCTOR.sub("", joined))
    return _MLK[0] if core in _MLK else joined


def number_words(tokens: list[str]) -> tuple[int, int]:
    """(value, tokens used) of a number written in words at the start of `tokens`, else (0, 0)."""
    if not _may_start(tokens, _CARDINAL_FIRST):
        return 0, 0
    for size in range(min(_LONGEST, len(tokens)), 0, -1):
        key = clean(" ".join(tokens[:size]))
        if key in CARDINAL_WORDS:
            return CARDINAL_WORDS[key], size
    return 0, 0


def ordinal_words(tokens: list[str]) -> tuple[str, int]:
    """('25TH', 2) for ['Twenty', 'Fifth', ...]; ('', 0) when no ordinal starts here."""
    if not _may_start(tokens, ORDINAL_FIRST):
        return "", 0
    for size in range(min(_LONGEST, len(tokens)), 0, -1):
        key = clean(" ".join(tokens[:size]))
        if key in ORDINAL_WORDS:
            return ORDINAL_WORDS[key], size
    return "", 0


# Asked at every word of every line: most words begin no number, and say so at once. (A word
# that cleans to nothing, '.', may stand before one: the search then runs as written.)
_CARDINAL_FIRST = frozenset(k.split(" ")[0] for k in CARDINAL_WORDS)
ORDINAL_FIRST = frozenset(k.split(" ")[0] for k in ORDINAL_WORDS)


def _may_start(tokens: list[str], first_words: frozenset[str]) -> bool:
    first = clean(tokens[0]) if tokens else ""
    return not first or first in first_words


@lru_cache(maxsize=4096)
def suffix(word: str) -> str:
    """USPS suffix for a spelling: 'Boulevard', 'Blvd', 'Blv.' -> 'BLVD'; '' when not a suffix."""
    key = clean(word)
    if key in SUFFIXES:
        return SUFFIXES[key]
    # A spelling Pub 28 does not list ("Blv") is accepted when it abbreviates exactly one
    # street type: same first letter, its letters in order within the long form. Directionals
    # ("N.", "NE") are never read as one.
    if key in DIRECTIONALS or not key.isalpha() or len(key) < 2:
        return ""
    if not (3 <= len(key) <= 4 or word.endswith(".")):
        return ""  # abbreviations are short or end with a period; "Crest" is a name
    hits = {abbr for abbr, long in LONGHAND_STREET_TYPES.items() if _abbreviates(key, long)}
    return hits.pop() if len(hits) == 1 else ""


def _abbreviates(short: str, long: str) -> bool:
    if short[0] != long[0] or " " in long:
        return False
    rest = iter(long[1:])
    return all(c in rest for c in short[1:])


def pretype(text: str) -> str:
    """'County Road' -> 'COUNTY RD', 'Hwy' -> 'HWY', 'Avenue' (of the Americas) -> 'AVE'."""
    key = clean(text)
    if key in SUFFIXES:
        return SUFFIXES[key]
    return " ".join(suffix(w) or clean(w) for w in text.split())


def unit_ident(kind: str, ident: str) -> str:
    """'2nd' on a floor -> '2'; 'Second' -> '2'; '#4-B' -> '4B'."""
    text = _UNIT_PUNCTUATION.sub("", ident).upper()
    if kind == "FL":
        text = ORDINAL_WORDS.get(text, text)
        text = _ORDINAL_ENDING.sub("", text)  # "2nd Floor" = "Floor 2"
    return text
