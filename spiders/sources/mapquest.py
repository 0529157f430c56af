"""MapQuest (mapquest.com): search results, then each place's page.

Documented by the site itself (public URLs and pages, read by open-source scrapers): results
link each place to `/us/<state>/<slug>-<id>`; the live results list is drawn by the JavaScript
app (scrapers run a browser and wait for it), and the place page marks its parts with
`data-testid` attributes (the call button is a `tel:` link). Nothing public documents the app's
embedded state for a results page, so this reads plain result cards.
Assumed: the cards (`[data-testid=search-result]` with `-name` link, one-line `-address`
"street, City, ST 12345", `-phone` and `-website`) being in the served HTML, which the live
site may leave to its script; the catalog's search URL; and that the first page holds the
business when its name, city and state are searched. A place page's data is read by
`extract` from its embedded app state (`window.__INITIAL_STATE__`), as the sample web has it.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class MapquestSpider(SearchSpider):
    name = "mapquest"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("[data-testid='search-result']"):
            link = card.css("a[data-testid='search-result-name']")
            line = "".join(card.css("[data-testid='search-result-address'] ::text").getall())
            place = split_address(line)
            found.append({
                "name": squash("".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(card.css("a[data-testid='search-result-phone']::text").get("")),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a[data-testid='search-result-website']::attr(href)").get(""),
            })  # fmt: skip
        return found
