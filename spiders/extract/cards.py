"""Listings shown as repeated HTML cards, for list pages with no markup and no app state (a
travel guide's list of attractions). Method name: "listing-card".

A card is one of three or more sibling elements of the same tag and class that links to its own
detail page at least twice (title, photo, "more info": a listing card links everywhere to the
listing) and shows listing evidence: a phone, a postal address, or a review count or rating.
Navigation menus and footers link each item once and show none of these, so they never qualify.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urldefrag

from lxml import etree
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.addresses import find_addresses
from napaudit.spiders.extract.model import Business
from napaudit.spiders.extract.page import Page, text_lines
from napaudit.spiders.extract.phones import numbers

_CARD_TAGS = frozenset({"div", "li", "article", "section", "tr"})
_REVIEWS = re.compile(r"(?i)\b\d[\d,.]*\s+(?:reviews?|ratings?|opinions?)\b")
_RATING_CLASS = re.compile(r"(?i)rating|stars|bubble")
_GENERIC_LINK = re.compile(r"(?i)^(?:more|more info|details|view|see more|read more|book|website)$")
_MIN_CARDS = 3


def card_businesses(page: Page) -> list[Business]:
    """The businesses of the page's largest group of listing cards; [] when it has none."""
    if page.root is None:
        return []
    best: list[Business] = []
    for group in _sibling_groups(page.root):
        found = [b for b in (_card(el, page) for el in group) if b is not None]
        if len(found) >= _MIN_CARDS and len(found) > len(best):
            best = found
    return best


def _sibling_groups(root: etree._Element) -> list[list[etree._Element]]:
    groups: dict[tuple, list] = defaultdict(list)
    for el in root.iter(*_CARD_TAGS):
        parent = el.getparent()
        if parent is not None and el.get("class"):
            groups[(id(parent), el.tag, " ".join(el.get("class").split()))].append(el)
    return [g for g in groups.values() if len(g) >= _MIN_CARDS]


def _card(el: etree._Element, page: Page) -> Business | None:
    links = [
        (link, urldefrag(page.absolute(link.get("href") or ""))[0])
        for link in el.iter("a")
        if link.get("href")
    ]
    counts = Counter(url for _, url in links if url)
    if not counts:
        return None
    detail, times = counts.most_common(1)[0]
    if times < 2:
        return None
    lines, _ = text_lines(el)
    text = "\n".join(lines)
    phone = next(numbers(text), None)
    addresses = find_addresses(lines)
    rated = _REVIEWS.search(text) or any(
        _RATING_CLASS.search(x.get("class") or "") for x in el.iter() if isinstance(x.tag, str)
    )
    if not (phone or addresses or rated):
        return None
    name = _name([link for link, url in links if url == detail])
    if not name:
        return None
    business = Business()
    business.set("name", name, "listing-card")
    business.set("phone", squash(phone.raw_string) if phone else "", "listing-card")
    if addresses:
        for field in ("address", "city", "state", "zip", "country"):
            business.set(field, getattr(addresses[0], field), "listing-card")
    business.set("url", detail, "listing-card")
    return business


def _name(links: list[etree._Element]) -> str:
    """The card's title: the detail link's text that is a name (letters, not a review count or
    'More info'), else the alt text of the photo it links."""
    for link in links:
        text = squash(link.text_content())
        if text and not _GENERIC_LINK.match(text) and not _REVIEWS.search(text):
            if re.search(r"[A-Za-z]", text) and len(text) <= 120:
                return text
    for link in links:
        for img in link.iter("img"):
            if squash(img.get("alt")):
                return squash(img.get("alt"))
    return ""
