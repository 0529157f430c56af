"""YellowBot (yellowbot.com): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source citation checkers): results are
`.resultWrapper` blocks with the name and listing link in `h3 > a`, the address in `.address`
(the ZIP in `.zip` inside it) and the phone in `.tel`; a business page is
`/<name>-<city>-<st>.html`, and the search takes `q` and `place` ("City, ST").
Assumed: that `.address` reads as one "street, City, ST 12345" line, the website link as
`a.website` in the result, and that a business page carries schema.org JSON-LD (LocalBusiness),
read by the shared extraction.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class YellowbotSpider(SearchSpider):
    name = "yellowbot"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css(".resultWrapper"):
            link = card.css("h3 > a")
            place = split_address(squash(" ".join(card.css(".address ::text").getall())))
            found.append({
                "name": squash(" ".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(" ".join(card.css(".tel ::text").getall())),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
