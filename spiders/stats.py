"""Scrapy's in-memory crawl stats, without the per-attribute shim Scrapy 2.19 puts in front of them.

Scrapy 2.19's StatsCollector overrides `__getattribute__` so that a method given a `spider`
argument warns that the argument is deprecated: every attribute read on the collector, the
`_stats` dict inside each method included, first builds a name and fails to find it. A stat
counted costs ~3.9 us that way against ~0.3 us here, and a crawl counts about twenty a page
(requests, responses, bytes, the scheduler's queues, each page's outcome). napaudit passes no
`spider` argument to the stats, so the warning has nothing to say here; the methods, and what
they keep, are Scrapy's own.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector

PATH = f"{__name__}.CrawlStats"


class CrawlStats(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
