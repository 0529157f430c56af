"""API keys out of every URL napaudit keeps: keys never reach the database, a report or a log."""

from __future__ import annotations

import re

_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:key|api_key|apikey|subscription-key|token|client_secret)=)[^&#\s]+"
)


def redact(url: str) -> str:
    """A URL with its API key hidden."""
    if "?" not in url and "&" not in url:  # no parameter at all: most pages a crawl stores
        return url
    return _SECRET_PARAMS.sub(r"\1REDACTED", url)
