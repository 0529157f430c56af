"""Which link is the business's own website and which is its detail page on a list.

Sites are compared by registered domain (tldextract): "m.yelp.com" and "www.yelp.com" are one
site, "quickfix.com" is not "x.com". On a list page, a link on the list's own site (the page's
site, or a site most listings share when the page URL is not known) is the listing's detail page
(`url`), not its website. On a single-business page `url` stays empty, and a website equal to the
page itself is dropped unless the host carries the business's name: it is then the business's
own site, whose origin is also the website when nothing else names one.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import tldextract
from napaudit.auditor.normalize.text import words
from napaudit.spiders.extract.model import Business
from napaudit.spiders.extract.page import Page

# Words too common in business names to tie a name to a host by themselves.
_COMMON = frozenset("inc llc ltd corp company group services service the and of".split())

# Public Suffix List snapshot bundled with tldextract: no download, ever (a crawl must not fetch
# the list, and a test must not touch the network).
_DOMAINS = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
# Profiles and platforms a page links beside the business's own site: never its website. Named
# by registered domain, whatever the country suffix (yelp.ca, google.co.uk), so that a business
# whose own domain merely contains one ("quickfix.com" holds "x.com") is not taken for it.
_PLATFORMS = frozenset(
    """facebook twitter instagram linkedin youtube yelp wikipedia wikidata pinterest tiktok
    foursquare tripadvisor google threads nextdoor tumblr snapchat vimeo""".split()
)
_PLATFORM_DOMAINS = frozenset({"x.com", "fb.com", "fb.me", "youtu.be", "goo.gl", "g.page"})


def is_social(url: str) -> bool:
    parts = _DOMAINS(host(url))
    return parts.domain in _PLATFORMS or parts.top_domain_under_public_suffix in _PLATFORM_DOMAINS


def host(url: str) -> str:
    netloc = urlsplit(url if "//" in url else f"//{url}").netloc.lower()
    return netloc.split("@")[-1].split(":")[0].removeprefix("www.")


def site(url: str) -> str:
    """The registered domain of a URL ("shop.acme.co.uk" -> "acme.co.uk"), or its host when it
    has none (an IP address, localhost)."""
    name = host(url)
    return _DOMAINS(name).top_domain_under_public_suffix or name


def place_links(found: list[Business], page: Page, listing: bool) -> None:
    page_url = page.url or page.base_url
    page_host = host(page_url) if page_url else ""
    if listing:
        page_site = site(page_url) if page_url else ""
        shared = Counter(site(b.website) for b in found if b.website)
        list_sites = {h for h, n in shared.items() if n >= 2 and n * 2 >= len(found)}
        list_sites |= {page_site} - {""}
        for business in found:
            if business.website and site(business.website) in list_sites:
                business.set(
                    "url",
                    page.absolute(business.website) or business.website,
                    business.method.get("website", ""),
                )
                _clear(business, "website")
        return
    # Each test is made only when its answer matters (registered domains, the name in the host
    # and the canonical URL cost more than the rest of a page's links; bench/extract.py times it).
    page_site = None  # the page's registered domain, once a business carries a url
    for business in found:
        if business.url and not business.website:
            if page_site is None:
                page_site = site(page_url) if page_url else ""
            if site(business.url) != page_site:
                business.set("website", business.url, business.method.get("url", ""))
        _clear(business, "url")
        if business.website and _same_page(business.website, page_url):
            own_site = bool(page_host) and name_in_host(business.name, page_host)
            if not own_site:
                _clear(business, "website")
    # A page saved to a file or served from a copy still names its own site in its canonical URL.
    if len(found) == 1 and not found[0].website:
        own = page.canonical or page_url
        if name_in_host(found[0].name, host(own)):
            parts = urlsplit(own)
            found[0].set("website", f"{parts.scheme}://{parts.netloc}", "page-url")


def _clear(business: Business, field: str) -> None:
    setattr(business, field, "")
    business.method.pop(field, None)


def _same_page(a: str, b: str) -> bool:
    return bool(b) and a.split("#")[0].rstrip("/") == b.split("#")[0].rstrip("/")


def name_in_host(name: str, host_name: str, whole: bool = False) -> bool:
    """'Harbor Lane Dental Inc' and harborlanedental.com: the host spells the name (`whole`), or
    a distinctive word of it."""
    parts = _DOMAINS(host_name)
    labels = [label for label in [*parts.subdomain.split("."), parts.domain] if label != "www"]
    name_words = [w for w in words(name) if w not in _COMMON]
    compact = "".join(name_words)
    for label in labels:
        label = label.replace("-", "")
        if len(label) >= 3 and (label in compact or compact and compact in label):
            return True
        if not whole and any(len(w) >= 4 and w in label for w in name_words):
            return True
    return False
