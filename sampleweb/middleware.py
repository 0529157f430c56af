"""How a crawl reaches the sample web: one downloader middleware, switched on by crawl settings.

`crawl_settings(base_url)` gives the settings (for an in-process crawl) and `cli_args(base_url)`
the same as `--set` options (for `napaudit audit` run as a user runs it). With them, every
request leaves for the sample web served at `base_url`:

- a source's real address (`https://www.yellowpages.com/search?...`, an API endpoint) is served
  under the source's id: `{base}/yellowpages/search?...`; a business's own site
  (`https://www.harborlanedental.example/contact`) under `{base}/website/harborlanedental/contact`;
- any host's robots.txt is the sample web's one robots.txt;
- a response comes back under the fixed host `sampleweb.test` (a reserved name, RFC 6761), so the
  URLs a run stores do not depend on the port the server got today, and links on a sample page
  resolve to addresses this middleware sends back to the server.

Production code knows nothing of this: the spiders ask for real addresses.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit, urlunsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

HOST = "sampleweb.test"  # how stored URLs name the sample web, whatever its port
SETTING = "SAMPLEWEB_BASE"
MIDDLEWARE = f"{__name__}.SampleWebMiddleware"
PRIORITY = 50  # before robots.txt (100): robots are read from the sample web itself


def crawl_settings(base_url: str) -> dict:
    """The crawl settings that send every request to the sample web at `base_url`."""
    return {
        SETTING: base_url,
        "DOWNLOADER_MIDDLEWARES": {MIDDLEWARE: PRIORITY},
        # published open-data releases are never read for the sample web
        "NAPAUDIT_OPEN_DATA_REMOTE": False,
        # the sample web lives on loopback, which the fetch policy otherwise refuses
        "NAPAUDIT_ALLOW_HOSTS": ["127.0.0.1", HOST],
    }


def cli_args(base_url: str) -> list[str]:
    """The same settings as `--set NAME=VALUE` options of `napaudit audit`/`batch`."""
    args = []
    for name, value in crawl_settings(base_url).items():
        text = value if isinstance(value, str) else json.dumps(value)
        args += ["--set", f"{name}={text}"]
    return args


def local_path(url: str, source: str) -> str:
    """Where the sample web serves a real address: its path and query on the sample web."""
    parts = urlsplit(url)
    if parts.path == "/robots.txt":
        path = "/robots.txt"
    elif parts.hostname == HOST:
        path = parts.path
    elif source == "website":
        host = re.sub(r"^www\.", "", parts.hostname or "")
        path = f"/website/{host.split('.')[0]}/{parts.path.lstrip('/')}"
    else:
        path = f"/{source}{parts.path}"
    return path + (f"?{parts.query}" if parts.query else "")


def stored_url(url: str, base_url: str) -> str:
    """A sample-web URL as a run stores it: under HOST, without the day's port."""
    if not url.startswith(base_url.rstrip("/") + "/"):
        return url
    return f"http://{HOST}" + url[len(base_url.rstrip("/")) :]


class SampleWebMiddleware:
    """Sends each request to the sample web, and names each response by its stable address."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.local = urlsplit(self.base)

    @classmethod
    def from_crawler(cls, crawler) -> SampleWebMiddleware:
        base = crawler.settings.get(SETTING)
        if not base:
            raise NotConfigured(f"{SETTING} is not set")
        middleware = cls(base)
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request) -> Request | None:
        if request.url.startswith(self.base + "/"):
            return None  # already on the sample web
        source = request.meta.get("source") or getattr(self.crawler.spider, "name", "")
        path = local_path(request.url, source)
        url = urlunsplit((self.local.scheme, self.local.netloc, "", "", "")) + path
        return request.replace(url=url)

    def process_response(self, request: Request, response: Response) -> Response:
        return response.replace(url=stored_url(response.url, self.base))
