"""Trivial cleaning shared by every field: Unicode, case and spacing."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w&]+")
# A surrogate code point on its own: what a lone "\ud800" escape in JSON decodes to (a pair
# decodes to the one character it encodes). No UTF-8 text holds it: hashing or storing it fails.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
_PUNCT = re.compile(r"[^\w\s&#/-]", re.UNICODE)


def squash(text: object) -> str:
    """Unicode NFKC, collapsed whitespace, stripped: the only cleaning a `match` allows."""
    if not text:
        return ""
    text = str(text)
    if not text.isascii():  # NFKC changes nothing in ASCII; skipping it halves the cost
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def unicode_only(value: object) -> object:
    """`value` (text, or lists and dicts of it, as a page's structured data holds) with each
    unpaired surrogate replaced by U+FFFD, the replacement character: what a hostile or broken
    page's JSON decodes to, made storable. Without one, `value` itself."""
    return _replaced(value) if _unpaired(value) else value


def _unpaired(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and UNPAIRED_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_unpaired(k) or _unpaired(v) for k, v in value.items())
    if isinstance(value, list):
        return any(map(_unpaired, value))
    return False


def _replaced(value: object) -> object:
    if isinstance(value, str):
        return UNPAIRED_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replaced(k): _replaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v) for v in value]
    return value


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
