"""The business a page's plain text shows: phones (see phones.py), the postal address, opening
hours, and the name (see names.py).

Text is read as lines (page.py). A number written near the address is preferred over others.
"""

from __future__ import annotations

import re

from napaudit.auditor.normalize.hours import normalize_hours
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.addresses import Found, find_addresses, street_lines
from napaudit.spiders.extract.links import is_social, site
from napaudit.spiders.extract.model import Business, street_key
from napaudit.spiders.extract.names import best_name
from napaudit.spiders.extract.page import Page
from napaudit.spiders.extract.phones import PhoneHit, best_phone, phones

# A page that says its listing or page is gone ("This listing has been removed", "Page not
# found"): its footer's phone is the site's, not a business's.
# "404" alone or beside "error"/"page", not as a number in a name ("404 Main Street Cafe").
_GONE = re.compile(
    r"(?i)^\s*404\s*$|\b(?:error\s*404|404\s*(?:error|page)|not found|no longer (?:listed|"
    r"available|exists?)|(?:has been|was) removed|listing removed|(?:does not|doesn't) exist)\b"
)
_PO_BOX = re.compile(r"(?i)\s*(?:p\.?\s*o\.?\s*box|post\s+office\s+box|box\s+\d)")
_WEBSITE_TEXT = re.compile(r"(?i)(?:visit\s+)?(?:our\s+)?(?:web\s?site|home\s?page)")
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}")
_HOURS_LABEL = re.compile(r"(?i)\b(?:hours|open)\b")
_EXPLICIT_HOURS_LABEL = re.compile(r"(?i)^\s*(?:business\s+|opening\s+|store\s+)?hours\s*:\s*\S")
_DAY = re.compile(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun|daily|every\s?day|weekdays|7 days)")
_TIME = re.compile(r"(?i)\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\bnoon\b|24 hours")


def best_address(found: list[Found], zones: list[str], hits: list[PhoneHit]) -> Found | None:
    """The page's own address among those found: in an <address> or contact block, repeated,
    complete, near a phone, a place rather than a post office box; page order breaks ties."""
    counts: dict[str, int] = {}
    for f in found:
        counts[street_key(f.address)] = counts.get(street_key(f.address), 0) + 1

    def score(f: Found) -> int:
        zone = {"address-tag": 3, "contact": 2, "footer": 1}.get(zones[f.line], 0)
        us = bool(re.fullmatch(r"\d{5}(?:-\d{4})?", f.zip))  # the pages are mostly US
        phone_near = any(f.street_line - 2 <= h.line <= f.line + 6 for h in hits)
        repeated = min(counts[street_key(f.address)], 3) - 1 if f.address else 0
        place = bool(f.address) and not _PO_BOX.match(f.address)
        return zone + repeated + 2 * bool(f.address) + bool(f.city) + phone_near + us + place

    return max(found, key=score, default=None)  # max keeps the first of equals


def hours_text(lines: list[str]) -> str:
    """Opening hours as the page shows them: the lines after an 'Hours'/'Open' label (a day
    alone on its line is joined to the times on the next, as a table's cells are), or a line
    naming days and times; kept when the hours normalizer understands them. Failing that, what
    an explicit 'Hours:' label says, as written: the listing shows it, readable or not."""
    labelled = ""
    for i, line in enumerate(lines):
        if not _HOURS_LABEL.search(line) or len(line) > 120:
            continue
        label_rest = line.split(":", 1)[1].strip() if ":" in line else ""
        if label_rest and not labelled and _EXPLICIT_HOURS_LABEL.match(line):
            labelled = label_rest
        candidates = [label_rest] if label_rest else []
        candidates.append(_hours_block(lines[i + 1 : i + 15]))
        for text in candidates:
            if _is_hours(text):
                return text
    found = next((line for line in lines if len(line) < 80 and _is_hours(line)), "")
    return found or labelled


def _hours_block(lines: list[str]) -> str:
    """The hours lines at the top of `lines`: times, days followed by times, 'Closed ...'."""
    rows: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _HOURS_LABEL.search(line) or len(line) > 80:
            break
        if _time_or_closed(line):
            if rows and rows[-1].endswith("\t"):  # the day on the line before
                rows[-1] = rows[-1][:-1] + " " + line
            else:
                rows.append(line)
        elif _DAY.search(line) and not _DAY.search(following) and _time_or_closed(following):
            rows.append(line + "\t")
        else:
            break
    return "; ".join(rows)


def _time_or_closed(line: str) -> bool:
    return bool(_TIME.search(line) or re.search(r"(?i)\bclosed\b", line))


def _is_hours(text: str) -> bool:
    """Days and times the hours normalizer understands: 'Mon-Fri 9am-5pm', not '24/7 service'."""
    return bool(_DAY.search(text) and _TIME.search(text)) and normalize_hours(text).week is not None


def website_link(page: Page) -> str:
    """The business's own site as a plain page links it: a link to another host whose text is
    that host ("redlantern.example") or says website ("Website", "Visit our website"), or
    follows a "Website:" label."""
    if page.root is None:
        return ""
    own = site(page.url or page.base_url)
    for link in page.root.iter("a"):
        href = page.absolute(link.get("href") or "")
        target = site(href) if href.startswith(("http://", "https://")) else ""
        if not target or target == own or is_social(href):
            continue
        shown = squash(link.text_content())
        before = link.getprevious() if link.getprevious() is not None else link.getparent()
        label = squash(before.tail if before is link.getprevious() else before.text)
        if (
            site(shown) == target
            or _WEBSITE_TEXT.fullmatch(shown)
            or re.search(r"(?i)web\s?site:?$", label)
        ):
            return href
    return ""


def shows_no_business(page: Page) -> bool:
    """The page's title or first heading says the page or the listing is gone."""
    if page.root is None:
        return True
    return any(_GONE.search(squash(text)) for text in (page.title, page.first_heading))


def text_business(page: Page) -> Business:
    """The one business the page's text describes (fields it cannot find are left empty): one
    with a phone or an address, or a name that two kinds of source agree on."""
    business = Business()
    lines, zones = page.lines, page.zones
    hits = phones(page)
    address = best_address(find_addresses(lines) or street_lines(lines), zones, hits)
    if address:
        method = {"address-tag": "address-tag", "footer": "footer"}.get(zones[address.line], "text")
        for name in ("address", "city", "state", "zip", "country"):
            business.set(name, getattr(address, name), method)
        if _UK_POSTCODE.fullmatch(address.zip):
            hits = phones(page, "GB")  # a UK address: "0844 477 1000" is a UK number there
    near = (address.street_line, address.line) if address else None
    phone = best_phone(hits, near)
    if phone:
        business.set("phone", phone.raw, phone.method)
    name, method, repeated = best_name(page, address.street_line if address else None)
    if not (business.phone or business.address or business.city or repeated):
        return Business()  # a title alone ("Just a moment...") names no business
    business.set("name", name, method)
    business.set("hours", hours_text(lines), "text")
    business.set("website", website_link(page), "text")
    return business
