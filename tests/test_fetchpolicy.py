"""The fetch policy: no request reaches a private address, whether a listing URL names one or a
listing page redirects there (a 3xx Location or a meta refresh).

The crawls run `napaudit audit` in a subprocess against two servers on 127.0.0.1: a hostile
listing site (allowed by port, as the sample web is allowed) whose pages redirect, and an
"internal" server that logs every request it gets. A tripwire middleware, placed after every
other one, stops any request for an address other than 127.0.0.1 before it leaves, so that a
broken policy fails these tests without touching the network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import ROOT
from napaudit.spiders.fetchpolicy import (
    AddressRefused,
    Allowed,
    FetchPolicyMiddleware,
    entry_for,
    literal_address,
    not_public,
)
from napaudit.spiders.outcome import from_failure
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.internet import error as net
from twisted.python.failure import Failure

INTERNAL_NAME = "Internal Admin Console"  # what the internal server's page shows
INTERNAL_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "LocalBusiness", '
    f'"name": "{INTERNAL_NAME}", "telephone": "(312) 555-0199"}}</script></head></html>'
).encode()
LISTING_PAGE = (
    b'<html><head><script type="application/ld+json">{"@type": "LocalBusiness", '
    b'"name": "Acme Plumbing", "telephone": "(312) 555-0100"}</script></head></html>'
)


class Tripwire:
    """Test-only: refuses (and logs) any request for a host other than 127.0.0.1."""

    def __init__(self, log: str):
        self.log = log

    @classmethod
    def from_crawler(cls, crawler) -> Tripwire:
        return cls(crawler.settings.get("TRIPWIRE_LOG"))

    def process_request(self, request: Request) -> None:
        if urlsplit(request.url).hostname != "127.0.0.1":
            with open(self.log, "a", encoding="utf-8") as f:
                f.write(request.url + "\n")
            raise IgnoreRequest(f"tripwire: {request.url}")


def _server(handle) -> tuple[ThreadingHTTPServer, list[str]]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            status, headers, body = handle(self.path)
            self.send_response(status)
            for name, value in {"Content-Type": "text/html", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


def _hostile(path: str) -> tuple[int, dict, bytes]:
    parts = urlsplit(path)
    to = parse_qs(parts.query).get("to", [""])[0]
    if parts.path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"
    if parts.path == "/redirect":
        return 302, {"Location": to}, b""
    if parts.path == "/refresh":
        return 200, {}, f'<html><head><meta http-equiv="refresh" content="0; url={to}">'.encode()
    return 200, {}, LISTING_PAGE


@pytest.fixture(scope="module")
def web():
    hostile, _ = _server(_hostile)
    internal, hits = _server(lambda path: (200, {}, INTERNAL_PAGE))
    yield f"http://127.0.0.1:{hostile.server_port}", internal.server_port, hits
    hostile.shutdown()
    internal.shutdown()


def _private_targets(port: int) -> dict[str, str]:
    """Where the hostile pages send the crawler: every spelling of an internal address."""
    return {
        "loopback": f"http://127.0.0.1:{port}/secret",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "decimal": f"http://2130706433:{port}/secret",
        "hex": f"http://0x7f.1:{port}/secret",
        "ipv6": f"http://[::1]:{port}/secret",
        "name": f"http://localhost:{port}/secret",  # a name that resolves to 127.0.0.1
    }


def _crawl(tmp_path: Path, urls: list[str], allow: list[str]) -> tuple[dict, Path]:
    """`napaudit audit` of one business on `urls`; (url -> (outcome, reason)), the database."""
    clients, listings = tmp_path / "clients.csv", tmp_path / "urls.csv"
    clients.write_text("id,name,phone\nb1,Acme Plumbing,(312) 555-0100\n")
    listings.write_text("business_id,source,url\n" + "".join(f"b1,yelp,{u}\n" for u in urls))
    db, tripped = tmp_path / "a.db", tmp_path / "tripwire.log"
    tripped.write_text("")
    args = [
        "audit", str(clients), "--listings", str(listings), "--db", str(db), "--delay", "0",
        "--timeout", "5", "--report", str(tmp_path / "report"),
        "--set", f"NAPAUDIT_ALLOW_HOSTS={_json(allow)}",
        "--set", 'DOWNLOADER_MIDDLEWARES={"test_fetchpolicy.Tripwire": 990}',
        "--set", f"TRIPWIRE_LOG={tripped}",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    done = subprocess.run([sys.executable, "-m", "napaudit", *args], capture_output=True,
                          text=True, timeout=240, cwd=ROOT, env=env)  # fmt: skip
    # 0 when every page could be checked, 3 when some were refused (blocked)
    assert done.returncode in (0, 3), done.stderr
    assert tripped.read_text() == "", "a request left for an address other than 127.0.0.1"
    rows = sqlite3.connect(db).execute("select url, outcome, outcome_reason from run_listings")
    return {url: (outcome, reason) for url, outcome, reason in rows}, db


def _json(values: list[str]) -> str:
    return "[" + ",".join(f'"{v}"' for v in values) + "]"


def _stored_text(db: Path, folder: Path) -> str:
    """Everything a user could read afterwards: the stored listings and the HTML report."""
    con = sqlite3.connect(db)
    text = " ".join(str(row) for row in con.execute("select * from listings"))
    return text + " ".join(p.read_text() for p in (folder / "report").glob("*.html"))


def test_a_redirect_to_the_internal_server_is_followed_when_that_server_is_allowed(web, tmp_path):
    """The failure reproduced: with the internal address allowed, the listing page's redirect
    and meta refresh lead there, and its text is stored and published."""
    base, port, hits = web
    hits.clear()
    secret = f"http://127.0.0.1:{port}/secret"
    urls = [f"{base}/redirect?to={quote(secret)}", f"{base}/refresh?to={quote(secret)}"]
    got, db = _crawl(tmp_path, urls, ["127.0.0.1"])
    assert {outcome for outcome, _ in got.values()} == {"ok"}
    assert hits.count("/secret") == 2
    assert INTERNAL_NAME in _stored_text(db, tmp_path)


def test_no_request_reaches_a_private_address(web, tmp_path):
    base, port, hits = web
    hits.clear()
    targets = _private_targets(port)
    redirects = {f"{base}/redirect?to={quote(u)}": kind for kind, u in targets.items()}
    refreshes = {f"{base}/refresh?to={quote(u)}": kind for kind, u in targets.items()}
    direct = targets["loopback"]
    got, db = _crawl(tmp_path, [*redirects, *refreshes, direct, f"{base}/listing"],
                     [f"127.0.0.1:{urlsplit(base).port}"])  # fmt: skip
    assert hits == [], "the internal server was reached"
    for url, kind in {**redirects, **refreshes}.items():
        outcome, reason = got[url]
        assert outcome == "blocked", (kind, reason)
        assert reason.startswith("redirect to a private address ("), (kind, reason)
        assert ("by meta refresh" in reason) == (url in refreshes), reason
    via = {kind: got[url][1] for url, kind in redirects.items()}
    assert via["loopback"] == "redirect to a private address (127.0.0.1, loopback)"
    assert via["metadata"] == "redirect to a private address (169.254.169.254, link-local)"
    assert via["decimal"] == "redirect to a private address (127.0.0.1, loopback)"
    assert via["name"] == "redirect to a private address (localhost = 127.0.0.1, loopback)"
    assert got[direct] == ("blocked", "a private address (127.0.0.1, loopback)")
    assert got[f"{base}/listing"][0] == "ok"  # the allowed site itself is crawled as always
    assert INTERNAL_NAME not in _stored_text(db, tmp_path)


# --- the policy's rules, in-process ----------------------------------------------------------


@pytest.mark.parametrize(
    "host, address",
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("169.254.169.254.", "169.254.169.254"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("www.example.com", None),
        ("1e100.net", None),
        ("cafe", None),
    ],
)
def test_ip_literals_in_every_spelling(host, address):
    found = literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not public"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("93.184.215.14", ""),
        ("2606:4700:4700::1111", ""),
    ],
)
def test_what_is_not_public(address, kind):
    assert not_public(ipaddress.ip_address(address)) == kind


def test_allow_list_entries():
    assert Allowed.parse("127.0.0.1").matches("127.0.0.1", 8080)
    assert Allowed.parse("127.0.0.1:8080").matches("127.0.0.1", 8080)
    assert not Allowed.parse("127.0.0.1:8080").matches("127.0.0.1", 8081)
    assert Allowed.parse("2130706433").matches("127.0.0.1", 80)  # one address, any spelling
    assert Allowed.parse("[::1]:81").matches("::1", 81)
    assert Allowed.parse("SampleWeb.test").matches("sampleweb.test", 80)
    assert entry_for("http://127.0.0.1:8123/x") == "127.0.0.1:8123"
    assert entry_for("https://[::1]/x") == "[::1]:443"


class FakeDNS:
    """Answers from a table, counting questions: no network."""

    def __init__(self, table: dict[str, list[str]]):
        self.table, self.asked = table, []

    async def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        return self.table.get(host, [])


def _check(middleware: FetchPolicyMiddleware, url: str, **meta) -> None:
    asyncio.run(middleware.process_request(Request(url, meta=meta)))


def test_a_name_is_judged_by_what_it_resolves_to_once_per_host():
    dns = FakeDNS({"intranet.example": ["10.0.0.5"], "www.example.com": ["93.184.215.14"]})
    policy = FetchPolicyMiddleware([], resolve=dns)
    hop = {"redirect_urls": ["http://www.example.com/"], "redirect_reasons": [302]}
    with pytest.raises(AddressRefused) as refused:
        _check(policy, "http://intranet.example/admin", **hop)
    assert refused.value.reason == (
        "redirect to a private address (intranet.example = 10.0.0.5, private)"
    )
    _check(policy, "http://www.example.com/a")
    _check(policy, "http://www.example.com/b")
    assert dns.asked == ["intranet.example", "www.example.com"]
    with pytest.raises(net.DNSLookupError):  # no second chance for the connection to resolve
        _check(policy, "http://nowhere.example/")


def test_other_schemes_and_allowed_hosts():
    policy = FetchPolicyMiddleware(["intranet.example"], resolve=FakeDNS({}))
    with pytest.raises(AddressRefused, match=r"^a non-http address \(file:\)"):
        _check(policy, "file:///etc/passwd")
    meta_refresh = {"redirect_urls": ["http://a.example/"], "redirect_reasons": ["meta refresh"]}
    with pytest.raises(AddressRefused) as refused:
        _check(policy, "http://[::1]:8080/", **meta_refresh)
    assert refused.value.reason == "redirect to a private address (::1, loopback, by meta refresh)"
    _check(policy, "http://intranet.example/")  # allowed by name: not even resolved


def test_the_address_connected_to_is_checked_too():
    """DNS rebinding: the connection got a private address the check never saw."""
    policy = FetchPolicyMiddleware(["127.0.0.1:8080"], resolve=FakeDNS({}))
    request = Request("http://rebind.example/listing")
    response = Response(request.url, ip_address=ipaddress.ip_address("127.0.0.1"))
    with pytest.raises(AddressRefused) as refused:
        policy.process_response(request, response)
    assert refused.value.reason == (
        "a private address (rebind.example = 127.0.0.1, loopback, after connecting)"
    )
    allowed = Request("http://127.0.0.1:8080/")
    assert policy.process_response(allowed, response) is response
    via_proxy = Request("http://rebind.example/", meta={"proxy": "http://10.0.0.1:3128"})
    assert policy.process_response(via_proxy, response) is response  # the proxy's address


def test_a_refused_request_is_reported_blocked_with_its_reason():
    failure = Failure(AddressRefused("redirect to a private address (127.0.0.1, loopback)"))
    assert from_failure(failure) == (
        "blocked",
        "redirect to a private address (127.0.0.1, loopback)",
    )
