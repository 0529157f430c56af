"""Fetch one page politely, as every crawl does, for `napaudit extract URL`."""

from __future__ import annotations

from napaudit.spiders.bases import ListingSpider, Target
from napaudit.spiders.crawl import CrawlOptions, crawl_settings, run_crawl
from napaudit.spiders.fetchpolicy import SETTING as ALLOW_SETTING
from napaudit.spiders.fetchpolicy import entry_for
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import ERROR


def fetch_page(url: str, options: CrawlOptions, extra: dict | None = None) -> Listing:
    """The page's fetch outcome and every business it shows (robots.txt and UA as always).

    The address the user typed is theirs to fetch, even on their own network; where the page
    redirects is checked by the fetch policy as in every crawl.
    """
    items: list[Listing] = []
    settings = crawl_settings(
        options, {"ITEM_PIPELINES": {}, ALLOW_SETTING: [entry_for(url)], **(extra or {})}
    )
    run_crawl(ListingSpider, settings, on_item=items.append, targets=[Target("", "", url)])
    return items[0] if items else Listing("", "", url, ERROR, "the crawl returned nothing")
