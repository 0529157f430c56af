"""The base every spider shares: fetch a listing page, say how the fetch went, and emit every
business the page shows. Sources that must first search for the listing build on it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from napaudit.auditor.store import now as store_now
from napaudit.spiders.extract import LIMIT, extract
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import OK, from_failure, from_response
from napaudit.spiders.sites import redact
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

# Parameters that say who linked or how, not which place: left out of a stored URL.
_TRACKING = re.compile(
    r"^(utm_\w*|adjust_\w*|osq|override_cta|g_mp|gclid|fbclid|msclkid|mc_[ce]id|yclid|_ga)$", re.I
)


@dataclass(frozen=True)
class Target:
    """A known listing URL: which business it should show, on which source."""

    business_id: str
    source: str
    url: str


class ListingSpider(scrapy.Spider):
    """Fetches known listing URLs (`targets`): `napaudit audit --listings URLS`."""

    name = "listings"
    # Every status reaches the callback, so that a 403 or 404 is reported, not dropped.
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, targets: list[Target] | None = None, pages_elsewhere: bool = False,
                 **kwargs):  # fmt: skip
        super().__init__(**kwargs)
        self.targets = list(targets or [])
        # The audit's pipeline reads what each page shows (in its page worker, beside the
        # crawl: spiders.pagework), so this process only fetches.
        self.pages_elsewhere = pages_elsewhere

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.targets:
            yield self.listing_request(target)

    def listing_request(self, target: Target, **meta) -> scrapy.Request:
        return scrapy.Request(
            target.url,
            callback=self.parse_listing,
            errback=self.failed,
            meta={"target": target, **meta},
            dont_filter=True,  # two businesses may share one page (a hotel's restaurants)
        )

    def parse_listing(self, response: Response) -> Iterator[Listing]:
        target: Target = response.meta["target"]
        text = response.text if isinstance(response, TextResponse) else ""  # (read once)
        # A page that answered is read by the audit's page worker, bot walls included
        # (spiders.pagework.read_page); the status alone says what the others are.
        elsewhere = self.pages_elsewhere and response.status < 400
        shown = []
        if elsewhere:
            outcome, reason = OK, ""
        else:  # read first: a page that shows a business is no bot wall, whatever it says
            if response.status < 400:
                shown = page_businesses(self, text, response.url)
            outcome, reason = from_response(response.status, text, shows_business=bool(shown))
        found = [b.as_dict() for b in shown]
        self.crawler.stats.inc_value(f"napaudit/source/{target.source}/pages")
        yield Listing(
            business_id=target.business_id,
            source=target.source,
            url=redact(target.url),
            outcome=outcome,
            reason=reason,
            status=response.status,
            fetched_at=now(),
            found=found,
            searched=response.meta.get("searched", ""),
            left_out=getattr(shown, "left_out", 0),
            page=(text, response.url) if elsewhere else None,
        )

    def failed(self, failure: Failure) -> Iterator[Listing]:
        target: Target = failure.request.meta["target"]
        outcome, reason = from_failure(failure)
        searched = failure.request.meta.get("searched", "")
        yield Listing(target.business_id, target.source, redact(target.url), outcome, reason,
                      fetched_at=now(), searched=searched)  # fmt: skip


now = store_now  # one clock format for every timestamp napaudit keeps


def untracked(url: str) -> str:
    """A place's URL without tracking and client parameters: what identifies the page stays."""
    if "?" not in url:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not _TRACKING.match(k)]
    return url if len(kept) == len(query) else urlunsplit(parts._replace(query=urlencode(kept)))


def page_businesses(spider: scrapy.Spider, text: str, url: str):
    """extract() with the crawl's per-page limit (NAPAUDIT_PAGE_LIMIT); what a page showed past
    it is counted in the stats (napaudit/extract/left_out) and said once in the log."""
    limit = spider.settings.getint("NAPAUDIT_PAGE_LIMIT", LIMIT) if spider.settings else LIMIT
    shown = extract(text, url, limit=limit or None)
    if shown.left_out:
        spider.crawler.stats.inc_value("napaudit/extract/left_out", shown.left_out)
        spider.logger.warning("%s shows %d businesses past the limit of %d: left out",
                              url, shown.left_out, limit)  # fmt: skip
    return shown
