"""The crawl's stats collector (spiders.stats): Scrapy's own, counted without its per-attribute
shim, keeping exactly what Scrapy's keeps."""

from __future__ import annotations

from napaudit.spiders.crawl import CrawlOptions, crawl_settings
from napaudit.spiders.stats import PATH, CrawlStats
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler


def _use(stats) -> tuple[dict, dict]:
    stats.open_spider()
    stats.set_value("start_time", "t0")
    for key in ("downloader/request_count", "napaudit/outcome/ok", "downloader/request_count"):
        stats.inc_value(key)
    stats.inc_value("response_bytes", 1500)
    stats.inc_value("from_ten", 2, start=10)
    stats.max_value("most", 3)
    stats.max_value("most", 7)
    stats.max_value("most", 5)
    stats.min_value("least", 4)
    stats.min_value("least", 2)
    stats.min_value("least", 9)
    seen = {
        "missing": stats.get_value("missing", "none"),
        "count": stats.get_value("napaudit/outcome/ok"),
    }
    kept = dict(stats.get_stats())
    stats.close_spider(reason="finished")
    return {**kept, **seen}, dict(stats.spider_stats)


def test_it_keeps_what_scrapys_collector_keeps():
    crawler = get_crawler()
    crawler.spider = type("S", (), {"name": "source"})()
    ours, scrapys = _use(CrawlStats(crawler)), _use(MemoryStatsCollector(crawler))
    assert ours == scrapys
    assert ours[0]["downloader/request_count"] == 2 and ours[0]["from_ten"] == 12
    assert ours[0]["most"] == 7 and ours[0]["least"] == 2 and ours[0]["missing"] == "none"
    assert list(ours[1]) == ["source"]


def test_every_crawl_counts_with_it():
    assert crawl_settings(CrawlOptions())["STATS_CLASS"] == PATH
