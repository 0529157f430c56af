"""Manta (manta.com): search results, then each company's profile.

Documented by the site itself (its public URLs, read by open-source crawlers): a company profile
lives at `/c/<id>/<slug>`, the id starting with `m` (`/c/mx7pcrf/sas-roofing-waterproofing`), and
a results page links each company to that path; a profile carries schema.org microdata
(`LocalBusiness`, `PostalAddress`, `telephone`). The search is behind a Cloudflare check on the
live site, which the fetch reports as `blocked` rather than solving it.
Assumed: the card around each profile link (`div.search-result` with the street, a "City, ST
12345" line, the phone and a website link), the catalog's search URL (the site also takes
`search_location=City, ST`), and that the first page holds the business when its name and city
are searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class MantaSpider(SearchSpider):
    name = "manta"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.search-result"):
            link = card.css("a[href*='/c/m']")[:1]  # the name link comes first
            place = split_address(card.css(".result-locality::text").get(default=""))
            found.append({
                "name": squash("".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(card.css(".result-phone::text").get(default="")),
                "address": squash(card.css(".result-street::text").get(default="")),
                "city": place.get("city", ""),
                "state": place.get("state", ""),
                "zip": place.get("zip", ""),
                "website": card.css("a.result-website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
