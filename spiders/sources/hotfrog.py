"""Hotfrog (hotfrog.com): search results, then each company's page.

Documented by the page itself (public HTML, read in 2026 by open-source scrapers): each result
is a `div.row` whose `h3` holds the company's name, with a `tel:` link for the phone, the address
in a `span` and a link to the company's page under `/company/`; a company page is marked up in
hCard (`vcard`, `fn org`, `adr`, `tel`, `url`).
Assumed: the address in one "street, City, ST 12345" line, a website link with class
`website`, the catalog's search URL (`/search/{state}/{city}/{name}`), and that the first page
holds the business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response

_ROW = "ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' row ')][1]"


class HotfrogSpider(SearchSpider):
    name = "hotfrog"

    def results(self, response: Response) -> list[dict]:
        found = []
        for heading in response.css("h3:has(a[href*='/company/'])"):
            card = heading.xpath(_ROW) or heading.xpath("..")
            place = split_address(card.css("span.address::text").get(default=""))
            found.append({
                "name": squash("".join(heading.css("::text").getall())),
                "url": heading.css("a[href*='/company/']::attr(href)").get(default=""),
                "phone": squash(card.css("a[href^='tel:']::text").get(default="")),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
