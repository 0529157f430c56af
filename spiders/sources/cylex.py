"""Cylex (cylex.us.com): search results, then each company's page.

Documented by the page itself (public HTML, read by open-source scrapers of the Cylex network):
results are `li` items of `ul.lm-results`, each with a `div.lm-result-companyData` holding the
name and company link in `span.block.bold.h4 a` (`/company/<slug>-<id>.html`), one `<address>`
block with the street, the city line and the phone last, and a `ul.lm-features` row of links,
one of them the website. A company page is plain HTML: the name in the `<h1>`, the address in
an `<address>`, the phone in a `tel:` link and the hours in a table.
Assumed: the catalog's search URL parameters (q, c, z), that the street and the "City, ST
12345" line are separate lines of the `<address>`, and that the website link is the one in
`ul.lm-features` leaving the site.
"""

from __future__ import annotations

import re

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response

_PHONE = re.compile(r"^[+(\d][\d\s().+-]{6,}$")


class CylexSpider(SearchSpider):
    name = "cylex"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("ul.lm-results div.lm-result-companyData"):
            link = card.css("span.h4 a")
            lines = [squash(t) for t in card.css("address ::text").getall() if squash(t)]
            phones = [line for line in lines if _PHONE.match(line)]
            place = split_address(", ".join(line for line in lines if line not in phones))
            found.append({
                "name": squash(" ".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": phones[-1] if phones else "",
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("ul.lm-features a[rel~=nofollow]::attr(href)").get(default=""),
            })  # fmt: skip
        return found
