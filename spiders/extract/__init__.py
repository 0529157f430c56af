"""Every business a web page shows: name, address, phone, website, hours, and how each was found.

No crawler is needed: `extract` works on the HTML text, so `napaudit extract FILE` and every spider
share it. Methods, most trusted first: schema.org markup (JSON-LD, microdata, RDFa), hCard, the
JSON state of JavaScript apps, listing cards, then the page's plain text (tel: links, phone numbers,
addresses, the name from og:site_name, the title, the h1 or the logo), which also fills the fields
the markup left empty. Values are kept as the page shows them, squashed; normalizing is the
auditor's job (auditor.normalize), since the raw value is the evidence in a finding.

A page may list a great many businesses (a directory's JSON-LD @graph of 100,000): the work is
linear in their number, and at most `limit` are returned (LIMIT by default): the first ones the
page shows, most trusted method first. How many were left out is the returned list's `left_out`.
"""

from __future__ import annotations

from dataclasses import fields
from itertools import chain

from napaudit.auditor.normalize.text import unicode_only
from napaudit.spiders.extract import appstate
from napaudit.spiders.extract.cards import card_businesses
from napaudit.spiders.extract.links import place_links
from napaudit.spiders.extract.model import Business, dedupe, merge, name_key, rank, same_business
from napaudit.spiders.extract.page import Page
from napaudit.spiders.extract.structured import structured_businesses
from napaudit.spiders.extract.text import shows_no_business, text_business

__all__ = ["LIMIT", "Business", "Businesses", "extract"]

LISTING_PAGE = 3  # this many businesses make a page a list: no page-level business is read then
# Businesses kept from one page. The largest real directory page at hand lists 40; a page past
# this is a data dump, and a crawl that stores it all would stall on it.
LIMIT = 1000


class Businesses(list):
    """The businesses `extract` returns (a list of Business), and how many more the page showed
    past the limit (`left_out`; 0 when none was left out)."""

    left_out: int = 0


def extract(html: str | bytes, url: str = "", limit: int | None = LIMIT) -> Businesses:
    """Every business the page shows, best first (most complete / most reliable first), at most
    `limit` of them (None: no limit); `.left_out` on the result counts the others."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1 or None, not {limit}")
    page = Page.load(html, url)
    if page.root is None:
        return Businesses()
    markup = chain(structured_businesses(page), appstate.businesses(page))
    found, left_out = dedupe(markup, limit)
    listing = len(found) + left_out >= LISTING_PAGE
    if not listing:
        cards = card_businesses(page)
        if cards:
            found, more = dedupe(found + cards, limit)
            left_out += more
            listing = True
    if not listing and not _complete(found) and not shows_no_business(page):
        _add_text(found, text_business(page))
    place_links(found, page, listing)
    for business in found:  # a lone "\ud800" in a page's JSON: U+FFFD, storable and printable
        for name in _SHOWN_FIELDS:
            value = getattr(business, name)
            if value and not (type(value) is str and value.isascii()):
                if (clean := unicode_only(value)) is not value:
                    setattr(business, name, clean)
    kept = Businesses(rank(found))
    kept.left_out = left_out
    return kept


# What a page showed (`method`, how each field was found, is napaudit's own words).
_SHOWN_FIELDS = tuple(f.name for f in fields(Business) if f.name != "method")
_EVERY_FIELD = ("name", "address", "city", "zip", "phone", "website", "hours")


def _complete(found: list[Business]) -> bool:
    """The markup already gives every field: the text has no gap to fill. Reading the text is
    most of an extraction's cost (measured 2026-11-24: ~4 ms of ~5 ms on an 18 KB page)."""
    return len(found) == 1 and all(getattr(found[0], f) for f in _EVERY_FIELD)


def _add_text(found: list[Business], text: Business) -> None:
    """The text fills the gaps of the record it describes (or of the best one); alone, it is
    the page's business. A record that only names someone (a site-wide Organization, the web
    agency's) is no such best record: a text business with another name stands beside it."""
    if not (text.name or text.phone or text.address or text.city):
        return
    twin = next((b for b in found if same_business(b, text)), None)
    best = rank(found)[0] if found else None
    if twin is None and best is not None and (_placed(best) or _same_name(best, text)):
        twin = best
    if twin is None:
        found.append(text)
    else:
        merge(twin, text)


def _placed(business: Business) -> bool:
    return bool(business.phone or business.address or business.city or business.zip)


def _same_name(a: Business, b: Business) -> bool:
    """Either name inside the other, word for word ("Acme" and "Acme Widgets LLC")."""
    x, y = f" {name_key(a.name)} ", f" {name_key(b.name)} "
    return not x.strip() or not y.strip() or x in y or y in x
