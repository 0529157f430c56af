"""Why a page could not be checked: the fetch outcome of every listing, in words.

ok         the page was fetched and shows a business
not_found  404/410, or a page with no business on it
blocked    401/403/429, or a challenge or CAPTCHA page, or robots.txt forbids it
error      timeout, DNS, TLS, connection, too many redirects, a server that kept failing

Blocked and failed fetches are "not checked", never "missing": the listing may be fine.
"""

from __future__ import annotations

from twisted.internet import error as net
from twisted.python.failure import Failure

OK, NOT_FOUND, BLOCKED, ERROR = "ok", "not_found", "blocked", "error"

# Words challenge pages carry (Cloudflare, Akamai, PerimeterX, DataDome, reCAPTCHA, hCaptcha).
# Plain substring tests: a regex alternation over a whole page costs milliseconds a page.
_CHALLENGE_MARKERS = (  # the most telling first: the reason quotes the first one found
    "just a moment...", "attention required", "access denied", "captcha", "cf-challenge",
    "cf-chl", "challenge-platform", "are you a human", "are you a robot",
    "verify you are human", "verify you are a human", "px-captcha", "datadome",
    "unusual traffic", "bot detection", "request unsuccessful. incapsula",
)  # fmt: skip
_CHALLENGE_PAGE = 20_000  # characters: a challenge page is short; 20 KB is more than any seen


def challenge_marker(text: str) -> str:
    """The first challenge marker in the start of the page, as it is written there."""
    head = text[:50_000]
    lower = head.lower()
    for marker in _CHALLENGE_MARKERS:
        at = lower.find(marker)
        if at >= 0:
            return head[at : at + len(marker)]
    return ""


def from_response(status: int, text: str) -> tuple[str, str]:
    """(outcome, reason) for a response that arrived; OK means: now look for a business."""
    if status in (404, 410):
        return NOT_FOUND, f"HTTP {status}: the page is gone"
    challenge = challenge_marker(text) if status >= 400 or len(text) < _CHALLENGE_PAGE else ""
    if status in (401, 403, 429) or (status == 503 and challenge):
        what = f"a challenge page ('{challenge}')" if challenge else "access refused"
        if status == 429:
            what = "too many requests, even after waiting as asked"
        return BLOCKED, f"HTTP {status}: {what}"
    if status >= 500:
        return ERROR, f"HTTP {status}: the server kept failing"
    if status >= 400:
        return ERROR, f"HTTP {status}"
    if challenge:
        return BLOCKED, f"a challenge page instead of the listing ('{challenge}')"
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
    if isinstance(exc, net.DNSLookupError):
        return ERROR, "DNS lookup failed: no such host"
    if "SSL" in name or "TLS" in name or "certificate" in text.lower():
        return ERROR, f"TLS error ({name})"
    if isinstance(exc, (net.ConnectionRefusedError, net.ConnectError, net.ConnectionLost)):
        return ERROR, f"connection failed ({name})"
    return ERROR, f"{name}: {text[:200]}" if text else name
