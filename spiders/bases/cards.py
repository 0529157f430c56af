"""Directories searched through their results page, declared as data: one CSS (or XPath)
selector for a result card and a map of field selectors. The base does the loop, the text
cleaning, the link resolution, the scoring and the following.

A source module declares (see yellowpages.py):

    cards     one result card                      "div.search-results.organic div.result"
    fields    field -> selector, or a callable     {"name": "a.business-name", ...}
              taking the card (for the odd one)
    link      the listing link in a card           default: the name's link, else the card's
    locality  text split into street, city, state  ".locality" ("Springfield, IL 62701")
              and ZIP, for what `fields` left empty
    sponsored what marks a card as an ad           "a[href*='/adredir']"
    page_fields  field -> selector on the listing page, for what extract() cannot know
                 (a website behind a redirect link, a "closed" notice)

A selector starting with "/", "./" or "(" is XPath, any other CSS. A field's text is what a
person reads in the first element it matches (block elements and <br> break lines); a phone
is the first run of it that reads as a phone number; `::attr(...)` gives the attribute. Links
(the listing's and the website) are made absolute and taken out of redirect wrappers
(`/adredir?redirect_url=...`, `/biz_redir?url=...`: a link whose last path segment says
"redir" and whose query names the target). A card showing "Permanently closed", "Temporarily
closed", "Out of business" or a bare "CLOSED" badge carries that text as `status`.

Which cards are followed (the lies to avoid: `not_found` for a business that is listed, and
another business's page judged as this one's):

- Every card is scored with the auditor's identification on what it shows.
- A card showing a phone or a street and scoring at least the threshold is the business: its
  listing page is followed and judged (up to `follow_at_most`; more than one is a duplicate).
- A card showing neither (a name, perhaps a city: Yelp's 2025 cards) cannot be told from a
  namesake. A name alone scores 0.67 when identical and 0.20 when nearly so (token-set >= 90,
  "Red Lantern" for "Red Lantern Bar"), so its score decides nothing either way. Such a card is
  scored as if it stood in the searched place when it names no place (the directory answered a
  search there) and, when that reaches the threshold (in effect: the same or nearly the same
  name, and no other city), its page is fetched to confirm it. Confirmation is the listing
  page scored like a card: at the threshold it is the listing; under it, it is another
  business and is not stored. At most `confirm_at_most` cards are confirmed, best first, one
  after the other; only when no card showed enough.
  Measured 2026-12-02 with bench/thin_cards.py (name-only cards of real Chicago records, on the
  half of the sites held out; nothing was tuned on it): the listed site is found for 93.3% of
  searches, against 77.6% when a card is only scored as shown, with 2.0 pages fetched a search.
- An ad (`sponsored`) is scored like any card and followed only when it is the business, to
  the listing page it leads to; an ad leading to the page of an organic card is dropped, so an
  ad never makes a duplicate. A `not_found` reason counts ads apart from results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import html_text
import phonenumbers
import scrapy
import usaddress
from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases.listing import Target
from napaudit.spiders.bases.search import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import NOT_FOUND, OK, from_response
from parsel import Selector, SelectorList
from rapidfuzz import fuzz
from scrapy.http import Response
from twisted.python.failure import Failure

Field = str | Callable[[Selector], str]
# A thin card that names no place is worth its page when its name alone, placed in the searched
# place, reaches this: the same name, or one name within the other ("Juniper Street Bakery &
# Cafe" for "Juniper Street Bakery": 0.2 with no other evidence). A card naming a place must
# reach THRESHOLD (the same name in another city is 0.2 too), and every page must.
WORTH_CONFIRMING = 0.15

PLACE = ("address", "city", "state", "zip")
_CLOSED = re.compile(
    r"\b(?:permanently|temporarily)\s+closed\b|\bclosed\s+(?:permanently|for\s+good)\b"
    r"|\bhas\s+closed\b|\bout\s+of\s+business\b|^closed$",
    re.IGNORECASE,
)
_BADGE = 60  # characters: a badge is a short line; a longer one is a review or a description
_REDIRECT_PARAMS = ("redirect_url", "url")
_PLACE_LABELS = {"city": "PlaceName", "state": "StateName", "zip": "ZipCode"}
_NOT_STREET = {*_PLACE_LABELS.values(), "Recipient", "CountryName", "NotAddress"}
_UNTOLD = "the search showed '{name}' here, too little to tell whether it is this business"
_SAME_NAME = 90  # token-set ratio: the card and the page name one business (name_close)


class CardSearchSpider(SearchSpider):
    """A directory whose results page lists one card per business (see the module's doc)."""

    cards = ""
    fields: dict[str, Field] = {}  # a declaration, never mutated
    link = ""
    locality = ""
    sponsored = ""
    page_fields: dict[str, Field] = {}  # a declaration, never mutated
    listing_query = True  # False: the listing link's query only tracks the click; dropped
    confirm_at_most = 3  # cards too thin to score, whose pages are fetched to confirm them

    # --- reading a results page -----------------------------------------------------------

    def results(self, response: Response) -> list[dict]:
        """Every card on the results page, each with the absolute `url` of its listing page;
        an ad leading to the same page as a result is left out."""
        cards = [self.read_card(card, response.url) for card in _select(response, self.cards)]
        cards = [card for card in cards if card]
        organic = {card["url"] for card in cards if not card["sponsored"]}
        found, seen = [], set()
        for card in cards:
            if card["url"] in seen or (card["sponsored"] and card["url"] in organic):
                continue
            seen.add(card["url"])
            found.append(card)
        return found

    def read_card(self, card: Selector, base_url: str) -> dict | None:
        values = {name: read(card, selector, name) for name, selector in self.fields.items()}
        url = link(self.card_link(card), base_url, keep_query=self.listing_query)
        if not (values.get("name") and url):
            return None
        if self.locality:
            place = split_locality(read(card, self.locality, "locality"))
            values.update({k: place[k] for k in PLACE if place.get(k) and not values.get(k)})
        if values.get("website"):
            values["website"] = link(values["website"], base_url)
        values["status"] = values.get("status") or closed_badge(card)
        values["sponsored"] = bool(self.sponsored and _select(card, self.sponsored))
        return {**{k: "" for k in ("phone", *PLACE, "website")}, **values, "url": url}

    def card_link(self, card: Selector) -> str:
        """The href of the `link` element, else of the name's link, else of the card."""
        for selector in (self.link, self.fields.get("name")):
            if isinstance(selector, str) and (found := _select(card, selector)):
                anchor = found[0]
                href = anchor.attrib.get("href") or anchor.css("a::attr(href)").get(default="")
                if href:
                    return href
        return card.attrib.get("href", "")

    # --- following --------------------------------------------------------------------------

    def parse_search(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        if from_response(response.status, getattr(response, "text", ""))[0] != OK:
            yield from super().parse_search(response)  # the base says why the search failed
            return
        meta = response.meta
        business = self.businesses[meta["business_id"]]
        scored = rank_candidates(business, self.results(response))
        self.crawler.stats.inc_value(f"napaudit/source/{self.name}/searches")
        sure = [v for score, _, v in scored if score >= THRESHOLD and shows_enough(v)]
        if len(sure) > 1:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/duplicates")
        for values in sure[: self.follow_at_most]:
            target = Target(meta["business_id"], self.name, values["url"])
            yield self.listing_request(target, searched=meta["searched"], card=values)
        if sure:
            return
        to_confirm = self.worth_confirming(business, [v for _, _, v in scored])
        reason = self.not_found_reason(meta["searched"], scored)
        if to_confirm:
            chain = {"queue": to_confirm, "confirmed": 0, "checked": [], "not_found": reason,
                     "search_url": response.url}  # fmt: skip
            yield self.confirm_request(meta["business_id"], meta["searched"], chain)
            return
        yield self.search_listing(meta["business_id"], response.url, NOT_FOUND, reason)

    def worth_confirming(self, business: Normalized, cards: list[dict]) -> list[dict]:
        """The cards too thin to score that could be the business, best first: each scored as
        if it stood in the searched place when it names no place."""
        record = business.record
        here = {"city": record.city, "state": record.state}
        scored = []
        for card in cards:
            if shows_enough(card):
                continue
            names_place = any(card.get(k) for k in ("city", "state", "zip"))
            placed = card if names_place else card | here
            score = rank_candidates(business, [placed])[0][0]
            if score >= (THRESHOLD if names_place else WORTH_CONFIRMING):
                scored.append((score, card))
        scored.sort(key=lambda s: -s[0])
        return [card for _, card in scored[: self.confirm_at_most]]

    def confirm_request(self, business_id: str, searched: str, chain: dict) -> scrapy.Request:
        card, queue = chain["queue"][0], chain["queue"][1:]
        request = self.listing_request(Target(business_id, self.name, card["url"]),
                                       searched=searched, card=card,
                                       chain={**chain, "queue": queue})  # fmt: skip
        return request.replace(callback=self.parse_confirm, errback=self.confirm_failed)

    def parse_confirm(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        """A thin card's page: stored when it shows the business, else noted; then the next."""
        chain, card = dict(response.meta["chain"]), response.meta["card"]
        listing = next(iter(self.parse_listing(response)))
        business = self.businesses[listing.business_id]
        best = rank_candidates(business, listing.found)[0] if listing.found else None
        stats = f"napaudit/source/{self.name}/confirm"
        if listing.outcome == OK and best and best[0] >= THRESHOLD:
            self.crawler.stats.inc_value(f"{stats}/confirmed")
            chain["confirmed"] += 1
            yield listing
        elif listing.outcome not in (OK, NOT_FOUND) and not chain["confirmed"]:
            # a wall or a failure: "not checked", saying the card could not be confirmed
            self.crawler.stats.inc_value(f"{stats}/{listing.outcome}")
            listing.reason += f"; {_UNTOLD.format(name=card['name'])}"
            yield listing
            return
        else:
            self.crawler.stats.inc_value(f"{stats}/other")
            shown = f"score {best[0]:.2f}" if best else listing.reason or "no business"
            chain["checked"] = [*chain["checked"], f"'{card['name']}' ({shown})"]
        if chain["queue"]:
            yield self.confirm_request(listing.business_id, listing.searched, chain)
        elif not chain["confirmed"]:
            checked = ", ".join(chain["checked"])
            reason = f"{chain['not_found']}; pages of cards showing too little, checked: {checked}"
            yield self.search_listing(listing.business_id, chain["search_url"], NOT_FOUND,
                                      reason)  # fmt: skip

    def confirm_failed(self, failure: Failure) -> Iterator[Listing | scrapy.Request]:
        """A thin card's page that never came: "not checked" unless a page already confirmed
        the business (then the next card is tried)."""
        meta = failure.request.meta
        chain = meta["chain"]
        if chain["confirmed"]:
            if chain["queue"]:
                yield self.confirm_request(meta["target"].business_id, meta["searched"], chain)
            return
        for listing in self.failed(failure):
            listing.reason += f"; {_UNTOLD.format(name=meta['card']['name'])}"
            yield listing

    def not_found_reason(self, searched: str, scored: list) -> str:
        """Results and ads counted apart; the closest is a result, not an ad."""
        results = [s for s in scored if not s[2].get("sponsored")]
        ads = len(scored) - len(results)
        reason = super().not_found_reason(searched, results)
        return reason + (f" ({ads} ad{'' if ads == 1 else 's'} left aside)" if ads else "")

    # --- the listing page ---------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Listing]:
        """The page as extract() reads it, completed by what the source declares on its pages
        (`page_fields`) and by what the card followed showed and the page does not."""
        for listing in super().parse_listing(response):
            if listing.outcome == OK and listing.found:
                self.complete(listing.found[0], response, response.meta.get("card") or {})
            yield listing

    def complete(self, found: dict, response: Response, card: dict) -> None:
        method = found.setdefault("method", {})
        for name, selector in self.page_fields.items():
            value = read(response.selector, selector, name)
            if name == "website" and value:
                value = link(value, response.url)
            if value:
                found[name], method[name] = value, f"page:{self.name}"
        if not card or not same_name(found.get("name", ""), card.get("name", "")):
            return
        fill = [f for f in ("phone", "website", "status") if not found.get(f)]
        if not any(found.get(k) for k in PLACE):
            fill += list(PLACE)
        for name in fill:
            if card.get(name):
                found[name], method[name] = card[name], f"search-card:{self.name}"


# --- reading ----------------------------------------------------------------------------------


def _select(root: Selector | Response, selector: str) -> SelectorList:
    if not selector:
        return SelectorList([])
    if selector.startswith(("/", "./", "(")):
        return root.xpath(selector)
    return root.css(selector)


def read(root: Selector, selector: Field, name: str = "") -> str:
    """What a person reads in the first match of `selector` (see the module's doc)."""
    if callable(selector):
        return squash(selector(root))
    matches = _select(root, selector)
    if not matches:
        return ""
    first = matches[0]
    if isinstance(first.root, str):  # ::attr(), ::text or an XPath to text
        return squash(first.root)
    lines = [squash(line) for line in html_text.selector_to_text(first).splitlines()]
    lines = [line for line in lines if line]
    if name == "phone":
        return next((phone for line in lines if (phone := find_phone(line))), "")
    if name == "locality":  # a phone line is never part of an address
        return ", ".join(line for line in lines if not find_phone(line))
    return " ".join(lines)


def split_locality(text: str) -> dict[str, str]:
    """A card's place line as street, city, state and ZIP: "street, City, ST 12345", and also
    "City, ST" with no ZIP, which split_address keeps whole as a street."""
    place = split_address(text)
    if any(place.get(k) for k in ("city", "state", "zip")) or not text:
        return place
    try:
        tagged, _ = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return {}
    parts = {k: tagged.get(label, "") for k, label in _PLACE_LABELS.items()}
    street = " ".join(v for label, v in tagged.items() if label not in _NOT_STREET)
    if any(c.isdigit() for c in street):  # a name or a neighbourhood is no street
        parts["address"] = street
    return {k: squash(v).strip(" ,") for k, v in parts.items() if v}


@lru_cache(maxsize=4096)
def find_phone(text: str) -> str:
    """The first phone number in the text, as written ("Call (503) 555-0111" -> the number);
    a ZIP+4 or a street number is none."""
    if sum(c.isdigit() for c in text) < 7:  # no number to find: skip the matcher (~1 ms)
        return ""
    found = phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE)
    return next((match.raw_string for match in found), "")


def closed_badge(card: Selector) -> str:
    """A short line of the card saying the business closed, as written."""
    lines = (squash(line) for line in html_text.selector_to_text(card).splitlines())
    return next((line for line in lines if len(line) <= _BADGE and _CLOSED.search(line)), "")


def link(href: str, base_url: str, keep_query: bool = True) -> str:
    """The absolute URL a link leads to, out of its redirect wrappers."""
    href = squash(href)
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return ""
    url = urljoin(base_url, href)
    for _ in range(3):  # a wrapper inside a wrapper, at most
        parts = urlsplit(url)
        if "redir" not in parts.path.rsplit("/", 1)[-1].lower():
            break
        query = parse_qs(parts.query)
        target = next((query[p][0] for p in _REDIRECT_PARAMS if query.get(p)), "")
        if not target:
            break
        url = urljoin(url, target)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):  # a wrapper may hide javascript: or data:
        return ""
    return url if keep_query else urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def shows_enough(card: dict) -> bool:
    """A phone or a street: enough for a score to tell the business from a namesake."""
    return bool(card.get("phone") or card.get("address"))


def same_name(a: str, b: str) -> bool:
    """The card and the page name one business (the same or nearly the same name)."""
    if not (a and b):
        return False
    return bool(fuzz.token_set_ratio(a, b, processor=_folded, score_cutoff=_SAME_NAME))


def _folded(text: str) -> str:
    return squash(text).casefold()
