"""City, state and ZIP: state names and codes (scourgify), ZIP facts (the `zipcodes` package).

The zipcodes data names, for each ZIP, the city USPS prefers, the other names USPS accepts
("Hollywood" for 90028) and the names it knows but does not accept ("New York City" and "NYC"
for 10019). The auditor uses them so "New York City" = "New York" is a data fact, not a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import zipcodes
from napaudit.auditor.normalize.address import split_zip
from napaudit.auditor.normalize.text import fold_accents, squash
from scourgify.address_constants import CITY_ABBREVIATIONS, STATE_ABBREVIATIONS

_STATE_CODES = frozenset(STATE_ABBREVIATIONS.values())


@dataclass(frozen=True)
class ZipInfo:
    zip: str
    city: str  # USPS preferred name
    state: str
    acceptable: tuple[str, ...]  # other names USPS accepts
    known: tuple[str, ...]  # names in use that USPS does not accept ("New York City")


@lru_cache(maxsize=65536)
def normalize_state(raw: str) -> str:
    """'California', 'Calif.', 'ca' -> 'CA'; unknown text is returned upper-cased."""
    key = re.sub(r"[^A-Z ]", "", fold_accents(squash(raw)).upper()).strip()
    key = re.sub(r"\s+", " ", key)
    if key in _STATE_CODES:
        return key
    return STATE_ABBREVIATIONS.get(key, key)


@lru_cache(maxsize=65536)
def city_key(raw: str) -> str:
    """Comparison key for a city: 'St. Louis' and 'Saint Louis' -> 'SAINT LOUIS'."""
    text = re.sub(r"[^A-Z0-9 ]", " ", fold_accents(squash(raw)).upper())
    words = text.split()
    return " ".join(CITY_ABBREVIATIONS.get(w, w) if i == 0 else w for i, w in enumerate(words))


def normalize_zip(raw: str) -> tuple[str, str]:
    """'90210-1234' -> ('90210', '1234'); unusable text -> ('', '')."""
    return split_zip(squash(raw))


@cache
def _zip_index() -> dict[str, ZipInfo]:
    # zipcodes.matching() scans its whole list on every call (~200 us); index it once.
    index = {}
    for row in zipcodes.list_all():
        index[row["zip_code"]] = ZipInfo(
            zip=row["zip_code"],
            city=row["city"],
            state=row["state"],
            acceptable=tuple(row.get("acceptable_cities") or ()),
            known=tuple(row.get("unacceptable_cities") or ()),
        )
    return index


@cache
def _state_aliases() -> dict[tuple[str, str], frozenset[str]]:
    """(state, a city name in use) -> the USPS city names of the ZIPs that name stands for."""
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for info in _zip_index().values():
        for name in (*info.acceptable, *info.known):
            aliases[(info.state, city_key(name))].add(info.city)
    return {key: frozenset(names) for key, names in aliases.items()}


def alias_of(city: str, other: str, state: str) -> str:
    """The USPS city that `city` is another name for, when that city is `other` (in `state`);
    '' when USPS does not tie them. For records without a ZIP: 'New York City' -> 'New York'."""
    key = city_key(other)
    names = _state_aliases().get((state, city_key(city)), ())
    return next((name for name in names if city_key(name) == key), "")


def zip_info(zip5: str) -> ZipInfo | None:
    return _zip_index().get(zip5) if zip5 else None


def city_standing(city: str, zip5: str) -> tuple[str, str]:
    """How `city` stands for `zip5`: ('preferred'|'acceptable'|'known'|'other'|'unknown', name).

    The name returned is the USPS preferred city for the ZIP.
    """
    info = zip_info(zip5)
    if info is None:
        return "unknown", ""
    key = city_key(city)
    if key == city_key(info.city):
        return "preferred", info.city
    if any(key == city_key(name) for name in info.acceptable):
        return "acceptable", info.city
    if any(key == city_key(name) for name in info.known):
        return "known", info.city
    return "other", info.city
