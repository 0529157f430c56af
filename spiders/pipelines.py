"""Pipelines: store what each fetched page shows of the business it should show, judged by the
auditor (napaudit.auditor.audit.page_listing) as it is stored: spiders collect, the auditor
judges. What a run stored unjudged is judged from the store (napaudit.auditor.judging). A page
whose text the spider left to the run's page worker (spiders.pagework) is handed over, and its
rows are stored when they come back."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from napaudit.auditor.jsontext import json_text
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.store import ResultRows, Store
from napaudit.spiders.diskguard import min_free_bytes, shortage
from napaudit.spiders.extract import LIMIT
from napaudit.spiders.items import Listing
from napaudit.spiders.pagework import PageWorker, page_rows, read_page
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

BATCH = 100  # results stored per transaction while the crawl goes on


@dataclass
class AuditRun:
    """What an audit crawl writes to: handed to the spider as its `audit_run` argument."""

    store: Store
    run_id: int
    businesses: dict[str, Normalized]
    versions: dict[str, str]
    pages: PageWorker | None = None  # when set, pages are extracted and judged there
    # False while the clients' rows wait to be stored, the page worker normalizing them
    # (`businesses` then normalizes on demand: judging.OnDemand): each is stored with its first
    # page's rows, the rest as the crawl closes
    businesses_stored: bool = True
    # Called with each page handed to the page worker once it comes back judged (its found and
    # outcome set): what item_scraped says of a page judged in the crawl (the progress lines).
    # A direct call: a Scrapy signal per page cost ~3 % of the crawling process in a py-spy
    # profile (docs/speed.md).
    on_judged: Callable[[Listing], None] | None = None


class AuditPipeline:
    """Stores each Listing when the spider carries an `audit_run`; otherwise (for `scrapy crawl`
    on its own, or `napaudit extract`) it passes items through untouched."""

    def __init__(self, crawler: Crawler):
        self.crawler, self.stats, self.batch = crawler, crawler.stats, []
        self.run: AuditRun | None = None
        self.failed = False
        self.disk, self.min_free = None, 0  # where the database is, and the least left free
        self.limit: int | None = LIMIT
        self.waiting: dict[int, Listing] = {}  # ticket -> a page the worker has still to answer
        # While the clients' rows wait (AuditRun.businesses_stored False): the clients whose
        # rows are stored, or go with the next batch (`clients`), each before its first page's
        # rows, so that a crawl killed outright leaves no page without its client's row.
        self.clients_done: set[str] = set()
        self.clients: list = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AuditPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # The run holds a database connection: it travels as a spider attribute, because
        # Scrapy copies settings and a connection cannot be copied.
        self.run = getattr(self.crawler.spider, "audit_run", None)
        self.disk = self.crawler.settings.get("NAPAUDIT_DISK_PATH")
        self.min_free = min_free_bytes(self.crawler.settings)
        self.limit = self.crawler.settings.getint("NAPAUDIT_PAGE_LIMIT", LIMIT) or None

    def process_item(self, item: Listing) -> Listing:
        if self.run is None or self.failed:  # (stopped: nothing more can be stored)
            return item
        if item.page is not None and self.run.pages is not None:
            try:
                ticket = self.run.pages.submit(item.business_id, item.source, item.url,
                                               item.fetched_at, item.key, item.status,
                                               *item.page, self.limit)  # fmt: skip
            except OSError as exc:  # it ended: this page and those it owed are done here
                self._without_worker(f"the page worker ended unexpectedly ({exc})")
                return self.process_item(item)
            item.handed_over = True  # item_scraped comes now; on_judged once it is judged
            self.waiting[ticket] = item
            self._answered(self._from_worker(self.run.pages.answers))
            return item
        if item.page is not None:  # its worker failed: the page's work is done here
            item.outcome, item.reason, item.found, item.left_out = read_page(
                item.status, *item.page, self.limit)  # fmt: skip
            self._shown(item)
        business = self.run.businesses[item.business_id]
        outcome, rows = page_rows(business, self.run.versions.get(item.business_id),
                                  item.found, item.source, item.url, item.outcome, item.reason,
                                  item.fetched_at, item.key)  # fmt: skip
        self._store(outcome, rows, item.business_id)
        return item

    def _store(self, outcome: str, rows: ResultRows, business_id: str,
               client: dict | None = None) -> None:  # fmt: skip
        """Batch a page's rows; its client's first (normalized in the page worker: `client`,
        its stored values) when they are not stored yet."""
        self.stats.inc_value(f"napaudit/outcome/{outcome}")
        if not self.run.businesses_stored and business_id not in self.clients_done:
            self.clients_done.add(business_id)
            businesses = self.run.businesses
            self.clients.append(businesses[business_id] if client is None else
                                _Normalized(businesses.records[business_id], client))  # fmt: skip
        self.batch.append(rows)
        if len(self.batch) >= BATCH:
            self.flush()

    def _from_worker(self, ask) -> list[tuple]:
        """What the worker answered (`ask`: its `answers` or `finish`). When it failed, the pages
        it owed are done here instead, and so is every page after."""
        try:
            return ask()
        except (RuntimeError, OSError) as exc:
            self._without_worker(str(exc))
            return []

    def _without_worker(self, why: str) -> None:
        """Go on without the page worker: the pages it owed, and every page after, are read
        and judged here. It costs time, nothing else."""
        logger.warning("%s: its pages are read and judged in the crawl instead", why)
        self.run.pages.close()
        self.run.pages = None
        owed, self.waiting = list(self.waiting.values()), {}
        for item in owed:
            self.process_item(item)
            self._judged(item)

    def _answered(self, answers: list[tuple]) -> None:
        for ticket, outcome, *rest in answers:
            item = self.waiting.pop(ticket)
            if outcome is None:  # the page's work raised: said as an item's error is said
                logger.error("Error processing %s (%s): %s", item.url, item.source,
                             rest[0].strip().splitlines()[-1])  # fmt: skip
                logger.debug("%s", rest[0])
                continue
            rows, item.found, item.left_out, client = rest
            item.outcome = outcome  # a bot wall's page is blocked; one showing nothing, not found
            self._shown(item)
            self._store(outcome, rows, item.business_id, client)
            self._judged(item)

    def _shown(self, item: Listing) -> None:
        """Count and say what a page showed past the limit; its text is no longer needed."""
        item.page = None
        if item.left_out:
            self.stats.inc_value("napaudit/extract/left_out", item.left_out)
            logger.warning("%s shows %d businesses past the limit of %d: left out",
                           item.url, item.left_out, self.limit)  # fmt: skip

    def _judged(self, item: Listing) -> None:
        if self.run.on_judged is not None:
            self.run.on_judged(item)

    def flush(self) -> None:
        if self.run is not None and self.batch and not self.failed:
            why = shortage(self.disk, self.min_free) if self.disk else None
            if why is not None:  # the disk guard's word, asked before the disk is full
                self.stop(why, "disk_full")
            else:
                try:
                    self.run.store.save_rows(self.run.run_id, self.batch, self.clients)
                    self.clients = []
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
        normalized: list[tuple[str, dict]] = []
        if self.run is not None and self.run.pages is not None and not self.failed:
            # (stopped for the disk, say: what the worker owes could not be stored)
            answers, normalized = self._from_worker(self.run.pages.finish) or ([], [])
            self._answered(answers)
        if self.run is not None and self.run.pages is not None:
            self.run.pages.close()
        if self.run is not None and not self.run.businesses_stored and not self.failed:
            self._store_businesses(dict(normalized))
        self.flush()

    def _store_businesses(self, normalized: dict[str, dict]) -> None:
        """The rows of the clients not stored with their pages' (none fetched, say), as the
        page worker normalized them (or, for any it did not send, as normalized here)."""
        businesses, done = self.run.businesses, self.clients_done
        rows = [_Normalized(record, normalized[bid]) if bid in normalized else businesses[bid]
                for bid, record in businesses.records.items() if bid not in done]  # fmt: skip
        try:
            self.run.store.save_businesses(self.run.run_id, rows)
            self.run.businesses_stored = True
        except (sqlite3.Error, OSError) as exc:
            self.stop(str(exc), "store_failed")


@dataclass
class _Normalized:
    """A client normalized elsewhere, as the store reads one: its record and stored values."""

    record: Record
    values: dict

    def as_dict(self) -> dict:
        return self.values

    def json(self) -> str:
        return json_text(self.values)
