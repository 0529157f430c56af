"""The records the auditor reads and the verdicts it writes.

`Record` is built from the field declarations (auditor.fields): one attribute per declared field,
beside the attributes every record has (id, where it was seen, where it was read from).
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from json.encoder import encode_basestring as _string  # what json.dumps writes for a str
from typing import TYPE_CHECKING, NamedTuple

from napaudit.auditor.fields import FIELDS as DECLARED
from napaudit.auditor.fields import JUDGED, Severity, Status

if TYPE_CHECKING:
    from napaudit.auditor.identify import Match
    from napaudit.auditor.normalize.record import Normalized

__all__ = [
    "JUDGED_NAMES",
    "Record",
    "Result",
    "Severity",
    "Status",
    "Verdict",
    "VerdictStrings",
    "verdict_strings",
]

# The judged fields, in the order reports show them.
JUDGED_NAMES = tuple(f.name for f in JUDGED)


class _RecordMethods:
    def street_line(self) -> str:
        """The street line as one string: address plus address2 (suite, unit)."""
        return ", ".join(p for p in (self.address.strip(), self.address2.strip()) if p)

    def value(self, name: str) -> object:
        return self.street_line() if name == "address" else getattr(self, name)


# One business as written somewhere: the owner's canonical record or a listing. Values are kept
# exactly as read (raw); normalized forms live in `auditor.normalize`. A structured field
# (hours) may hold JSON data (schema.org openingHoursSpecification) instead of text.
Record = make_dataclass(
    "Record",
    [
        ("id", str),
        *((f.name, object if f.structured else str, field(default=f.default)) for f in DECLARED),
        # listing-only: where it was seen and, when known, which business it is
        ("source", str, field(default="")),
        ("url", str, field(default="")),
        ("business_id", str | None, field(default=None)),
        # where it was read from, for error messages
        ("line", int, field(default=0)),
        ("extra", dict, field(default_factory=dict)),
    ],
    bases=(_RecordMethods,),
    namespace={"__module__": __name__},
)


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


VerdictStrings = list[tuple[str, ...]]


def verdict_strings(verdicts: list[Verdict]) -> VerdictStrings | None:
    """Each verdict's values as json.dumps writes each string (quoted, escaped), in Verdict's
    order; None when a value is not text. Compare's output line and the check's stored column
    both write them: encoded once for both (~7 verdicts a listing)."""
    try:
        return [tuple(map(_string, v)) for v in verdicts]
    except TypeError:
        return None


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
    judged: bool = True  # False: stored unjudged; auditor.judging judges it from the store

    @property
    def linked_by(self) -> str | None:
        if self.business is None:
            return None
        return "given" if self.listing.business_id is not None else "identified"
