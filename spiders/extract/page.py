"""The parsed page: decoding, one lxml tree, and the visible text as lines with their zones.

Every method reads the same `Page`, so the HTML is decoded and parsed once. Lines are the unit
the text methods work on: a block element or a <br> ends a line, as a browser would break it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from napaudit.auditor.normalize.text import squash

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Text a visitor never reads as the business's details: code, form fields (a state <select>
# lists all fifty states), and embedded media. A <button> is read: "Call (217) 555-0142" is often
# one. Elements styled display:none are kept: drop-down menus are hidden until hovered, and a
# menu may hold the only address on the page.
_SKIP = frozenset(
    "script style noscript template head title select option textarea svg iframe object map".split()
)
_BLOCKS = frozenset(
    "address article aside blockquote body button center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody td "
    "tfoot th thead tr ul".split()
)


def decode(html: str | bytes) -> str:
    """Text of the page: a BOM, then a <meta charset>, then UTF-8, then Windows-1252."""
    if isinstance(html, str):
        text = html
    elif html.startswith(b"\xef\xbb\xbf"):
        text = html[3:].decode("utf-8", "replace")
    else:
        text = _decode_bytes(html)
    # lxml refuses a str that declares its own encoding
    return _XML_DECLARATION.sub("", text, count=1)


def _decode_bytes(data: bytes) -> str:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        # browsers read Latin-1 and ASCII labels as Windows-1252 (the WHATWG encoding standard)
        name = (
            "cp1252" if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else name
        )
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# Comments are dropped at parse time: lxml's iterwalk never reports them, so their tails (visible
# text) would be lost on the walk. huge_tree: libxml2 otherwise cuts a text node at 10 MB, and a
# directory's JSON-LD script of 100,000 listings is larger (the businesses kept are capped later).
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


def parse(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):  # empty or whitespace-only documents
        return None


def classes(el: etree._Element) -> str:
    """id and class of an element, lower-cased, for 'does it mention contact' tests."""
    return f"{el.get('id') or ''} {el.get('class') or ''}".lower()


def zone_of(el: etree._Element, tag: str) -> str:
    """The kind of block an element is, for the text inside it: where a business's own details
    usually sit. '' for an ordinary element (it inherits its parent's zone)."""
    if tag == "address":
        return "address-tag"
    names = classes(el)
    if tag == "footer" or "footer" in names:
        return "footer"
    if any(word in names for word in ("contact", "address", "location", "vcard")):
        return "contact"
    return ""


def text_lines(root: etree._Element) -> tuple[list[str], list[str]]:
    """The visible text under `root`, one squashed line per block or <br> (empty lines dropped),
    and beside each line the zone (see zone_of) it starts in."""
    lines: list[str] = []
    zones: list[str] = []
    buffer: list[str] = []
    zone_stack = [""]
    line_zone = ""

    def add(text: str | None) -> None:
        nonlocal line_zone
        if text:
            if not buffer or not "".join(buffer).strip():
                line_zone = zone_stack[-1]
            buffer.append(text)

    def flush() -> None:
        line = squash("".join(buffer))
        buffer.clear()
        if line:
            lines.append(line)
            zones.append(line_zone)

    # iterwalk, not recursion: unclosed tags on real pages nest deeper than Python's stack allows
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            zone_stack.append(zone_of(el, tag) or zone_stack[-1] if tag else zone_stack[-1])
            if not tag or tag in _SKIP:
                walker.skip_subtree()  # its "end" event still comes, and adds the tail
                continue
            if tag in _BLOCKS:
                flush()
            add(el.text)
        else:
            zone_stack.pop()
            if tag in _BLOCKS or tag == "br":
                flush()
            if el is not root:
                add(el.tail)  # a skipped element's tail is still visible text
    flush()
    return lines, zones


# XPath expressions compiled once: `root.xpath(text)` compiles its text at every call, which
# took two thirds of the 12 us the base URL's lookup took on bench/crawl.py's page.
_BASE_HREF = etree.XPath("string(//base/@href)")
_CANONICAL_HREF = etree.XPath("string(//link[@rel='canonical']/@href)")
_TITLE = etree.XPath("string(//title)")
_FIRST_H1 = etree.XPath("string((//h1)[1])")


def _web_url(url: str) -> str:
    url = squash(url)
    return url if urlsplit(url).scheme in ("http", "https") else ""


@dataclass
class Page:
    """One page, parsed once; `raw` is the decoded HTML for the cheap substring markers."""

    raw: str
    url: str = ""
    root: lxml.html.HtmlElement | None = None

    @classmethod
    def load(cls, html: str | bytes, url: str = "") -> Page:
        raw = decode(html)
        return cls(raw=raw, url=url, root=parse(raw))

    @cached_property
    def base_url(self) -> str:
        """What relative links resolve against: <base href>, else the page's web URL, else its
        own canonical URL (<link rel=canonical>, og:url) for a page saved to a file."""
        if self.root is None:
            return self.url
        base = _web_url(_BASE_HREF(self.root))
        if base:
            return urljoin(self.url, base)
        return _web_url(self.url) or self.canonical or self.url

    @cached_property
    def title(self) -> str:
        """The text of the page's first <title>, as written."""
        return "" if self.root is None else _TITLE(self.root)

    @cached_property
    def first_heading(self) -> str:
        """The text of the page's first <h1>, as written."""
        return "" if self.root is None else _FIRST_H1(self.root)

    @cached_property
    def canonical(self) -> str:
        """The page's own web URL as it declares it (<link rel=canonical>, og:url), or ''."""
        if self.root is None:
            return ""
        link = _CANONICAL_HREF(self.root)
        return _web_url(link) or _web_url(self.meta("og:url"))

    @cached_property
    def _text(self) -> tuple[list[str], list[str]]:
        if self.root is None:
            return [], []
        body = self.root.find("body")
        return text_lines(body if body is not None else self.root)

    @property
    def lines(self) -> list[str]:
        """The visible text of the body, one line per block or <br>."""
        return self._text[0]

    @property
    def zones(self) -> list[str]:
        """Beside each line: 'address-tag', 'footer', 'contact' or ''."""
        return self._text[1]

    def absolute(self, href: str) -> str:
        href = squash(href)
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            return ""
        return urljoin(self.base_url, href) if self.base_url else href

    def meta(self, *names: str) -> str:
        """The first non-empty <meta name|property=...> content among `names`."""
        if self.root is None:
            return ""
        for name in names:
            for el in self.root.iter("meta"):
                key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
                if key == name and squash(el.get("content")):
                    return squash(el.get("content"))
        return ""
