"""The words a report uses with an owner: source and field names, verdicts, and the one sentence
that says what to change and where. HTML, CSV and JSON share these sentences, so a fix reads
the same everywhere.
"""

from __future__ import annotations

import re

from napaudit.auditor.catalog import Source
from napaudit.auditor.fields import BY_NAME
from napaudit.reports.priority import OPTIONAL, ROOT_CAUSE, Fix

STATUS_LABELS = {
    "match": "Correct",
    "variant": "Correct, written differently",
    "mismatch": "Wrong",
    "missing": "Missing",
    "extra": "Not in your record",
}
SEVERITY_LABELS = {"high": "Urgent", "medium": "Important", "low": "Minor", "none": ""}
OUTCOME_LABELS = {
    "not_found": "No listing found",
    "blocked": "The site refused the check",
    "error": "The check failed",
}

Part = tuple[str, str]  # (text, role): role "" plain, "old" wrong value, "new" right value, "url"


def source_name(source_id: str, catalog: dict[str, Source]) -> str:
    """'Yellow Pages (yellowpages.com)' -> 'Yellow Pages': the name people use."""
    if source_id == "website":
        return "your own website"
    known = catalog.get(source_id)
    if not known:
        return source_id or "an unnamed source"
    return re.sub(r"\s*\(.*\)\s*$", "", known.name) or known.name


def field_label(field: str) -> str:
    return BY_NAME[field].label if field in BY_NAME else field


def is_link(url: str) -> bool:
    """Only web addresses become links: a scraped 'javascript:' URL must never be clickable."""
    return bool(re.match(r"https?://[^\s<>\"']+$", url or "", re.I))


def fix_parts(fix: Fix, catalog: dict[str, Source], duplicated: set[str]) -> list[Part]:
    """The fix as one sentence, split where the HTML styles a value or links an address."""
    label = field_label(fix.field)
    where = source_name(fix.source, catalog)
    if fix.source in duplicated and fix.listing_key:
        where += f" (listing {fix.listing_key})"
    if fix.kind == ROOT_CAUSE:
        return _root_parts(fix, catalog, label, where)
    if fix.kind == OPTIONAL:
        parts = [(f"On {where}, you could tidy the {label}: it shows ", ""), (fix.found, "old"),
                 ("; yours is ", ""), (fix.canonical, "new")]  # fmt: skip
    elif fix.action == "add":
        parts = [(f"On {where}, add the {label} ", ""), (fix.canonical, "new")]
    else:
        parts = [(f"On {where}, change the {label} from ", ""), (fix.found, "old"),
                 (" to ", ""), (fix.canonical, "new")]  # fmt: skip
    parts += _where_parts(fix.fix_url)
    if fix.root_cause:
        parts.append((f". Same wrong {label} as at the origin, "
                      f"{source_name(fix.root_cause, catalog)}", ""))  # fmt: skip
    return parts


def _root_parts(fix: Fix, catalog, label: str, where: str) -> list[Part]:
    parts = [(f"Fix it at the origin: {where}", "")]
    if fix.fix_url:
        parts += [(", ", ""), (fix.fix_url, "url" if is_link(fix.fix_url) else "")]
    parts += [(f" — change the {label} from ", ""), (fix.found, "old"), (" to ", ""),
              (fix.canonical, "new")]  # fmt: skip
    others = [s for s in fix.shared_with if s != fix.source]
    verb = "also shows on" if fix.source in fix.shared_with else "shows on"
    names = ", ".join(source_name(s, catalog) for s in others)
    if fix.basis == "feeds":
        fed = len(set(catalog[fix.source].feeds) & set(others)) if fix.source in catalog else 0
        why = f"{where} supplies {fed} of them"
    else:
        why = f"{where} showed it first (run {fix.first_seen_run})"
    return parts + [(f". The same wrong {label} {verb} {names}; {why}", "")]


def _where_parts(fix_url: str) -> list[Part]:
    if not fix_url:
        return []
    if is_link(fix_url):
        return [(" — fix it at ", ""), (fix_url, "url")]
    return [(f" — fix it in {fix_url.strip('()')}", "")]


def sentence(parts: list[Part]) -> str:
    return "".join(text for text, _ in parts)
