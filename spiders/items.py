"""What a spider emits: one Listing per page fetched, with every business the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Listing:
    business_id: str  # the canonical business this page is expected to describe
    source: str  # catalog id
    url: str  # the page asked for
    outcome: str = "ok"  # ok | not_found | blocked | error
    reason: str = ""  # why it was not checked, in words
    status: int | None = None  # HTTP status of the final response, when there was one
    fetched_at: str = ""
    found: list[dict] = field(default_factory=list)  # extract(): each business the page shows
    listing_key: str = ""  # how the store names this listing; the URL when empty
    searched: str = ""  # for a listing found by searching: what was searched, in words
    left_out: int = 0  # businesses the page showed past the per-page limit (NAPAUDIT_PAGE_LIMIT)
    # The page's text and the address it was read at, when the spider leaves its extraction to
    # the audit's pipeline (and its page worker, spiders.pagework): `found` is read there.
    # Never stored.
    page: tuple[str, str] | None = field(default=None, repr=False)
    handed_over: bool = False  # to the page worker: judged later (pipelines.AuditRun.on_judged)

    @property
    def key(self) -> str:
        return self.listing_key or self.url
