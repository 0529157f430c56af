"""Crawl settings: polite by default. Obey robots.txt, go slowly, say who we are.

napaudit never solves CAPTCHAs or rotates proxies: a page that blocks us is reported as
"not checked: blocked", and the owner checks it by hand.
"""

from napaudit.spiders.bases.parquet_bulk import BULK_SIZE
from scrapy.settings import default_settings as _scrapy_defaults

from napaudit import __version__

BOT_NAME = "napaudit"
SPIDER_MODULES = ["napaudit.spiders.sources"]
NEWSPIDER_MODULE = "napaudit.spiders.sources"

# Who we are: the project and where to read about it. NAPAUDIT_USER_AGENT overrides it.
USER_AGENT = f"napaudit/{__version__} (+https://github.com/napaudit/napaudit; listing audit)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
# Scrapy's downloader, each request counted against its site's limit as it leaves the queue:
# Scrapy 2.19's counts it only once its task runs, so at no delay a site's whole queue (every
# request held back while robots.txt was read) left at once, 15 in flight against the 2 above
# (spiders.downloader, tests/test_politeness.py). Where it cannot be used (another DOWNLOADER,
# a Scrapy without its parts), a crawl runs with at least 0.25 s of delay instead
# (spiders.crawl.FALLBACK_DELAY).
DOWNLOADER = "napaudit.spiders.downloader.CountingDownloader"
# Scrapy's in-memory stats, each counted without Scrapy 2.19's per-attribute shim (spiders.stats).
STATS_CLASS = "napaudit.spiders.stats.CrawlStats"
# Scrapy's HTTP/1.1 handler, whose close no longer logs a traceback when the event loop was held
# up as the crawl ended (spiders.handlers).
DOWNLOAD_HANDLERS = {
    "http": "napaudit.spiders.handlers.Http11Handler",
    "https": "napaudit.spiders.handlers.Http11Handler",
}
# The least delay a crawl runs with, whatever is asked (--delay 0 included).
MIN_DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 20
REDIRECT_MAX_TIMES = 5

# Retries with backoff on 5xx and 429, honouring Retry-After (spiders.middlewares).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubled each time
RETRY_BACKOFF_MAX = 60.0  # and never longer than this, whatever Retry-After says
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "napaudit.spiders.middlewares.PoliteRetryMiddleware": 550,
    # After the HTTP cache (900): API keys are added at send time only (spiders.keys).
    "napaudit.spiders.keys.ApiKeyMiddleware": 950,
    # Only public http(s) addresses, every redirect and meta-refresh hop included: after a
    # middleware that rewrites addresses (the sample web's, 50), before robots.txt (100), so a
    # refused address costs no robots.txt request either.
    "napaudit.spiders.fetchpolicy.FetchPolicyMiddleware": 60,
    # Last, closest to the wire: each fetch written to the WARC file NAPAUDIT_ARCHIVE names
    # (--archive), keys redacted (spiders.archive); off while the setting is empty.
    "napaudit.spiders.archive.ArchiveMiddleware": 960,
}
# Hosts that may be fetched even when private: "name", "1.2.3.4" or either with ":port".
NAPAUDIT_ALLOW_HOSTS: list[str] = []
NAPAUDIT_ARCHIVE = ""

ITEM_PIPELINES = {"napaudit.spiders.pipelines.AuditPipeline": 300}
# Items of one response processed at once. Scrapy's default (100) starts 100 asyncio tasks per
# response whatever it yields (a page yields one listing): ~0.1 ms a page for nothing.
CONCURRENT_ITEMS = 4

# Resuming (napaudit audit --resume): with no start queue of their own, start requests share
# JOBDIR's one disk queue with the requests they lead to (a separate start queue cost ~15 % of a
# fast crawl, measured 2026-11-24). A resumed run skips what the store holds and what the
# spider's state says was already scheduled (spiders.bases.search.SearchSpider.still_to_search).
SCHEDULER_START_DISK_QUEUE = None

# Open data (Overture, Foursquare OS Places): read the newest published release over the network
# when no local file is given. Off, such a source is "not checked" with the reason.
NAPAUDIT_OPEN_DATA_REMOTE = True
# Businesses whose open-data candidates one DuckDB query reads (spiders.bases.parquet_bulk); 0:
# one query per business.
NAPAUDIT_OPEN_DATA_BULK = BULK_SIZE

# At most this many businesses are read from one page (a JSON-LD @graph of 100,000 places);
# the rest are counted (napaudit/extract/left_out). 0: no limit.
NAPAUDIT_PAGE_LIMIT = 1000

# From this many pages to fetch, `audit --listings` reads and judges them in a second process
# beside the crawl (spiders.pagework), when there is a second core; 0: always in the crawl.
NAPAUDIT_PAGE_WORKER_FROM = 200

# Stop before the disk holding the database fills (spiders.diskguard): the audit sets the path.
# Scrapy 2.19's remote control is on by default: an HTTP server on localhost that runs any Python
# code sent with its token, inside the crawl (which holds the API keys), the token written to a
# file in the user's state folder (~/.local/state/scrapy/job_files) that a killed crawl leaves
# behind. napaudit never uses it: off, and not even imported. Set to None in EXTENSIONS, it was
# still imported (Scrapy loads every key to dedupe them) and aiohttp with it, ~0.25 s of every
# crawl's start: it is left out of the extensions Scrapy starts from, and so is the telnet
# console (off below).
EXTENSIONS_BASE = {
    name: order
    for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if name.rsplit(".", 1)[-1] not in ("RemoteControl", "TelnetConsole")
}
EXTENSIONS = {"napaudit.spiders.diskguard.DiskGuard": 500}
REMOTE_CONTROL_ENABLED = False
NAPAUDIT_MIN_FREE_MB = 2.0

# Development cache (napaudit audit --cache): stored beside the database.
HTTPCACHE_ENABLED = False
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_STORAGE = "napaudit.spiders.keys.PrivateCacheStorage"  # folders 0700, files 0600

# Generators here return nothing; the check costs ~15 % of a fast crawl (measured upstream).
WARN_ON_GENERATOR_RETURN_VALUE = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "WARNING"
TELNETCONSOLE_ENABLED = False
