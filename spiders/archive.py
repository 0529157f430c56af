"""Evidence kept: every response a crawl fetches, written to a WARC file (`napaudit audit|batch
--archive FILE`; the crawl setting NAPAUDIT_ARCHIVE). spiders.replay judges an audit from it.

ArchiveMiddleware is the last downloader middleware (960: after the API key is added at 950), so
it sees what goes on the wire and what comes back before anything else does: every attempt (a
503 and its retry, each hop of a redirect, every robots.txt), the body as received (still
compressed when the server compressed it). A fetch is a `request` record (method, URL, headers,
body) and a `response` record (status, headers, body, WARC-IP-Address) linked by
WARC-Concurrent-To, both dated when the request was sent (WARC-Date) and naming its URL
(WARC-Target-URI); a fetch that got no answer (a timeout, DNS, a refused connection) is its
request and a `metadata` record naming the error. A warcinfo record opens each attempt of a run.

Each record is a gzip member of its own (`.warc.gz`) and a fetch's records are appended in one
write, so a run stopped at any point leaves whole records; before a `--resume` appends,
`prepare_archive` cuts off a record that a killed process left torn. A new run never writes over
an existing file. The file is the user's alone (0600), like the HTTP cache.

No API key reaches the file: the headers that carry keys (Authorization, X-Goog-Api-Key,
Ocp-Apim-Subscription-Key...) and the one the request's `send_key` names are kept as "REDACTED",
key parameters in a URL (`key=`, `subscription-key=`...) too, and any other occurrence of the
spider's key in a URL, a header or a body is replaced the same way.

Limits: what the HTTP cache (`--cache`) answers is not archived (it was not fetched); open data
that DuckDB reads (Overture, Foursquare OS Places) never goes through Scrapy and is not archived;
records are flushed to the operating system, not fsynced (a power cut may lose the last ones).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import zlib
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit, urlunsplit

from napaudit.spiders.keys import SEND_KEY
from napaudit.spiders.sites import redact
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import CancelledError
from w3lib.url import canonicalize_url
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from napaudit import __version__

ARCHIVE = "NAPAUDIT_ARCHIVE"  # crawl setting: the WARC file every fetch is appended to
MIDDLEWARE_PRIORITY = 960  # after spiders.keys.ApiKeyMiddleware (950): closest to the wire
HIDDEN = "REDACTED"
# Headers that carry credentials, whatever their value (lower case).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-goog-api-key",
                            "ocp-apim-subscription-key", "x-api-key", "api-key",
                            "apikey"})  # fmt: skip
_SENT = "_napaudit_archive_sent"  # request.meta: when it left for the wire (popped on return)
ERROR_FIELD, MESSAGE_FIELD = "napaudit-fetch-error", "napaudit-fetch-error-message"
# Not a failed fetch: a request dropped before the wire, or one cut off as the crawl stops.
_NOT_FETCHED = (IgnoreRequest, CancelledError, asyncio.CancelledError)
_started: set[str] = set()  # archives this process has written its warcinfo record into


class ArchiveError(Exception):
    """A file that cannot be an archive here (exit 2, the message names it)."""


# --- keys out -------------------------------------------------------------------------------


def scrub_url(url: str, request: Request, key: str) -> str:
    """The URL with every key parameter and every occurrence of the key replaced."""
    if key:
        url = url.replace(key, HIDDEN)
    name = (request.meta.get(SEND_KEY) or {}).get("param")
    if name:  # only the value changes: the rest of the URL stays as it was sent
        url = re.sub(rf"([?&]{re.escape(name)}=)[^&#]*", rf"\g<1>{HIDDEN}", url)
    return redact(url)


def scrub_headers(headers: Headers, request: Request, key: str) -> list[tuple[str, str]]:
    named = ((request.meta.get(SEND_KEY) or {}).get("header") or "").lower()
    pairs = []
    for name, values in headers.items():
        text = name.decode("latin-1")
        for value in values:
            value = value.decode("latin-1")
            if text.lower() in SECRET_HEADERS or text.lower() == named:
                value = HIDDEN
            elif text.lower() == "location":
                value = scrub_url(value, request, key)
            elif key:
                value = value.replace(key, HIDDEN)
            pairs.append((text, value))
    return pairs


def scrub_body(body: bytes, key: str) -> bytes:
    return body.replace(key.encode(), HIDDEN.encode()) if key else body


def match_key(method: str, url: str, body: bytes) -> str:
    """How replay finds an answer: method, canonical URL (keys redacted), the body's digest."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()} {canonicalize_url(url)} {digest}"


# --- writing ----------------------------------------------------------------------------------


class ArchiveMiddleware:
    """Writes each fetch to the WARC file the crawl setting NAPAUDIT_ARCHIVE names."""

    def __init__(self, crawler, path: str):
        self.crawler, self.path = crawler, path

    @classmethod
    def from_crawler(cls, crawler) -> ArchiveMiddleware:
        path = crawler.settings.get(ARCHIVE)
        if not path:
            raise NotConfigured  # no --archive: nothing to write (and nothing to say)
        return cls(crawler, os.path.abspath(path))

    @property
    def key(self) -> str:
        return getattr(self.crawler.spider, "api_key", "") or ""

    def process_request(self, request: Request) -> None:
        request.meta[_SENT] = _warc_date()
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        sent = request.meta.pop(_SENT, None)
        if sent:  # else an answer from the cache: nothing was fetched
            sent_record = self._request_record(request, sent)
            self._write([sent_record, self._response_record(request, response, sent,
                                                            _record_id(sent_record))])  # fmt: skip
            self.crawler.stats.inc_value("napaudit/archive/responses")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        sent = request.meta.pop(_SENT, None)
        if sent and not isinstance(exception, _NOT_FETCHED):
            sent_record = self._request_record(request, sent)
            self._write([sent_record, self._error_record(request, exception, sent,
                                                         _record_id(sent_record))])  # fmt: skip
            self.crawler.stats.inc_value("napaudit/archive/failures")
        return None

    def _request_record(self, request: Request, sent: str):
        url = scrub_url(request.url, request, self.key)
        parts = urlsplit(url)
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        headers = scrub_headers(request.headers, request, self.key)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers,
                                is_http_request=True)  # fmt: skip
        body = scrub_body(request.body, self.key)
        return _writer().create_warc_record(url, "request", payload=BytesIO(body),
                                            length=len(body), http_headers=http,
                                            warc_headers_dict={"WARC-Date": sent})  # fmt: skip

    def _response_record(self, request: Request, response: Response, sent: str, concurrent: str):
        headers = [
            (n, v)
            for n, v in scrub_headers(response.headers, request, self.key)
            if n.lower() != "transfer-encoding"
        ]  # Scrapy has already de-chunked the body
        phrase = _phrase(response.status)
        http = StatusAndHeaders(f"{response.status} {phrase}".strip(), headers,
                                protocol=response.protocol or "HTTP/1.1")  # fmt: skip
        warc = {"WARC-Date": sent, "WARC-Concurrent-To": concurrent}
        if response.ip_address is not None:
            warc["WARC-IP-Address"] = str(response.ip_address)
        body = scrub_body(response.body, self.key)
        return _writer().create_warc_record(scrub_url(request.url, request, self.key),
                                            "response", payload=BytesIO(body), length=len(body),
                                            http_headers=http, warc_headers_dict=warc)  # fmt: skip

    def _error_record(self, request: Request, exception: Exception, sent: str, concurrent: str):
        kind = type(exception)
        message = " ".join(scrub_body(str(exception).encode(), self.key).decode().split())
        fields = f"{ERROR_FIELD}: {kind.__module__}.{kind.__qualname__}\r\n"
        fields += f"{MESSAGE_FIELD}: {message[:1000]}\r\n"
        payload = fields.encode()
        return _writer().create_warc_record(
            scrub_url(request.url, request, self.key), "metadata", payload=BytesIO(payload),
            length=len(payload), warc_headers_dict={"WARC-Date": sent,
                                                    "WARC-Concurrent-To": concurrent},
        )  # fmt: skip

    def _write(self, records: list) -> None:
        try:
            if self.path not in _started:
                records.insert(0, _warcinfo(self.path))
            append_records(self.path, records)
            _started.add(self.path)
        except OSError as exc:  # the run stops, kept: --resume appends once there is room
            self.crawler.stats.inc_value("napaudit/archive/unwritten")
            if self.crawler.stats.get_value("napaudit/store_failed"):
                return  # already stopping
            why = f"the archive {self.path} could not be written: {exc.strerror or exc}"
            self.crawler.stats.set_value("napaudit/store_failed", why)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_failed"))


def _writer() -> WARCWriter:
    return WARCWriter(BytesIO(), gzip=True, warc_version="1.1")


def _record_id(record) -> str:
    return record.rec_headers.get_header("WARC-Record-ID")


def _warc_date() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _warcinfo(path: str):
    return _writer().create_warcinfo_record(os.path.basename(path), {
        "software": f"napaudit/{__version__} (warcio)",
        "format": "WARC File Format 1.1",
        "description": "every response a napaudit crawl fetched, API keys redacted; "
                       "a warcinfo record opens each attempt of the run (--resume appends)",
    })  # fmt: skip


def append_records(path: str, records: list) -> None:
    """Each record a gzip member, all of them in one write at the end of the file."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    for record in records:
        writer.write_record(record)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        data = memoryview(out.getvalue())
        while data:  # a regular file takes it in one write; a short write goes on
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def whole_length(path: str) -> int:
    """How many bytes at the start of a gzipped WARC are whole gzip members, that is where a
    record torn by a killed process begins. Raises ArchiveError for a file that is not one."""
    end = position = 0
    inflate, head = zlib.decompressobj(wbits=31), b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            position += len(chunk)
            while chunk:
                try:
                    out = inflate.decompress(chunk)
                except zlib.error:
                    if end:  # bytes after the last whole record that are no record at all
                        return end
                    raise ArchiveError(f"{path}: not a gzipped WARC file") from None
                head = head or out[:5]
                if not inflate.eof:
                    break
                end = position - len(inflate.unused_data)
                chunk, inflate = inflate.unused_data, zlib.decompressobj(wbits=31)
    if end and head != b"WARC/":
        raise ArchiveError(f"{path}: not a WARC file")
    return end


def prepare_archive(path: str, resume: bool) -> None:
    """Before a run writes to `path`. A new run never writes over a file (it is evidence); a
    resumed one appends after the last whole record, cutting off one a killed run left torn."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        size = None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc.strerror})") from None
    if size is not None and not resume:
        raise ArchiveError(
            f"{path} already exists: name another file for a new run (an archive "
            "is never written over), or add --resume to continue its run"
        )
    writable = os.access(path if size is not None else os.path.dirname(path) or ".", os.W_OK)
    if not writable:
        raise ArchiveError(f"{path}: cannot be written here")
    if size:
        try:
            end = whole_length(path)
            if end < size:
                os.truncate(path, end)
        except OSError as exc:
            raise ArchiveError(f"{path}: cannot be read ({exc.strerror})") from None


def archive_settings(path: str) -> dict:
    """The crawl settings that write every fetch to `path`."""
    return {ARCHIVE: os.path.abspath(path)}
