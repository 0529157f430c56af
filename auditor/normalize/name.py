"""Business names: what may differ in writing (case, punctuation, accents, '&', an inverted
article, a legal suffix) and what may not (any word added, dropped or changed).

Legal suffixes come from cleanco's term lists, so "Acme Plumbing, LLC" = "Acme Plumbing". Only the
English-speaking countries' terms are used: cleanco's full list also holds forms such as "AS" and
"SA", which would turn "Pho SA" into "Pho".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cleanco.clean import custom_basename, normalize_terms
from cleanco.termdata import terms_by_country
from napaudit.auditor.normalize.text import fold_accents, squash, words

_LEGAL_COUNTRIES = ("United States of America", "Canada", "United Kingdom", "Australia")


def _legal_terms() -> list[tuple[int, list[str]]]:
    """cleanco's terms for these countries, longest first, in the shape custom_basename wants."""
    terms = {t for country in _LEGAL_COUNTRIES for t in terms_by_country[country]}
    parts = sorted((t.split() for t in normalize_terms(terms)), key=lambda p: (-len(p), p))
    return [(len(p), p) for p in parts]


_TERMS = _legal_terms()
_INVERTED = re.compile(r"^(?P<body>.+?),\s*(?P<article>the|a|an|la|le|el|los|las|les)\.?$", re.I)


@dataclass(frozen=True)
class Name:
    raw: str
    words: tuple[str, ...]  # the comparable words: 'Palm, The' -> ('the', 'palm')
    rewrites: tuple[str, ...]  # what was rewritten to get there, for the reason
    legal: str = ""  # the legal suffix set aside ('LLC'), if any

    @property
    def key(self) -> str:
        return " ".join(self.words)


@lru_cache(maxsize=262144)
def normalize_name(raw: str) -> Name:
    text = squash(raw)
    rewrites = []
    inverted = _INVERTED.match(text)
    if inverted:
        text = f"{inverted['article']} {inverted['body']}"
        rewrites.append(f"article moved: '{squash(raw)}' = '{text}'")
    base = custom_basename(text, _TERMS).strip(" ,.")
    legal = ""
    if base and base != text.strip(" ,."):
        legal = text[len(base) :].strip(" ,.") if text.startswith(base) else ""
        if legal:
            rewrites.append(f"legal suffix '{legal}' set aside")
        text = base
    if "&" in text:
        rewrites.append("'&' = 'and'")
    if fold_accents(text) != text:
        rewrites.append("accents")
    tokens = ["and" if w == "&" else w for w in words(text)]
    return Name(raw=raw, words=tuple(tokens), rewrites=tuple(rewrites), legal=legal)


def word_difference(canonical: Name, found: Name) -> str:
    """'added 'restaurant'', ''delicatessen' -> 'deli'': the words an owner would see differ."""
    a, b = list(canonical.words), list(found.words)
    missing = [w for w in a if w not in b]
    added = [w for w in b if w not in a]
    parts = []
    if missing and added and len(missing) == len(added):
        parts.append(", ".join(f"'{m}' → '{n}'" for m, n in zip(missing, added, strict=True)))
    else:
        if added:
            parts.append("added " + ", ".join(f"'{w}'" for w in added))
        if missing:
            parts.append("dropped " + ", ".join(f"'{w}'" for w in missing))
    if not parts:
        parts.append("word order differs")
    return "; ".join(parts)


# --- identification: a name's shape ---------------------------------------------------------
# Judging keeps every word (an added word is a finding); identification asks another question:
# is this the same business, named more or less fully? So it sets aside what does not name it.

ARTICLES = frozenset({"the", "a", "an"})
# "Lancellotti's Restaurant at Geneva On The Lake", "Starbucks @ Target": what follows names the
# place the business is in, not the business.
_LOCATIVE = frozenset({"at", "inside"})
_PARENS = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Shape:
    head: tuple[str, ...]  # the name proper: articles and a locative tail left out
    venue: tuple[str, ...]  # after 'at', '@' or 'inside': the place it is in
    notes: tuple[str, ...]  # in parentheses: a branch or place ("Spago (Los Angeles)")
    compact: str  # head and venue run together: 'East Side' and 'Eastside' are one name
    bag: tuple[str, ...]  # head and venue in sorted order: 'Hotel Bel-Air', 'Bel-Air Hotel'

    @property
    def words(self) -> tuple[str, ...]:
        return self.head + self.venue + self.notes

    @property
    def text(self) -> str:
        return " ".join(self.words)


@lru_cache(maxsize=262144)
def name_shape(raw: str) -> Shape:
    notes = tuple(w for part in _PARENS.findall(raw) for w in words(part) if w not in ARTICLES)
    text = _PARENS.sub(" ", raw).replace("@", " at ")
    found = normalize_name(text).words
    cut = next((i for i, w in enumerate(found) if w in _LOCATIVE and 0 < i < len(found) - 1), 0)
    head, venue = (found[:cut], found[cut + 1 :]) if cut else (found, ())
    head = tuple(w for w in head if w not in ARTICLES)
    venue = tuple(w for w in venue if w not in ARTICLES)
    return Shape(head, venue, notes, "".join(head + venue), tuple(sorted(head + venue)))


def extra_words(shorter: tuple[str, ...], longer: tuple[str, ...]) -> list[str] | None:
    """The words of `longer` beyond those of `shorter`; None when `shorter` is not within it.

    A word of `shorter` may stand for two adjacent words of `longer` ('eastside', 'east side').
    """
    remaining = list(longer)
    for word in shorter:
        if word in remaining:
            remaining.remove(word)
            continue
        pairs = (i for i in range(len(remaining) - 1) if remaining[i] + remaining[i + 1] == word)
        i = next(pairs, None)
        if i is None:
            return None
        del remaining[i : i + 2]
    return remaining


def same_stem(a: str, b: str) -> bool:
    """'groomers' ~ 'grooming', 'bars' ~ 'bar': enough to tell a category word from another."""
    if a == b:
        return True
    short = min(len(a), len(b))
    if short < 3:
        return False
    if short <= 4:  # 'bar', 'bars'; 'spa', 'spas'
        return a.rstrip("s") == b.rstrip("s")
    return a[:5] == b[:5]
