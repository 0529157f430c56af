"""API keys never on disk: the key is added to a request only as it is sent, so that the HTTP
cache (`--cache`) and the JOBDIR queue an interrupted run leaves behind hold none; and both are
private to the user. Every file a run leaves is searched for the key."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from napaudit.sampleweb.generated import GeneratedWeb, businesses, write_clients
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import serving
from napaudit.spiders.keys import SEND_KEY, ApiKeyMiddleware
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

KEY = "test-secret-5f1c9a"
ENV = {"GOOGLE_PLACES_API_KEY": KEY, "FOURSQUARE_API_KEY": KEY, "AZURE_MAPS_KEY": KEY,
       "YELP_API_KEY": KEY}  # fmt: skip
SOURCES = ["google", "foursquare", "azuremaps", "yelp"]


class Spider:
    name, api_key = "test", KEY


def middleware() -> ApiKeyMiddleware:
    crawler = get_crawler()
    crawler.spider = Spider()
    return ApiKeyMiddleware.from_crawler(crawler)


def test_the_key_is_on_the_wire_only():
    keys = middleware()
    header = Request("https://places.example/v1/search", meta={SEND_KEY: {
        "header": "Authorization", "prefix": "Bearer "}})  # fmt: skip
    keys.process_request(header)
    assert header.headers["Authorization"] == f"Bearer {KEY}".encode()
    keys.process_response(header, TextResponse(header.url, body=b"{}"))
    assert "Authorization" not in header.headers

    param = Request("https://maps.example/search/poi/json?query=x",
                    meta={SEND_KEY: {"param": "subscription-key"}})  # fmt: skip
    keys.process_request(param)
    assert param.url == f"https://maps.example/search/poi/json?query=x&subscription-key={KEY}"
    answer = keys.process_response(param, TextResponse(param.url, body=b"{}"))
    assert param.url == answer.url == "https://maps.example/search/poi/json?query=x"
    keys.process_request(param)
    keys.process_exception(param, TimeoutError())  # a failed send leaves no key either
    assert KEY not in param.url


def test_no_key_for_another_host_or_a_request_that_asks_none():
    keys = middleware()
    moved = Request("https://elsewhere.example/x", meta={
        SEND_KEY: {"header": "X-Goog-Api-Key"},
        "redirect_urls": ["https://places.example/v1/places/1"]})  # fmt: skip
    keys.process_request(moved)
    assert "X-Goog-Api-Key" not in moved.headers
    page = Request("https://www.yelp.example/biz/x")
    keys.process_request(page)
    assert not page.headers.get("Authorization")


def files_holding(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def audit(web, clients: Path, db: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "napaudit", "audit", str(clients), "--sources", ",".join(SOURCES),
         "--db", str(db), "--delay", "0", "--timeout", "5", "--report", str(db.parent / "report"),
         *cli_args(web.base_url), *more],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **ENV},
    )  # fmt: skip


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    generated = businesses(12)
    clients = write_clients(folder / "clients.csv", generated)
    with serving(GeneratedWeb(generated, SOURCES, latency=0.05)) as served:
        yield served, clients, folder


def test_cache_holds_no_key_and_is_private(web):
    served, clients, folder = web
    run = folder / "cached"
    run.mkdir()
    done = audit(served, clients, run / "a.db", "--cache")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err[-3000:]
    cache = run / "a.db.httpcache"
    entries = {p.parent.parent.parent.name for p in cache.rglob("pickled_meta")}
    assert entries == set(SOURCES)  # every API's answers were cached...
    assert files_holding(run, KEY) == []  # ...and no file of the run holds the key
    assert KEY not in out + err
    for path in [cache, *cache.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    # the cached answers are used again: a second run asks the server nothing new
    before = len(served.hits)
    again = audit(served, clients, run / "a.db", "--cache")
    assert again.wait(timeout=300) == 0
    assert len(served.hits) == before
    assert files_holding(run, KEY) == []


def test_an_interrupted_run_leaves_no_key_in_its_jobdir(web):
    served, clients, folder = web
    run = folder / "cut"
    run.mkdir()
    start = len(served.hits)
    cut = audit(served, clients, run / "a.db")
    while cut.poll() is None and len(served.hits) - start < 15:
        time.sleep(0.02)
    cut.send_signal(signal.SIGINT)  # Ctrl-C while most requests still wait in the queue
    _, err = cut.communicate(timeout=120)
    assert cut.returncode == 130, err[-3000:]
    jobs = run / "a.db.jobs"
    queued = [p for p in jobs.rglob("*") if p.is_file() and "requests.queue" in str(p)]
    assert sum(p.stat().st_size for p in queued) > 0  # requests did wait there
    assert files_holding(run, KEY) == []
    for spider_dir in {p.parent for p in jobs.rglob("requests.queue")}:
        assert stat.S_IMODE(spider_dir.stat().st_mode) == 0o700
    # and the resumed run still sends the key where each API takes it
    resumed = audit(served, clients, run / "a.db", "--resume")
    assert resumed.wait(timeout=300) == 0
    asked = [h for h in served.hits[start:] if h.path.startswith("/azuremaps/")]
    assert asked and all(f"subscription-key={KEY}" in h.query for h in asked)
    assert files_holding(run, KEY) == []
