"""Fetch outcomes: a page that could not be checked says why, and is never 'missing'."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from napaudit.spiders.middlewares import parse_retry_after
from napaudit.spiders.outcome import from_failure, from_response
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error
from twisted.python.failure import Failure

CHALLENGE = "<html><title>Just a moment...</title><div id='cf-challenge'>captcha</div></html>"


@pytest.mark.parametrize(
    "status, text, outcome, reason",
    [
        (200, "<h1>Acme</h1>", "ok", ""),
        (404, "", "not_found", "HTTP 404: the page is gone"),
        (410, "", "not_found", "HTTP 410: the page is gone"),
        (403, CHALLENGE, "blocked", "HTTP 403: a challenge page ('Just a moment...')"),
        (403, "<h1>Forbidden</h1>", "blocked", "HTTP 403: access refused"),
        (401, "", "blocked", "HTTP 401: access refused"),
        (429, "", "blocked", "HTTP 429: too many requests, even after waiting as asked"),
        (503, CHALLENGE, "blocked", "HTTP 503: a challenge page"),
        (503, "<h1>Down for maintenance</h1>", "error", "HTTP 503: the server kept failing"),
        (200, CHALLENGE, "blocked", "a challenge page instead of the listing"),
    ],
)
def test_outcome_from_response(status, text, outcome, reason):
    got = from_response(status, text)
    assert got[0] == outcome
    assert got[1].startswith(reason)


def test_a_long_page_that_mentions_captcha_is_still_a_page():
    page = "<form>Please solve the captcha to post a review</form>" + "x" * 30_000
    assert from_response(200, page) == ("ok", "")


@pytest.mark.parametrize(
    "exc, outcome, reason",
    [
        (error.TimeoutError(), "error", "timed out"),
        (error.DNSLookupError(), "error", "DNS lookup failed: no such host"),
        (error.ConnectionRefusedError(), "error", "connection failed (ConnectionRefusedError)"),
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
