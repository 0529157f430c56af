"""Judge every field of a listing against the canonical record it describes."""

from __future__ import annotations

from napaudit.auditor.fields import JUDGED, Field
from napaudit.auditor.models import Verdict
from napaudit.auditor.normalize.record import Normalized


def judge(canonical: Normalized, found: Normalized) -> list[Verdict]:
    """One verdict per judged field that either side has, in the declared order."""
    return [v for spec in JUDGED if (v := judge_field(spec, canonical, found)) is not None]


def judge_field(spec: Field, canonical: Normalized, found: Normalized) -> Verdict | None:
    mine = canonical.shown.get(spec.name, "") or spec.assumed
    theirs = found.shown.get(spec.name, "")
    if not theirs and (spec.quiet_when_absent or not mine):
        return None
    if not theirs:
        level, reason = "missing", f"the listing shows no {spec.label}"
    elif not mine:
        level, reason = "extra", f"your record has no {spec.label} to check it against"
    elif mine.casefold() == theirs.casefold():  # shown values are already squashed
        level, reason = "exact", "identical"
    else:
        level, reason = spec.compare(canonical, found)
    if spec.name in found.taken_from_address and level != "missing":
        reason += " (read from the listing's address line)"
    status, severity = spec.levels[level]
    return Verdict(
        field=spec.name,
        status=status.value,
        canonical=mine,
        found=theirs,
        reason=reason,
        severity=severity.value,
        level=level,
    )
