"""Replay: an audit judged from a WARC file that `--archive` wrote, with no network at all
(`napaudit audit --replay FILE`; the crawl settings `replay_settings(FILE)` gives).

The http, https, ftp and s3 download handlers are ReplayHandler, which answers from the file and
has no code that opens a connection, and the reactor's DNS resolver fails every lookup. A
request is matched on its method, its URL (keys redacted as spiders.archive writes them, then
canonicalized by w3lib: query arguments sorted, fragment dropped) and the SHA-256 of its body:
two API searches POSTed to one endpoint are told apart by what they asked, and a body must be
byte for byte the one archived. The answers to one request are given in the order archived (a
503, then the retry's 200), the last one again once they run out. A request the file does not
answer fails with NotInArchive ("not in the archive FILE"): its listing is `error`, not
checked, and nothing is fetched. A fetch that failed (a timeout, a refused connection) fails
again with the same error. robots.txt comes from the file like any page. Politeness has
nothing to wait for: replay_settings takes the retry backoff to zero (the command also drops
the delay between requests).

Files from other tools: a response is paired with its request by WARC-Concurrent-To in either
direction; one without a request counts as a GET with no body; revisit (deduplicated) records
are not read.

Limits: the index of a file (a small tuple per answer, bodies stay on disk) is held in memory;
open data that DuckDB reads (Overture, Foursquare OS Places) never goes through Scrapy, so it
is neither archived nor replayed: replay turns remote open data off and those sources are "not
checked" with their reason.
"""

from __future__ import annotations

import importlib
import os
from typing import NamedTuple

from napaudit.spiders.archive import (
    ARCHIVE,
    ERROR_FIELD,
    MESSAGE_FIELD,
    ArchiveError,
    match_key,
    scrub_body,
    scrub_url,
    whole_length,
)
from napaudit.spiders.sites import redact
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from twisted.internet.defer import Deferred, fail
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.limitreader import LimitReader
from zope.interface import implementer

REPLAY = "NAPAUDIT_REPLAY"  # crawl setting: the WARC file answering every request


class NotInArchive(Exception):
    """A replayed request the archive has no answer for: the listing is not checked. Its
    `outcome` and `reason` are what spiders.outcome reports."""

    outcome = "error"

    @property
    def reason(self) -> str:
        return str(self)


class Answer(NamedTuple):
    offset: int  # of the response record; -1 for a fetch that failed
    error: str = ""  # the failed fetch's exception, module.name
    message: str = ""


class ReplayIndex:
    """Every answer in one WARC file, by match_key, given in the order archived."""

    _loaded: dict[tuple, ReplayIndex] = {}  # by file version: shared by every spider

    def __init__(self, path: str):
        self.path = path
        self.answers: dict[str, list[Answer]] = {}
        self.given: dict[str, int] = {}

    @classmethod
    def load(cls, path: str) -> ReplayIndex:
        """The file's index, read once per process (the command reads it before the crawl)."""
        path = os.path.abspath(path)
        try:
            info = os.stat(path)
            version = (path, info.st_size, info.st_mtime_ns)
            if version not in cls._loaded:
                index = cls(path)
                index._read()
                cls._loaded[version] = index
        except OSError as exc:
            raise ArchiveError(f"{path}: cannot be read ({exc.strerror})") from None
        except ArchiveError:
            raise
        except Exception as exc:  # warcio's errors (ArchiveLoadFailed...) for what is no WARC
            raise ArchiveError(f"{path}: not a WARC file ({exc})") from None
        return cls._loaded[version]

    def __len__(self) -> int:
        return sum(len(a) for a in self.answers.values())

    def _read(self) -> None:
        try:
            limit: int | None = whole_length(self.path)
        except ArchiveError:
            limit = None  # not gzipped per record: another tool's file, read as warcio can
        requests: dict[str, tuple[str, bytes]] = {}
        links: dict[str, set[str]] = {}
        found: list[tuple[str, str, Answer]] = []
        with open(self.path, "rb") as f:
            # a record torn by a killed run is left out: it ends where whole_length says
            records = ArchiveIterator(f if limit is None else LimitReader(f, limit))
            for record in records:
                kind, rid = record.rec_type, record.rec_headers.get_header("WARC-Record-ID")
                if kind == "request" and record.http_headers:
                    requests[rid] = (record.http_headers.protocol, record.raw_stream.read())
                answer = _fetch_error(record) if kind == "metadata" else None
                offset = records.get_record_offset()  # (reads the rest of the record)
                if kind == "response" and record.http_headers:
                    answer = Answer(offset)
                for other in _concurrent(record):
                    links.setdefault(rid, set()).add(other)
                    links.setdefault(other, set()).add(rid)
                if answer is not None:
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    found.append((rid, uri, answer))
        if not found and not requests:
            raise ArchiveError(f"{self.path}: no request or response records")
        for rid, uri, answer in found:
            paired = [requests[r] for r in links.get(rid, ()) if r in requests]
            method, body = paired[0] if paired else ("GET", b"")
            self.answers.setdefault(match_key(method, redact(uri), body), []).append(answer)

    def next(self, key: str) -> Answer | None:
        answers = self.answers.get(key)
        if not answers:
            return None
        given = self.given.get(key, 0)
        self.given[key] = given + 1
        return answers[min(given, len(answers) - 1)]

    def response(self, answer: Answer, request: Request) -> Response:
        with open(self.path, "rb") as f:
            f.seek(answer.offset)
            record = next(iter(ArchiveIterator(f)))
            http = record.http_headers
            chunked = (http.get_header("transfer-encoding") or "").lower() == "chunked"
            stream = ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream
            body = stream.read()
        headers = Headers()
        for name, value in http.headers:  # appended: a repeated header (Set-Cookie) stays whole
            if name.lower() != "transfer-encoding":
                headers.appendlist(name, value.encode("latin-1", "replace"))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        status = int(http.get_statuscode() or 200)
        return cls(url=request.url, status=status, headers=headers, body=body,
                   request=request, flags=["replayed"], protocol=http.protocol)  # fmt: skip


def _concurrent(record) -> list[str]:
    return [v for n, v in record.rec_headers.headers if n.lower() == "warc-concurrent-to"]


def _fetch_error(record) -> Answer | None:
    """A fetch that got no response, as napaudit's metadata record names it."""
    fields = {}
    for line in record.raw_stream.read(4096).decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if ERROR_FIELD not in fields:
        return None  # another tool's metadata
    return Answer(-1, fields[ERROR_FIELD], fields.get(MESSAGE_FIELD, ""))


# Modules whose download errors replay as themselves (outcome.from_failure reads their class);
# an error of any other module replays as a ReplayedError with the same name and message.
_ERROR_MODULES = ("twisted.internet.error", "twisted.web._newclient", "scrapy.exceptions",
                  "scrapy.core.downloader.handlers.http11")  # fmt: skip


class ReplayedError(OSError):
    """A failed fetch, as archived (an OSError: retried as the original was)."""


def replayed_error(qualified: str, message: str) -> Exception:
    """The archived error again: its class (or one of the same name) and its message."""
    module, _, name = qualified.rpartition(".")
    base: type = ReplayedError
    if module in _ERROR_MODULES:
        found = getattr(importlib.import_module(module), name, None)
        if isinstance(found, type) and issubclass(found, Exception):
            base = found

    def init(self, text: str) -> None:
        Exception.__init__(self, text)

    kind = type(name[:100] or "ReplayedError", (base,),
                {"__init__": init, "__str__": lambda self: self.args[0]})  # fmt: skip
    return kind(message)


class ReplayHandler(BaseDownloadHandler):
    """The download handler of a replay: answers from the archive, never from the network."""

    lazy = False  # the index is read as the crawl starts, not at its first request

    def __init__(self, crawler):
        super().__init__(crawler)
        path = crawler.settings.get(REPLAY)
        if not path:
            raise NotConfigured
        self.index = ReplayIndex.load(path)

    async def download_request(self, request: Request) -> Response:
        key = getattr(self.crawler.spider, "api_key", "") or ""
        url = scrub_url(request.url, request, key)
        answer = self.index.next(match_key(request.method, url, scrub_body(request.body, key)))
        stats = self.crawler.stats
        if answer is None:
            stats.inc_value("napaudit/replay/not_in_archive")
            raise NotInArchive(f"not in the archive {self.index.path}")
        stats.inc_value("napaudit/replay/answered")
        if answer.offset < 0:
            raise replayed_error(answer.error, answer.message)
        return self.index.response(answer, request)


@implementer(IResolverSimple)
class NoNetworkResolver:
    """A replay's DNS: every lookup fails, so not even a name is looked up on the network (a
    middleware that resolves hosts before a request is sent gets a DNS failure)."""

    def __init__(self, reactor):
        self.reactor = reactor

    @classmethod
    def from_crawler(cls, crawler, reactor) -> NoNetworkResolver:
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout=()) -> Deferred:  # noqa: N802 - Twisted's API
        return fail(DNSLookupError(f"{name}: a replay looks up no host"))


def replay_settings(path: str) -> dict:
    """The crawl settings that answer every request from the WARC file at `path`."""
    handler = f"{__name__}.ReplayHandler"
    return {
        REPLAY: os.path.abspath(path),
        ARCHIVE: "",
        "DOWNLOAD_HANDLERS": {scheme: handler for scheme in ("http", "https", "ftp", "s3")},
        "TWISTED_DNS_RESOLVER": f"{__name__}.NoNetworkResolver",
        "NAPAUDIT_OPEN_DATA_REMOTE": False,  # DuckDB would read it over the network
        "RETRY_BACKOFF_BASE": 0.0,  # a retry is answered from the file: nothing to wait for
        "RETRY_BACKOFF_MAX": 0.0,
    }
