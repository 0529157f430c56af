"""Phone numbers in a page's text: phonenumbers' matcher, minus what only looks like a number.

A number labelled as a fax is never the phone; a number labelled phone/tel/call is preferred.
Digits that form an IP address ("Your IP: 194.195.90.229" in a Cloudflare footer), a date
("Updated 2025-03-14") or an identifier ("Order #", "Ray ID", "Ref.") are never a phone, however
valid the matcher finds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers
from lxml import etree
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.page import Page

REGION = "US"  # the pages are mostly US: numbers without a country code are read as US numbers

_FAX_BEFORE = re.compile(r"(?i)(?:\bfax|(?:^|[\s|,(])f)\b\s*(?:#|no\.?|number)?\s*[:.]?[\s\-]*$")
# "702-643-6149 (fax)" or "702-643-6149 fax", but not "217-555-0142 Fax: 217-555-0143", where
# the label belongs to the next number.
_FAX_AFTER = re.compile(
    r"(?i)^\s*(?:[(\[]\s*(?:fax|f)\b|(?:fax|f)\b(?!\s*(?:#|no\.?|number)?\s*[:.]?\s*[+(\d]))"
)
_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:phone|telephone|tel|call|ph|p|t|main|office|toll[\s-]?free|local|voice)\b"
    r"[^0-9\n]{0,14}$"
)
_PHONE_AFTER = re.compile(r"(?i)^\s*[(\[]?\s*(?:phone|tel|main|office|toll[\s-]?free)\b")
# Digits run together with dots, dashes, slashes and colons: the whole token a match sits in.
_TOKEN_CHARS = "0123456789./-:"
_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?")
_DATE = re.compile(
    r"(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    r"|(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y2>\d{2}|\d{4}))(?:[-/]\d.*)?"
)
# What an identifier is called right before its digits: "Order #", "Ray ID:", "Ref. no."
_ID_BEFORE = re.compile(
    r"(?i)\b(?:order|invoice|ref|reference|ticket|case|confirmation|tracking|id|ip|version|"
    r"serial|sku|item|model|account|license|licence|lic|permit|policy|reg|registration|isbn)"
    r"\b\s*(?:#|no\.?|number|address)?\s*[:.#]?\s*$"
)


# A number spelled with letters ("1-800-FLOWERS", "(212) NEW-YORK"), which phonenumbers' matcher
# does not look for: an area code, then seven letters or digits, at least two of them letters.
_VANITY = re.compile(
    r"(?<![\w+-])(?:\+?1[\s.-]?)?\(?[2-9]\d\d\)?[\s.-]?"
    r"(?=(?:[0-9\s.-]*[A-Z]){2})[A-Z0-9]{3}[\s.-]?[A-Z0-9]{4}(?![\w-])"
)


@dataclass
class PhoneHit:
    raw: str
    line: int  # index of the line it is on; -1 when not known (a tel: link's href only)
    labelled: bool  # called a phone (Phone:, Tel, Call, P:) by the text around it
    method: str


def numbers(text: str, region: str = REGION) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """phonenumbers' matches in `text` that are not an IP address, a date or an identifier."""
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        if not _not_a_phone(text, match.start, match.end):
            yield match


def _not_a_phone(text: str, start: int, end: int) -> bool:
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    while end < len(text) and text[end] in _TOKEN_CHARS:
        end += 1
    token = text[start:end].strip("./-:")
    if _IPV4.fullmatch(token) or _is_date(token):
        return True
    return bool(_ID_BEFORE.search(text[max(0, start - 24) : start]))


def _is_date(token: str) -> bool:
    m = _DATE.fullmatch(token)
    if not m:
        return False
    if m["y1"]:
        month, day = int(m["m1"]), int(m["d1"])
    else:  # 03/14/2025 (US) or 14.03.2025: either order is a date when both fit
        month, day = sorted((int(m["a"]), int(m["b"])))
    return 1 <= month <= 12 and 1 <= day <= 31


def phones(page: Page, region: str = REGION) -> list[PhoneHit]:
    """Every phone number on the page that is not labelled as a fax, tel: links first; numbers
    without a country code are read as `region`'s."""
    hits = _tel_links(page)
    text = "\n".join(page.lines)
    starts = [0]
    for line in page.lines:
        starts.append(starts[-1] + len(line) + 1)
    line = 0
    found = [(m.start, m.end, m.raw_string) for m in numbers(text, region)]
    if region == REGION:
        found += _spelled(text, {_digits(raw) for _, _, raw in found})
    for start, end, raw in found:
        while starts[line + 1] <= start:
            line += 1
        before = text[max(0, start - 24) : start]
        if start == starts[line] and line > 0:  # a label alone on the line above
            before = page.lines[line - 1][-24:]
        after = text[end : end + 12].split("\n", 1)[0]
        if _FAX_BEFORE.search(before) or _FAX_AFTER.match(after):
            continue
        labelled = bool(_PHONE_BEFORE.search(before) or _PHONE_AFTER.match(after))
        method = "footer" if page.zones[line] == "footer" else "text"
        hits.append(PhoneHit(_balanced(raw), line, labelled, method))
    return hits


def _spelled(text: str, shown: set[str]) -> list[tuple[int, int, str]]:
    """Numbers spelled with letters that are valid once dialled, unless the page also shows them
    in digits ("1-888-WEB-CLUB (1-888-932-2582)"): the digits are then the number."""
    found = []
    for m in _VANITY.finditer(text):
        dialled = phonenumbers.convert_alpha_characters_in_number(m.group())
        if _digits(dialled) not in shown and _parses(dialled):
            if not _not_a_phone(text, m.start(), m.end()):
                found.append((m.start(), m.end(), m.group()))
    return found


def _digits(raw: str) -> str:
    return re.sub(r"\D", "", raw)[-10:]


def _balanced(raw: str) -> str:
    """'(1-888-932-2582' -> '1-888-932-2582': the matcher can take an unpaired parenthesis."""
    raw = squash(raw)
    if raw.startswith("(") and ")" not in raw:
        raw = raw[1:]
    if raw.endswith(")") and "(" not in raw:
        raw = raw[:-1]
    return raw.strip()


_TEL_LINKS = etree.XPath("//a[starts-with(translate(@href, 'TEL', 'tel'), 'tel:')]")


def _tel_links(page: Page) -> list[PhoneHit]:
    if page.root is None:
        return []
    hits = []
    for link in _TEL_LINKS(page.root):
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
