"""Run a crawl in this process with Scrapy, with napaudit's settings and the user's choices.

Twisted's reactor runs once per process, so each command runs one crawl (tests run the
commands in subprocesses, as a user does).
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from napaudit.spiders import downloader
from napaudit.spiders.sites import redact
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

# Seconds: the least delay when spiders.downloader is not in use. Scrapy's own downloader keeps
# a site's limit only through its delay, and only while the crawl is never held up longer than
# half the delay (it randomizes it from 0.5 to 1.5 times) just after handing a request over:
# held up longer, it hands over the next at once, before the last is counted, and so on through
# the queue. At 1 ms a 3 ms pause let a queue of 16 out at once (tests/test_politeness.py); at
# this, a pause of 0.125 s would be needed.
FALLBACK_DELAY = 0.25


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
    settings.setmodule("napaudit.spiders.settings", priority="project")
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
        current = settings.get(key)
        if isinstance(value, dict) and hasattr(current, "copy_to_dict"):
            # a component dict (middlewares, pipelines): what is given is added to the project's
            settings.set(key, {**current.copy_to_dict(), **value}, priority="cmdline")
        else:
            settings.set(key, value, priority="cmdline")
    floor = settings.getfloat("MIN_DOWNLOAD_DELAY")
    if not (downloader.FITS and settings.get("DOWNLOADER") == downloader.PATH):
        # Scrapy's own downloader sends a site's whole queue at once at no delay; with a delay
        # it hands over one request per timer, each counted before the next leaves, as long as
        # the crawl is not held up past the delay meanwhile (FALLBACK_DELAY).
        floor = max(floor, FALLBACK_DELAY)
    if settings.getfloat("DOWNLOAD_DELAY") < floor:  # politeness holds at "no delay" too
        settings.set("DOWNLOAD_DELAY", floor, priority="cmdline")
    return settings


@dataclass
class Crawl:
    """One spider to run, with its arguments and the settings only it has (its JOBDIR)."""

    spider: type
    kwargs: dict
    own_settings: dict = field(default_factory=dict)

    def spider_class(self) -> type:
        if not self.own_settings:
            return self.spider
        # Scrapy applies a spider's custom_settings to its crawler alone: a subclass carries
        # them, keeping the name (the source id) and the callbacks a JOBDIR refers to.
        custom = {**(self.spider.custom_settings or {}), **self.own_settings}
        return type(self.spider.__name__, (self.spider,), {"custom_settings": custom})


def run_crawls(settings: Settings, crawls: list[Crawl], on_item=None, on_tick=None) -> dict:
    """Run every spider in this process, together, to the end (or until Ctrl-C).

    Returns the summed stats; finish_reason is 'finished' only when every spider finished,
    and 'failed' when one could not even start.
    """
    if not crawls:
        return {"finish_reason": "finished"}
    _import_handlers_now()
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    _log_to_stderr(settings.get("LOG_LEVEL", "WARNING"))
    process = CrawlerProcess(settings)
    # Scrapy sets its own loggers to DEBUG (scrapy.utils.log.DEFAULT_LOGGING): each page's
    # "Crawled" and "Scraped" lines were made into records only for every handler to drop them
    # (~0.1 ms a page). At the crawl's level, no line a handler would show is lost.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL", "WARNING"))
    crawlers = []
    for crawl in crawls:
        crawler = process.create_crawler(crawl.spider_class())
        if on_item is not None:
            # weak=False: the dispatcher holds handlers weakly, and a lambda has no other owner.
            # A page handed to the page worker is said once judged (AuditRun.on_judged).
            crawler.signals.connect(
                lambda item, **_: None if getattr(item, "handed_over", False) else on_item(item),
                signal=signals.item_scraped, weak=False,
            )  # fmt: skip
        process.crawl(crawler, **crawl.kwargs)
        crawlers.append(crawler)
    if on_tick is not None:  # once a second, with the stats so far
        from twisted.internet.task import LoopingCall

        ticking = LoopingCall(
            lambda: on_tick(_merged([dict(c.stats.get_stats()) for c in crawlers]))
        )
        ticking.start(1.0, now=False)
    process.start()
    return _merged([dict(c.stats.get_stats()) for c in crawlers])


def _import_handlers_now() -> None:
    """Import the HTTP handler (spiders.handlers, and with it Scrapy's http11, contextfactory
    and tls) before the reactor runs, each deprecated alias those modules make told its module
    without reading the whole stack.

    Scrapy's `create_deprecated_class` names the alias's module from `inspect.stack()[1]`,
    which reads every frame on the stack, and `inspect.getmodule` scans all of sys.modules for
    each frame with no file of its own (the import machinery's): beside napaudit's ~1,200
    modules, 0.22 s against 0.03 s at the same depth (measured 2026-12-03), in every crawl's
    start. While these modules are imported, `scrapy.utils.deprecate` sees an `inspect` whose
    `stack()[1]` holds the caller's frame alone and whose `getmodule` reads that frame's module
    name: the same `__module__` (tests/test_crawl_start.py), everything else the real
    module's."""
    from scrapy.utils import deprecate

    swap = getattr(deprecate, "inspect", None) is inspect  # else a Scrapy that names it otherwise
    if swap:
        deprecate.inspect = _CallerOnly()
    try:
        from napaudit.spiders import handlers  # noqa: F401 (imported once: later, nothing runs)
    finally:
        if swap:
            deprecate.inspect = inspect


class _CallerOnly:
    """`inspect`, but `stack()` gives only its caller's caller (index 1), and `getmodule` of a
    frame is the module its globals name."""

    def __getattr__(self, name: str):
        return getattr(inspect, name)

    @staticmethod
    def stack() -> list:
        return [None, (sys._getframe(2),)]  # [1][0]: the frame that called stack()'s caller

    @staticmethod
    def getmodule(frame):
        return sys.modules.get(frame.f_globals.get("__name__", ""))


def run_crawl(spider_cls, settings: Settings, on_item=None, **spider_kwargs) -> dict:
    """Crawl one spider to the end (or until Ctrl-C) and return the crawl's stats."""
    return run_crawls(settings, [Crawl(spider_cls, spider_kwargs)], on_item)


def _merged(all_stats: list[dict]) -> dict:
    merged: dict = {}
    for stats in all_stats:
        stats.setdefault("finish_reason", "failed")  # the crawler never started
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = (merged.get(key) or 0) + value
            elif key == "finish_reason":  # the first that did not finish says why
                if merged.get(key, "finished") == "finished":
                    merged[key] = value
            else:
                merged.setdefault(key, value)
    return merged


# Log lines a user does not need: a retry given up on is already a listing's outcome and
# reason; deprecation warnings are for developers.
_QUIET_LOGGERS = ("scrapy.downloadermiddlewares.retry", "py.warnings")


class _Redacted(logging.Filter):
    """API keys in URLs never reach a log line. Unless the log is verbose (INFO or DEBUG), a
    traceback is cut to its last line and the lines that repeat a listing's outcome are
    dropped: a user reads outcomes in the summary and the report, not in Scrapy's log."""

    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.verbose and record.name.startswith(_QUIET_LOGGERS):
            return False
        message = record.getMessage()
        if not self.verbose and record.exc_info:
            exc = record.exc_info[1]
            message += f" ({type(exc).__name__}: {exc}; run with -v for the details)"
            record.exc_info = record.exc_text = None
        if "=" in message or record.args:
            record.msg, record.args = redact(message), None
        return True


def _log_to_stderr(level: str) -> None:
    """One stderr handler for the crawl's warnings and errors, with keys redacted."""
    root = logging.getLogger()
    if any(isinstance(f, _Redacted) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    verbose = logging.getLevelName(level) <= logging.INFO
    handler.addFilter(_Redacted(verbose))
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.getLevelName(level)))
