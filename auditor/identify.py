"""Identification: which canonical business does a listing describe, if any?

Blocking first: each canonical record is indexed under a few keys (phone digits, ZIP, street,
rare name words); a listing is scored only against records sharing a key with it, never against
all of them. Scoring is Fellegi-Sunter style: each comparison adds or subtracts evidence in log2
points, and the sum becomes a probability. The points below were set by hand and checked on the
Chicago early-childhood linkage data (tests/test_identify_realdata.py; figures in the README).

Phone and address are not independent (a hotel's restaurants share both), so their agreement
counts once, and a name that shares almost nothing outweighs it: phone equality is strong evidence,
not proof.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from napaudit.auditor.compare_address import UNIT_LEVELS, address_differences
from napaudit.auditor.fields import BY_NAME
from napaudit.auditor.models import Status
from napaudit.auditor.normalize.record import Normalized
from rapidfuzz import fuzz

THRESHOLD = 0.5  # a listing is identified when its best score reaches this
PRIOR = -8.0  # log2 odds that a blocked candidate pair is a match, before any evidence
MAX_CANDIDATES = 12  # scored per listing: those sharing the most (weighted) blocking keys
MAX_POSTING = 400  # a key shared by more records than this is too common to block on
# A shared phone or street says more than a shared ZIP or name word: rank candidates by it.
KEY_WEIGHT = {"p": 4, "s": 4, "z": 1, "n": 1}

# Evidence points (log2 Bayes factors), declared once.
POINTS = {
    "phone_and_address_same": 14.0,
    "phone_same": 10.0,
    "phone_local_same": 7.0,
    "phone_differs": -4.0,
    "address_same": 11.0,
    "address_near": 6.0,  # same number, street spelled a little differently
    "address_same_street": -2.0,  # same street, another number
    "address_differs": -6.0,
    "unit_differs": -3.0,
    "zip_same": 4.0,
    "zip_same_after_address": 1.0,
    "zip_differs": -3.0,
    "city_same": 2.0,
    "city_differs": -3.0,
    "name_exact": 9.0,
    "name_close": 6.0,  # token_set_ratio >= 90
    "name_similar": 2.0,  # >= 75
    "name_weak": -2.0,  # >= 60
    "name_differs": -10.0,
}
ADDRESS_LEVELS = BY_NAME["address"].levels  # status and severity of each address level
NAME_CUTOFFS = ((90, "name_close"), (75, "name_similar"), (60, "name_weak"))
_STOP = frozenset("the and of a an at in on for inc llc co corp ltd".split())


class Match(NamedTuple):
    business_id: str | None
    score: float | None  # of the best candidate, even when under the threshold
    candidate: str | None = None  # the best candidate's id
    evidence: list[str] = []  # noqa: RUF012 - never mutated
    runner_up: tuple[str, float] | None = None


# --- blocking keys: pure functions str -> set[str] -----------------------------------------


def phone_keys(local7: str) -> set[str]:
    return {"p:" + local7} if local7 else set()


def zip_keys(zip5: str) -> set[str]:
    return {"z:" + zip5} if zip5 else set()


def street_keys(number: str, street: str) -> set[str]:
    return {f"s:{number} {street}"} if number and street else set()


def name_keys(name_key: str) -> set[str]:
    return {"n:" + w for w in name_key.split() if len(w) > 2 and w not in _STOP}


def blocking_keys(n: Normalized) -> set[str]:
    return (
        phone_keys(n.phone.local7)
        | zip_keys(n.zip5)
        | street_keys(n.address.number, n.address.street)
        | name_keys(n.name.key)
    )


class Identifier:
    """An index of the canonical records, answering `identify(listing)`."""

    def __init__(self, businesses: list[Normalized]):
        self.businesses = businesses
        postings: dict[str, list[int]] = defaultdict(list)
        for i, b in enumerate(businesses):
            for key in blocking_keys(b):
                postings[key].append(i)
        limit = max(MAX_POSTING, len(businesses) // 100)
        self.postings = {k: v for k, v in postings.items() if len(v) <= limit}

    def candidates(self, listing: Normalized) -> list[int]:
        shared: Counter[int] = Counter()
        for key in blocking_keys(listing):
            weight = KEY_WEIGHT[key[0]]
            for i in self.postings.get(key, ()):
                shared[i] += weight
        return [i for i, _ in shared.most_common(MAX_CANDIDATES)]

    def identify(self, listing: Normalized) -> Match:
        scored = sorted(
            ((score_pair(self.businesses[i], listing), i) for i in self.candidates(listing)),
            key=lambda s: -s[0][0],
        )
        if not scored:
            return Match(None, None, evidence=["no business shares a phone, ZIP, street or name"])
        (best, evidence), i = scored[0]
        runner = None
        if len(scored) > 1:
            runner = (self.businesses[scored[1][1]].record.id, round(scored[1][0][0], 3))
        best_id = self.businesses[i].record.id
        return Match(
            business_id=best_id if best >= THRESHOLD else None,
            score=round(best, 3),
            candidate=best_id,
            evidence=evidence,
            runner_up=runner,
        )


def score_pair(b: Normalized, listing: Normalized) -> tuple[float, list[str]]:
    """Probability in [0, 1] that `listing` describes business `b`, and the evidence, in words."""
    evidence: list[tuple[str, float]] = []
    phone = _phone_level(b, listing)
    address = _address_level(b, listing)
    if phone == "phone_same" and address == "address_same":
        evidence.append(("phone_and_address_same", POINTS["phone_and_address_same"]))
    else:
        for level in (phone, address):
            if level:
                evidence.append((level, POINTS[level]))
    if b.address.units and listing.address.units and b.address.units != listing.address.units:
        evidence.append(("unit_differs", POINTS["unit_differs"]))
    if b.zip5 and listing.zip5:
        if b.zip5 == listing.zip5:
            level = "zip_same_after_address" if address == "address_same" else "zip_same"
        else:
            level = "zip_differs"
        evidence.append((level, POINTS[level]))
    elif b.city_key and listing.city_key:
        level = "city_same" if b.city_key == listing.city_key else "city_differs"
        evidence.append((level, POINTS[level]))
    name = _name_level(b, listing)
    if name:
        evidence.append((name, POINTS[name]))
    total = PRIOR + sum(points for _, points in evidence)
    probability = 1.0 / (1.0 + 2.0 ** (-total))
    return probability, [_words(level) for level, _ in evidence]


def _phone_level(b: Normalized, listing: Normalized) -> str:
    p, q = b.phone, listing.phone
    if not (p.local7 and q.local7):
        return ""
    if p.e164 == q.e164:
        return "phone_same" if p.valid else "phone_local_same"
    if p.local7 == q.local7 and not (p.valid and q.valid):
        return "phone_local_same"
    return "phone_differs"


def _address_level(b: Normalized, listing: Normalized) -> str:
    """The verdict's own comparison of the two streets, read as evidence: what the verdict calls
    the same address written differently (a missing suffix, 'Co Rd' for 'County Road') is the
    same address here too. Units count apart (`unit_differs`)."""
    x, y = b.address, listing.address
    if not (x.number and y.number and x.street and y.street and x.parsed and y.parsed):
        return ""
    levels = {level for level, _ in address_differences(x, y)} - UNIT_LEVELS
    differs = {level for level in levels if ADDRESS_LEVELS[level][0] != Status.VARIANT}
    if x.number != y.number:
        return "address_same_street" if differs == {"number_differs"} else "address_differs"
    if not differs:
        return "address_same"
    if differs <= {"suffix_differs", "directional_differs"}:
        return "address_near"
    similar = fuzz.ratio(x.street, y.street, processor=None, score_cutoff=80)
    return "address_near" if similar else "address_differs"


def _name_level(b: Normalized, listing: Normalized) -> str:
    a, c = b.name.key, listing.name.key
    if not (a and c):
        return ""
    if a == c:
        return "name_exact"
    similarity = fuzz.token_set_ratio(a, c, processor=None, score_cutoff=0)
    return next((level for cutoff, level in NAME_CUTOFFS if similarity >= cutoff), "name_differs")


_EVIDENCE_WORDS = {
    "phone_and_address_same": "same phone and street address",
    "phone_same": "same phone",
    "phone_local_same": "same phone digits (area code missing on one side)",
    "phone_differs": "different phone",
    "address_same": "same street address",
    "address_near": "same street number, street spelled differently",
    "address_same_street": "same street, different number",
    "address_differs": "different street address",
    "unit_differs": "different suite or unit",
    "zip_same": "same ZIP",
    "zip_same_after_address": "same ZIP",
    "zip_differs": "different ZIP",
    "city_same": "same city",
    "city_differs": "different city",
    "name_exact": "same name",
    "name_close": "name nearly the same",
    "name_similar": "name similar",
    "name_weak": "name only loosely similar",
    "name_differs": "different name",
}


def _words(level: str) -> str:
    return _EVIDENCE_WORDS[level]
