"""Retries that wait: exponential backoff on 5xx and 429, honouring the server's Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware retries at once; this one waits first.

    The wait is RETRY_BACKOFF_BASE seconds doubled at each retry, or what the server asked for
    in Retry-After, whichever is longer, capped at RETRY_BACKOFF_MAX.
    """

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        delay = self.delay(request, response.headers.get(b"Retry-After"))
        self.crawler.stats.inc_value("napaudit/retry/waited_seconds", delay)
        await asyncio.sleep(delay)
        return retry

    def delay(self, request: Request, retry_after: bytes | None) -> float:
        backoff = self.backoff_base * 2 ** request.meta.get("retry_times", 0)
        asked = parse_retry_after(retry_after.decode("latin-1") if retry_after else "")
        return min(max(backoff, asked or 0.0), self.backoff_max)


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: '120' or an HTTP date; None if unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
