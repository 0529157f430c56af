"""Judge every field of a listing against the canonical record it describes."""

from __future__ import annotations

from napaudit.auditor.fields import FIELD_SPECS, FieldSpec
from napaudit.auditor.models import Verdict
from napaudit.auditor.normalize.record import Normalized


def judge(canonical: Normalized, found: Normalized) -> list[Verdict]:
    """One verdict per field that either side has, in FIELD_SPECS order."""
    return [v for spec in FIELD_SPECS if (v := judge_field(spec, canonical, found)) is not None]


def judge_field(spec: FieldSpec, canonical: Normalized, found: Normalized) -> Verdict | None:
    mine, theirs = canonical.shown[spec.name], found.shown[spec.name]
    if not mine and not theirs:
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
