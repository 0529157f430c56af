"""The business's name from the page itself, when no markup gives it.

Sources, most trusted first: og:site_name; the <title> (cut at " | ", " - ", " – ", ": " and
stripped of generic parts such as "Contact Us" or "Home") and the copyright holder in the footer;
the h1, the logo's alt text and the line just above the street address; <meta name=copyright>.
Trust is only the starting score: a candidate gains for each other kind of source that repeats
it, for a host that spells it (the page's URL or canonical URL), for a legal suffix (cleanco), and
for each further line of the page's text that names it (up to two), so a title reading "Drain
Cleaning" loses to a logo and a copyright line that both say "Harbor Plumbing & Heating". A
place alone ("Springfield, IL") is never a name. Of two names that repeat each other, the one
inside the other is kept ("Harbor Dental", not "Contact a Harbor Dental Representative Today!").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleanco import basename
from napaudit.auditor.normalize.text import squash, words
from napaudit.spiders.extract.addresses import is_place
from napaudit.spiders.extract.links import host, name_in_host
from napaudit.spiders.extract.page import Page, classes

_SEPARATORS = re.compile(r"\s+[|\-–—»:·•~]+\s+|\s*::\s*|\s*\|\s*|\s+»\s*|:\s+")
_GENERIC = frozenset(
    """contact contacts contactus us home homepage page welcome to about main index official site
    website web info information the our and of a for get in touch with customer service
    services location locations directions hours map find reach email form address mailing
    office headquarters phone fax visit""".split()
)
_AFFIXES = re.compile(
    r"(?i)^\s*(?:welcome\s+to|contact(?:\s+us)?|about(?:\s+us)?|an?\s+(?:division|subsidiary|"
    r"member|part)\s+of)\s+(?:the\s+)?(?=\S)"
    r"|\s+(?:home\s*page|homepage|home|contact\s*us|contactus|official\s+(?:web)?site)\s*$"
)
_COPYRIGHT = re.compile(
    r"(?i)(?:©|\(c\)|copyright(?:ed)?(?:\s+to)?)\s*(?:©|\(c\))?"
    r"\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?)?[\s,]*(?:by\s+)?"
    r"(?P<name>[^.|©]{2,60}?)\s*(?:[.,|]|all rights|$)"
)
_TRUST = {"og:site_name": 6, "title": 4, "footer": 4, "h1": 3, "logo-alt": 3, "text": 3, "meta": 1}
_SUPPORT = 3  # per other kind of source that repeats a candidate
_LEGAL = 2  # for a legal suffix ("Inc.", "LLC"): the form of a company's name
_MENTIONS = 2  # at most this much for being named again in the page's text, 1 a line
_FROM_LINES = frozenset({"h1", "footer", "text"})  # candidates read from a line of the text


@dataclass
class Candidate:
    name: str
    method: str

    @property
    def words(self) -> set[str]:
        return set(words(self.name))


def best_name(page: Page, street_line: int | None) -> tuple[str, str, bool]:
    """(name, method, whether another kind of source repeats it), or ('', '', False) when the
    page names nothing."""
    found = candidates(page, street_line)
    if not found:
        return "", "", False

    mentions = _mentions(found, page.lines)
    site = host(page.canonical or page.url)

    def rank(c: Candidate) -> tuple:
        support = {o.method for o in found if o.method != c.method and _overlap(c, o)}
        legal = basename(c.name) != c.name.strip(" ,.")
        in_host = bool(site) and name_in_host(c.name, site, whole=True)
        score = _TRUST[c.method] + _SUPPORT * (len(support) + in_host) + _LEGAL * legal
        return (score + mentions[c.name], -len(c.words))

    best = max(found, key=rank)
    inner = [
        c
        for c in found
        if c.method != best.method
        and _overlap(c, best)
        and c.words < best.words
        and len(c.words - _GENERIC) >= 2  # "City" is inside "City of Dallas", but no name
        and c.words != set(words(basename(best.name)))  # only the legal suffix dropped
    ]
    if inner:
        best = max(inner, key=rank)
    repeated = any(o.method != best.method and _overlap(best, o) for o in found)
    return best.name, best.method, repeated


def _mentions(found: list[Candidate], lines: list[str]) -> dict[str, int]:
    """name -> how many more lines of the page's text name it than the one it was read from
    (at most _MENTIONS): a business's name recurs in its page, a title's keywords seldom do."""
    out = {}
    for c in found:
        needle = c.name.casefold()
        seen = sum(1 for line in lines if needle in line.casefold())
        own = 1 if c.method in _FROM_LINES else 0
        out[c.name] = min(max(seen - own, 0), _MENTIONS)
    return out


def _overlap(a: Candidate, b: Candidate) -> bool:
    """Most words of the shorter name are in the longer one."""
    small, large = sorted((a.words, b.words), key=len)
    return bool(small) and len(small & large) >= 0.75 * len(small)


def candidates(page: Page, street_line: int | None) -> list[Candidate]:
    if page.root is None:
        return []
    found = []
    site_name = page.meta("og:site_name")
    if site_name:
        found.append(Candidate(site_name, "og:site_name"))
    title = squash(page.title)
    found += [Candidate(part, "title") for part in title_parts(title)]
    for h1 in page.root.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            found.append(Candidate(text, "h1"))
            break
    found += [Candidate(alt, "logo-alt") for alt in _logo_alts(page)[:1]]
    holder = _copyright(page.lines[-40:])
    if holder:
        found.append(Candidate(holder, "footer"))
    for key in ("application-name", "copyright"):
        value = page.meta(key)
        value = _copyright([value]) or value if key == "copyright" else value
        if value and len(value) <= 60:
            found.append(Candidate(_clean(value), "meta"))
    found += _above_address(page.lines, street_line)
    return [c for c in found if c.words and not c.words <= _GENERIC and not is_place(c.name)]


def _above_address(lines: list[str], street_line: int | None) -> list[Candidate]:
    """The short lines just above the street (two): an address block or a listing usually
    starts with the name, at most a category line away ("Red Lantern Bar / Bars / 100 E...")."""
    if street_line is None:
        return []
    found = []
    for line in reversed(lines[max(street_line - 2, 0) : street_line]):
        text = _clean(line)
        if text and len(text) <= 60 and not re.search(r"\d{3}|[@:*>›]", text):
            found.append(Candidate(text, "text"))
    return found


def title_parts(title: str) -> list[str]:
    """'Contact Us | Joe's Pizza - Brooklyn' -> ["Joe's Pizza", 'Brooklyn']: generic parts go."""
    parts = [_clean(part) for part in _SEPARATORS.split(title)]
    return [p for p in parts if p and not set(words(p)) <= _GENERIC]


def _clean(text: str) -> str:
    text = squash(text)
    previous = None
    while previous != text:
        previous, text = text, _AFFIXES.sub("", text).strip(" ,-|»:")
    return text


def _logo_alts(page: Page) -> list[str]:
    """alt texts of images that are the site's logo: 'logo' in their own or an ancestor's
    src/id/class (two levels up), or the image of the link to the home page."""
    alts = []
    for img in page.root.iter("img"):
        alt = _clean(img.get("alt") or "")
        if not alt or alt.lower() in ("logo", "home"):
            continue
        alt = re.sub(r"(?i)\s*(?:\blogo\b|home\s*page|\bhome\b)\s*$", "", alt).strip(" -|")
        own = f"{img.get('src') or ''} {classes(img)}".lower()
        parent = img.getparent()
        grandparent = parent.getparent() if parent is not None else None
        parents = [p for p in (parent, grandparent) if p is not None]
        if "logo" in own or any("logo" in classes(p) for p in parents):
            alts.append(alt)
    return alts


def _copyright(lines: list[str]) -> str:
    """The holder named in the last copyright notice among the lines."""
    for line in reversed(lines):
        m = _COPYRIGHT.search(line)
        if m:
            name = squash(m.group("name")).strip(" ,-")
            if len(words(name)) and not re.search(r"\d{3}", name):
                return name
    return ""
