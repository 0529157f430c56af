"""Politeness at every delay: at most CONCURRENT_REQUESTS_PER_DOMAIN requests reach one site at
once, robots.txt obeyed, counted by the server itself.

Scrapy 2.19's downloader, with no delay, starts a request's transfer in a task it counts only
once the task runs, so a whole queue (every request held back while robots.txt was fetched)
could leave at once. napaudit's downloader counts it as it leaves the queue
(spiders.downloader); with Scrapy's own downloader, a crawl keeps 0.25 s of delay at least
(spiders.crawl.FALLBACK_DELAY). Each
crawl here runs `napaudit audit` in a subprocess as a user does, on
the sample web's pages, each answer taking 50 ms so that requests in flight overlap.
"""

from __future__ import annotations

import csv
import http.client
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import SampleWeb, serving, write_demo_targets
from napaudit.spiders import settings

CLIENTS = ROOT / "data" / "samples" / "clients.csv"
PER_SITE = settings.CONCURRENT_REQUESTS_PER_DOMAIN


def _ok_targets(web: SampleWeb, folder: Path) -> Path:
    """The sample web's listing pages that answer at once (no planted timeouts or errors)."""
    everything, urls = folder / "all.csv", folder / "urls.csv"
    write_demo_targets(web, everything)
    with everything.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if web.serve.get(urlsplit(r["url"]).path) == "ok"]
    with urls.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["business_id", "source", "url"])
        writer.writeheader()
        writer.writerows(rows)
    return urls


SCRAPYS = ["--set", "DOWNLOADER=scrapy.core.downloader.Downloader"]  # the fallback delay's case

# `napaudit` as `python -m napaudit` runs it, the crawl held up 3 ms each time Scrapy's downloader
# has handed a request over (a busy machine, a garbage collection): longer than Scrapy's
# downloader had been given as delay, when it let 3 through on CI.
HELD_UP = """
import runpy, sys, time
import scrapy.core.downloader as downloader
hand_over = downloader._schedule_coro
downloader._schedule_coro = lambda coro: (hand_over(coro), time.sleep(0.003))[0]
sys.argv[0] = "napaudit"
runpy.run_module("napaudit", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    "delay, downloader, held_up",
    [("0", [], False), ("0.02", [], False), ("0", SCRAPYS, False),
     ("0", [], True), ("0", SCRAPYS, True)],
    ids=["no-delay", "delay", "no-delay-scrapys-downloader", "no-delay-held-up",
         "no-delay-scrapys-downloader-held-up"],
)  # fmt: skip
def test_at_most_the_per_site_limit_in_flight_with_robots_obeyed(tmp_path, delay, downloader,
                                                                   held_up):  # fmt: skip
    napaudit = ["-c", HELD_UP] if held_up else ["-m", "napaudit"]
    with serving(SampleWeb.from_manifest(latency=0.05)) as web:
        urls = _ok_targets(web, tmp_path)
        pages = sum(1 for _ in urls.open()) - 1
        assert pages >= 20, "enough pages on one site to fill a queue"
        done = subprocess.run(
            [sys.executable, *napaudit, "audit", str(CLIENTS), "--listings", str(urls),
             "--db", str(tmp_path / "polite.db"), "--delay", delay, "--timeout", "10",
             "--report", str(tmp_path / "report"), *downloader, *cli_args(web.base_url)],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env=dict(os.environ),
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    asked = [h.path for h in web.hits]
    assert asked.count("/robots.txt") == 1, "robots.txt read once, before any page"
    assert asked[0] == "/robots.txt"
    assert len(asked) == pages + 1, "every page fetched once"
    (host,) = web.most_in_flight  # every page of the sample web is on one site
    assert 1 <= web.most_in_flight[host] <= PER_SITE, (
        f"{web.most_in_flight[host]} requests in flight on {host} at once, "
        f"against a limit of {PER_SITE}"
    )


class _HeldUpAfterAnswering(SampleWeb):
    """A server thread held up after it has written its answer (a busy machine, the GIL)."""

    @contextmanager
    def answering(self, host: str):
        with super().answering(host) as done:
            yield done
            time.sleep(0.03)


def test_the_server_never_counts_a_client_that_keeps_the_limit_over_it():
    """The count the test above relies on: two clients, each sending its next request on a new
    connection the moment its answer has arrived, are never seen as three in flight, however
    long a server thread takes to get back after answering."""
    web = _HeldUpAfterAnswering.from_manifest(latency=0.01)
    with serving(web):
        port = urlsplit(web.base_url).port
        path = next(p for p, how in web.serve.items() if how == "ok")

        together = threading.Barrier(2)

        def client() -> None:
            together.wait(timeout=10)  # both start at once, so that their requests overlap
            for _ in range(8):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", path)
                assert connection.getresponse().read()
                connection.close()

        threads = [threading.Thread(target=client) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(web.hits) == 16
    assert web.most_in_flight == {f"127.0.0.1:{port}": 2}
