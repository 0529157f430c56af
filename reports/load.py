"""Read what a report needs from the store (through napaudit.auditor.history): one run's
businesses, and the listings of every run up to it (the history: earlier scores, and where a
wrong value was seen first). A report never creates a database or adds a row to one.

The pages of a business's own website are one listing here (reports.site): every report, score
and change reads them as one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from napaudit.auditor.catalog import load_catalog
from napaudit.auditor.history import (
    Finding,
    History,
    HistoryError,
    Run,
    StoredBusiness,
    StoredListing,
)
from napaudit.reports.site import merge_pages, own_site_sources

__all__ = ["Finding", "ReportError", "Run", "Snapshot", "StoredListing", "load_snapshot"]


class ReportError(Exception):
    """A report cannot be made from what the user asked for (exit code 2, one line)."""


@dataclass
class Snapshot:
    """One run's businesses, and the listings about them in that run and every earlier one."""

    db_path: str
    run: Run
    runs: list[Run]  # every finished run up to and including `run`, oldest first
    businesses: dict[str, StoredBusiness]  # in the run, in id order
    listings: dict[int, dict[str, list[StoredListing]]]  # run id -> business id -> listings

    def current(self, business_id: str) -> list[StoredListing]:
        return self.of(self.run.id, business_id)

    def of(self, run_id: int, business_id: str) -> list[StoredListing]:
        return self.listings.get(run_id, {}).get(business_id, [])


def load_snapshot(
    db_path: str | Path, run_id: int | None = None, business: str | None = None
) -> Snapshot:
    """Read the run `run_id` (by default the latest finished run) and its history: every
    business's, or, given `business`, the listings of that one alone (every business of the
    run is still in `businesses`, to name them when `business` is not one)."""
    try:
        with History(db_path) as history:
            run = history.run(run_id)
            businesses = history.businesses(run.id)
            if not businesses:
                raise ReportError(
                    f"{db_path}: run {run.id} has no businesses (status {run.status})"
                )
            runs = history.runs()
            done = [r for r in runs if r.id <= run.id and (r.status == "done" or r.id == run.id)]
            listings = history.listings(run.id, {r.id for r in done}, business)
    except HistoryError as exc:
        raise ReportError(str(exc)) from None
    own = own_site_sources(load_catalog())
    listings = {
        run_id: {b: merge_pages(xs, own) for b, xs in by_business.items()}
        for run_id, by_business in listings.items()
    }
    return Snapshot(str(db_path), run, done, businesses, listings)
