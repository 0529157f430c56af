"""EZlocal (ezlocal.com): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source citation checkers): each result
is a `div.businessdetails` with the name and listing link in `h3 a`, the address in hCard-style
spans (`span.street-address`, `span.locality`, `span.region`, `span.postal-code`) and the phone
in `p.tel`. A business page is plain HTML: `div.biz-info` with `h1.biz-name`, the street and the
"City, ST 12345" line, then "Phone:", "Fax:" and "Hours:" lines.
Assumed: the catalog's search URL parameters (q, l), the website link as `a.website` in the
result, and that the first page of results holds the business when its name and city are
searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from scrapy.http import Response


class EzlocalSpider(SearchSpider):
    name = "ezlocal"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.businessdetails"):
            link = card.css("h3 a")

            def part(css: str, card=card) -> str:
                return squash(" ".join(card.css(f"{css} ::text").getall()))

            found.append({
                "name": squash(" ".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": part("p.tel"),
                "address": part("span.street-address"),
                "city": part("span.locality"),
                "state": part("span.region"),
                "zip": part("span.postal-code"),
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
