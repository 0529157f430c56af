"""The business's own website: its home page, then the contact, about and location pages its
links name. What the site shows is a listing like any other, and is compared with your record:
search engines check every listing against it.

The pages are read one after the other (a small site is fetched gently) and every business they
show is kept; the pipeline judges the one that matches your record best.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urljoin, urlsplit

import scrapy
from napaudit.spiders.bases.listing import now
from napaudit.spiders.bases.search import SearchSpider
from napaudit.spiders.extract import extract
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import OK, from_failure, from_response
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

# Link texts (or paths) of the pages that carry a business's address, phone and hours.
_WORTH_READING = re.compile(
    r"contact|about|location|find us|visit|directions|hours|store|office", re.IGNORECASE
)
MORE_PAGES = 3  # besides the home page


class WebsiteSpider(SearchSpider):
    name = "website"

    async def start(self) -> AsyncIterator[scrapy.Request | Listing]:
        for business in self.still_to_search():
            home = business.record.website.strip()
            if not home:
                yield self.search_listing(business.record.id, "", "skipped",
                                          "your record has no website to check")  # fmt: skip
                continue
            if not re.match(r"^https?://", home, re.I):
                home = "http://" + home
            request = scrapy.Request(
                home, callback=self.parse_site, errback=self.site_failed,
                meta={"business_id": business.record.id, "home": home, "found": [], "todo": None},
                dont_filter=True,
            )  # fmt: skip
            self.scheduled(business)
            yield request

    def parse_site(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        meta = response.meta
        text = response.text if isinstance(response, TextResponse) else ""
        # Read first: a page that shows the business is no bot wall, even with a CAPTCHA on
        # its contact form.
        shown = extract(text, response.url) if response.status < 400 else []
        outcome, reason = from_response(response.status, text, shows_business=bool(shown))
        if meta["todo"] is None and outcome != OK:  # the home page itself failed
            yield self.site_listing(meta, outcome, reason)
            return
        found = list(meta["found"])
        if outcome == OK:
            found += [b.as_dict() for b in shown]
        todo = meta["todo"] if meta["todo"] is not None else self.pages_to_read(response)
        if todo:
            yield self.next_page(meta, todo, found)
            return
        yield self.site_listing({**meta, "found": found}, OK, "")

    def next_page(self, meta: dict, todo: list[str], found: list[dict]) -> scrapy.Request:
        state = {k: meta[k] for k in ("business_id", "home")}  # only our own keys travel on
        return scrapy.Request(
            todo[0], callback=self.parse_site, errback=self.site_failed,
            meta={**state, "found": found, "todo": todo[1:]}, dont_filter=True,
        )  # fmt: skip

    def pages_to_read(self, response: Response) -> list[str]:
        """The site's own pages whose link text names contact, about, location..."""
        host = urlsplit(response.url).netloc
        pages: list[str] = []
        for link in response.css("a[href]"):
            href = link.attrib["href"]
            text = " ".join(link.css("::text").getall()) + " " + href
            url = urljoin(response.url, href).split("#")[0]
            same_site = urlsplit(url).netloc == host and url.rstrip("/") != response.url.rstrip("/")
            if same_site and _WORTH_READING.search(text) and url not in pages:
                pages.append(url)
        return pages[:MORE_PAGES]

    def site_listing(self, meta: dict, outcome: str, reason: str) -> Listing:
        return Listing(
            business_id=meta["business_id"], source=self.name, url=meta["home"],
            outcome=outcome, reason=reason, fetched_at=now(), found=meta["found"],
            listing_key=meta["home"],
        )  # fmt: skip

    def site_failed(self, failure: Failure) -> Iterator[Listing]:
        meta = failure.request.meta
        outcome, reason = from_failure(failure)
        if meta["todo"] is None:
            yield self.site_listing(meta, outcome, reason)
            return
        # a contact page that fails: the pages read so far still count
        if meta["todo"]:
            yield self.next_page(meta, meta["todo"], meta["found"])
        else:
            yield self.site_listing(meta, OK, "")
