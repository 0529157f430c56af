"""The extracted business, and how records of one business found by two methods are merged."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import field, fields, make_dataclass
from operator import itemgetter

from napaudit.auditor.fields import EXTRACTED, STRUCTURED
from napaudit.auditor.normalize.phone import normalize_phone
from napaudit.auditor.normalize.text import squash, words

_NAP = ("name", "address", "city", "state", "zip", "phone")

# How much a method is trusted: markup written for machines beats text read by heuristics.
RELIABILITY = {
    "json-ld": 3,
    "microdata": 3,
    "rdfa": 3,
    "hcard": 3,
    "app-state": 3,
    "meta": 2,
    "tel-link": 2,
    "address-tag": 2,
    "listing-card": 1,
}


class _BusinessMethods:
    """What the page shows of one business: one attribute per field a page can show (the
    declarations in auditor/fields.py, `extracted`), as shown (raw text, not normalized; hours
    may be the structured schema.org value), plus `url` (its detail page on a multi-listing page,
    absolute) and `method` (field -> how it was found). `categories` is what the page says the
    business is ("Dentist; Pediatric dentistry"): schema.org types more specific than
    LocalBusiness, servesCuisine, category fields, not mapped.
    """

    def as_dict(self) -> dict:
        out = {name: getattr(self, name) for name in EXTRACTED}
        out["method"] = dict(self.method)
        if self.url:
            out["url"] = self.url
        return out

    def set(self, name: str, value: object, method: str) -> bool:
        """Fill `name` when it is empty; strings are squashed. True when the value was taken."""
        if isinstance(value, str) or value is None:
            value = squash(value)
        if not value or getattr(self, name):
            return False
        setattr(self, name, value)
        if method:
            self.method[name] = method
        return True

    def add_categories(self, values: Iterable[str], method: str) -> None:
        """Add what the page says the business is, each value once, in the order shown."""
        shown = [c for c in self.categories.split("; ") if c]
        seen = {c.casefold() for c in shown}
        for value in values:
            value = squash(value) if isinstance(value, str) else ""
            if value and value.casefold() not in seen:
                shown.append(value)
                seen.add(value.casefold())
        if shown and "; ".join(shown) != self.categories:
            self.categories = "; ".join(shown)
            self.method.setdefault("categories", method)

    @property
    def filled(self) -> int:
        return sum(1 for name in _NAP if getattr(self, name))

    @property
    def reliability(self) -> int:
        return max((RELIABILITY.get(m, 0) for m in self.method.values()), default=0)


Business = make_dataclass(
    "Business",
    [
        *((name, object if name in STRUCTURED else str, field(default=""))
          for name in EXTRACTED),
        ("url", str, field(default="")),
        ("method", dict, field(default_factory=dict)),
    ],
    bases=(_BusinessMethods,),
    namespace={"__module__": __name__},
)  # fmt: skip

_PLACE = ("address", "city", "state", "zip", "country")


def merge(into: Business, other: Business) -> Business:
    """`into` keeps its values; `other` fills the fields `into` lacks (with their methods).

    The address parts go together: they are taken from `other` only when `into` has none, or
    when both show the same ZIP or street, so that a city never joins another address's street.
    """
    same_place = not any(getattr(into, f) for f in _PLACE) or _same_place(into, other)
    for f in fields(Business):
        if f.name == "categories":
            into.add_categories(other.categories.split("; "), other.method.get(f.name, ""))
        if f.name in ("method", "categories") or (f.name in _PLACE and not same_place):
            continue
        into.set(f.name, getattr(other, f.name), other.method.get(f.name, ""))
    return into


def _same_place(a: Business, b: Business) -> bool:
    zips = (a.zip[:5], b.zip[:5])
    streets = (street_key(a.address), street_key(b.address))
    return (all(zips) and zips[0] == zips[1]) or (all(streets) and streets[0] == streets[1])


def name_key(name: str) -> str:
    return " ".join(words(name))


# A North American number in digits alone ("(415) 555-0187", "1.415.555.0187"): its key is
# plain, where parsing it costs ~0.3 ms (most of deduplicating a page of 100,000 listings).
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NANP = re.compile(r"\+?1?[2-9]\d\d[2-9]\d{6}")
_PUNCTUATION = re.compile(r"[\s().\-/+]")


def phone_key(phone: str) -> str:
    digits = _PUNCTUATION.sub("", phone)
    if _NANP.fullmatch(digits):
        return "+1" + digits[-10:]
    parsed = normalize_phone(phone, "US") if phone else None
    return parsed.e164 if parsed and parsed.valid else ""


def street_key(address: str) -> str:
    return _NOT_ALNUM.sub("", address.lower())


def keys(business: Business) -> tuple[str, str, str]:
    """What identifies a business on one page: its name, phone and street, compared loosely."""
    return name_key(business.name), phone_key(business.phone), street_key(business.address)


def same_business(a: Business, b: Business) -> bool:
    return _same_keys(keys(a), keys(b))


def _same_keys(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One business when a shared identifier agrees and none disagrees.

    Name, phone and street each decide only when both records carry them: a chain's branches
    share a name but not a phone or street, so any disagreement keeps them apart.
    """
    shared = [(x, y) for x, y in zip(a, b, strict=True) if x and y]
    return bool(shared) and all(x == y for x, y in shared)


def dedupe(found: Iterable[Business], limit: int | None = None) -> tuple[list[Business], int]:
    """Merge records of the same business, in order: the earlier (more trusted) record wins.
    At most `limit` businesses are kept, the first ones met; the second value counts the
    others (records of one business left out count once).

    Linear in the number of records: each kept record is filed under every part of its key
    (name, phone, street) it carries, and a new record looks up only the entries that could be
    its twin, never every kept record (a page listing 100,000 businesses in one JSON-LD @graph
    took minutes when each was compared with all before it). Past the limit only the keys of
    the records left out are kept, to count them.
    """
    index, kept = _KeyIndex(), []
    left, left_out = _KeyIndex(), 0
    for business in found:
        own = keys(business)
        twin = index.first_twin(own)
        if twin is not None:
            merge(kept[twin], business)
            index.add(twin, keys(kept[twin]))
        elif limit is None or len(kept) < limit:
            index.add(len(kept), own)
            kept.append(business)
        elif (other := left.first_twin(own)) is not None:
            left.add(other, tuple(a or b for a, b in zip(left.current[other], own, strict=True)))
        else:
            left.add(left_out, own)
            left_out += 1
    return kept, left_out


_PARTS = range(3)  # name, phone, street
# Every non-empty set of key parts, as a tuple of their positions.
_SUBSETS = [tuple(i for i in _PARTS if bits >> i & 1) for bits in range(1, 8)]
_WITHIN = {carried: [s for s in _SUBSETS if set(s) <= set(carried)] for carried in _SUBSETS}
# For the parts a new key carries: (parts a kept key may carry, the parts both then carry).
_LOOKUPS = {
    own: [(c, tuple(i for i in c if i in own)) for c in _SUBSETS if set(c) & set(own)]
    for own in [(), *_SUBSETS]
}
_VALUES = {subset: itemgetter(*subset) for subset in _SUBSETS}  # a subset's values of a key


class _KeyIndex:
    """Kept records filed by (the parts their key carries, a subset of those parts, the values of
    that subset). Two keys are one business when the parts both carry agree and they share one
    (see _same_keys): for a new key, each possible set of parts a kept key may carry gives one
    entry to look up. A record's key only grows when it is merged; its older entries are then
    stale and skipped when met (each bucket is a heap, so the earliest record comes first)."""

    def __init__(self) -> None:
        self.buckets: dict[tuple, list[int]] = {}
        self.current: dict[int, tuple[str, str, str]] = {}

    def add(self, position: int, key: tuple[str, str, str]) -> None:
        if self.current.get(position) == key:
            return
        self.current[position] = key
        carried = _carried(key)
        for subset in _WITHIN.get(carried, ()):
            entry = (carried, subset, _VALUES[subset](key))
            heapq.heappush(self.buckets.setdefault(entry, []), position)

    def first_twin(self, key: tuple[str, str, str]) -> int | None:
        best = None
        for carried, shared in _LOOKUPS[_carried(key)]:
            bucket = self.buckets.get((carried, shared, _VALUES[shared](key)))
            while bucket and not self._filed(bucket[0], carried):
                heapq.heappop(bucket)  # its key grew since it was filed here
            if bucket and (best is None or bucket[0] < best):
                best = bucket[0]
        return best

    def _filed(self, position: int, carried: tuple[int, ...]) -> bool:
        return _carried(self.current[position]) == carried


def _carried(key: tuple[str, str, str]) -> tuple[int, ...]:
    return _MASKS[bool(key[0]) | bool(key[1]) << 1 | bool(key[2]) << 2]


_MASKS = [(), *_SUBSETS]  # bit i set: part i carried, in the order _SUBSETS lists them


def rank(found: list[Business]) -> list[Business]:
    """Best first: the most complete, then the most reliable; page order among equals."""
    return sorted(found, key=lambda b: (-b.filled, -b.reliability))
