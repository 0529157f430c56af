"""Which link is the business's own website and which is its detail page on a list.

On a list page, a link on the list's own site (the page's host, or a host most listings share
when the page URL is not known) is the listing's detail page (`url`), not its website. On a
single-business page `url` stays empty, and a website equal to the page itself is dropped unless
the host carries the business's name: it is then the business's own site, whose origin is also
the website when nothing else names one.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from napaudit.auditor.normalize.text import words
from napaudit.spiders.extract.model import Business
from napaudit.spiders.extract.page import Page

# Words too common in business names to tie a name to a host by themselves.
_COMMON = frozenset("inc llc ltd corp company group services service the and of".split())


# Profiles a page links beside the business's own site: never its website.
_SOCIAL = tuple(
    "facebook. twitter. x.com instagram. linkedin. youtube. yelp. wikipedia. wikidata. "
    "pinterest. tiktok. foursquare. tripadvisor. google.".split()
)


def is_social(url: str) -> bool:
    return any(social in host(url) for social in _SOCIAL)


def host(url: str) -> str:
    netloc = urlsplit(url if "//" in url else f"//{url}").netloc.lower()
    return netloc.split("@")[-1].split(":")[0].removeprefix("www.")


def place_links(found: list[Business], page: Page, listing: bool) -> None:
    page_url = page.url or page.base_url
    page_host = host(page_url) if page_url else ""
    if listing:
        shared = Counter(host(b.website) for b in found if b.website)
        list_hosts = {h for h, n in shared.items() if n >= 2 and n * 2 >= len(found)}
        list_hosts |= {page_host} - {""}
        for business in found:
            if business.website and host(business.website) in list_hosts:
                business.set(
                    "url",
                    page.absolute(business.website) or business.website,
                    business.method.get("website", ""),
                )
                _clear(business, "website")
        return
    for business in found:
        if business.url and not business.website and host(business.url) != page_host:
            business.set("website", business.url, business.method.get("url", ""))
        _clear(business, "url")
        own_site = bool(page_host) and name_in_host(business.name, page_host)
        if business.website and _same_page(business.website, page_url) and not own_site:
            _clear(business, "website")
    # A page saved to a file or served from a copy still names its own site in its canonical URL.
    site = page.canonical or page_url
    if len(found) == 1 and not found[0].website and name_in_host(found[0].name, host(site)):
        parts = urlsplit(site)
        found[0].set("website", f"{parts.scheme}://{parts.netloc}", "page-url")


def _clear(business: Business, field: str) -> None:
    setattr(business, field, "")
    business.method.pop(field, None)


def _same_page(a: str, b: str) -> bool:
    return bool(b) and a.split("#")[0].rstrip("/") == b.split("#")[0].rstrip("/")


def name_in_host(name: str, host_name: str) -> bool:
    """'Basic Food Flavors Inc' and basicfoodflavors.com: the host spells the name, or a
    distinctive word of it."""
    labels = [label for label in host_name.split(".")[:-1] if label not in ("www", "com", "co")]
    name_words = [w for w in words(name) if w not in _COMMON]
    compact = "".join(name_words)
    for label in labels:
        label = label.replace("-", "")
        if len(label) >= 3 and (label in compact or compact and compact in label):
            return True
        if any(len(w) >= 4 and w in label for w in name_words):
            return True
    return False
