"""Run a crawl in this process with Scrapy, with napaudit's settings and the user's choices.

Twisted's reactor runs once per process, so each command runs one crawl (tests run the
commands in subprocesses, as a user does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


@dataclass(frozen=True)
class CrawlOptions:
    """What a user may change about a crawl; everything else stays polite."""

    user_agent: str | None = None  # default: settings.USER_AGENT, or $NAPAUDIT_USER_AGENT
    delay: float | None = None  # seconds between requests to one site; 0 turns AutoThrottle off
    timeout: float | None = None  # seconds before a page counts as timed out
    retries: int | None = None
    cache_dir: Path | None = None  # HTTP cache for development
    job_dir: Path | None = None  # Scrapy JOBDIR: what makes --resume possible
    log_level: str | None = None


def crawl_settings(options: CrawlOptions, extra: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    user_agent = options.user_agent or os.environ.get("NAPAUDIT_USER_AGENT")
    if user_agent:
        settings.set("USER_AGENT", user_agent, priority="cmdline")
    if options.delay is not None:
        settings.set("DOWNLOAD_DELAY", options.delay, priority="cmdline")
        if options.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    if options.timeout is not None:
        settings.set("DOWNLOAD_TIMEOUT", options.timeout, priority="cmdline")
    if options.retries is not None:
        settings.set("RETRY_TIMES", options.retries, priority="cmdline")
    if options.cache_dir is not None:
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(options.cache_dir), priority="cmdline")
    if options.job_dir is not None:
        settings.set("JOBDIR", str(options.job_dir), priority="cmdline")
    if options.log_level:
        settings.set("LOG_LEVEL", options.log_level, priority="cmdline")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(spider_cls, settings: Settings, on_item=None, **spider_kwargs) -> dict:
    """Crawl to the end (or until Ctrl-C) and return the crawl's stats."""
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_cls)
    if on_item is not None:
        # weak=False: the dispatcher holds handlers weakly, and a lambda has no other owner
        crawler.signals.connect(
            lambda item, **_: on_item(item), signal=signals.item_scraped, weak=False
        )
    process.crawl(crawler, **spider_kwargs)
    process.start()
    return dict(crawler.stats.get_stats())
