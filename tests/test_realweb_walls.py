"""Bot walls on real pages: the Cloudflare block pages Yellow Pages served to scrapers in 2025
and 2026 (../shared/realdata/realweb/yellowpages-blocked/, see its PROVENANCE.tsv). A person
reads "Sorry, you have been blocked" and "You are unable to access www.yellowpages.com": the
search is `blocked`, the reason naming Cloudflare's wall, never `not_found`. And the reverse:
real contact pages whose form carries a reCAPTCHA show their business, and are read."""

from __future__ import annotations

import pytest
from conftest import realdata
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.spiders.bases import ListingSpider, Target
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import from_response
from napaudit.spiders.pagework import read_page
from napaudit.spiders.sources.website import WebsiteSpider
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


# Real contact pages under 20 KB (../shared/realdata/pages/us-contact-pages/source/, pages found
# by searching "contact us <kind of business> usa"): each has a contact form with a reCAPTCHA
# ('recaptcha_widget', 'Captcha'), and shows its business's name, phone and street.
CONTACT_PAGES = [("20.html", "LuxuryRealEstate.com", "800.488.4066"),
                 ("4.html", "Soka Gakkai Intl USA", "1-800-626-1313"),
                 ("98.html", "The Happy Cafe", "803-787-8411")]  # fmt: skip


def contact_page(name: str) -> str:
    text = realdata("pages", "us-contact-pages", "source", name).read_text(encoding="utf-8")
    assert len(text) < 20_000 and "captcha" in text.lower()  # short, and it says "captcha"
    return text


def shown(found: list[dict]) -> list[tuple[str, str]]:
    return [(b["name"], b["phone"]) for b in found if b.get("phone")]


@pytest.mark.parametrize("page, name, phone", CONTACT_PAGES)
def test_a_contact_page_whose_form_has_a_captcha_is_read_not_blocked(page, name, phone):
    """The crawl's page worker, a listing crawl without one, and the own-website check each read
    the page and find its business: not "blocked: a challenge page ('captcha')"."""
    text, url = contact_page(page), "https://www.example.org/contact"
    outcome, reason, found, _ = read_page(200, text, url, None)  # the page worker's reading
    assert (outcome, reason) == ("ok", "") and (name, phone) in shown(found)

    spider = ListingSpider.from_crawler(get_crawler(ListingSpider))
    request = Request(url, meta={"target": Target("b", "yelp", url)})
    response = HtmlResponse(url, status=200, body=text.encode(), encoding="utf-8",
                            request=request)  # fmt: skip
    [listing] = spider.parse_listing(response)
    assert (listing.outcome, listing.reason) == ("ok", "") and (name, phone) in shown(listing.found)

    business = normalize_record(Record(id="b", name=name, phone=phone))
    spider = WebsiteSpider.from_crawler(get_crawler(WebsiteSpider), businesses={"b": business})
    request = Request(url, meta={"business_id": "b", "home": url, "found": [], "todo": None})
    response = HtmlResponse(url, status=200, body=text.encode(), encoding="utf-8",
                            request=request)  # fmt: skip
    [next_step] = spider.parse_site(response)  # the site's listing, or its next page to read
    if isinstance(next_step, Listing):
        assert (next_step.outcome, next_step.reason) == ("ok", "")
        found = next_step.found
    else:
        found = next_step.meta["found"]
    assert (name, phone) in shown(found)


@pytest.mark.parametrize("page", PAGES)
def test_the_block_page_read_first_is_still_blocked(page):
    """Reading a page before looking for a wall changes nothing for a wall: it shows nothing."""
    outcome, reason, found, _ = read_page(200, wall(page), "https://www.yellowpages.com/x", None)
    assert (outcome, reason, found) == ("blocked", f"{WALL} instead of the page", [])
