"""Manta (manta.com): search results, then each company's profile.

Verified on a real page: none (no saved Manta page in ../shared/realdata/realweb, 2026-12-02).
Documented by the site's public URLs (read by open-source crawlers, not verified): a company
profile lives at `/c/<id>/<slug>`, the id starting with `m`, and a results page links each
company to that path; a profile carries schema.org microdata. The live search is behind a
Cloudflare check, which the fetch reports as `blocked` rather than solving it.
Assumed: the card around each profile link (`div.search-result` with `.result-street`, a
`.result-locality` "City, ST 12345" line, `.result-phone` and `a.result-website`), the
catalog's search URL, and that the first page holds the business when its name and city are
searched.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class MantaSpider(CardSearchSpider):
    name = "manta"
    cards = "div.search-result"
    link = "a[href*='/c/m']"  # the name link comes first
    fields = {
        "name": "a[href*='/c/m']",
        "phone": ".result-phone",
        "address": ".result-street",
        "website": "a.result-website::attr(href)",
    }
    locality = ".result-locality"
