"""Politeness and its cost: requests in flight on one site, with and without robots.txt, at no
delay with Scrapy's downloader and with napaudit's (spiders.downloader), and at 1 ms of delay
(what napaudit keeps when its downloader cannot be used), on a small server and the sample web's.

    .venv/bin/python bench/politeness.py            # 200 pages a run
    .venv/bin/python bench/politeness.py --pages 500

The bare Scrapy spider of bench/crawl.py (2 requests per site, as napaudit's default) fetches
its pages from a server that counts the requests it is answering at once. Each run is its own
process. Printed per run: wall seconds and the most requests the server saw in flight. "small
server": HTTP/1.0 and the standard library's listen backlog of 5, the sample web before
2026-12-02; "sample web": keep-alive and a backlog of 128, as the sample web serves now.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawl import BARE, page  # the bare spider and the pages of bench/crawl.py
from napaudit.spiders import settings
from napaudit.spiders.crawl import FALLBACK_DELAY

SCRAPYS = "scrapy.core.downloader.Downloader"


class Counting:
    def __init__(self) -> None:
        self.lock, self.now, self.most = threading.Lock(), 0, 0

    def handler(self, keep_alive: bool) -> type[BaseHTTPRequestHandler]:
        counting = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

            def do_GET(self) -> None:  # noqa: N802
                with counting.lock:
                    counting.now += 1
                    counting.most = max(counting.most, counting.now)
                try:
                    time.sleep(0.002)  # a page takes a moment to make
                    robots = self.path == "/robots.txt"
                    body = b"User-agent: *\nDisallow:\n" if robots else page(int(self.path[5:]))
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with counting.lock:
                        counting.now -= 1

            def log_message(self, *args) -> None:
                return

        return Handler


def run(pages: int, robots: bool, delay: float, keep_alive: bool, backlog: int,
        downloader: str) -> tuple:  # fmt: skip
    counting = Counting()
    server_class = type("Server", (ThreadingHTTPServer,), {"request_queue_size": backlog})
    server = server_class(("127.0.0.1", 0), counting.handler(keep_alive))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    polite = {
        "ROBOTSTXT_OBEY": robots,
        "DOWNLOAD_DELAY": delay,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.CONCURRENT_REQUESTS_PER_DOMAIN,
        "DOWNLOADER": downloader,
    }
    done = subprocess.run([sys.executable, "-c", BARE, base, str(pages), json.dumps(polite)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    server.shutdown()
    server.server_close()
    return float(done.stdout.split()[-1]), counting.most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    print(f"{args.pages} pages, at most {settings.CONCURRENT_REQUESTS_PER_DOMAIN} requests per "
          "site asked; wall seconds, most in flight at once")  # fmt: skip
    ways = (("Scrapy's downloader", SCRAPYS, 0.0), ("Scrapy's downloader", SCRAPYS, FALLBACK_DELAY),
            ("napaudit's downloader", settings.DOWNLOADER, 0.0))  # fmt: skip
    for server, keep_alive, backlog in (("small server", False, 5), ("sample web", True, 128)):
        for robots in (False, True):
            for name, downloader, delay in ways:
                seconds, most = run(args.pages, robots, delay, keep_alive, backlog, downloader)
                said = f"{name:<21}  delay {delay:<5}  {seconds:6.2f} s  {most:>3} in flight"
                print(f"{server:<12}  robots.txt {'obeyed ' if robots else 'ignored'}  {said}")


if __name__ == "__main__":
    main()
