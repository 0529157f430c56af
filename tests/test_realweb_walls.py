"""Bot walls on real pages: the Cloudflare block pages Yellow Pages served to scrapers in 2025
and 2026 (../shared/realdata/realweb/yellowpages-blocked/, see its PROVENANCE.tsv). A person
reads "Sorry, you have been blocked" and "You are unable to access www.yellowpages.com": the
search is `blocked`, the reason naming Cloudflare's wall, never `not_found`."""

from __future__ import annotations

import pytest
from conftest import realdata
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.spiders.outcome import from_response
from napaudit.spiders.sources.yellowpages import YellowpagesSpider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

PAGES = ["block_cloudflare_vnodedigital_2025.html", "block_cloudflare_maycoll_2026.html"]
WALL = "a block page from Cloudflare ('Sorry, you have been blocked')"
SEARCH = "https://www.yellowpages.com/search?search_terms=Acme+Hardware&geo_location_terms=Chicago"


def wall(page: str) -> str:
    return realdata("realweb", "yellowpages-blocked", page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_cloudflare_block_page_is_blocked_naming_cloudflare(page):
    text = wall(page)
    assert "You are unable to access</span> www.yellowpages.com" in text  # what a person reads
    assert from_response(403, text) == ("blocked", f"HTTP 403: {WALL}")
    assert from_response(200, text) == ("blocked", f"{WALL} instead of the page")


@pytest.mark.parametrize("page", PAGES)
def test_a_search_answered_by_the_wall_is_blocked_not_not_found(page):
    business = normalize_record(Record(id="acme", name="Acme Hardware", city="Chicago",
                                       state="IL"))  # fmt: skip
    spider = YellowpagesSpider.from_crawler(get_crawler(YellowpagesSpider),
                                            businesses={"acme": business})  # fmt: skip
    request = Request(SEARCH, meta={"business_id": "acme", "searched": "'Acme Hardware'"})
    response = HtmlResponse(SEARCH, status=403, body=wall(page).encode(), encoding="utf-8",
                            request=request)  # fmt: skip
    [listing] = spider.parse_search(response)
    assert (listing.business_id, listing.outcome) == ("acme", "blocked")
    assert listing.reason == f"search page: HTTP 403: {WALL}"
