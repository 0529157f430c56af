"""Trivial cleaning shared by every field: Unicode, case and spacing."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w&]+")
_PUNCT = re.compile(r"[^\w\s&#/-]", re.UNICODE)


def squash(text: object) -> str:
    """Unicode NFKC, collapsed whitespace, stripped: the only cleaning a `match` allows."""
    if not text:
        return ""
    text = str(text)
    if not text.isascii():  # NFKC changes nothing in ASCII; skipping it halves the cost
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def trivial(text: object) -> str:
    """The key under which two values are the same value: squashed and case-folded."""
    return squash(text).casefold()


def fold_accents(text: str) -> str:
    """'Café Zoë' -> 'Cafe Zoe'."""
    if text.isascii():  # no ASCII character decomposes or combines
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case words with accents and punctuation removed ('&' kept as its own word)."""
    text = fold_accents(squash(text)).casefold().replace("&", " & ")
    text = text.replace("'", "").replace("\u2019", "")  # Joe's -> joes
    return _NOT_WORD.sub(" ", text).split()


# Words that say nothing about which business a name is: left out of blocking keys, search
# queries and name comparisons alike (one list for identification, open data and the sample web).
STOPWORDS = frozenset("the and of a an at in on for inc llc co corp ltd &".split())
