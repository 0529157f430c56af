"""Evidence kept: `--archive` writes every fetch to a WARC file, and `audit --replay` judges from
it with no network. Audits run as a user runs them (subprocesses against the local sample web);
during each replay nothing serves the sample web's address, and a trap listening there counts
every connection attempt."""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, realdata
from napaudit.sampleweb.generated import GeneratedWeb, businesses, stored, write_clients
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import SampleWeb, serving, write_demo_targets
from napaudit.spiders.archive import ArchiveMiddleware, prepare_archive
from napaudit.spiders.extract import extract
from napaudit.spiders.keys import SEND_KEY
from napaudit.spiders.outcome import from_failure
from napaudit.spiders.replay import NotInArchive, ReplayHandler, ReplayIndex, replay_settings
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from warcio.archiveiterator import ArchiveIterator

from napaudit.cli import cli

CLIENTS = ROOT / "data" / "samples" / "clients.csv"
KEY = "test-secret-7d2e4b"
SOURCES = ["google", "foursquare", "azuremaps", "yelp"]  # keys in a header, a param, a bearer
KEY_ENV = ["GOOGLE_PLACES_API_KEY", "FOURSQUARE_API_KEY", "AZURE_MAPS_KEY", "YELP_API_KEY"]


def napaudit(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "napaudit", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env or dict(os.environ),
    )  # fmt: skip


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


class Caught(list):
    port = 0


@contextmanager
def trap(base_url: str):
    """Listen where the sample web was (or on a free port): every connection is counted."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", urlsplit(base_url).port))
    server.listen()
    server.settimeout(0.2)
    caught, stop = Caught(), threading.Event()
    caught.port = server.getsockname()[1]

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            caught.append(connection.recv(200))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield caught
    finally:
        stop.set()
        thread.join()
        server.close()


def records(path: Path) -> list:
    """(type, target URI, WARC-Date, http status or method, body) of every record."""
    found = []
    with path.open("rb") as f:
        for r in ArchiveIterator(f):
            http = r.http_headers
            what = (http.get_statuscode() or http.protocol) if http else ""
            found.append((r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                          r.rec_headers.get_header("WARC-Date"), what, r.content_stream().read()))  # fmt: skip
    return found


# --- the acceptance test: an audit archived and replayed gives the same findings, no network ---


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """An audit of the sample clients' listing pages, archived; the sample web then stops."""
    folder = tmp_path_factory.mktemp("archive")
    urls = folder / "urls.csv"
    with serving(SampleWeb.from_manifest(hang_seconds=4)) as web:
        write_demo_targets(web, urls)
        run = napaudit("audit", str(CLIENTS), "--listings", str(urls), "--db",
                       str(folder / "live.db"), "--delay", "0", "--timeout", "2", "--report",
                       str(folder / "live"), "--archive", str(folder / "run.warc.gz"),
                       *cli_args(web.base_url))  # fmt: skip
        code, out, err = finish(run)
        hits = list(web.hits)
    assert code == 3, err[-3000:]  # 3: the planted blocked and timed-out pages
    return folder, web.base_url, out, err, hits


def test_an_archived_audit_replayed_gives_the_same_findings_without_the_network(archived):
    folder, base_url, _, _, _ = archived
    urls = folder / "urls.csv"
    more = folder / "more.csv"  # the same pages, and one the archive never saw
    more.write_text(urls.read_text() + "harbor-lane,yelp,http://sampleweb.test/yelp/biz/gone\n")
    with trap(base_url) as caught:
        replay = napaudit("audit", str(CLIENTS), "--listings", str(more), "--db",
                          str(folder / "replay.db"), "--timeout", "2", "--report",
                          str(folder / "replayed"), "--replay", str(folder / "run.warc.gz"),
                          *cli_args(base_url))  # fmt: skip
        code, out, err = finish(replay)
    assert code == 3, err[-3000:]
    assert caught == []  # not one connection: the network was never opened
    live_listings, live_findings = stored(folder / "live.db")
    listings, findings = stored(folder / "replay.db")
    unseen = {row for row in listings if row[2].endswith("/yelp/biz/gone")}
    assert listings - unseen == live_listings  # outcomes and reasons ("timed out" included)
    assert findings == live_findings and len(findings) > 150
    assert [row[3:] for row in unseen] == [
        ("error", f"not in the archive {folder / 'run.warc.gz'}")
    ]
    assert f"Replaying {folder / 'run.warc.gz'}" in err
    assert "1 requests were not in" in err


def test_the_archive_holds_every_fetch_dated_and_whole(archived):
    folder, base_url, _, err, hits = archived
    path = folder / "run.warc.gz"
    said = re.search(r"Archived in (.+): 41 responses, (\d+) fetches that got none\.", err)
    assert said and said.group(1) == str(path), err[-3000:]
    kept = records(path)
    assert kept[0][0] == "warcinfo"
    answers = [(kind, uri, what, body) for kind, uri, _, what, body in kept
               if kind in ("response", "metadata")]  # fmt: skip
    # every request the server saw, one answer each: robots.txt, every page, the failures
    assert sorted(urlsplit(uri).path for _, uri, _, _ in answers) == sorted(h.path for h in hits)
    assert {what for kind, _, what, _ in answers if kind == "response"} == {"200", "403", "404",
                                                                          "410"}  # fmt: skip
    failed = [(urlsplit(uri).path, body) for kind, uri, _, body in answers if kind == "metadata"]
    assert len(failed) == int(said.group(2))  # as the user was told
    assert all(b"DownloadTimeoutError" in body for _, body in failed)
    # The page that never answers, tried three times. On a loaded machine another page's first
    # try may time out too (CI, 2026-12-03: 4 fetches): retried, answered, still 41 responses.
    planted = SampleWeb.from_manifest().serve.items()
    never = [p for p, behaviour in planted if behaviour == "timeout"]
    assert [p for p, _ in failed if p in never] == never * 3
    for kind, uri, date, _, _ in kept[1:]:
        assert uri.startswith(base_url + "/") and kind in ("request", "response", "metadata")
        assert date.startswith(time.strftime("%Y-%m-%dT", time.gmtime(path.stat().st_mtime)))
    assert [k for k, *_ in kept[1:]].count("request") == len(kept[1:]) // 2
    with gzip.open(path) as f:  # one gzip member a record: any gzip reader reads it whole
        assert f.read().count(b"WARC/1.1\r\n") == len(kept)
    assert os.stat(path).st_mode & 0o777 == 0o600


# --- keys: never in the archive; a replay needs none ---


def test_an_interrupted_batch_resumed_archives_everything_without_the_key(tmp_path):
    generated = businesses(12)
    clients = write_clients(tmp_path / "clients.csv", generated)
    archive, db = tmp_path / "apis.warc.gz", tmp_path / "apis.db"
    env = {**os.environ, **dict.fromkeys(KEY_ENV, KEY)}
    with serving(GeneratedWeb(generated, SOURCES, latency=0.05)) as web:
        args = ["batch", str(clients), "--sources", ",".join(SOURCES), "--db", str(db),
                "--delay", "0", "--timeout", "10", "--report", str(tmp_path / "report"),
                "--archive", str(archive), *cli_args(web.base_url)]  # fmt: skip
        cut = napaudit(*args, env=env)
        while cut.poll() is None and len(web.hits) < 15:
            time.sleep(0.02)
        cut.send_signal(signal.SIGINT)
        assert finish(cut)[0] == 130
        first = archive.stat().st_size
        code, _, err = finish(napaudit(*args, env=env))
        assert code == 2 and "already exists" in err  # a new run never writes over evidence
        code, _, err = finish(napaudit(*args, "--resume", env=env))
        assert code == 0, err[-3000:]
    assert archive.stat().st_size > first
    whole = gzip.decompress(archive.read_bytes())
    assert KEY.encode() not in whole and KEY.encode() not in archive.read_bytes()
    lower = whole.lower()
    assert b"x-goog-api-key: redacted" in lower  # the header was sent, and is kept without it
    assert b"subscription-key=redacted" in lower and b"authorization: redacted" in lower
    assert whole.count(b"WARC-Type: warcinfo") == 2  # each attempt of the run opens its own

    # replayed with no key anywhere: the same listings and findings as the resumed run
    bare = {k: v for k, v in os.environ.items() if k not in KEY_ENV}
    with trap(web.base_url) as caught:
        replay = napaudit("audit", str(clients), "--sources", ",".join(SOURCES), "--db",
                          str(tmp_path / "replay.db"), "--report", str(tmp_path / "replayed"),
                          "--replay", str(archive), *cli_args(web.base_url), env=bare)  # fmt: skip
        code, _, err = finish(replay)
    assert code == 0, err[-3000:]
    assert caught == []
    listings, findings = stored(db)
    assert len(listings) >= 12 * len(SOURCES) and findings
    assert stored(tmp_path / "replay.db") == (listings, findings)


def test_a_real_page_is_judged_at_its_real_url_from_an_archive(tmp_path):
    """A page saved from yelp.com by others, archived at the address it was saved from; the
    replay runs with every proxy variable pointing at a trap, so a fetch would be caught."""
    saved = realdata("realweb", "yelp", "biz_2016_rosinas-oceanside.html").read_bytes()
    url = "https://www.yelp.com/biz/rosinas-italian-restaurant-oceanside-oceanside"
    warc = tmp_path / "yelp.warc.gz"
    archive_fetches(warc, [(Request(url), HtmlResponse(url, body=saved))])
    shown = extract(saved, url)[0].as_dict()  # the client is who the page shows
    fields = ["name", "address", "city", "state", "zip", "phone"]
    (tmp_path / "clients.csv").write_text(
        "id," + ",".join(fields) + "\n" + ",".join(["c", *(shown[f] for f in fields)]) + "\n"
    )
    (tmp_path / "urls.csv").write_text(f"business_id,source,url\nc,yelp,{url}\n")
    with trap("http://127.0.0.1:0") as caught:
        proxy = f"http://127.0.0.1:{caught.port}"
        env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
        code, _, err = finish(napaudit(
            "audit", str(tmp_path / "clients.csv"), "--listings", str(tmp_path / "urls.csv"),
            "--db", str(tmp_path / "a.db"), "--report", str(tmp_path / "report"),
            "--replay", str(warc), env=env))  # fmt: skip
    assert code == 0, err[-3000:]
    assert caught == []
    listings, findings = stored(tmp_path / "a.db")
    assert [row[2:4] for row in listings] == [(url, "ok")]
    assert {row[3]: row[4] for row in findings}["phone"] == "match"


# --- the parts, in this process ---


class Spider:
    name, api_key = "google", KEY


def crawler(**settings):
    made = get_crawler(settings_dict=settings)
    made.spider = Spider()
    return made


def archive_fetches(path: Path, answers: list) -> None:
    """Archive (request, response or exception) pairs as a crawl's last middleware sees them."""
    middleware = ArchiveMiddleware.from_crawler(crawler(NAPAUDIT_ARCHIVE=str(path)))
    for request, answer in answers:
        middleware.process_request(request)
        if isinstance(answer, Exception):
            middleware.process_exception(request, answer)
        else:
            middleware.process_response(request, answer)


def search(text: str, key: str = KEY) -> Request:
    """An API search as it goes on the wire: the key in a header and in the query."""
    return Request(f"https://places.example/v1/places:searchText?key={key}", method="POST",
                   body=f'{{"textQuery": "{text}", "key": "{key}"}}'.encode(),
                   headers={"X-Goog-Api-Key": key}, meta={SEND_KEY: {"header": "X-Goog-Api-Key"}})  # fmt: skip


def page(url: str, body: str, status: int = 200) -> HtmlResponse:
    return HtmlResponse(url, status=status, body=body.encode(),
                        headers={"X-Echo": KEY, "Set-Cookie": ["a=1", "b=2"]})  # fmt: skip


def replay(handler: ReplayHandler, request: Request):
    return asyncio.run(handler.download_request(request))


def test_replay_matches_method_url_and_body_and_gives_answers_in_order(tmp_path):
    path = tmp_path / "a.warc.gz"
    timeout = DownloadTimeoutError("Getting https://slow.example/ took longer than 2.0 seconds.")
    archive_fetches(path, [
        (search("cafe"), page(search("cafe").url, "<p>Cafe</p>")),
        (search("deli"), page(search("deli").url, "<p>busy</p>", status=503)),
        (search("deli"), page(search("deli").url, f"<p>Deli {KEY}</p>")),
        (Request("https://slow.example/"), timeout),
        (Request("https://site.example/robots.txt"), IgnoreRequest("forbidden by robots.txt")),
    ])  # fmt: skip
    assert KEY.encode() not in gzip.decompress(path.read_bytes())
    handler = ReplayHandler(crawler(**replay_settings(str(path))))
    handler.crawler.spider.api_key = "another-key"  # what the replay sends is never compared
    assert replay(handler, search("cafe", "another-key")).text == "<p>Cafe</p>"
    deli = [replay(handler, search("deli", "another-key")) for _ in range(3)]
    assert [r.status for r in deli] == [503, 200, 200]  # in order, then the last again
    assert deli[1].text == "<p>Deli REDACTED</p>" and deli[1].headers["X-Echo"] == b"REDACTED"
    assert deli[1].headers.getlist("Set-Cookie") == [b"a=1", b"b=2"]
    with pytest.raises(Exception) as failed:
        replay(handler, Request("https://slow.example/"))
    assert from_failure(Failure(failed.value)) == ("error", "timed out")  # as it failed then
    with pytest.raises(NotInArchive, match=f"not in the archive {path}"):
        replay(handler, Request("https://site.example/robots.txt"))  # never fetched: not kept
    with pytest.raises(NotInArchive):
        replay(handler, search("bakery", "another-key"))  # same URL, another body


def test_replay_replaces_every_network_handler_and_resolves_no_name():
    settings = replay_settings("x.warc.gz")
    handlers = settings["DOWNLOAD_HANDLERS"]
    assert set(handlers) >= {"http", "https"}
    assert {h.rsplit(".", 1)[1] for h in handlers.values()} == {"ReplayHandler"}
    resolver = load_object(settings["TWISTED_DNS_RESOLVER"]).from_crawler(None, reactor=None)
    failure = resolver.getHostByName("www.yelp.com")
    assert failure.result.check(DNSLookupError)
    failure.addErrback(lambda _: None)


def test_a_torn_last_record_is_cut_off_before_a_resume_appends(tmp_path):
    path, other = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    archive_fetches(path, [(Request("https://a.example/"), page("https://a.example/", "A"))])
    archive_fetches(other, [(Request("https://b.example/"), page("https://b.example/", "B"))])
    with path.open("ab") as f:  # a process killed while writing a record: its end is missing
        f.write(other.read_bytes()[:-20])
    with pytest.raises(EOFError):
        gzip.decompress(path.read_bytes())
    assert len(ReplayIndex.load(str(path))) == 1  # a replay reads the whole records only
    prepare_archive(str(path), resume=True)
    gzip.decompress(path.read_bytes())  # whole again
    assert [r[0] for r in records(path)] == ["warcinfo", "request", "response", "warcinfo",
                                             "request"]  # fmt: skip
    archive_fetches(path, [(Request("https://c.example/"), page("https://c.example/", "C"))])
    assert [(r[1], r[4]) for r in records(path)][-1] == ("https://c.example/", b"C")


def test_an_archive_that_cannot_be_written_stops_the_run(tmp_path):
    (tmp_path / "file").write_text("")
    made = crawler(NAPAUDIT_ARCHIVE=str(tmp_path / "file" / "a.warc.gz"))  # under a file
    stopped = []

    class Engine:
        async def close_spider_async(self, reason: str) -> None:
            stopped.append(reason)

    made.engine = Engine()
    middleware = ArchiveMiddleware.from_crawler(made)
    request = Request("https://a.example/")

    async def fetch() -> None:  # in a running loop, as a crawl is
        middleware.process_request(request)
        middleware.process_response(request, page(request.url, "A"))
        await asyncio.sleep(0)

    asyncio.run(fetch())
    assert stopped == ["archive_failed"]  # the run is kept as interrupted: --resume goes on
    assert "a.warc.gz could not be written" in made.stats.get_value("napaudit/store_failed")


def test_archive_and_replay_options_refuse_what_cannot_work(runner, tmp_path):
    kept = tmp_path / "kept.warc.gz"
    archive_fetches(kept, [(Request("https://a.example/"), page("https://a.example/", "A"))])
    before = kept.read_bytes()
    db = str(tmp_path / "a.db")
    cases = [
        (["--archive", str(kept)], f"{kept} already exists"),
        (["--archive", str(kept), "--replay", str(kept)], "a replay fetches nothing"),
        (["--replay", str(kept), "--cache"], "--replay and --cache"),
        (["--replay", str(tmp_path / "none.warc.gz")], "cannot be read"),
        (["--replay", str(CLIENTS)], "not a WARC file"),
    ]
    for args, message in cases:
        done = runner.invoke(cli, ["audit", str(CLIENTS), "--db", db, *args])
        assert done.exit_code == 2, (args, done.output)
        assert message in done.output, (args, done.output)
    assert kept.read_bytes() == before
