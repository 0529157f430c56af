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
