"""Build the reports from the store: one plain structure per business (what the JSON report
holds), rendered as HTML pages, PDF files, a CSV of fixes or one JSON file.

`write_report` is the one entry point: `napaudit report` and the commands that end with a
report (`audit`, `demo`) call it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from napaudit.auditor.collector import collector_off
from napaudit.auditor.config import load_config
from napaudit.auditor.models import JUDGED_NAMES
from napaudit.reports.changes import snapshot_changes
from napaudit.reports.config import Weights, weights_of
from napaudit.reports.load import ReportError, Snapshot, StoredListing, load_snapshot
from napaudit.reports.priority import GAP, OPTIONAL, Fix, rank_fixes
from napaudit.reports.scores import accuracy, business_score, field_scores, source_scores
from napaudit.reports.wording import (
    evidence_text,
    field_label,
    fix_parts,
    hours_reason,
    sentence,
    shown,
    source_name,
)

FORMATS = ("html", "pdf", "csv", "json")
FORMAT_VERSION = 2
DEFAULT_OUT = None  # the report goes beside the database it reports on (report_dir)
REPORT_FOLDER = "napaudit-report"


def report_dir(db_path: str | Path) -> Path:
    """Where a report goes by default: napaudit-report/ beside its database (not in the folder
    the command runs from), so that a scheduled run's report lands with its data."""
    return Path(db_path).with_name(REPORT_FOLDER)


def write_report(
    db_path: str | Path,
    out_dir: str | Path | None = DEFAULT_OUT,
    fmt: str = "html",
    business: str | None = None,
    run_id: int | None = None,
    config: str | Path | None = None,
    excel: bool = False,
) -> list[Path]:
    """Write the report of run `run_id` (default: the latest finished run) into `out_dir`
    (default: beside the database, see report_dir).

    html: one page per business plus the portfolio page index.html (with `business`, only that
    business's page); pdf: the same as <business>.pdf and portfolio.pdf; csv: one row per fix
    (fixes.csv, or <business>.csv); json: everything (report.json, or <business>.json). Returns
    the paths written. Raises ReportError (a ConfigError for a bad config file) for anything
    the user can fix.
    """
    from napaudit.reports import (
        render,  # jinja2 loads when a report is written, not at every CLI start
    )

    if fmt not in FORMATS:
        raise ReportError(f"unknown report format '{fmt}' (use {', '.join(FORMATS)})")
    settings = load_config(config)
    weights = weights_of(settings)
    if fmt == "pdf":
        from napaudit.reports.pdf import find_chromium

        find_chromium()  # before any work: no renderer, no report
    with collector_off():  # the snapshot and the report hold no cycles (auditor.collector)
        snapshot = load_snapshot(db_path, run_id, business)
        data = build(snapshot, weights, business)
        out = Path(out_dir) if out_dir is not None else report_dir(db_path)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"{out}: cannot create the folder ({exc.strerror})") from None
        if fmt == "html":
            return render.write_html(data, out, portfolio=business is None,
                                     brand=settings.branding)  # fmt: skip
        if fmt == "pdf":
            from napaudit.reports.pdf import write_pdf

            return write_pdf(data, out, portfolio=business is None, brand=settings.branding)
        stem = data["businesses"][0]["slug"] if business else None
        if fmt == "csv":
            return [render.write_csv(data, out / f"{stem or 'fixes'}.csv", bom=excel)]
        return [render.write_json(data, out / f"{stem or 'report'}.json")]


def build(snapshot: Snapshot, weights: Weights, business: str | None = None) -> dict:
    """The whole report as plain data: run, weights and every business (or just `business`)."""
    if business is not None and business not in snapshot.businesses:
        known = ", ".join(list(snapshot.businesses)[:5])
        more = ", ..." if len(snapshot.businesses) > 5 else ""
        raise ReportError(
            f"{snapshot.db_path}: no business '{business}' in run {snapshot.run.id} "
            f"(businesses: {known}{more})"
        )
    ids = [business] if business is not None else list(snapshot.businesses)
    slugs = _slugs(ids)
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": snapshot.db_path,
        "run": _run(snapshot.run),
        "runs": [_run(r) for r in snapshot.runs],
        "weights": {
            "config": weights.path,
            "sources": weights.sources,
            "severity": weights.severity,
        },
        "businesses": [business_report(snapshot, b, weights, slugs[b]) for b in ids],
    }


def business_report(snapshot: Snapshot, business_id: str, weights: Weights, slug: str) -> dict:
    """Everything about one business in the chosen run, and its score in earlier runs."""
    business = snapshot.businesses[business_id]
    listings = snapshot.current(business_id)
    checked = [x for x in listings if x.checked]
    duplicates = _duplicates(checked, weights)
    labels = {(d["source"], x["listing_key"]): x["label"] for d in duplicates
              for x in d["listings"]}  # fmt: skip
    fixes = [_fix(f, weights, labels) for f in rank_fixes(snapshot, business_id, weights)]
    history = _history(snapshot, business_id, weights)
    score = business_score(checked, weights)
    earlier = [h for h in history if h["run_id"] < snapshot.run.id]
    previous = earlier[-1]["score"] if earlier and score is not None else None
    return {
        "id": business_id,
        "name": business.raw.get("name") or business_id,
        "slug": slug,
        "page": f"{slug}.html",
        "canonical": business.raw,
        "score": score,
        "previous_score": previous,
        "trend": round(score - previous, 1) if score is not None and previous is not None else None,
        "urgent": sum(1 for f in fixes if f["kind"] != OPTIONAL and f["severity"] == "high"),
        "coverage": coverage(listings, fixes),
        "scores": {"sources": source_scores(checked), "fields": field_scores(checked, weights)},
        "fixes": fixes,
        "root_causes": [_root(f) for f in fixes if f["kind"] == "root_cause"],
        "listings": [_listing(x, weights, labels) for x in checked],
        "not_checked": [_not_checked(x, weights) for x in listings if not x.checked],
        "duplicates": duplicates,
        "history": history,
        "changes": snapshot_changes(snapshot, business_id, weights.catalog),
    }


def coverage(listings: list[StoredListing], fixes: list[dict]) -> dict:
    """What the score covers, counted as the run's summary counts (a page of the business's own
    site is a listing there): listings checked, sources where it is listed, sources searched
    without finding it, and listings that could not be checked or were not searched."""
    pages = [p for x in listings for p in getattr(x, "pages", None) or [(x.key, x.url, x.outcome)]]
    outcomes: dict[str, int] = defaultdict(int)
    for _, _, outcome in pages:
        outcomes[outcome] += 1
    listed = sorted({x.source for x in listings if x.outcome == "ok"})
    gaps = [f["source"] for f in fixes if f["kind"] == GAP]
    return {
        "listings_checked": outcomes["ok"],
        "sources_listed": len(listed),
        "sources_searched": len(listed) + len(gaps),
        "sources_missing": gaps,
        "not_found": outcomes["not_found"],
        "could_not_check": outcomes["blocked"] + outcomes["error"],
        "not_searched": outcomes["skipped"],
        "total": len(pages),
    }


def _fix(fix: Fix, weights: Weights, labels: dict) -> dict:
    parts = fix_parts(fix, weights.catalog, labels)
    return {
        "rank": fix.rank,
        "kind": fix.kind,
        "source": fix.source,
        "source_name": source_name(fix.source, weights.catalog),
        "listing_key": fix.listing_key or None,
        "field": fix.field,
        "field_label": field_label(fix.field) if fix.field else "",
        "action": fix.action,
        "from": shown(fix.field, fix.found),
        "to": shown(fix.field, fix.canonical),
        "severity": fix.severity,
        "priority": fix.priority,
        "reason": _fix_reason(fix),
        "fix_url": fix.fix_url or None,
        "listing_url": fix.listing_url or None,
        "page_url": fix.page_url or None,
        "root_cause": fix.root_cause or None,
        "shared_with": list(fix.shared_with),
        "evidence": _evidence(fix, weights),
        "text": sentence(parts),
        "parts": [{"text": p.text, "role": p.role, "href": p.href or None} for p in parts],
    }


def _fix_reason(fix: Fix) -> str:
    if fix.field == "hours" and fix.action == "change":
        return hours_reason(fix.canonical, fix.found) or fix.reason
    return fix.reason


def _evidence(fix: Fix, weights: Weights) -> dict | None:
    ev = fix.evidence
    if ev is None:
        return None
    return {
        "basis": fix.basis,
        "sources": list(ev.sources),
        "supplied_by_origin": list(ev.supplied),
        "first_seen_run": ev.first_run,
        "first_seen_at": ev.first_at,
        "first_seen_on": list(ev.first_on),
        "text": evidence_text(fix, weights.catalog),
    }


def _root(fix: dict) -> dict:
    return {
        "rank": fix["rank"],
        "field": fix["field"],
        "wrong_value": fix["from"],
        "right_value": fix["to"],
        "sources": fix["shared_with"],
        "origin": fix["source"],
        "origin_name": fix["source_name"],
        "fix_url": fix["fix_url"],
        "likely": True,
        "evidence": fix["evidence"],
    }


def _listing(listing: StoredListing, weights: Weights, labels: dict) -> dict:
    value = accuracy(listing)
    order = [f for f in JUDGED_NAMES if f in listing.findings]
    order += sorted(set(listing.findings) - set(order))
    pages = getattr(listing, "pages", None) or []
    return {
        "source": listing.source,
        "source_name": source_name(listing.source, weights.catalog),
        "listing_key": listing.key,
        "label": labels.get((listing.source, listing.key)),
        "url": listing.url or None,
        "pages": [
            {"listing_key": key, "url": url or None, "outcome": outcome}
            for key, url, outcome in pages
        ],
        "linked_by": listing.linked_by or None,
        "match_score": listing.match_score,
        "provenance": getattr(listing, "provenance", "") or None,
        "accuracy": round(100 * value, 1) if value is not None else None,
        "fields": [_finding(listing.findings[f]) for f in order],
    }


def _finding(finding) -> dict:
    return {
        **finding_words(finding),
        "field": finding.field,
        "field_label": field_label(finding.field),
        "status": finding.status,
        "canonical": finding.canonical,
        "found": finding.found,
        "canonical_text": shown(finding.field, finding.canonical),
        "found_text": shown(finding.field, finding.found),
        "severity": finding.severity,
    }


def finding_words(finding) -> dict:
    """The verdict's reason as a person reads it: wrong hours say each day in words (the
    stored reason keeps the clock times the auditor compared)."""
    reason = finding.reason
    if finding.field == "hours" and finding.status == "mismatch":
        reason = hours_reason(finding.canonical, finding.found) or reason
    return {"reason": reason}


def _not_checked(listing: StoredListing, weights: Weights) -> dict:
    reason = listing.outcome_reason
    if listing.outcome == "ok":  # stored as fetched, but nothing on it could be judged
        reason = reason or "nothing on the listing could be compared with your record"
    return {
        "source": listing.source,
        "source_name": source_name(listing.source, weights.catalog),
        "listing_key": listing.key,
        "url": listing.url or None,
        "outcome": listing.outcome,
        "reason": reason,
    }


def _duplicates(checked: list[StoredListing], weights: Weights) -> list[dict]:
    """Sources showing the business more than once, each listing named 'listing 1 of 2'. The
    pages of the business's own site are one listing already (reports.site)."""
    by_source: dict[str, list[StoredListing]] = defaultdict(list)
    for listing in checked:
        by_source[listing.source].append(listing)
    out = []
    for source, xs in sorted(by_source.items()):
        keys = sorted({x.key for x in xs})
        if len(keys) < 2:
            continue
        urls = {x.key: x.url for x in xs}
        out.append({
            "source": source,
            "source_name": source_name(source, weights.catalog),
            "listings": [{"listing_key": k, "url": urls[k] or None,
                          "label": f"listing {n} of {len(keys)}"}
                         for n, k in enumerate(keys, 1)],
        })  # fmt: skip
    return out


def _history(snapshot: Snapshot, business_id: str, weights: Weights) -> list[dict]:
    """The business's score in each run up to the chosen one that checked any of its listings."""
    out = []
    for run in snapshot.runs:
        score = business_score(snapshot.of(run.id, business_id), weights)
        if score is not None:
            out.append({"run_id": run.id, "started_at": run.started_at, "score": score})
    return out


def _run(run) -> dict:
    return {"id": run.id, "command": run.command, "started_at": run.started_at,
            "status": run.status}  # fmt: skip


def _slugs(ids: list[str]) -> dict[str, str]:
    """A safe, unique file name stem per business id (ids may hold '/', '..' or spaces)."""
    out, taken = {}, {"index", "portfolio", "fixes", "report"}
    for business_id in ids:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", business_id).strip("-")[:80] or "business"
        slug, n = base, 2
        while slug.lower() in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug.lower())
        out[business_id] = slug
    return out
