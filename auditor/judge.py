"""Judge every field of a listing against the canonical record it describes."""

from __future__ import annotations

from napaudit.auditor.fields import JUDGED, Field, Severity, Status
from napaudit.auditor.models import Verdict
from napaudit.auditor.normalize.record import Normalized

_NOTED = " (read from the listing's address line)"


def judge(canonical: Normalized, found: Normalized) -> list[Verdict]:
    """One verdict per judged field that either side has, in the declared order."""
    return [v for plan in _PLAN if (v := _verdict(plan, canonical, found)) is not None]


def judge_field(spec: Field, canonical: Normalized, found: Normalized) -> Verdict | None:
    return _verdict(_plan(spec), canonical, found)


def _verdict(plan: tuple, canonical: Normalized, found: Normalized) -> Verdict | None:
    """One field's verdict, None when neither side shows it (or an absence is not news). From
    the field's plan: a compare judges a million fields (measured 2026-12-02: looking up the
    field's attributes and the enums' .value each time was a quarter of judging)."""
    spec, name, assumed, quiet, missing, extra = plan
    mine = canonical.shown.get(name, "") or assumed
    theirs = found.shown.get(name, "")
    if not theirs:
        if quiet or not mine:
            return None
        level, reason = "missing", missing
    elif not mine:
        level, reason = "extra", extra
    elif mine == theirs or mine.casefold() == theirs.casefold():
        level, reason = "exact", "identical"  # shown values are already squashed
    else:
        level, reason = spec.compare(canonical, found)
    if name in found.taken_from_address and level != "missing":
        reason += _NOTED
    status, severity = spec.levels[level]  # read here: a rule may change (rejudge)
    return _NEW(Verdict, (name, _VALUE[status], mine, theirs, reason, _VALUE[severity], level))


def _plan(spec: Field) -> tuple:
    """What `judge` reads of a (frozen) field, looked up once."""
    return (spec, spec.name, spec.assumed, spec.quiet_when_absent,
            f"the listing shows no {spec.label}",
            f"your record has no {spec.label} to check it against")  # fmt: skip


_PLAN = tuple(_plan(spec) for spec in JUDGED)
_VALUE = {member: member.value for member in (*Status, *Severity)}  # an enum's .value, cheaper
# A named tuple's own __new__ is a Python function that calls this: ~7 verdicts a listing.
_NEW = tuple.__new__
