"""Whether a source says the business is open: its own words read into one of three states.

Sources say it their own way: Google's `businessStatus` (OPERATIONAL, CLOSED_TEMPORARILY,
CLOSED_PERMANENTLY), Overture's `operating_status` (open, temporarily_closed, permanently_closed),
Foursquare's `date_closed` (a date: the spider writes "closed since 2023-05-01"), a directory's
badge ("Permanently Closed", "CLOSED"). Anything else is "" (unknown), never a guess.
"""

from __future__ import annotations

import re

OPEN, CLOSED, TEMPORARILY_CLOSED = "open", "closed", "temporarily closed"

_TEMPORARY = re.compile(r"\btemporar", re.I)
_CLOSED = re.compile(r"\b(?:perm(?:anently)?[\s_-]*closed|closed|out of business|defunct)\b", re.I)
_OPEN = re.compile(r"^\s*(?:operational|open|opened|active|in business)\s*$", re.I)


def normalize_status(raw: str) -> str:
    """ "open", "closed", "temporarily closed", or "" when the text says none of them."""
    text = re.sub(r"[_-]+", " ", raw or "").strip()
    if not text:
        return ""
    if _CLOSED.search(text) or re.search(r"\bclosed\b", text, re.I):
        return TEMPORARILY_CLOSED if _TEMPORARY.search(text) else CLOSED
    if _OPEN.match(text):
        return OPEN
    return ""
