"""Why a page could not be checked: the fetch outcome of every listing, in words.

ok         the page was fetched and shows a business
not_found  404/410, or a page with no business on it
blocked    401/403/429, or a challenge or CAPTCHA page (a page below 400 that shows a business
           is read, whatever it says), or robots.txt forbids it
error      timeout, DNS, TLS, connection, too many redirects, a server that kept failing

Blocked and failed fetches are "not checked", never "missing": the listing may be fine.
"""

from __future__ import annotations

from twisted.internet import error as net
from twisted.python.failure import Failure

OK, NOT_FOUND, BLOCKED, ERROR = "ok", "not_found", "blocked", "error"

# Bot walls, most telling first: (what the page is, the markers that say so). A marker is a
# plain substring (a regex alternation over a whole page costs milliseconds a page), and the
# reason quotes the first one found, as the page writes it. Cloudflare's block page comes before
# its challenge: the block page also loads the challenge platform's script. Markers checked on
# real pages (2026-12-02): Cloudflare's block page as Yellow Pages served it in 2025 and 2026
# (../shared/realdata/realweb/yellowpages-blocked/), its managed challenge ("Just a moment...",
# `_cf_chl_opt`) as Yellow Pages served it in 2025-10 (read in a public repository,
# Phantom474747777/scraper-g1000 yellowpages_sample.html, not kept here); the other vendors'
# markers are from their documentation and public scrapers, not checked on a real page.
_WALLS = (
    ("a block page from Cloudflare", ("sorry, you have been blocked",
                                      "attention required! | cloudflare")),
    ("a challenge page from Cloudflare", ("just a moment...", "_cf_chl_opt", "cf-challenge",
                                          "cf-chl-", "/cdn-cgi/challenge-platform/h/")),
    ("a challenge page from PerimeterX", ("px-captcha", "press & hold")),
    ("a challenge page from DataDome", ("captcha-delivery.com", "datadome")),
    ("a challenge page from Imperva", ("request unsuccessful. incapsula", "_incapsula_resource")),
    ("a challenge page", ("captcha", "are you a human", "are you a robot", "verify you are human",
                          "verify you are a human", "unusual traffic", "bot detection")),
    ("an access-denied page", ("access denied",)),
)  # fmt: skip
_CHALLENGE_PAGE = 20_000  # characters: a wall is short; 20 KB is more than any seen
_HEAD = 50_000  # characters of a page searched for a wall's markers
# Words that several markers contain: a page without one holds none of those markers, so each
# is looked for once instead of each of its markers (15 searches of a page that is no wall,
# instead of 21). tests/test_outcome.py holds each to be part of the markers it stands for.
_GATES = ("captcha", "challenge", "incapsula", "are you a ", "verify you are ")
_GATED = tuple(
    (what, tuple((m, next((g for g in _GATES if g in m), m)) for m in markers))
    for what, markers in _WALLS
)


def bot_wall(text: str) -> str:
    """What bot wall the page is, in words with its own words quoted ("a block page from
    Cloudflare ('Sorry, you have been blocked')"), or "" when it is none."""
    head = text[:_HEAD]
    lower = head.lower()
    there: dict[str, bool] = {}  # gate -> on the page
    for what, markers in _GATED:
        for marker, gate in markers:
            found = there.get(gate)
            if found is None:
                found = there[gate] = gate in lower
            if found:
                at = lower.find(marker)
                if at >= 0:
                    return f"{what} ('{head[at : at + len(marker)]}')"
    return ""


def from_response(status: int, text: str, shows_business: bool = False) -> tuple[str, str]:
    """(outcome, reason) for a response that arrived; OK means: now look for a business.
    `shows_business`: what a page below 400 shows was read first and holds a business, so the
    page is read whatever words it holds. A wall shows none; a business's contact page may
    carry a CAPTCHA for its form (seen on real contact pages in ../shared/realdata)."""
    if status in (404, 410):
        return NOT_FOUND, f"HTTP {status}: the page is gone"
    short = len(text) < _CHALLENGE_PAGE and not (shows_business and status < 400)
    wall = bot_wall(text) if status >= 400 or short else ""
    if status in (401, 403, 429) or (status == 503 and wall):
        what = wall or "access refused"
        if status == 429:
            what = "too many requests, even after waiting as asked"
        return BLOCKED, f"HTTP {status}: {what}"
    if status >= 500:
        return ERROR, f"HTTP {status}: the server kept failing"
    if status >= 400:
        return ERROR, f"HTTP {status}"
    if wall:
        return BLOCKED, f"{wall} instead of the page"
    return OK, ""


def no_business() -> tuple[str, str]:
    return NOT_FOUND, "the page shows no business"


def from_failure(failure: Failure) -> tuple[str, str]:
    """(outcome, reason) for a request that never got a usable response."""
    exc = failure.value
    if getattr(exc, "outcome", None) and getattr(exc, "reason", None):  # it says (fetchpolicy)
        return exc.outcome, exc.reason
    name = type(exc).__name__
    text = str(exc)
    if name == "IgnoreRequest" and "robots.txt" in text.lower():
        return BLOCKED, "robots.txt asks robots not to fetch this page"
    if name == "IgnoreRequest" and "redirect" in text.lower():
        return ERROR, "too many redirects"
    if name == "HttpError" and getattr(exc, "response", None) is not None:
        return from_response(exc.response.status, exc.response.text)
    if isinstance(exc, (net.TimeoutError, net.TCPTimedOutError)) or "Timeout" in name:
        return ERROR, "timed out"
    # Scrapy 2.13+ wraps Twisted's errors in its own (DownloadConnectionRefusedError...): the
    # kind is read from the name, whichever library raised it.
    if isinstance(exc, net.DNSLookupError) or "DNSLookup" in name or "CannotResolve" in name:
        return ERROR, "DNS lookup failed: no such host"
    if "SSL" in name or "TLS" in name or "certificate" in text.lower():
        return ERROR, f"TLS error ({name})"
    if isinstance(exc, net.ConnectionRefusedError) or "ConnectionRefused" in name:
        return ERROR, "connection failed (refused: nothing answers at that address)"
    if isinstance(exc, (net.ConnectError, net.ConnectionLost)) or "Connection" in name:
        return ERROR, f"connection failed ({name})"
    return ERROR, f"{name}: {text[:200]}" if text else name
