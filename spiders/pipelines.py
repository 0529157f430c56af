"""Pipelines: store what each fetched page shows of the business it should show, judged by the
auditor (napaudit.auditor.audit.page_listing) as it is stored: spiders collect, the auditor
judges. What a run stored unjudged is judged from the store (napaudit.auditor.judging)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from napaudit.auditor.audit import not_checked, page_listing
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.store import Store
from napaudit.spiders.diskguard import min_free_bytes, shortage
from napaudit.spiders.items import Listing
from napaudit.spiders.outcome import OK, no_business
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

BATCH = 100  # results stored per transaction while the crawl goes on


@dataclass
class AuditRun:
    """What an audit crawl writes to: handed to the spider as its `audit_run` argument."""

    store: Store
    run_id: int
    businesses: dict[str, Normalized]
    versions: dict[str, str]


class AuditPipeline:
    """Stores each Listing when the spider carries an `audit_run`; otherwise (for `scrapy crawl`
    on its own, or `napaudit extract`) it passes items through untouched."""

    def __init__(self, crawler: Crawler):
        self.crawler, self.stats, self.batch = crawler, crawler.stats, []
        self.run: AuditRun | None = None
        self.failed = False
        self.disk, self.min_free = None, 0  # where the database is, and the least left free

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AuditPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # The run holds a database connection: it travels as a spider attribute, because
        # Scrapy copies settings and a connection cannot be copied.
        self.run = getattr(self.crawler.spider, "audit_run", None)
        self.disk = self.crawler.settings.get("NAPAUDIT_DISK_PATH")
        self.min_free = min_free_bytes(self.crawler.settings)

    def process_item(self, item: Listing) -> Listing:
        if self.run is None:
            return item
        business = self.run.businesses[item.business_id]
        outcome, reason = item.outcome, item.reason
        if outcome == OK and not item.found:
            outcome, reason = no_business()
        if outcome == OK:
            result = page_listing(business, item.found, item.source, item.url, item.fetched_at,
                                  item.key)  # fmt: skip
        else:
            result = not_checked(business, item.source, item.url, outcome, reason,
                                 item.fetched_at, item.key)  # fmt: skip
        self.stats.inc_value(f"napaudit/outcome/{outcome}")
        self.batch.append(result)
        if len(self.batch) >= BATCH:
            self.flush()
        return item

    def flush(self) -> None:
        if self.run is not None and self.batch and not self.failed:
            why = shortage(self.disk, self.min_free) if self.disk else None
            if why is not None:  # the disk guard's word, asked before the disk is full
                self.stop(why, "disk_full")
            else:
                try:
                    self.run.store.save_results(self.run.run_id, self.batch, self.run.versions)
                except (sqlite3.Error, OSError) as exc:
                    # A full disk, a read-only or vanished database: stop at once (nothing
                    # more could be kept), and say why; the run is resumable, and what was lost
                    # is fetched again then (napaudit.auditing).
                    self.stop(str(exc), "store_failed")
        self.batch = []

    def stop(self, why: str, reason: str) -> None:
        """Store nothing more and close the crawl, saying why (napaudit.auditing reports it)."""
        self.failed = True
        self.stats.set_value("napaudit/store_failed", why)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def close_spider(self) -> None:
        self.flush()
