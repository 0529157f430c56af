"""MapQuest (mapquest.com): search results, then each place's page.

Verified on a real page: none (no saved MapQuest page in ../shared/realdata/realweb,
2026-12-02).
Documented by the site's public URLs and pages (read by open-source scrapers, not verified):
results link each place to `/us/<state>/<slug>-<id>`; the live results list is drawn by the
JavaScript app, and the place page marks its parts with `data-testid` attributes.
Assumed: the cards (`[data-testid=search-result]` with `-name` link, one-line `-address`
"street, City, ST 12345", `-phone` and `-website`) being in the served HTML, which the live
site may leave to its script; the catalog's search URL; that the first page holds the business
when its name, city and state are searched; and that a place page's data is in its embedded
app state (`window.__INITIAL_STATE__`), read by extract().
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class MapquestSpider(CardSearchSpider):
    name = "mapquest"
    cards = "[data-testid='search-result']"
    fields = {
        "name": "a[data-testid='search-result-name']",
        "phone": "a[data-testid='search-result-phone']",
        "website": "a[data-testid='search-result-website']::attr(href)",
    }
    locality = "[data-testid='search-result-address']"
