"""The business a page's plain text shows: phones (tel: links and phonenumbers' matcher), the
postal address, opening hours, and the name (see names.py).

Text is read as lines (page.py). A number labelled as a fax is never the phone; a number labelled
phone/tel/call, or written near the address, is preferred over others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers
from napaudit.auditor.normalize.hours import normalize_hours
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.addresses import Found, find_addresses, street_lines
from napaudit.spiders.extract.links import host, is_social
from napaudit.spiders.extract.model import Business, street_key
from napaudit.spiders.extract.names import best_name
from napaudit.spiders.extract.page import Page

REGION = "US"  # the pages are mostly US: numbers without a country code are read as US numbers

_FAX_BEFORE = re.compile(r"(?i)(?:\bfax|(?:^|[\s|,(])f)\b\s*(?:#|no\.?|number)?\s*[:.]?[\s\-]*$")
_FAX_AFTER = re.compile(r"(?i)^\s*[(\[]?\s*(?:fax|f)\b")
_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:phone|telephone|tel|call|ph|p|t|main|office|toll[\s-]?free|local|voice)\b"
    r"[^0-9\n]{0,14}$"
)
_PHONE_AFTER = re.compile(r"(?i)^\s*[(\[]?\s*(?:phone|tel|main|office|toll[\s-]?free)\b")
# A page that says its listing or page is gone ("This listing has been removed", "Page not
# found"): its footer's phone is the site's, not a business's.
_GONE = re.compile(
    r"(?i)\b(?:404|not found|no longer (?:listed|available|exists?)|(?:has been|was) removed|"
    r"listing removed|(?:does not|doesn't) exist)\b"
)
_WEBSITE_TEXT = re.compile(r"(?i)(?:visit\s+)?(?:our\s+)?(?:web\s?site|home\s?page)")
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}")
_HOURS_LABEL = re.compile(r"(?i)\b(?:hours|open)\b")
_EXPLICIT_HOURS_LABEL = re.compile(r"(?i)^\s*(?:business\s+|opening\s+|store\s+)?hours\s*:\s*\S")
_DAY = re.compile(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun|daily|every\s?day|weekdays|7 days)")
_TIME = re.compile(r"(?i)\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\bnoon\b|24 hours")


@dataclass
class PhoneHit:
    raw: str
    line: int  # index of the line it is on; -1 when not known (a tel: link's href only)
    labelled: bool  # called a phone (Phone:, Tel, Call, P:) by the text around it
    method: str


def phones(page: Page, region: str = REGION) -> list[PhoneHit]:
    """Every phone number on the page that is not labelled as a fax, tel: links first; numbers
    without a country code are read as `region`'s."""
    hits = _tel_links(page)
    text = "\n".join(page.lines)
    starts = [0]
    for line in page.lines:
        starts.append(starts[-1] + len(line) + 1)
    line = 0
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        while starts[line + 1] <= match.start:
            line += 1
        before = text[max(0, match.start - 24) : match.start]
        if match.start == starts[line] and line > 0:  # a label alone on the line above
            before = page.lines[line - 1][-24:]
        after = text[match.end : match.end + 12].split("\n", 1)[0]
        if _FAX_BEFORE.search(before) or _FAX_AFTER.match(after):
            continue
        labelled = bool(_PHONE_BEFORE.search(before) or _PHONE_AFTER.match(after))
        method = "footer" if page.zones[line] == "footer" else "text"
        hits.append(PhoneHit(_balanced(match.raw_string), line, labelled, method))
    return hits


def _balanced(raw: str) -> str:
    """'(1-888-932-2582' -> '1-888-932-2582': the matcher can take an unpaired parenthesis."""
    raw = squash(raw)
    if raw.startswith("(") and ")" not in raw:
        raw = raw[1:]
    if raw.endswith(")") and "(" not in raw:
        raw = raw[:-1]
    return raw.strip()


def _tel_links(page: Page) -> list[PhoneHit]:
    if page.root is None:
        return []
    hits = []
    for link in page.root.xpath("//a[starts-with(translate(@href, 'TEL', 'tel'), 'tel:')]"):
        shown = squash(link.text_content())
        number = shown if len(re.findall(r"\d", shown)) >= 7 else unquote(link.get("href")[4:])
        if _parses(number):
            line = next((i for i, text in enumerate(page.lines) if shown and shown in text), -1)
            hits.append(PhoneHit(squash(number), line, True, "tel-link"))
    return hits


def _parses(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, REGION))
    except phonenumbers.NumberParseException:
        return False


def best_phone(hits: list[PhoneHit], near: tuple[int, int] | None) -> PhoneHit | None:
    """Near the address first (from two lines above its street to six below its city line),
    then labelled ones, then tel: links, then the first on the page."""

    def rank(hit: PhoneHit) -> tuple:
        close = near is not None and near[0] - 2 <= hit.line <= near[1] + 6
        return (not close, not hit.labelled, hit.method != "tel-link")

    return min(hits, key=rank, default=None)


def best_address(found: list[Found], zones: list[str], hits: list[PhoneHit]) -> Found | None:
    """The page's own address among those found: in an <address> or contact block, repeated,
    complete, near a phone; page order breaks ties."""
    counts: dict[str, int] = {}
    for f in found:
        counts[street_key(f.address)] = counts.get(street_key(f.address), 0) + 1

    def score(f: Found) -> int:
        zone = {"address-tag": 3, "contact": 2, "footer": 1}.get(zones[f.line], 0)
        us = bool(re.fullmatch(r"\d{5}(?:-\d{4})?", f.zip))  # the pages are mostly US
        phone_near = any(f.street_line - 2 <= h.line <= f.line + 6 for h in hits)
        repeated = min(counts[street_key(f.address)], 3) - 1 if f.address else 0
        return zone + repeated + 2 * bool(f.address) + bool(f.city) + phone_near + us

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
    own = host(page.url or page.base_url)
    for link in page.root.iter("a"):
        href = page.absolute(link.get("href") or "")
        target = host(href) if href.startswith(("http://", "https://")) else ""
        if not target or target == own or is_social(href):
            continue
        shown = squash(link.text_content())
        before = link.getprevious() if link.getprevious() is not None else link.getparent()
        label = squash(before.tail if before is link.getprevious() else before.text)
        if (
            host(shown) == target
            or _WEBSITE_TEXT.fullmatch(shown)
            or re.search(r"(?i)web\s?site:?$", label)
        ):
            return href
    return ""


def shows_no_business(page: Page) -> bool:
    """The page's title or first heading says the page or the listing is gone."""
    if page.root is None:
        return True
    heading = page.root.xpath("string((//h1)[1])")
    return any(_GONE.search(squash(text)) for text in (page.root.xpath("string(//title)"), heading))


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
            hits = phones(page, "GB")  # a UK address: "0844 984 0261" is a UK number there
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
