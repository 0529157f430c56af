"""Scores, 0-100: how accurately a business is listed, overall, per source and per field.

A checked listing's accuracy is the share of the field weights (auditor.fields) that it
gets right: the weights of the fields judged match or variant, over the weights of every field
the owner's record has (match, variant, mismatch or missing; a field only the listing shows
cannot be checked and does not count). A business's score is the mean of its listings'
accuracies, each weighted by its source's weight, times 100. Listings that were not checked
(not found, blocked, an error) are left out of every score and listed with their reason.
The pages of a business's own site count as one listing (reports.site), here as in the report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from napaudit.auditor.fields import BY_NAME
from napaudit.auditor.fields import JUDGED as JUDGED_FIELDS
from napaudit.reports.config import Weights
from napaudit.reports.load import StoredListing
from napaudit.reports.site import merge_statuses, own_site_sources

JUDGED = ("match", "variant", "mismatch", "missing")  # the owner's record has the field
RIGHT = ("match", "variant")


def accuracy(listing: StoredListing) -> float | None:
    """Share (0-1) of the field weight this listing gets right; None when nothing was judged."""
    return accuracy_of({f.field: f.status for f in listing.findings.values()})


def accuracy_of(statuses: dict[str, str]) -> float | None:
    """The same, from field -> status."""
    total = right = 0.0
    for name, status in statuses.items():
        if status not in JUDGED or name not in BY_NAME:
            continue
        weight = BY_NAME[name].weight
        total += weight
        if status in RIGHT:
            right += weight
    return right / total if total else None


def listing_score(statuses: dict[str, str]) -> tuple[float | None, int]:
    """What a checked listing adds to its business's score: its accuracy (None when nothing
    was judged) and how many of its fields are wrong or missing."""
    if not statuses:
        return None, 0
    return accuracy_of(statuses), sum(1 for s in statuses.values() if s in ("mismatch", "missing"))


class RunScores:
    """Each business's score in one run, added up listing by listing as the run judges them
    (a compare of 100,000 listings never reads its findings back to score them)."""

    def __init__(self, weights: Weights):
        self.weights = weights
        self.by_business: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
        self.own = own_site_sources(weights.catalog)
        self.pages: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)

    def add(self, business_id: str | None, source: str, outcome: str, statuses: dict,
            scored: tuple[float | None, int] | None = None) -> None:  # fmt: skip
        """One listing's result; `scored`: its `listing_score`, when the caller has it (compare's
        workers compute it beside the judging, so the process that adds up does less)."""
        if not business_id:
            return
        if source in self.own:  # one listing, once every page of the site is in
            self.pages[business_id, source].append((outcome, dict(statuses)))
            return
        self._add(business_id, source, outcome, statuses, scored)

    def _add(self, business_id: str, source: str, outcome: str, statuses: dict,
             scored: tuple[float | None, int] | None = None) -> None:  # fmt: skip
        board = self.by_business[business_id]  # weighted sum, weight, checked, not, problems
        if outcome != "ok":
            board[3] += 1
            return
        value, problems = listing_score(statuses) if scored is None else scored
        if value is None:
            return
        weight = self.weights.source(source)
        board[0] += weight * value
        board[1] += weight
        board[2] += 1
        board[4] += problems

    def rows(self) -> list[dict]:
        for (business_id, source), pages in self.pages.items():
            ok = [statuses for outcome, statuses in pages if outcome == "ok"]
            if ok:
                self._add(business_id, source, "ok", merge_statuses(ok))
            else:
                self._add(business_id, source, pages[0][0], {})
        self.pages.clear()
        return [
            {"business_id": business_id, "score": _round(100 * s / w) if w else None,
             "checked": checked, "not_checked": not_checked, "problems": problems}
            for business_id, (s, w, checked, not_checked, problems)
            in sorted(self.by_business.items())
        ]  # fmt: skip


def business_score(listings: Iterable[StoredListing], weights: Weights) -> float | None:
    """Source-weighted mean of the checked listings' accuracies, 0-100; None if none checked."""
    pairs = [(weights.source(x.source), accuracy(x)) for x in listings if x.checked]
    pairs = [(w, a) for w, a in pairs if a is not None]
    total = sum(w for w, _ in pairs)
    return _round(100 * sum(w * a for w, a in pairs) / total) if total else None


def source_scores(listings: Iterable[StoredListing]) -> dict[str, float]:
    """Source -> mean accuracy of its checked listings (a duplicate counts as a listing), 0-100."""
    by_source: dict[str, list[float]] = defaultdict(list)
    for listing in listings:
        value = accuracy(listing) if listing.checked else None
        if value is not None:
            by_source[listing.source].append(value)
    return {s: _round(100 * sum(v) / len(v)) for s, v in sorted(by_source.items())}


def field_scores(listings: Iterable[StoredListing], weights: Weights) -> dict[str, float]:
    """Field -> source-weighted share of checked listings showing it right, 0-100."""
    right: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for listing in listings:
        if not listing.checked:
            continue
        weight = weights.source(listing.source)
        for finding in listing.findings.values():
            if finding.status in JUDGED:
                total[finding.field] += weight
                right[finding.field] += weight if finding.status in RIGHT else 0
    order = [f.name for f in JUDGED_FIELDS]
    fields = sorted(total, key=lambda f: order.index(f) if f in order else len(order))
    return {f: _round(100 * right[f] / total[f]) for f in fields if total[f]}


def _round(value: float) -> float:
    return round(value, 1)
