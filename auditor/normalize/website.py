"""Websites: scheme, 'www.', a trailing slash, an index page and tracking parameters are writing;
the host is the business's identity online, so another host is a real difference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from napaudit.auditor.normalize.text import squash

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_INDEX = re.compile(r"/(index|default|home)\.(html?|php|aspx?|jsp|cfm)$|/home/?$", re.I)
_TRACKING = re.compile(r"^(utm_\w+|gclid|fbclid|msclkid|mc_cid|mc_eid|yclid|_ga|ref|y_source)$")
# Hosts that are a profile on someone else's site, not the business's own website.
_PLATFORMS = (
    "facebook.com", "instagram.com", "yelp.com", "twitter.com", "x.com", "linkedin.com",
    "google.com", "goo.gl", "business.site", "linktr.ee", "tiktok.com", "youtube.com",
)  # fmt: skip


@dataclass(frozen=True)
class Website:
    raw: str
    host: str = ""  # lower-case, without 'www.': "joespizza.com"
    path: str = ""  # without index page or trailing slash: "" for the home page
    query: str = ""  # kept parameters, sorted, tracking removed
    rewrites: tuple[str, ...] = ()
    problem: str = ""

    @property
    def platform(self) -> str:
        """'facebook.com' when the 'website' is a profile on a platform."""
        return next((p for p in _PLATFORMS if self.host == p or self.host.endswith("." + p)), "")

    def display(self) -> str:
        return self.host + self.path + (f"?{self.query}" if self.query else "")


@lru_cache(maxsize=65536)
def normalize_website(raw: str) -> Website:
    text = squash(raw)
    if not text:
        return Website(raw=raw, problem="empty")
    rewrites = []
    if not _SCHEME.match(text):
        text = "http://" + text.lstrip("/")
    else:
        rewrites.append("scheme")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return Website(raw=raw, problem="not a web address")
    if not host or "." not in host or " " in host:
        return Website(raw=raw, problem="not a web address")
    if host.startswith("www."):
        host = host[4:]
        rewrites.append("'www.'")
    path = parts.path or ""
    if _INDEX.search(path):
        path = _INDEX.sub("", path)
        rewrites.append("index page")
    if path.endswith("/"):
        path = path.rstrip("/")
        rewrites.append("trailing slash")
    query = ""
    if parts.query:  # most addresses have none: nothing to parse, sort or encode
        params = parse_qsl(parts.query, keep_blank_values=True)
        kept = sorted((k, v) for k, v in params if not _TRACKING.match(k.lower()))
        if len(kept) != len(params):
            rewrites.append("tracking parameters")
        query = urlencode(kept)
    return Website(
        raw=raw,
        host=host.lower(),
        path=path,
        query=query,
        rewrites=tuple(rewrites),
    )
