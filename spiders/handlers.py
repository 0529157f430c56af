"""Scrapy's HTTP/1.1 download handler, closed without logging a race it lost.

At the end of a crawl Scrapy 2.19's handler asks Twisted's connection pool to close its idle
connections. That can hang, so a timer ends the wait after a second, and the timer is cancelled
once the wait returns. Under the asyncio reactor the wait returns one turn of the event loop
after the pool answers. When the loop is held up past the second (a busy machine; another
crawler of the same run closing), the pool's answer and the timer fall in the same turn. The
timer then fires a Deferred that has already fired, and Twisted logs AlreadyCalledError with a
traceback at CRITICAL, after a crawl that ended normally. A batch stopped for a full disk
printed four of them above its one-line error (tests/test_batch.py). Here the timer ends the
wait only when the pool has not answered yet; everything else is Scrapy's handler.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

PATH = f"{__name__}.Http11Handler"


class Http11Handler(HTTP11DownloadHandler):
    async def close(self) -> None:
        pool = getattr(self, "_pool", None)
        wait = getattr(self, "_disconnect_timeout", None)
        if pool is None or wait is None:  # a Scrapy whose handler is built otherwise
            await super().close()
            return
        from twisted.internet import reactor

        closed: Deferred[None] = pool.closeCachedConnections()
        timer = reactor.callLater(wait, _end_unless_ended, closed)
        try:
            await maybe_deferred_to_future(closed)
        finally:
            if timer.active():
                timer.cancel()


def _end_unless_ended(closed: Deferred) -> None:
    if not closed.called:
        closed.callback(None)
