"""The records the auditor reads and the verdicts it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from napaudit.auditor.identify import Match
    from napaudit.auditor.normalize.record import Normalized

# The NAP+W+H fields, in the order reports show them.
FIELDS = ("name", "address", "city", "state", "zip", "phone", "website", "hours")


class Status(StrEnum):
    MATCH = "match"  # identical after trivial cleaning (case, spacing)
    VARIANT = "variant"  # the same value written differently
    MISMATCH = "mismatch"  # a real difference
    MISSING = "missing"  # the listing lacks what the canonical record has
    EXTRA = "extra"  # the listing shows a value the canonical record lacks: cannot be checked

    def __str__(self) -> str:
        return self.value


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY_RANK = {Severity.NONE: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


@dataclass
class Record:
    """One business as written somewhere: the owner's canonical record or a listing.

    Values are kept exactly as read (raw); normalized forms live in `auditor.normalize`.
    `hours` may be text or structured data (schema.org openingHoursSpecification).
    """

    id: str
    name: str = ""
    address: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = "US"
    phone: str = ""
    website: str = ""
    hours: object = ""
    categories: str = ""
    # listing-only: where it was seen and, when known, which business it is
    source: str = ""
    url: str = ""
    business_id: str | None = None
    # where it was read from, for error messages
    line: int = 0
    extra: dict = field(default_factory=dict)

    def street_line(self) -> str:
        """The street line as one string: address plus address2 (suite, unit)."""
        return ", ".join(p for p in (self.address.strip(), self.address2.strip()) if p)

    def value(self, name: str) -> object:
        return self.street_line() if name == "address" else getattr(self, name)


class Verdict(NamedTuple):
    """The judgement of one field of one listing against the canonical record.

    A named tuple of plain strings: cheap to build, and cheap to send between processes.
    """

    field: str
    status: str  # a Status value
    canonical: str
    found: str
    reason: str
    severity: str  # a Severity value
    level: str  # the named comparison level that fired (e.g. "suffix_spelling")

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "canonical": self.canonical,
            "found": self.found,
            "reason": self.reason,
            "severity": self.severity,
        }


@dataclass
class Result:
    """One listing, the business it was judged against (if any) and the verdicts.

    A listing that could not be checked (a page blocked, gone or timed out) has an `outcome`
    other than "ok", a reason, and no verdicts: it is "not checked", never "missing".
    """

    listing: Record
    normalized: str  # the listing's normalized values, as the JSON the store keeps
    match: Match | None  # identification, or the choice among the businesses a page shows
    business: Normalized | None
    verdicts: list[Verdict] = field(default_factory=list)
    outcome: str = "ok"  # ok | not_found | blocked | error
    outcome_reason: str = ""
    fetched_at: str = ""

    @property
    def linked_by(self) -> str | None:
        if self.business is None:
            return None
        return "given" if self.listing.business_id is not None else "identified"
