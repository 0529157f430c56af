"""A business's own website is one source of truth, however many of its pages were read.

The website spider reads the home page and the contact, about and location pages it links to;
each is stored as a listing of its own. Shown as such they look like duplicate listings to
"merge", and the site would weigh as many times as it has pages in the score. Here they become
one listing per run: a detail is right when a page shows it right, wrong when any page shows it
wrong (a customer may land on that page), and missing only when no page shows it at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from napaudit.auditor.catalog import Source
from napaudit.auditor.history import Finding, StoredListing

# Which page's verdict stands for the site, best first: a wrong value anywhere is a fix.
_ORDER = ("mismatch", "match", "variant", "missing", "extra")


@dataclass
class SiteListing(StoredListing):
    """Several pages of one website, judged as one listing."""

    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (key, url, outcome)
    page_of: dict[str, str] = field(default_factory=dict)  # field -> url of the page it is from


def own_site_sources(catalog: dict[str, Source]) -> frozenset[str]:
    return frozenset(s.id for s in catalog.values() if s.kind == "website")


def merge_pages(listings: list[StoredListing], own: frozenset[str]) -> list[StoredListing]:
    """One business's listings of one run, with the pages of its own site made one listing."""
    by_source: dict[str, list[StoredListing]] = {}
    out: list[StoredListing] = []
    for listing in listings:
        if listing.source in own:
            if listing.source not in by_source:
                by_source[listing.source] = []
                out.append(listing)  # keeps the place of the site's first page
            by_source[listing.source].append(listing)
        else:
            out.append(listing)
    return [_merged(by_source[x.source]) if x.source in by_source else x for x in out]


def merge_statuses(pages: Iterable[dict[str, str]]) -> dict[str, str]:
    """field -> status for a site from field -> status of each page (for the stored scores)."""
    merged: dict[str, str] = {}
    for statuses in pages:
        for name, status in statuses.items():
            if _better(status, merged.get(name)):
                merged[name] = status
    return merged


def _better(status: str, than: str | None) -> bool:
    if than is None:
        return True
    rank = {s: i for i, s in enumerate(_ORDER)}
    return rank.get(status, len(_ORDER)) < rank.get(than, len(_ORDER))


def _merged(pages: list[StoredListing]) -> StoredListing:
    if len(pages) == 1:
        return pages[0]
    ok = [p for p in pages if p.outcome == "ok"] or pages[:1]
    first = ok[0]
    findings: dict[str, Finding] = {}
    page_of: dict[str, str] = {}
    normalized: dict = {}
    for page in ok:
        for name, finding in page.findings.items():
            if _better(finding.status, findings[name].status if name in findings else None):
                findings[name] = finding
                page_of[name] = page.url or page.key
                normalized[name] = page.normalized.get(name)
    return SiteListing(
        first.run_id, first.source, first.key, first.url, first.business_id, first.outcome,
        first.outcome_reason, first.linked_by, first.match_score, json.dumps(normalized),
        findings, pages=[(p.key, p.url, p.outcome) for p in pages], page_of=page_of,
    )  # fmt: skip
