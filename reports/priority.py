"""What to fix first: every problem found on a business's listings and every site it is missing
from, ranked in the order of the labels a reader sees (Urgent, Important, Minor).

A problem is a field judged `mismatch` or `missing`; a gap is a source that was searched (or
whose listing page was fetched) and does not list the business. Each has a priority

    priority = source weight × severity weight × reach × shared

- source weight: the catalog's 1-10 (data/sources.toml; an unknown source counts DEFAULT_WEIGHT),
  or the [sources] table of the config file;
- severity weight: high 3, medium 2, low 1 (the [severity] table overrides them); a gap is
  GAP_SEVERITY: not being listed loses the customers a site would send, but misleads nobody,
  so it ranks below a wrong value on a site of the same weight;
- reach: 1 + the number of sources this source feeds (an aggregator's error spreads);
- shared: the number of sources showing the same wrong value (compared normalized: the same
  E.164 phone, ZIP, website host, street parts ...), 1 when only this one shows it. A missing
  value is never shared: sources leave a field out for reasons of their own.

The order: by urgency class (high, then medium, then low severity), within a class root causes
first, then by priority (at equal priority a wrong value before a gap). Variants with a
severity (a location note, a city name USPS merely knows) are optional polish, after all that.

A wrong value shown on two sources or more is a root cause. napaudit cannot see where it came
from, so the origin is inferred, and said to be likely: the catalog source that supplies most of
them (an aggregator that feeds them, counting itself when it shows the value too; ties go to the
higher weight, then the catalog's order); when no source supplies two of them, the source among
them that showed the value first (the earliest run in the store). A root cause is priced at its
origin (origin's weight × severity weight × origin's reach × shared) and carries its evidence.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from napaudit.auditor.fields import JUDGED as JUDGED_FIELDS
from napaudit.reports.config import Weights
from napaudit.reports.load import Finding, Snapshot, StoredListing

PROBLEMS = ("mismatch", "missing")
ROOT_CAUSE, FIX, GAP, OPTIONAL = "root_cause", "fix", "gap", "optional"
URGENCY = ("high", "medium", "low")  # the classes, in the order the page lists them
GAP_SEVERITY = "medium"


@dataclass(frozen=True)
class Evidence:
    """Why a root cause's origin is likely: what napaudit saw, not what it knows."""

    sources: tuple[str, ...]  # the sources showing the wrong value in this run
    supplied: tuple[str, ...]  # those of them the origin supplies (basis "feeds")
    first_run: int  # the earliest run in which a source showed it
    first_at: str  # when that run started
    first_on: tuple[str, ...]  # the sources showing it in that run


@dataclass
class Fix:
    """One thing the owner should do, where, and why."""

    kind: str  # root_cause, fix, gap or optional
    source: str
    field: str  # "" for a gap
    action: str  # change, add (the listing lacks it), get_listed (a gap) or tidy (optional)
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
    evidence: Evidence | None = None
    page_url: str = ""  # the page of the business's own site that shows the value
    rank: int = 0


def rank_fixes(snapshot: Snapshot, business_id: str, weights: Weights) -> list[Fix]:
    """Every fix and gap, in rank order (ranks 1..n); optional polish last."""
    current = snapshot.current(business_id)
    listings = [x for x in current if x.checked]
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
    main = sorted([*roots.values(), *fixes, *gaps(current, weights)], key=_order)
    ordered = [*main, *_by_priority(optional)]
    for rank, fix in enumerate(ordered, 1):
        fix.rank = rank
    return ordered


def gaps(listings: list[StoredListing], weights: Weights) -> list[Fix]:
    """A 'get listed' item for each source that was searched, or whose listing page was
    fetched, and that shows no listing of the business. Blocked, failed and not searched
    sources are not gaps: nothing is known about them."""
    by_source: dict[str, list[StoredListing]] = defaultdict(list)
    for listing in listings:
        by_source[listing.source].append(listing)
    out = []
    for source, found in by_source.items():
        if any(x.outcome == "ok" for x in found):
            continue
        absent = [x for x in found if x.outcome == "not_found"]
        if not absent:
            continue
        first = absent[0]
        priority = (weights.source(source) * weights.of_severity(GAP_SEVERITY)
                    * weights.reach(source))  # fmt: skip
        out.append(Fix(GAP, source, "", "get_listed", "", "", GAP_SEVERITY, first.outcome_reason,
                       priority, _fix_url(source, weights), first.key, first.url))  # fmt: skip
    return out


def is_search_key(key: str) -> bool:
    """A discovery search that found nothing is stored under `search:<business id>`."""
    return key.startswith("search:")


def value_key(listing: StoredListing, field: str) -> str:
    """The listing's value of `field`, normalized, so that the same value compares equal."""
    norm = listing.normalized.get(field)
    if field == "phone" and isinstance(norm, dict):
        norm = norm.get("e164") or ""
    elif field == "address" and isinstance(norm, dict):
        norm = {k: v for k, v in norm.items() if k not in ("notes", "problem")}
        norm = json.dumps(norm, sort_keys=True) if norm.get("street") else ""
    elif isinstance(norm, list | dict):
        norm = json.dumps(norm, sort_keys=True)
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
    page = getattr(listing, "page_of", {}).get(finding.field, "")
    return Fix(kind, listing.source, finding.field, action, finding.found, finding.canonical,
               finding.severity, finding.reason, priority, _fix_url(listing.source, weights),
               listing.key, listing.url, root, shared, page_url=page)  # fmt: skip


def _member(listing: StoredListing, members) -> bool:
    return any(x is listing for x in members)


def _root_cause(
    snapshot, business_id: str, field: str, members: list[StoredListing], weights
) -> Fix:
    sources = tuple(sorted({x.source for x in members}))
    run, first_on = _first_seen(snapshot, business_id, field, members)
    origin = _feeder(set(sources), weights)
    basis = "feeds" if origin else "first_seen"
    if not origin:
        origin = max(first_on, key=lambda s: (weights.source(s), s))
    known = weights.catalog.get(origin)
    supplied = tuple(s for s in sources if known and s in known.feeds)
    evidence = Evidence(sources, supplied, run.id, run.started_at, first_on)
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
               first_seen_run=run.id if basis == "first_seen" else None,
               evidence=evidence)  # fmt: skip


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


def _first_seen(snapshot: Snapshot, business_id: str, field: str, members):
    """The earliest run in which a source among `members` showed this wrong value, and the
    sources that showed it then."""
    key = value_key(members[0], field)
    sources = {x.source for x in members}
    for run in snapshot.runs:
        seen = sorted(
            {
                x.source
                for x in snapshot.of(run.id, business_id)
                if x.source in sources and x.checked and value_key(x, field) == key
            }
        )
        if seen:
            return run, tuple(seen)
    return snapshot.run, tuple(sorted(sources))  # not reached: the current run shows it


def _fix_url(source: str, weights: Weights) -> str:
    known = weights.catalog.get(source)
    return known.fix_url if known else ""


def _field_order(fix: Fix) -> int:
    order = [f.name for f in JUDGED_FIELDS]
    return order.index(fix.field) if fix.field in order else len(order)


def _order(fix: Fix) -> tuple:
    urgency = URGENCY.index(fix.severity) if fix.severity in URGENCY else len(URGENCY)
    return (urgency, fix.kind != ROOT_CAUSE, -fix.priority, fix.kind == GAP, fix.source,
            fix.listing_key, _field_order(fix))  # fmt: skip


def _by_priority(fixes: list[Fix]) -> list[Fix]:
    return sorted(fixes, key=lambda f: (-f.priority, f.source, f.listing_key, _field_order(f)))
