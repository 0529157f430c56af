"""API keys travel only on the wire: never in a stored URL, the HTTP cache or the JOBDIR queue.

A spider's API requests carry no key. They carry `meta["send_key"]`, which says where the API
takes it ({"header": "X-Goog-Api-Key"}, {"header": "Authorization", "prefix": "Bearer "} or
{"param": "subscription-key"}), and nothing secret. `ApiKeyMiddleware` sits after the HTTP cache
(900) in the downloader chain: it adds the spider's `api_key` to the request just before it is
sent and takes it off again when the answer comes back, before the cache stores the request. So
a request waiting in the JOBDIR queue (after Ctrl-C), a retried or redirected one, a cache entry
and the URL a spider stores are all without the key.

A redirect to another host never gets the key: it was meant for the API's own host.

The HTTP cache and the JOBDIR are private to the user (folders 0700, cache files 0600): what an
API answered about a client is nobody else's to read on a shared machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Request, Response

SEND_KEY = "send_key"  # request.meta: where the API takes its key (no key in it)
_CLEAN_URL = "_napaudit_keyless_url"  # request.meta: the URL as it was before the key was added
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


class ApiKeyMiddleware:
    """Adds the key at send time and removes it on the way back (see the module's docstring)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> ApiKeyMiddleware:
        settings = crawler.settings
        private_dir(settings.get("JOBDIR"))
        if settings.getbool("HTTPCACHE_ENABLED"):
            private_dir(settings.get("HTTPCACHE_DIR"))
        if not getattr(crawler.spider, "api_key", ""):
            # No key to add or take off (a listing page's spider, a source without its key):
            # out of the chain, three calls a page fewer.
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        where = request.meta.get(SEND_KEY)
        key = getattr(self.crawler.spider, "api_key", "") or ""
        if not where or not key or _crossed_hosts(request):
            return None
        if where.get("header"):
            request.headers[where["header"]] = where.get("prefix", "") + key
        if where.get("param"):
            request.meta[_CLEAN_URL] = request.url
            # In place: a Request returned from here would be queued again, key and all.
            request._set_url(with_param(request.url, where["param"], key))
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if _take_key_off(request):
            response = response.replace(url=without_param(response.url, request))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        _take_key_off(request)
        return None


def _take_key_off(request: Request) -> bool:
    """Remove what process_request added. True when the URL carried the key."""
    where = request.meta.get(SEND_KEY) or {}
    if where.get("header"):
        request.headers.pop(where["header"], None)
    clean = request.meta.pop(_CLEAN_URL, None)
    if clean is not None:
        request._set_url(clean)
    return clean is not None


def _crossed_hosts(request: Request) -> bool:
    """A redirect that left the host the request was first sent to."""
    first = (request.meta.get("redirect_urls") or [request.url])[0]
    return urlsplit(first).hostname != urlsplit(request.url).hostname


def with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


def without_param(url: str, request: Request) -> str:
    name = (request.meta.get(SEND_KEY) or {}).get("param", "")
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode(query)))


def private_dir(path: str | os.PathLike | None) -> None:
    """Create the folder if needed and make it the user's alone."""
    if not path:
        return
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_DIR)


class PrivateCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, with every folder 0700 and every file 0600."""

    def open_spider(self, spider) -> None:
        private_dir(self.cachedir)
        super().open_spider(spider)

    def store_response(self, spider, request: Request, response: Response) -> None:
        super().store_response(spider, request, response)
        entry = Path(self._get_request_path(spider, request))
        for folder in (entry, entry.parent, entry.parent.parent):  # entry, prefix, spider
            if folder.is_dir():
                os.chmod(folder, PRIVATE_DIR)
        for file in entry.iterdir():
            os.chmod(file, PRIVATE_FILE)
