"""The local sample web: fictional listing pages served on 127.0.0.1 for the demo, tests and bench.

Pages live in sampleweb/site/; sampleweb/site/listings.csv says, for each listing path, how the
server answers (`serve`): ok, challenge (403 with a bot-challenge page), missing (404), gone (410),
timeout (never answers in time), empty (200, no business on the page), ratelimit (429 with
Retry-After, always) and flaky (503 once, then the page). A source's search page and the mock
APIs are answered by napaudit.sampleweb.search. Any other path is served from its file when there is
one, else 404. A POST goes to the mock APIs only (Google's Places API (New) searches by POST).
"""

from __future__ import annotations

import csv
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from napaudit.sampleweb.middleware import HOST
from napaudit.sampleweb.search import SampleSearch

SAMPLEWEB = Path(str(files("napaudit.sampleweb") / "site"))
MANIFEST = SAMPLEWEB / "listings.csv"


@dataclass
class Hit:
    path: str
    user_agent: str
    at: float
    status: int
    method: str = "GET"
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # what a POST sent


@dataclass
class SampleWeb:
    """What the server serves, and what it has been asked (for tests)."""

    root: Path = SAMPLEWEB
    hang_seconds: float = 30.0  # how long a `timeout` page keeps the client waiting
    latency: float = 0.0  # seconds every answer takes (a test sees requests overlap)
    serve: dict[str, str] = field(default_factory=dict)  # path -> behaviour
    hits: list[Hit] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""
    # Requests being answered at this moment, and the most ever at once, by Host header: what
    # a polite crawler keeps at its per-site limit (CONCURRENT_REQUESTS_PER_DOMAIN).
    in_flight: dict[str, int] = field(default_factory=dict)
    most_in_flight: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def answering(self, host: str) -> Iterator[Callable[[], None]]:
        """Count a request in flight on `host`; the handler calls what this yields just before
        it writes the answer, and the request stops counting then.

        Not after the write: once the last byte is sent the client may take its next request
        (another connection, another server thread) before this thread gets back to count
        this one done, and a crawler that kept its limit would be seen one over it."""
        with self._lock:
            now = self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.most_in_flight[host] = max(self.most_in_flight.get(host, 0), now)
        counted = True

        def done() -> None:
            nonlocal counted
            with self._lock:
                if counted:
                    counted = False
                    self.in_flight[host] -= 1

        try:
            if self.latency:
                time.sleep(self.latency)
            yield done
        finally:
            done()

    @classmethod
    def from_manifest(cls, root: Path = SAMPLEWEB, **kwargs) -> SampleWeb:
        web = cls(root=root, **kwargs)
        with (root / "listings.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                web.serve[row["path"]] = row["serve"]
        return web

    @cached_property
    def search(self) -> SampleSearch:
        return SampleSearch(self.root)

    def answer(self, path: str, query: str = "", headers: dict[str, str] | None = None
               ) -> tuple[int, dict[str, str], bytes | None]:  # fmt: skip
        """(status, headers, body); body None means: hang, then drop the connection."""
        found = None if path in self.serve else self.search.answer(path, query, headers)
        if found is not None:
            return found
        behaviour = self.serve.get(path, "ok")
        with self._lock:
            first = path not in self._seen
            self._seen.add(path)
        if behaviour == "missing" or (behaviour == "ok" and not self._file(path)):
            return 404, {}, b"<html><body><h1>404 Not Found</h1></body></html>"
        if behaviour == "gone":
            return 410, {}, b"<html><body><h1>410 Gone</h1></body></html>"
        if behaviour == "timeout":
            return 200, {}, None
        if behaviour == "ratelimit":
            return 429, {"Retry-After": "1"}, b"<html><body>Too many requests</body></html>"
        if behaviour == "flaky" and first:
            return 503, {"Retry-After": "1"}, b"<html><body>Service unavailable</body></html>"
        body = self._file(path).read_bytes()
        return (403 if behaviour == "challenge" else 200), {}, body

    def answer_post(self, path: str, query: str, headers: dict[str, str], body: bytes
                    ) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
        """A POST: only a mock API takes one."""
        from napaudit.sampleweb import mockapis

        source = path.split("/")[1] if path.count("/") > 1 else ""
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        got = mockapis.respond(
            source, path, params, self.search.index.get(source, []), headers=headers,
            search=lambda text: self.search.search(source, text), method="POST", body=body,
        ) if source in mockapis.SOURCES else None  # fmt: skip
        if got is None:
            return 405, {}, b"<html><body><h1>405 Method Not Allowed</h1></body></html>"
        status, answer = got
        return status, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    def _file(self, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        candidates = [relative] if relative.endswith((".html", ".txt")) else []
        candidates += [relative.rstrip("/") + ".html", relative.rstrip("/") + "/index.html"]
        for candidate in candidates:
            target = (self.root / candidate).resolve()
            if target.is_file() and target.is_relative_to(self.root.resolve()):
                return target
        return None

    def url(self, path: str) -> str:
        return self.base_url + path


def _handler(web: SampleWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Headers and body go out in two writes: without TCP_NODELAY the body waits for the
        # client's delayed ACK (~40 ms a response on Linux).
        disable_nagle_algorithm = True
        # Keep-alive, as web servers do: a crawler reuses its connections instead of opening
        # one per request (every response carries its Content-Length).
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            with web.answering(self.headers.get("Host", "")) as done:
                status, headers, body = web.answer(parts.path, parts.query, dict(self.headers))
                self.reply(parts, status, headers, body, b"", done)

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with web.answering(self.headers.get("Host", "")) as done:
                status, headers, body = web.answer_post(parts.path, parts.query,
                                                        dict(self.headers), sent)  # fmt: skip
                self.reply(parts, status, headers, body, sent, done)

        def reply(self, parts, status: int, headers: dict, body: bytes | None, sent: bytes,
                  done: Callable[[], None]) -> None:  # fmt: skip
            path = parts.path
            web.hits.append(Hit(path, self.headers.get("User-Agent", ""), time.time(), status,
                                self.command, parts.query, dict(self.headers), sent))  # fmt: skip
            if body is None:
                time.sleep(web.hang_seconds)
                self.close_connection = True
                return
            done()  # before any byte of the answer leaves (SampleWeb.answering)
            self.send_response(status)
            content_type = "text/plain" if path.endswith(".txt") else "text/html; charset=utf-8"
            self.send_header("Content-Type", headers.pop("Content-Type", content_type))
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
            return

    return Handler


class _Server(ThreadingHTTPServer):
    # A crawl of many sources at once opens many connections together: the default backlog of
    # 5 made the kernel drop the rest, each retried by the client a second later.
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a crawl stopped, a timeout) is no error of the server's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(web: SampleWeb | None = None) -> Iterator[SampleWeb]:
    """Serve the sample web on 127.0.0.1 and a free port for the duration of the block."""
    web = web or SampleWeb.from_manifest()
    _ = web.search.by_word  # the search index, built once before any request comes in
    server = _Server(("127.0.0.1", 0), _handler(web))
    server.daemon_threads = True
    web.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="sampleweb", daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()


def write_demo_targets(web: SampleWeb, path: Path) -> int:
    """Write the manifest's listings as business_id,source,url rows for `audit --listings`,
    under the sample web's stable host (the crawl's middleware sends them to the server)."""
    rows = list(csv.DictReader((web.root / "listings.csv").open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["business_id", "source", "url"])
        for row in rows:
            writer.writerow([row["business_id"], row["source"], f"http://{HOST}{row['path']}"])
    return len(rows)
