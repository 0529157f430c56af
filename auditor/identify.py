"""Identification: which canonical business does a listing describe, if any?

Blocking first: each canonical record is indexed under a few keys (phone digits, ZIP, street,
rare name words); a listing is scored only against records sharing a key with it, never against
all of them. Scoring is Fellegi-Sunter style: each comparison adds or subtracts evidence in log2
points, and the sum becomes a probability. The points below were set by hand and checked on the
study half of real data (bench/identify.py; tests/test_identify_realdata.py; figures in the
README): the Chicago early-childhood linkage data and hand-labelled pairs of real places.

Phone and address are not independent (a hotel's restaurants share both), so their agreement
counts once, and a name that shares almost nothing outweighs it: phone equality is strong evidence,
not proof. A toll-free number is weaker still: every store of a chain shows it. A value several
canonical businesses share (a switchboard, a mall's address, a chain's name) says less, by the
log2 of how many share it (the term-frequency adjustment of splink).

A name is read for what makes it this business (normalize.name.name_shape): 'The Corner Bakery'
is 'Corner Bakery'; 'Spago (Los Angeles)' is Spago with a place; 'Blue Door Bar & Grill' is Blue
Door with its trade when its categories say so; 'Petco Grooming' is a unit of Petco with a listing
of its own; 'Lancellotti's Restaurant at Geneva On The Lake' is a business inside the resort.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

import phonenumbers
from napaudit.auditor.compare_address import UNIT_LEVELS, address_differences
from napaudit.auditor.fields import BY_NAME
from napaudit.auditor.models import Status
from napaudit.auditor.normalize.name import Shape, extra_words, name_shape, same_stem
from napaudit.auditor.normalize.phone import number_kind
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.normalize.text import STOPWORDS, words
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
    "phone_national_same": 2.0,  # toll-free: the same organisation, not yet the same place
    "national_phone_no_address": -6.0,  # ...and no address to say which of its places
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
    "name_branch": 6.0,  # the same name with a place added: 'Spago (Los Angeles)'
    "name_trade": 6.0,  # with its own trade (its categories) added: 'Blue Door Bar & Grill'
    "name_extended": 4.0,  # one name within the other, the extra words unexplained
    "name_department": -10.0,  # with a unit's word added: 'Petco Grooming' is not Petco
    "name_inside": -10.0,  # 'Starbucks at Target' against Target
    "name_similar": 2.0,  # >= 75
    "name_weak": -5.0,  # >= 60
    "name_differs": -10.0,
}
ADDRESS_LEVELS = BY_NAME["address"].levels  # status and severity of each address level
NAME_CUTOFFS = ((90, "name_close"), (75, "name_similar"), (60, "name_weak"))
_STOP = STOPWORDS
_NATIONAL_TYPES = frozenset({phonenumbers.PhoneNumberType.TOLL_FREE,
                             phonenumbers.PhoneNumberType.SHARED_COST,
                             phonenumbers.PhoneNumberType.UAN})  # fmt: skip
# Units that directories list apart from the business they belong to: a pet store's grooming
# salon, a dealer's parts and service departments, a hospital's emergency and radiology units,
# a store's pharmacy or optical counter, a bank's ATM. Their word added to a business's name
# names the unit, unless the business's own categories say it is its trade. No library lists
# them; kept to the kinds the issue names and their like.
UNIT_WORDS = frozenset(
    """
    grooming groomer parts service emergency radiology imaging laboratory lab
    pharmacy optical vision atm clinic department dept tire tires collision rental financial
    """.split()
)


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
        # Ties are broken by the business's id, then its place in the input; never by the
        # order a set or a hash gives, so the same input always gives the same answer.
        by_id = sorted(range(len(businesses)), key=lambda i: (businesses[i].record.id, i))
        self.rank = [0] * len(businesses)
        postings: dict[str, list[int]] = defaultdict(list)
        for position, i in enumerate(by_id):  # so every posting list is in that order
            self.rank[i] = position
            for key in blocking_keys(businesses[i]):
                postings[key].append(i)
        limit = max(MAX_POSTING, len(businesses) // 100)
        self.postings = {k: v for k, v in postings.items() if len(v) <= limit}
        self.freq = Frequencies(businesses)

    def candidates(self, listing: Normalized) -> list[int]:
        # sorted: ties keep a stable order (the order each record is first met). A posting is
        # counted `weight` times over, in one pass in C: the same counts, met in the same order.
        postings = [(self.postings.get(key, ()),) * KEY_WEIGHT[key[0]]
                    for key in sorted(blocking_keys(listing))]  # fmt: skip
        shared = Counter(chain.from_iterable(chain.from_iterable(postings)))
        return [i for i, _ in shared.most_common(MAX_CANDIDATES)]

    def identify(self, listing: Normalized) -> Match:
        scored = self._scored(listing)
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
            evidence=[_words(level, detail) for level, _, detail in evidence],
            runner_up=runner,
        )

    def _scored(self, listing: Normalized) -> list[tuple[tuple[float, list], int]]:
        """The candidates scored, best first (ties by rank); of those past the first two, only
        the ones that could rank among them. Only the best and the runner-up are ever read, so a
        candidate whose best possible score is below the runner-up's so far is not scored: it
        ranks below both whatever its score. The most promising (`_bound`) are scored first, and
        a name is compared only when the rest of the evidence leaves it a chance."""
        bounded = [(math.inf, i) for i in self.candidates(listing)]
        if len(bounded) > 2:
            bounded = sorted(((_bound(self.businesses[i], listing), i) for _, i in bounded),
                             key=lambda c: -c[0])  # fmt: skip
        scored: list[tuple[tuple[float, list], int]] = []
        top = [-1.0, -1.0]  # the two best probabilities so far
        for bound, i in bounded:
            if bound < top[1]:
                break  # this one and every one after it (bounds descend) rank below two others
            result = _score(self.businesses[i], listing, self.freq, floor=top[1])
            if result is not None:
                scored.append((result, i))
                top = sorted((*top, result[0]), reverse=True)[:2]
        return sorted(scored, key=lambda s: (-s[0][0], self.rank[s[1]]))


def score_pair(
    b: Normalized, listing: Normalized, freq: Frequencies | None = None
) -> tuple[float, list[str]]:
    """Probability in [0, 1] that `listing` describes business `b`, and the evidence, in words.

    `freq` (from the canonical set) weakens an agreement on a value several businesses share:
    a phone, a street address or a name common to k of them says log2(k) points less.
    """
    probability, evidence = _score(b, listing, freq)
    return probability, [_words(level, detail) for level, _, detail in evidence]


def _score(
    b: Normalized, listing: Normalized, freq: Frequencies | None, floor: float = -1.0
) -> tuple[float, list[tuple[str, float, str]]] | None:
    """score_pair's sum, the evidence left as (level, points, detail): words only for the best.
    None when the pair cannot reach `floor` whatever the names (Identifier._scored)."""
    evidence: list[tuple[str, float, str]] = []  # level, points, detail for the words
    phone = _phone_level(b, listing)
    address = _address_level(b, listing)
    if phone == "phone_same" and address == "address_same":
        evidence.append(("phone_and_address_same", POINTS["phone_and_address_same"], ""))
    else:
        evidence += [(level, POINTS[level], "") for level in (phone, address) if level]
    if phone == "phone_national_same" and not address:
        evidence.append(("national_phone_no_address", POINTS["national_phone_no_address"], ""))
    if b.address.units and listing.address.units and b.address.units != listing.address.units:
        evidence.append(("unit_differs", POINTS["unit_differs"], ""))
    place = _place_level(b, listing, address)
    if place:
        evidence.append((place, POINTS[place], ""))
    if floor >= 0:
        best = PRIOR + sum(points for _, points, _ in evidence) + _name_bound(b, listing)
        if _probability(best) < floor:
            return None
    name, detail = _name_level(b, listing)
    if name:
        evidence.append((name, POINTS[name], detail))
    if freq is not None:
        evidence = [freq.adjust(b, level, points, detail) for level, points, detail in evidence]
    total = PRIOR + sum(points for _, points, _ in evidence)
    return 1.0 / (1.0 + 2.0 ** (-total)), evidence


def _bound(b: Normalized, listing: Normalized) -> float:
    """The highest probability `_score` can give this pair, from its cheap levels (phone, unit,
    place, a name written alike) computed as `_score` does, and the best of the address levels
    its street numbers allow and of the name levels, without the dear comparisons. Frequencies
    only ever lower an agreement, so the sum without them bounds the score."""
    phone = _phone_level(b, listing)
    x, y = b.address, listing.address
    if not (x.number and y.number and x.street and y.street and x.parsed and y.parsed):
        addresses: tuple[str, ...] = ("",)
    elif x.number != y.number:
        addresses = ("address_same_street",)  # or address_differs, lower on every count
    else:
        addresses = ("address_same", "address_near")  # or address_differs, lower still
    fixed = 0.0
    if x.units and y.units and x.units != y.units:
        fixed += POINTS["unit_differs"]
    fixed += _name_bound(b, listing)
    best = -math.inf
    for address in addresses:
        total = fixed
        if phone == "phone_same" and address == "address_same":
            total += POINTS["phone_and_address_same"]
        else:
            total += sum(POINTS[level] for level in (phone, address) if level)
        if phone == "phone_national_same" and not address:
            total += POINTS["national_phone_no_address"]
        place = _place_level(b, listing, address)
        if place:
            total += POINTS[place]
        best = max(best, total)
    return _probability(PRIOR + best)


def _probability(bound: float) -> float:
    """The probability of a total of at most `bound` points, made a hair higher: summed in
    another order, the score's own total may round differently, and a tie must be scored."""
    return 1.0 / (1.0 + 2.0 ** -(bound + 1e-9))


def _name_bound(b: Normalized, listing: Normalized) -> float:
    """_name_level's points when the names are written alike (cheap), else the most any other
    name level gives."""
    x, y = name_shape(b.record.name or ""), name_shape(listing.record.name or "")
    if not (x.head and y.head):
        return 0.0
    if x.compact == y.compact or x.bag == y.bag:
        return POINTS[_name_level(b, listing)[0]]
    return max(POINTS[level] for level in _NAME_OTHERWISE)  # read here: points may be retuned


# The name levels that _name_level reaches when the names are not written alike.
_NAME_OTHERWISE = (
    "name_inside", "name_branch", "name_trade", "name_department", "name_extended",
    "name_close", "name_similar", "name_weak", "name_differs",
)  # fmt: skip


def _place_level(b: Normalized, listing: Normalized, address: str) -> str:
    if b.zip5 and listing.zip5:
        if b.zip5 == listing.zip5:
            return "zip_same_after_address" if address == "address_same" else "zip_same"
        return "zip_differs"
    if b.city_key and listing.city_key:
        return "city_same" if b.city_key == listing.city_key else "city_differs"
    return ""


def _phone_level(b: Normalized, listing: Normalized) -> str:
    p, q = b.phone, listing.phone
    if not (p.local7 and q.local7):
        return ""
    if p.e164 == q.e164:
        if p.valid and _national(p.e164):
            return "phone_national_same"
        return "phone_same" if p.valid else "phone_local_same"
    if p.local7 == q.local7 and not (p.valid and q.valid):
        return "phone_local_same"
    return "phone_differs"


@lru_cache(maxsize=65536)
def _national(e164: str) -> bool:
    """A toll-free or shared-cost number (1-800, AU 1300) reaches an organisation, not a place:
    every store of a chain shows it. phonenumbers knows each country's ranges."""
    return number_kind(e164) in _NATIONAL_TYPES


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


def _name_level(b: Normalized, listing: Normalized) -> tuple[str, str]:
    """How the two names relate, and the words that decided it (for the evidence)."""
    x, y = name_shape(b.record.name or ""), name_shape(listing.record.name or "")
    if not (x.head and y.head):
        return "", ""
    if x.compact == y.compact or x.bag == y.bag:
        if x.notes == y.notes or not (x.notes and y.notes):
            return "name_exact", ""  # 'Hotel Bel-Air' = 'Bel-Air Hotel'; a note on one side
        return "name_branch", " ".join(x.notes + y.notes)
    (short, short_side), (long, long_side) = (x, b), (y, listing)
    if len(y.words) < len(x.words):
        (short, short_side), (long, long_side) = (y, listing), (x, b)
    extra = extra_words(short.head + short.venue, long.words)
    if extra is not None:
        return _extension(short, long, extra, short_side, long_side)
    similarity = fuzz.token_set_ratio(x.text, y.text, processor=None, score_cutoff=0)
    level = next((lv for cutoff, lv in NAME_CUTOFFS if similarity >= cutoff), "name_differs")
    return level, ""


def _extension(short: Shape, long: Shape, extra: list[str], short_side: Normalized,
               long_side: Normalized) -> tuple[str, str]:  # fmt: skip
    """One name within the other: the same business named more fully, or another one?"""
    if long.venue and extra_words(short.head, long.head) is None:
        return "name_inside", " ".join(long.head)  # 'X at Y' against Y: X is in Y, not Y
    places = _place_words(short_side) | _place_words(long_side) | set(long.notes + short.notes)
    if extra_words(short.head, long.head) is not None:
        places |= set(long.venue)  # 'Fenix at the Argyle' is Fenix, at the Argyle
    extra = [w for w in extra if w not in places and w not in _STOP]
    if not extra:
        return "name_branch", ""
    unexplained = [w for w in extra if not _explained(w, short_side, long_side)]
    detail = " ".join(extra)
    if not unexplained:
        return "name_trade", detail
    if any(w in UNIT_WORDS for w in unexplained) and _is_tail(short.head, long.head):
        return "name_department", detail
    return "name_extended", detail


def _explained(word: str, short_side: Normalized, long_side: Normalized) -> bool:
    """Is `word` the trade of the business the shorter name names? Its own categories say so;
    without them, the longer side's may, except for a unit's word: the grooming salon's
    category says 'pet groomer', which names the salon, not the store."""
    trade = _category_words(short_side)
    if not trade and word not in UNIT_WORDS:
        trade = _category_words(long_side)
    return any(same_stem(word, c) for c in trade)


def _is_tail(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Is `long` the `short` name with words after it ('Petco Grooming' after 'Petco')? A unit
    is named after its business; words before a name are an owner or a parent organisation."""
    return long[: len(short)] == short and len(long) - len(short) <= 3


def _place_words(n: Normalized) -> frozenset[str]:
    """Words naming where a business is: its city and street ("Sottocasa Pizzeria - Brooklyn")."""
    return _word_set(n.city) | _word_set(n.address.street)


def _category_words(n: Normalized) -> frozenset[str]:
    text = n.record.categories or ""
    return (_word_set(text) if isinstance(text, str) else frozenset(words(text))) - _STOP


@lru_cache(maxsize=65536)  # a business's city and street are read for every name compared
def _word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


class Frequencies:
    """How many canonical businesses share each phone, street address and name."""

    def __init__(self, businesses: list[Normalized]):
        self.phone = Counter(b.phone.e164 for b in businesses if b.phone.e164)
        self.address = Counter(_address_key(b) for b in businesses if b.address.number)
        self.name = Counter(name_shape(b.record.name or "").compact for b in businesses)

    def adjust(
        self, b: Normalized, level: str, points: float, detail: str
    ) -> tuple[str, float, str]:
        """An agreement on a value k businesses share is worth log2(k) points less."""
        shared = 1
        if level in _PHONE_AGREES:
            shared = self.phone[b.phone.e164]
        elif level in _ADDRESS_AGREES:
            shared = self.address[_address_key(b)]
        elif level == "name_exact":
            shared = self.name[name_shape(b.record.name or "").compact]
        if shared <= 1:
            return level, points, detail
        return level, points - math.log2(shared), f"shared by {shared} of your businesses"


def _address_key(b: Normalized) -> str:
    return f"{b.address.number} {b.address.street} {b.zip5}"


_PHONE_AGREES = frozenset({"phone_and_address_same", "phone_same", "phone_local_same"})
_ADDRESS_AGREES = frozenset({"address_same"})

_EVIDENCE_WORDS = {
    "phone_and_address_same": "same phone and street address",
    "phone_same": "same phone",
    "phone_local_same": "same phone digits (area code missing on one side)",
    "phone_national_same": "same toll-free or national number (a chain shows it everywhere)",
    "phone_differs": "different phone",
    "national_phone_no_address": "no street address on one side to tell which place it is",
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
    "name_branch": "same name, with a place added",
    "name_trade": "same name, with its trade added",
    "name_extended": "one name within the other",
    "name_department": "the name of a department or service, not the business",
    "name_inside": "a business inside the other one",
    "name_similar": "name similar",
    "name_weak": "name only loosely similar",
    "name_differs": "different name",
}


def _words(level: str, detail: str = "") -> str:
    text = _EVIDENCE_WORDS[level]
    return f"{text} ({detail})" if detail else text
