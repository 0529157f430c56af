"""Discovery through a source's own search page: search for each business, score every result
with the auditor's identification, follow the acceptable ones to their listing pages.

No acceptable result: the listing is `not_found`, and the reason says what was searched and
what came closest. Several acceptable results: each is followed and stored, so the report shows
them as duplicates of one business on one source.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import quote_plus, urljoin

import scrapy
from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.catalog import Source, load_catalog
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.listing import ListingSpider, Target, now, page_businesses, untracked
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import NOT_FOUND, OK, from_failure, from_response
from napaudit.spiders.sites import redact
from scrapy.http import Response
from twisted.python.failure import Failure


class SearchSpider(ListingSpider):
    """A directory searched through its public search page (the catalog's `search_url`).

    A source module sets `name` (its catalog id) and, when the results need more than
    `extract()` reads on its own, overrides `results()`.
    """

    search_url = ""  # a template with {name} {city} {state} {zip} {phone}; default: catalog's
    follow_at_most = 3  # acceptable results followed: more than one is a duplicate listing

    def __init__(self, businesses: dict[str, Normalized] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.businesses = businesses or {}
        self.source: Source | None = load_catalog().get(self.name)
        self.template = self.search_url or (self.source.search_url if self.source else "")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():  # known listing URLs, if any were given
            yield request
        for business in self.still_to_search():
            request = self.search_request(business)
            self.scheduled(business)
            yield request

    def still_to_search(self) -> list[Normalized]:
        """The businesses to search. A resumed crawl skips those whose search was scheduled
        before the interruption: the request, or the pages it led to, wait in JOBDIR's queue
        (start requests share it), and what they gave is in the store."""
        scheduled = getattr(self, "state", {}).get("scheduled", set())
        return [b for b in self.businesses.values() if b.record.id not in scheduled]

    def scheduled(self, business: Normalized) -> None:
        """Remembered in the JOBDIR's spider state (Scrapy saves it when the crawl stops)."""
        if hasattr(self, "state"):
            self.state.setdefault("scheduled", set()).add(business.record.id)

    # --- searching ----------------------------------------------------------------------

    def query(self, business: Normalized) -> dict[str, str]:
        """The values a search template may use, for one business."""
        record = business.record
        return {
            "name": business.shown["name"],
            "city": business.city,
            "state": business.state,
            "zip": business.zip5,
            "phone": business.phone.national or record.phone,
            "country": (record.country or "US").lower(),
        }

    def search_request(self, business: Normalized) -> scrapy.Request:
        values = self.query(business)
        url = self.template.format(**{k: quote_plus(v or "") for k, v in values.items()})
        where = ", ".join(v for v in (values["city"], values["state"]) if v)
        return scrapy.Request(
            url,
            callback=self.parse_search,
            errback=self.search_failed,
            meta={"business_id": business.record.id,
                  "searched": f"'{values['name']}'" + (f" in {where}" if where else "")},
            dont_filter=True,
        )  # fmt: skip

    def results(self, response: Response) -> list[dict]:
        """Every business the results page shows, each with the `url` of its listing page."""
        return [b.as_dict() for b in page_businesses(self, response.text, response.url)]

    def parse_search(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        business_id, searched = response.meta["business_id"], response.meta["searched"]
        outcome, reason = from_response(response.status, getattr(response, "text", ""))
        if outcome != OK:
            yield self.search_listing(business_id, response.url, outcome, f"search page: {reason}")
            return
        found = [r for r in self.results(response) if r.get("url")]
        scored = rank_candidates(self.businesses[business_id], found)
        accepted = [values for score, _, values in scored if score >= THRESHOLD]
        self.crawler.stats.inc_value(f"napaudit/source/{self.name}/searches")
        if not accepted:
            yield self.search_listing(business_id, response.url, NOT_FOUND,
                                      self.not_found_reason(searched, scored))  # fmt: skip
            return
        if len(accepted) > 1:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/duplicates")
        for values in accepted[: self.follow_at_most]:
            # the listing's page, not how the search linked to it (Yelp's ?osq=...)
            url = untracked(urljoin(response.url, values["url"]))
            yield self.listing_request(Target(business_id, self.name, url), searched=searched)

    def not_found_reason(self, searched: str, scored: list) -> str:
        label = self.source.name if self.source else self.name
        found = f"{len(scored)} result" + ("" if len(scored) == 1 else "s")
        reason = f"searched {label} for {searched}: {found}, none is this business"
        if scored:
            score, _, values = scored[0]
            reason += f" (closest: '{values.get('name', '')}', score {score:.2f})"
        return reason

    def search_listing(self, business_id: str, url: str, outcome: str, reason: str) -> Listing:
        """What the search itself says, when it leads to no listing page."""
        return Listing(business_id, self.name, redact(url), outcome, reason, fetched_at=now(),
                       listing_key=f"search:{business_id}")  # fmt: skip

    def search_failed(self, failure: Failure) -> Iterator[Listing]:
        outcome, reason = from_failure(failure)
        request = failure.request
        yield self.search_listing(request.meta["business_id"], request.url, outcome,
                                  f"search page: {reason}")  # fmt: skip
