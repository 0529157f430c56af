"""Crawl rate: napaudit's whole pipeline against a bare Scrapy spider, on the same local pages.

    .venv/bin/python bench/crawl.py               # 2,000 pages
    .venv/bin/python bench/crawl.py --pages 500

A local server on 127.0.0.1 serves generated listing pages (JSON-LD LocalBusiness in a page of
ordinary size). Run 1 is `napaudit audit`'s crawl: fetch, extract, normalize, judge, store in
SQLite; with 2,000 pages (over NAPAUDIT_PAGE_WORKER_FROM) a page's work is done by its page
worker, a second process beside the crawl (spiders.pagework). Run 2 is a bare Scrapy spider
that only parses the JSON-LD, with Scrapy's defaults (less its telnet console and remote
control, which napaudit also runs without); run 3 is the same bare spider given
napaudit's CONCURRENT_ITEMS (items handled at once per response), so that the second ratio
shows what the pipeline costs apart from that setting. All run with the same concurrency and
no delay (it is our own server; napaudit's downloader, spiders.downloader, keeps its per-site
limit at no delay without one), each in its own process. The server keeps connections alive,
as web servers do. Target: napaudit at least 0.8 of the bare spider's rate.

`--floor` adds a fourth run: napaudit with no extraction, every page stored as showing no
business (so no page is normalized, scored or judged). Its rate bounds what any saving in the
auditor's work per page can give. Each run's CPU time (the crawling process's with its page
worker, imports included; the server runs in this process) is printed per 1,000 pages beside
the rates, and napaudit's crawling process alone: it moves less than wall time when other jobs
share the cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from napaudit.spiders import settings as napaudit_settings

CONCURRENCY = 16
FILLER = "<p>" + "Customer reviews, photos and nearby places. " * 400 + "</p>"  # ~18 KB


def page(i: int) -> bytes:
    ld = {
        "@context": "https://schema.org",
        "@type": "Dentist",
        "name": f"Harbor Lane Dental {i}",
        "telephone": f"(714) 555-{i % 10000:04d}",
        "url": f"https://www.harbor{i}.example/",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": f"{i} Harbor Boulevard Ste 210",
            "addressLocality": "Costa Mesa",
            "addressRegion": "CA",
            "postalCode": "92626",
        },  # fmt: skip
        "openingHours": "Mo-Fr 08:00-17:00",
    }
    return (
        f"<html><head><title>Harbor Lane Dental {i} - Costa Mesa</title>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><h1>Harbor Lane Dental {i}</h1>{FILLER}</body></html>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer carries its Content-Length
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body = b"User-agent: *\nDisallow:\n"
        else:
            body = page(int(self.path.rsplit("/", 1)[-1]))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


BARE = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import default_settings

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for i in range(int(sys.argv[2])):
            yield scrapy.Request(f"{sys.argv[1]}/biz/{i}")
    def parse(self, response):
        text = response.xpath('//script[@type="application/ld+json"]/text()').get()
        yield json.loads(text)

# As napaudit runs: no telnet console, no remote control (Scrapy 2.19's, on by default), both
# left out of the extensions Scrapy starts from, so that neither is even imported (aiohttp,
# which the remote control imports, is ~0.25 s of a run's start).
left_out = ("scrapy.extensions.remote_control.RemoteControl",
            "scrapy.extensions.telnet.TelnetConsole")
settings = {"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
            "EXTENSIONS_BASE": {k: v for k, v in default_settings.EXTENSIONS_BASE.items()
                                if k not in left_out},
            "WARN_ON_GENERATOR_RETURN_VALUE": False, **json.loads(sys.argv[3])}
process = CrawlerProcess(settings)
start = time.perf_counter()
process.crawl(Bare)
process.start()
print(time.perf_counter() - start)
"""

NAPAUDIT = """
import resource, sys, time
from napaudit.auditing import run_audit
from napaudit.spiders.crawl import CrawlOptions
if sys.argv[5:] == ["floor"]:  # no extraction: each page is stored as showing no business
    import napaudit.spiders.bases.listing as listing
    import napaudit.spiders.pagework as pagework
    from napaudit.spiders.extract import Businesses
    listing.page_businesses = lambda spider, text, url: Businesses()
    pagework.shown_on = lambda text, url, limit: ([], 0)
options = CrawlOptions(delay=0, timeout=20, retries=0, log_level="ERROR")
c = int(sys.argv[4])
extra = {"CONCURRENT_REQUESTS": c, "CONCURRENT_REQUESTS_PER_DOMAIN": c,
         "NAPAUDIT_ALLOW_HOSTS": ["127.0.0.1"]}  # the local server: fetching it is allowed
start = time.perf_counter()
outcome = run_audit(sys.argv[1], sys.argv[2], sys.argv[3], options, extra_settings=extra)
used = resource.getrusage(resource.RUSAGE_SELF)  # this process alone, not its page worker
print(time.perf_counter() - start, outcome.stats.get("item_scraped_count", 0),
      used.ru_utime + used.ru_stime)
"""


def inputs(folder: Path, base: str, pages: int) -> tuple[Path, Path]:
    clients, urls = folder / "clients.csv", folder / "urls.csv"
    with clients.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "address", "city", "state", "zip", "phone", "website"])
        for i in range(pages):
            w.writerow([f"b{i}", f"Harbor Lane Dental {i}", f"{i} Harbor Blvd, Suite 210",
                        "Costa Mesa", "CA", "92626", f"(714) 555-{i % 10000:04d}",
                        f"https://harbor{i}.example"])  # fmt: skip
    with urls.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["business_id", "source", "url"])
        for i in range(pages):
            w.writerow([f"b{i}", "yelp", f"{base}/biz/{i}"])
    return clients, urls


def run(code: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1].split()


def children_cpu() -> float:
    """CPU seconds (user and system) of every child process that has ended so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def own_cpu() -> float:
    """CPU seconds of this process: the server's threads (the main thread waits meanwhile)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def timed(rates: list, cpu: list, pages: int, code: str, *args: str,
          served: list | None = None) -> list[str]:  # fmt: skip
    """Run `code`, whose last line starts with its seconds: its rate and its CPU-s per 1,000
    pages (the crawling process alone: the server runs in this one) join the lists, and the
    server's CPU-s per 1,000 pages meanwhile join `served`."""
    before, serving = children_cpu(), own_cpu()
    said = run(code, *args)
    rates.append(pages / float(said[0]))
    cpu.append((children_cpu() - before) * 1000 / pages)
    if served is not None:
        served.append((own_cpu() - serving) * 1000 / pages)
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians reported")
    parser.add_argument("--floor", action="store_true",
                        help="also napaudit with no extraction (every page stored as showing no "
                             "business, so never normalized, scored or judged): what the crawl "
                             "costs before any of the auditor's work")  # fmt: skip
    args = parser.parse_args()
    ThreadingHTTPServer.request_queue_size = 128  # a crawl opens its connections together
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ours, bare, bare_items, floor = [], [], [], []
    cpu: dict[str, list[float]] = {"napaudit": [], "napaudit_crawl_alone": [], "bare": [],
                                   "bare_items": [], "no_extraction": []}  # fmt: skip
    server_cpu: dict[str, list[float]] = {"napaudit": [], "bare_items": []}
    per_response = napaudit_settings.CONCURRENT_ITEMS
    same = {"CONCURRENT_REQUESTS": CONCURRENCY, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY}
    bare_settings = json.dumps(same)
    items_settings = json.dumps({**same, "CONCURRENT_ITEMS": per_response})
    with tempfile.TemporaryDirectory() as tmp:
        clients, urls = inputs(Path(tmp), base, args.pages)
        for i in range(args.repeat):  # alternate, so that a busy moment hits both alike
            db, c = str(Path(tmp) / f"bench{i}.db"), str(CONCURRENCY)
            _, items, alone = timed(ours, cpu["napaudit"], args.pages, NAPAUDIT, str(clients),
                                    str(urls), db, c, served=server_cpu["napaudit"])  # fmt: skip
            assert int(items) == args.pages, f"napaudit stored {items} of {args.pages} pages"
            cpu["napaudit_crawl_alone"].append(float(alone) * 1000 / args.pages)
            timed(bare, cpu["bare"], args.pages, BARE, base, str(args.pages), bare_settings)
            timed(bare_items, cpu["bare_items"], args.pages, BARE, base, str(args.pages),
                  items_settings, served=server_cpu["bare_items"])  # fmt: skip
            if args.floor:
                db = str(Path(tmp) / f"floor{i}.db")
                timed(floor, cpu["no_extraction"], args.pages, NAPAUDIT, str(clients),
                      str(urls), db, c, "floor")  # fmt: skip
    server.shutdown()
    ours_rate, bare_rate = statistics.median(ours), statistics.median(bare)
    items_rate = statistics.median(bare_items)
    ratio, items_ratio = ours_rate / bare_rate, ours_rate / items_rate
    result = {"pages": args.pages, "runs": args.repeat,
              "napaudit_pages_per_s": [round(x) for x in ours],
              "bare_pages_per_s": [round(x) for x in bare],
              f"bare_concurrent_items_{per_response}_pages_per_s": [round(x) for x in bare_items],
              "ratio_of_medians": round(ratio, 2),
              "ratio_to_bare_with_same_items": round(items_ratio, 2)}  # fmt: skip
    if floor:
        floor_rate = statistics.median(floor)
        result |= {"napaudit_no_extraction_pages_per_s": [round(x) for x in floor],
                   "no_extraction_ratio_to_bare_with_same_items":
                       round(floor_rate / items_rate, 2)}  # fmt: skip
    result["cpu_s_per_1000_pages"] = {k: [round(x, 2) for x in v] for k, v in cpu.items() if v}
    result["server_cpu_s_per_1000_pages"] = {k: [round(x, 2) for x in v]
                                             for k, v in server_cpu.items()}  # fmt: skip
    print(json.dumps(result))
    print(f"napaudit {ours_rate:.0f} pages/s; bare Scrapy {bare_rate:.0f} pages/s with its "
          f"defaults, {items_rate:.0f} with CONCURRENT_ITEMS={per_response} (medians of "
          f"{args.repeat}): ratios {ratio:.2f} and {items_ratio:.2f} (target >= 0.8)")  # fmt: skip
    if floor:
        print(f"napaudit with no extraction (no page normalized, scored or judged): "
              f"{floor_rate:.0f} pages/s, {floor_rate / items_rate:.2f} of the bare spider with "
              f"CONCURRENT_ITEMS={per_response}")  # fmt: skip
    used = ", ".join(f"{k.replace('_', ' ')} {statistics.median(v):.2f}"
                     for k, v in cpu.items() if v)  # fmt: skip
    print(f"CPU-s per 1,000 pages of the crawling process with its page worker, if any "
          f"(medians): {used}")  # fmt: skip
    # The bench's two cores run the server too: napaudit's processes and the server together
    # cannot go past 2 cores' worth, whatever each process's own share.
    whole = statistics.median(cpu["napaudit"]) + statistics.median(server_cpu["napaudit"])
    print(f"the server's CPU-s per 1,000 pages (medians): beside napaudit "
          f"{statistics.median(server_cpu['napaudit']):.2f}, beside the bare spider with "
          f"CONCURRENT_ITEMS={per_response} {statistics.median(server_cpu['bare_items']):.2f}; "
          f"napaudit and its server together {whole:.2f}, so at most {2000 / whole:.0f} pages/s "
          f"on 2 cores (imports included)")  # fmt: skip


if __name__ == "__main__":
    main()
