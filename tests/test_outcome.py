"""Fetch outcomes: a page that could not be checked says why, and is never 'missing'."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from napaudit.spiders.middlewares import parse_retry_after
from napaudit.spiders.outcome import _GATED, _WALLS, bot_wall, from_failure, from_response
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error
from twisted.python.failure import Failure

CHALLENGE = "<html><title>Just a moment...</title><div id='cf-challenge'>captcha</div></html>"
CLOUDFLARE = "a challenge page from Cloudflare ('Just a moment...')"


@pytest.mark.parametrize(
    "status, text, outcome, reason",
    [
        (200, "<h1>Acme</h1>", "ok", ""),
        (404, "", "not_found", "HTTP 404: the page is gone"),
        (410, "", "not_found", "HTTP 410: the page is gone"),
        (403, CHALLENGE, "blocked", f"HTTP 403: {CLOUDFLARE}"),
        (403, "<h1>Forbidden</h1>", "blocked", "HTTP 403: access refused"),
        (401, "", "blocked", "HTTP 401: access refused"),
        (429, "", "blocked", "HTTP 429: too many requests, even after waiting as asked"),
        (503, CHALLENGE, "blocked", f"HTTP 503: {CLOUDFLARE}"),
        (503, "<h1>Down for maintenance</h1>", "error", "HTTP 503: the server kept failing"),
        (200, CHALLENGE, "blocked", f"{CLOUDFLARE} instead of the page"),
    ],
)
def test_outcome_from_response(status, text, outcome, reason):
    assert from_response(status, text) == (outcome, reason)


@pytest.mark.parametrize(
    "page, reason",
    [
        ("<title>Attention Required! | Cloudflare</title><h1>Sorry, you have been blocked</h1>",
         "a block page from Cloudflare ('Sorry, you have been blocked')"),
        ("<script>window._cf_chl_opt={cType: 'managed'}</script>",
         "a challenge page from Cloudflare ('_cf_chl_opt')"),
        ("<p>Press &amp; Hold to confirm you are a human</p><div id='px-captcha'></div>",
         "a challenge page from PerimeterX ('px-captcha')"),
        ("<script src='https://ct.captcha-delivery.com/c.js'></script>",
         "a challenge page from DataDome ('captcha-delivery.com')"),
        ("<form><p>Please complete the CAPTCHA to continue</p></form>",
         "a challenge page ('CAPTCHA')"),
        ("<h1>Access Denied</h1><p>You don't have permission to access this server.</p>",
         "an access-denied page ('Access Denied')"),
    ],
)  # fmt: skip
def test_each_wall_is_named_with_the_words_the_page_shows(page, reason):
    assert from_response(403, page) == ("blocked", f"HTTP 403: {reason}")
    assert from_response(200, page) == ("blocked", f"{reason} instead of the page")


def test_a_page_carrying_cloudflares_detection_script_is_still_a_page():
    """Cloudflare adds its JavaScript detections to ordinary pages too (the real block pages
    carry the same script): the script alone is no wall."""
    page = (
        "<h1>Acme Hardware</h1><p>12 Main St, Springfield</p><script>"
        "a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'</script>"
    )
    assert from_response(200, page) == ("ok", "")


def _each_marker_in_turn(text: str) -> str:
    """bot_wall as it was written first: every marker looked for, in order."""
    lower = text.lower()
    for what, markers in _WALLS:
        for marker in markers:
            at = lower.find(marker)
            if at >= 0:
                return f"{what} ('{text[at : at + len(marker)]}')"
    return ""


def test_markers_looked_for_behind_a_shared_word_give_the_same_answer():
    """bot_wall looks for a word several markers share once, and for those markers only when
    it is there: each such word is part of each marker it stands for, and every marker alone,
    in capitals or beside another, is named as looking for each marker in turn names it."""
    assert all(gate in marker for _, markers in _GATED for marker, gate in markers)
    every = [m for _, markers in _WALLS for m in markers]
    pages = [f"<p>{m.upper()}</p>" for m in every]
    pages += [f"<p>{a}</p><p>{b.title()}</p>" for a in every for b in every]
    for page in pages:
        assert bot_wall(page) == _each_marker_in_turn(page) != "", page
    assert bot_wall("<h1>Acme</h1><p>Are you a member? Verify your order.</p>") == ""


def test_a_long_page_that_mentions_captcha_is_still_a_page():
    page = "<form>Please solve the captcha to post a review</form>" + "x" * 30_000
    assert from_response(200, page) == ("ok", "")


def test_a_short_page_showing_a_business_is_read_whatever_its_form_says():
    """A page already read and showing a business is no wall, however short; a refusal stays
    one, and a page that shows nothing is still looked at for a wall."""
    page = "<h1>Acme Hardware</h1><form><div class='g-recaptcha'></div>Captcha</form>"
    assert from_response(200, page, shows_business=True) == ("ok", "")
    wall = "a challenge page ('captcha')"
    assert from_response(200, page) == ("blocked", f"{wall} instead of the page")
    assert from_response(403, page, shows_business=True) == ("blocked", f"HTTP 403: {wall}")


@pytest.mark.parametrize(
    "exc, outcome, reason",
    [
        (error.TimeoutError(), "error", "timed out"),
        (error.DNSLookupError(), "error", "DNS lookup failed: no such host"),
        (
            error.ConnectionRefusedError(),
            "error",
            "connection failed (refused: nothing answers at that address)",
        ),
        (
            IgnoreRequest("Forbidden by robots.txt"),
            "blocked",
            "robots.txt asks robots not to fetch this page",
        ),
        (IgnoreRequest("max redirections reached"), "error", "too many redirects"),
    ],
)
def test_outcome_from_failure(exc, outcome, reason):
    assert from_failure(Failure(exc)) == (outcome, reason)


def test_retry_after_seconds_and_dates():
    now = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 24 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tue, 24 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
