"""The card-search base (spiders/bases/cards.py) that every directory declares itself over: what a
card yields, how links are resolved, and which cards are followed."""

from __future__ import annotations

import pytest
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.spiders.bases.cards import CardSearchSpider, link
from napaudit.spiders.bases.listing import Target
from napaudit.spiders.items import Listing
from napaudit.spiders.sources import spider_classes
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

SEARCH = "https://dir.example/search?q=Juniper"


def page(cards: str, url: str = SEARCH, request: Request | None = None) -> HtmlResponse:
    html = f"<html><body><main>{cards}</main><footer>Call us: (800) 555-0100</footer></body></html>"
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)


def yp_card(name: str, links: str, path: str = "/portland-or/mip/juniper-1") -> str:
    return (
        f'<div class="result"><div class="info"><h2 class="n">1. <a class="business-name" '
        f'href="{path}"><span>{name}</span></a></h2><div class="phones phone primary">'
        '(503) 555-0111</div><div class="adr"><div class="street-address">412 Juniper St</div>'
        f'<div class="locality">Portland, OR 97209</div></div><div class="links">{links}</div>'
        "</div></div>"
    )


def yp_results(*cards: str) -> list[dict]:
    html = '<div class="search-results organic">' + "".join(cards) + "</div>"
    return spider_classes()["yellowpages"]().results(page(html))


# --- what a card yields -----------------------------------------------------------------------


def test_yellow_pages_card_without_a_website_has_none():
    """Its Directions and Menu links are not the business's website (issue 12)."""
    links = ('<a class="directions small-btn" href="/portland-or/mip/juniper-1#map">Directions</a>'
             '<a class="menu" href="https://menus.example/juniper">Menu</a>')  # fmt: skip
    [card] = yp_results(yp_card("Juniper Street Bakery", links))
    assert card["website"] == ""
    assert (card["phone"], card["address"], card["city"], card["state"], card["zip"]) == (
        "(503) 555-0111", "412 Juniper St", "Portland", "OR", "97209")  # fmt: skip


@pytest.mark.parametrize(
    "website_link",
    [
        '<a class="track-visit-website" href="https://juniperbakery.example/">Website</a>',
        '<a class="weblink-button" href="https://juniperbakery.example/">Website</a>',  # Superpages
    ],
)
@pytest.mark.parametrize("source", ["yellowpages", "superpages"])
def test_yellow_pages_and_superpages_read_both_website_buttons(source, website_link):
    links = '<a class="directions" href="/x#map">Directions</a>' + website_link
    html = '<div class="search-results organic">' + yp_card("Juniper", links) + "</div>"
    [card] = spider_classes()[source]().results(page(html))
    assert card["website"] == "https://juniperbakery.example/"


def test_a_closed_badge_on_a_card_is_its_status_and_an_open_now_is_not():
    closed = yp_card("Juniper Street Bakery", "<span class='badge'>Permanently closed</span>")
    open_now = yp_card("Juniper Tea House", "<span>Closed now</span>", path="/portland-or/mip/tea")
    assert [c["status"] for c in yp_results(closed, open_now)] == ["Permanently closed", ""]


@pytest.mark.parametrize(
    "href, url",
    [
        ("/biz/juniper-bakery?osq=bakery", "https://dir.example/biz/juniper-bakery?osq=bakery"),
        ("/adredir?ad_business_id=1&redirect_url=https%3A%2F%2Fdir.example%2Fbiz%2Fjuniper%3Fx"
         "%3D1&slot=0", "https://dir.example/biz/juniper?x=1"),
        ("/biz_redir?url=http%3A%2F%2Fjuniperbakery.example&src_bizid=1",
         "http://juniperbakery.example"),
        ("/share?url=https%3A%2F%2Fother.example", "https://dir.example/share?url=https%3A%2F%2F"
         "other.example"),  # not a redirect: kept
        ("tel:5035550111", ""),
        ("javascript:void(0)", ""),
        ("/biz_redir?url=javascript%3Aalert(1)", ""),  # hostile: a wrapper hiding a script
    ],
)  # fmt: skip
def test_links_are_absolute_and_taken_out_of_redirect_wrappers(href, url):
    assert link(href, SEARCH) == url


# --- which cards are followed -------------------------------------------------------------------


class Directory(CardSearchSpider):
    """A directory declared the way every source module is."""

    name = "yellowpages"  # a catalog id, for its label in reasons
    cards = "div.card"
    fields = {"name": "h3 a", "phone": ".phone", "address": ".street"}  # noqa: RUF012
    locality = ".where"
    sponsored = ".ad-label"


def card(name: str, path: str, phone: str = "", street: str = "", where: str = "",
         ad: bool = False) -> str:  # fmt: skip
    return (
        f'<div class="card"><h3><a href="{path}">{name}</a></h3>'
        + (f'<p class="phone">{phone}</p>' if phone else "")
        + (f'<p class="street">{street}</p>' if street else "")
        + (f'<p class="where">{where}</p>' if where else "")
        + ('<span class="ad-label">Ad</span>' if ad else "")
        + "</div>"
    )


BAKERY = {"name": "Juniper Street Bakery", "address": "412 Juniper St", "city": "Portland",
          "state": "OR", "zip": "97209", "phone": "(503) 555-0111"}  # fmt: skip


def follow(*cards: str, **business) -> list:
    record = normalize_record(Record(id="b", **{**BAKERY, **business}))
    spider = Directory.from_crawler(get_crawler(Directory), businesses={"b": record})
    request = Request(SEARCH, meta={"business_id": "b", "searched": "'Juniper Street Bakery'"})
    return list(spider.parse_search(page("".join(cards), request=request)))


def paths(answers: list) -> list[tuple[str, str]]:
    return [(a.url.removeprefix("https://dir.example"), a.callback.__name__) for a in answers]


def test_cards_showing_the_phone_are_followed_as_listings_and_thin_ones_are_not():
    answers = follow(
        card("Juniper Street Bakery", "/b/1", phone="503-555-0111"),
        card("Juniper Street Bakery", "/b/2", phone="(503) 555-0111", street="412 Juniper St"),
        card("Juniper Street Bakery", "/b/3"),  # a name only: not needed, not fetched
    )
    # best first: the card showing phone and street
    assert paths(answers) == [("/b/2", "parse_listing"), ("/b/1", "parse_listing")]


def test_thin_cards_are_confirmed_one_after_the_other_best_first():
    answers = follow(
        card("Juniper Street Bakery & Cafe", "/b/1"),
        card("Juniper Street Bakery", "/b/2", where="Portland, OR"),
        card("Juniper Street Bakery", "/b/3", where="Eugene, OR"),  # another city
        card("Juniper Plumbing", "/b/4"),  # another name
    )
    [first] = answers
    assert paths(answers) == [("/b/2", "parse_confirm")]
    assert [c["url"].rsplit("/", 1)[-1] for c in first.meta["chain"]["queue"]] == ["1"]


def test_an_ad_is_followed_only_when_it_is_the_business_and_never_twice():
    answers = follow(
        card("Juniper Street Bakery", "/b/1", phone="(503) 555-0111", ad=True),
        card("Juniper Street Bakery", "/b/1", phone="(503) 555-0111"),  # its organic card
        card("Juniper Bakeries Franchise", "/b/9", phone="(800) 555-0199", ad=True),
    )
    assert paths(answers) == [("/b/1", "parse_listing")]


def test_nothing_to_follow_is_not_found_with_results_and_ads_counted_apart():
    [answer] = follow(
        card("Juniper Tea House", "/b/5", phone="(503) 555-0146", street="88 NW 23rd Ave"),
        card("Juniper Bakeries Franchise", "/b/9", phone="(800) 555-0199", ad=True),
    )
    assert isinstance(answer, Listing)
    assert (answer.outcome, answer.reason) == (
        "not_found",
        "searched Yellow Pages (yellowpages.com) for 'Juniper Street Bakery': 1 result, none is this business "
        "(closest: 'Juniper Tea House', score 0.00) (1 ad left aside)",
    )


def confirm_page(status: int, html: str, queue: int = 1) -> list:
    """The first thin card's page answers `status` with `html`; `queue` cards were to confirm."""
    thin = [card("Juniper Street Bakery", f"/b/{i}") for i in range(1, queue + 1)]
    [request] = follow(*thin)
    spider = request.callback.__self__
    response = HtmlResponse(request.url, status=status, body=html.encode(), encoding="utf-8",
                            request=request)  # fmt: skip
    return list(spider.parse_confirm(response))


def test_a_thin_card_behind_a_wall_is_not_checked_saying_why():
    wall = "<title>Just a moment...</title><p>Verifying you are human.</p>"
    [listing] = confirm_page(403, wall, queue=2)  # the second card is not tried
    assert (listing.outcome, listing.url) == ("blocked", "https://dir.example/b/1")
    assert listing.reason == (
        "HTTP 403: a challenge page from Cloudflare ('Just a moment...'); the search showed "
        "'Juniper Street Bakery' here, too little to tell whether it is this business"
    )


def test_a_thin_card_whose_page_is_another_business_leads_to_the_next():
    other = ('<div itemscope itemtype="https://schema.org/Bakery"><h1 itemprop="name">Juniper '
             'Street Bakery</h1><span itemprop="telephone">(541) 555-0177</span><div '
             'itemprop="address" itemscope itemtype="https://schema.org/PostalAddress"><span '
             'itemprop="streetAddress">9 Oak St</span>, <span itemprop="addressLocality">Eugene'
             '</span>, <span itemprop="addressRegion">OR</span> <span itemprop="postalCode">'
             "97401</span></div></div>")  # fmt: skip
    [next_card] = confirm_page(200, other, queue=2)
    assert (next_card.url, next_card.callback.__name__) == ("https://dir.example/b/2",
                                                            "parse_confirm")  # fmt: skip
    [answer] = confirm_page(200, other, queue=1)
    assert answer.outcome == "not_found"
    assert answer.reason.endswith(
        "; pages of cards showing too little, checked: 'Juniper Street Bakery' (score 0.00)"
    )


# --- the listing page ---------------------------------------------------------------------------


def listing_page(html: str, card: dict | None = None, source: str = "yellowpages") -> dict:
    """What is stored for a listing page followed from a card (the page's first business)."""
    spider_class = spider_classes()[source]
    spider = spider_class.from_crawler(get_crawler(spider_class), businesses={})
    url = "https://dir.example/biz/juniper-street-bakery"
    request = spider.listing_request(Target("b", source, url), card=card or {})
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)
    [listing] = spider.parse_listing(response)
    return listing.found[0]


BAKERY_PAGE = ("<html><head><title>Juniper Street Bakery - Portland</title></head><body>"
               "<h1>Juniper Street Bakery</h1><address>412 Juniper St<br>Portland, OR 97209"
               "</address><p>{extra}</p></body></html>")  # fmt: skip


def test_the_card_fills_what_the_listing_page_does_not_show():
    card = {"name": "Juniper Street Bakery", "phone": "(503) 555-0111",
            "website": "https://juniperbakery.example/", "status": "CLOSED"}  # fmt: skip
    found = listing_page(BAKERY_PAGE.format(extra="Fresh bread daily"), card)
    assert (found["address"], found["phone"], found["website"], found["status"]) == (
        "412 Juniper St", "(503) 555-0111", "https://juniperbakery.example/", "CLOSED")  # fmt: skip
    assert found["method"]["website"] == "search-card:yellowpages"


def test_a_card_of_another_name_fills_nothing():
    card = {"name": "Juniper Tea House", "phone": "(503) 555-0146"}
    assert not listing_page(BAKERY_PAGE.format(extra=""), card).get("phone")


def test_yelp_reads_the_closed_notice_and_the_website_behind_biz_redir():
    extra = (
        'Yelpers report this location has closed.</p><p><a href="/biz_redir?url=https%3A%2F'
        '%2Fjuniperbakery.example%2F&amp;website_link_type=website">juniperbakery.example</a>'
    )
    found = listing_page(BAKERY_PAGE.format(extra=extra), source="yelp")
    assert found["status"] == "Yelpers report this location has closed."
    assert found["website"] == "https://juniperbakery.example/"
