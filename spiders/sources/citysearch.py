"""Citysearch (citysearch.com): search results, then each business's profile page.

Documented (by links and API answers kept in public code): a business's page is
`/profile/<id>/<city>_<st>/<slug>.html`, and the search takes `what` and `where`.
Assumed: the results markup, which no public source documents: each result an hCard
(`li.searchResult.vcard`) with the name and profile link in `a.fn.url`, the address in `.adr`
(`.street-address`, `.locality`, `.region`, `.postal-code`), the phone in `.tel` and the website
as `a.website`; and that a profile page is marked up as an hCard too (read by the shared
extraction, like any hCard page).
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from scrapy.http import Response


class CitysearchSpider(SearchSpider):
    name = "citysearch"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("li.searchResult.vcard"):
            link = card.css("a.fn.url")

            def part(css: str, card=card) -> str:
                return squash(" ".join(card.css(f"{css} ::text").getall()))

            found.append({
                "name": squash(" ".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": part(".tel"),
                "address": part(".adr .street-address"),
                "city": part(".adr .locality"),
                "state": part(".adr .region"),
                "zip": part(".adr .postal-code"),
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
