"""Structured data through extruct: JSON-LD, microdata, RDFa and microformats (hCard).

Each syntax runs only when a cheap test on the raw HTML finds its marker. Measured 2026-11-24 on
the 51 real contact pages (32 KB on average), forcing every syntax on every page: JSON-LD 0.1 ms,
microdata 0.2 ms, RDFa 15 ms, microformats 12 ms a page (the design notes measured 60 and 37 ms on
50 KB pages); a 2 MB directory page spent 730 ms in RDFa for nothing. Most pages carry neither
RDFa nor hCard, so skipping them saves most of the extraction time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import extruct
from napaudit.spiders.extract import hcard, schemaorg
from napaudit.spiders.extract.model import Business
from napaudit.spiders.extract.page import Page

log = logging.getLogger(__name__)

# Each marker is a substring test first (a regex over a 2 MB page costs tens of ms), then a
# regex to confirm it is an attribute and not a word in a script, looked for only around the
# places the words are (`_marked`; tests/test_extract.py holds it to a whole-page search).
_MARKERS = {
    "json-ld": (("ld+json",), re.compile(r"application/ld\+json", re.IGNORECASE)),
    "microdata": (("itemscope",), re.compile(r"<[^>]+\sitemscope\b", re.IGNORECASE)),
    # Open Graph tags (<meta property="og:title">) are on most pages and never carry a business,
    # so property= counts as an RDFa marker only with another vocabulary's prefix.
    "rdfa": (
        ("typeof", "vocab", "property"),
        re.compile(
            r"""<[a-zA-Z][^<>]*?\s(?:(?:typeof|vocab)\s*=|property\s*=\s*["'](?!(?:og|fb|article|"""
            r"""twitter|al|book|profile|music|video):))""",
            re.IGNORECASE,
        ),
    ),
    "microformat": (
        ("vcard", "h-card"),
        re.compile(r"""class\s*=\s*["']?[^"'>]*\b(?:vcard|h-card)\b""", re.IGNORECASE),
    ),
}


def syntaxes(raw: str) -> list[str]:
    """The extruct syntaxes worth running on a page, judged from its raw HTML."""
    lowered = raw.lower()
    return [
        syntax
        for syntax, (words, pattern) in _MARKERS.items()
        if _marked(raw, lowered, words, pattern)
    ]


def _marked(raw: str, lowered: str, words: tuple[str, ...], pattern: re.Pattern) -> bool:
    """Whether `pattern` is found in `raw` where one of `words` is (each word is part of every
    match, and no match holds a '>'). A match lies between the '>' before its word and the '>'
    after it, so the pattern is looked for there only, once for each such stretch, not over the
    whole page. Measured 2026-12-03 on the 152 real files in ../shared/realdata: the same
    answers, 258 ms to 151 ms in all (a 491 KB Yelp page: 13.7 ms to 5.6 ms). Only a marker
    spelled with a letter the pattern matches but lower() keeps apart ("ſ" for "s") can be read
    differently: the whole-page test missed it too, unless the word was elsewhere on the page."""
    if len(lowered) != len(raw):  # lower() made a letter two ("İ"): positions would differ
        return any(word in lowered for word in words) and pattern.search(raw) is not None
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            end = raw.find(">", at) + 1 or len(raw)  # up to and with the '>' after the word
            if pattern.search(raw, raw.rfind(">", 0, at) + 1, end):
                return True
            at = lowered.find(word, end)  # the word again in this stretch: searched already
    return False


def structured_businesses(page: Page) -> Iterator[Business]:
    """Businesses in the page's markup, one at a time: JSON-LD, then microdata, RDFa, hCard."""
    if page.root is None:
        return
    for syntax in syntaxes(page.raw):
        items = _run(page, syntax)
        if syntax == "json-ld":
            yield from schemaorg.businesses(items, "json-ld")
        elif syntax == "microdata":
            yield from schemaorg.businesses(items, "microdata")
        elif syntax == "rdfa":
            yield from schemaorg.businesses(schemaorg.rdfa_items(items), "rdfa")
        else:
            yield from hcard.businesses(items)


def _run(page: Page, syntax: str) -> list[Any]:
    """One syntax through extruct; a page whose markup breaks extruct yields nothing for that
    syntax (and a log line), never an exception."""
    # JSON-LD and microdata read the tree already parsed; RDFa and microformats need the text
    # (RDFa parses it into an XML DOM of its own, mf2py parses it itself).
    document = page.root if syntax in ("json-ld", "microdata") else page.raw
    try:
        data = extruct.extract(
            document,
            base_url=page.base_url or None,
            syntaxes=[syntax],
            uniform=syntax == "microdata",
            errors="strict",
        )
    except Exception as exc:  # extruct raises whatever its parsers raise
        if syntax == "json-ld":
            return _json_ld_by_script(page)
        log.info("extruct %s failed on %s: %s", syntax, page.url or "page", exc)
        return []
    return data.get(syntax, [])


def _json_ld_by_script(page: Page) -> list[Any]:
    """One broken JSON-LD block makes extruct drop them all: read the blocks one by one."""
    items: list[Any] = []
    for script in page.root.xpath('//script[@type="application/ld+json"]'):
        try:
            items += extruct.extract(script, syntaxes=["json-ld"], errors="strict")["json-ld"]
        except Exception:  # a broken block is skipped; the others still count
            continue
    return items
