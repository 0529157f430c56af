"""What to fix first: every problem found on a business's listings, ranked, root causes first.

A problem is a field judged `mismatch` or `missing`. Its priority is

    priority = source weight × severity weight × reach × shared

- source weight: the catalog's 1-10 (data/sources.toml; an unknown source counts DEFAULT_WEIGHT),
  or the [sources] table of the config file;
- severity weight: high 3, medium 2, low 1 (the [severity] table overrides them);
- reach: 1 + the number of sources this source feeds (an aggregator's error spreads);
- shared: the number of sources showing the same wrong value (compared normalized: the same
  E.164 phone, ZIP, website host, street parts ...), 1 when only this one shows it. A missing
  value is never shared: sources leave a field out for reasons of their own.

A wrong value shown on two sources or more is a root cause. Its likely origin is the catalog
source that supplies most of them (an aggregator that feeds them, counting itself when it shows
the value too; ties go to the higher weight, then the catalog's order); when no source supplies
two of them, it is the source among them that showed the value first (the earliest run in the
store). The root cause comes first, priced like a problem at its origin (origin's weight ×
severity weight × origin's reach × shared), and the downstream fixes follow it.

Variants with a severity (a location note, a city name USPS merely knows) are optional polish:
ranked the same way, after every real fix.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from napaudit.auditor.fields import JUDGED as JUDGED_FIELDS
from napaudit.reports.config import Weights
from napaudit.reports.load import Finding, Snapshot, StoredListing

PROBLEMS = ("mismatch", "missing")
ROOT_CAUSE, FIX, OPTIONAL = "root_cause", "fix", "optional"


@dataclass
class Fix:
    """One thing the owner should do, where, and why."""

    kind: str  # root_cause, fix or optional
    source: str
    field: str
    action: str  # change, add (the listing lacks it) or tidy (optional)
    found: str
    canonical: str
    severity: str
    reason: str
    priority: float
    fix_url: str = ""
    listing_key: str = ""
    listing_url: str = ""
    root_cause: str = ""  # the origin's source id, for a root cause and its downstream fixes
    shared_with: tuple[str, ...] = ()  # sources showing the same wrong value
    basis: str = ""  # a root cause's origin: "feeds" (it supplies them) or "first_seen"
    first_seen_run: int | None = None
    rank: int = 0


def rank_fixes(snapshot: Snapshot, business_id: str, weights: Weights) -> list[Fix]:
    """Root causes, then fixes, then optional polish, each by priority; ranks 1..n."""
    listings = [x for x in snapshot.current(business_id) if x.checked]
    groups = {
        group: members
        for group, members in _shared_values(listings).items()
        if len({x.source for x in members}) > 1
    }
    roots = {
        group: _root_cause(snapshot, business_id, group[0], members, weights)
        for group, members in groups.items()
    }
    # The origin's own listing is fixed by the root cause itself: not listed twice.
    absorbed = {
        (x.source, x.key, group[0])
        for group, members in groups.items()
        for x in members
        if x.source == roots[group].source
    }
    fixes, optional = [], []
    for listing in listings:
        for finding in listing.findings.values():
            if (listing.source, listing.key, finding.field) in absorbed:
                continue
            if not weights.of_severity(finding.severity):
                continue
            if finding.status in PROBLEMS:
                fixes.append(_fix(listing, finding, groups, roots, weights))
            elif finding.status == "variant":
                optional.append(_fix(listing, finding, groups, roots, weights, OPTIONAL))
    ordered = [*_by_priority(list(roots.values())), *_by_priority(fixes), *_by_priority(optional)]
    for rank, fix in enumerate(ordered, 1):
        fix.rank = rank
    return ordered


def value_key(listing: StoredListing, field: str) -> str:
    """The listing's value of `field`, normalized, so that the same value compares equal."""
    norm = listing.normalized.get(field)
    if field == "phone" and isinstance(norm, dict):
        norm = norm.get("e164") or ""
    elif field == "address" and isinstance(norm, dict):
        norm = {k: v for k, v in norm.items() if k not in ("notes", "problem")}
        norm = json.dumps(norm, sort_keys=True) if norm.get("street") else ""
    elif isinstance(norm, list):
        norm = json.dumps(norm)
    if norm:
        return str(norm)
    finding = listing.findings.get(field)  # not normalized: as shown, spacing and case aside
    return " ".join(finding.found.split()).lower() if finding else ""


def _shared_values(listings: list[StoredListing]) -> dict[tuple[str, str], list[StoredListing]]:
    """(field, wrong value) -> the listings showing it; only real mismatches with a value."""
    groups: dict[tuple[str, str], list[StoredListing]] = defaultdict(list)
    for listing in listings:
        for finding in listing.findings.values():
            if finding.status == "mismatch":
                key = value_key(listing, finding.field)
                if key:
                    groups[(finding.field, key)].append(listing)
    return groups


def _fix(
    listing: StoredListing, finding: Finding, groups, roots, weights: Weights, kind=FIX
) -> Fix:
    group = (finding.field, value_key(listing, finding.field))
    shared = ()
    if kind == FIX and finding.status == "mismatch" and _member(listing, groups.get(group, ())):
        shared = tuple(sorted({x.source for x in groups[group]}))
    count = max(len(shared), 1)
    priority = (
        weights.source(listing.source)
        * weights.of_severity(finding.severity)
        * weights.reach(listing.source)
        * count
    )
    action = "tidy" if kind == OPTIONAL else "add" if finding.status == "missing" else "change"
    root = roots[group].source if shared else ""
    return Fix(kind, listing.source, finding.field, action, finding.found, finding.canonical,
               finding.severity, finding.reason, priority, _fix_url(listing.source, weights),
               listing.key, listing.url, root, shared)  # fmt: skip


def _member(listing: StoredListing, members) -> bool:
    return any(x is listing for x in members)


def _root_cause(
    snapshot, business_id: str, field: str, members: list[StoredListing], weights
) -> Fix:
    sources = tuple(sorted({x.source for x in members}))
    origin, basis, first_run = _feeder(set(sources), weights), "feeds", None
    if not origin:
        origin, first_run = _first_seen(snapshot, business_id, field, members, weights)
        basis = "first_seen"
    # The value as the most important source shows it stands for all of them.
    shown = max(members, key=lambda x: (weights.source(x.source), x.source))
    finding = shown.findings[field]
    priority = (
        weights.source(origin)
        * weights.of_severity(finding.severity)
        * weights.reach(origin)
        * len(sources)
    )
    return Fix(ROOT_CAUSE, origin, field, "change", finding.found, finding.canonical,
               finding.severity, finding.reason, priority, _fix_url(origin, weights),
               root_cause=origin, shared_with=sources, basis=basis,
               first_seen_run=first_run)  # fmt: skip


def _feeder(sources: set[str], weights: Weights) -> str:
    """The catalog source supplying most of `sources` (itself included), if it supplies two."""
    best, best_key = "", None
    for order, source in enumerate(weights.catalog.values()):
        fed = len(set(source.feeds) & sources)
        covered = fed + (source.id in sources)
        key = (covered, weights.source(source.id), -order)
        if fed and covered >= 2 and (best_key is None or key > best_key):
            best, best_key = source.id, key
    return best


def _first_seen(snapshot: Snapshot, business_id: str, field: str, members, weights):
    """The source among `members` that showed this wrong value in the earliest run."""
    key = value_key(members[0], field)
    sources = {x.source for x in members}
    for run in snapshot.runs:
        seen = [
            x.source
            for x in snapshot.of(run.id, business_id)
            if x.source in sources and x.checked and value_key(x, field) == key
        ]
        if seen:
            return max(seen, key=lambda s: (weights.source(s), s)), run.id
    return members[0].source, snapshot.run.id  # not reached: the current run shows it


def _fix_url(source: str, weights: Weights) -> str:
    known = weights.catalog.get(source)
    return known.fix_url if known else ""


def _by_priority(fixes: list[Fix]) -> list[Fix]:
    order = [f.name for f in JUDGED_FIELDS]

    def key(fix: Fix):
        field_order = order.index(fix.field) if fix.field in order else len(order)
        return (-fix.priority, fix.source, fix.listing_key, field_order)

    return sorted(fixes, key=key)
