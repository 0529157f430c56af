"""Where each source lives: its real address, or the local sample web for demos and tests.

NAPAUDIT_SITE_BASE (e.g. http://127.0.0.1:8000) serves every source from that base, under the
source's id: https://www.yellowpages.com/search?... becomes {base}/yellowpages/search?..., and a
business's own site https://www.harborlanedental.example/ becomes {base}/website/harborlanedental/.
It exists for the sample web; a real audit leaves it unset.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

SITE_BASE = "NAPAUDIT_SITE_BASE"


def site_base() -> str:
    return os.environ.get(SITE_BASE, "").rstrip("/")


def rebase(url: str, source: str) -> str:
    """The URL on the sample web when NAPAUDIT_SITE_BASE is set; else the URL itself."""
    base = site_base()
    if not base or not url:
        return url
    parts = urlsplit(url)
    if source == "website":
        host = re.sub(r"^www\.", "", parts.hostname or "")
        path = f"/website/{host.split('.')[0]}/{parts.path.lstrip('/')}"
    else:
        path = f"/{source}{parts.path}"
    local = urlsplit(base)
    return urlunsplit((local.scheme, local.netloc, path, parts.query, ""))


def stable_key(url: str) -> str:
    """How the store names a listing URL: on the sample web, without its changing port."""
    base = site_base()
    return url[len(base) :] if base and url.startswith(base + "/") else url


_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:key|api_key|apikey|subscription-key|token|client_secret)=)[^&#\s]+"
)


def redact(url: str) -> str:
    """A URL with its API key hidden: keys never reach the database, a report or a log."""
    return _SECRET_PARAMS.sub(r"\1REDACTED", url)
