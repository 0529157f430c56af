"""Every field the auditor judges, declared once: how to compare it, what each comparison level
means (status and severity), and its weight in a listing's accuracy score.

A level's severity says how much an owner should care: `high` costs customers (a wrong phone,
street, city, ZIP, website domain or name), `low` hardly matters (a missing directional or
suite, a location note). Changing a severity here changes every verdict and every report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from napaudit.auditor import compare
from napaudit.auditor.models import Severity, Status
from napaudit.auditor.normalize.record import Normalized

M, V, X, MISSING, EXTRA = (
    Status.MATCH,
    Status.VARIANT,
    Status.MISMATCH,
    Status.MISSING,
    Status.EXTRA,
)
NONE, LOW, MEDIUM, HIGH = Severity.NONE, Severity.LOW, Severity.MEDIUM, Severity.HIGH


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # how a report names it
    compare: Callable[[Normalized, Normalized], tuple[str, str]]
    levels: Mapping[str, tuple[Status, Severity]]
    weight: float  # share of a listing's accuracy score


# Levels every field has: decided before the field's own comparison runs.
def _common(missing: Severity) -> dict[str, tuple[Status, Severity]]:
    return {"exact": (M, NONE), "missing": (MISSING, missing), "extra": (EXTRA, NONE)}


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "name", compare.compare_name, weight=3, levels={
        **_common(HIGH), "format": (V, NONE), "differs": (X, HIGH),
    }),
    FieldSpec("address", "street address", compare.compare_address, weight=3, levels={
        **_common(HIGH),
        "format": (V, NONE),
        "note": (V, LOW),
        "directional_missing": (V, LOW),
        "suffix_missing": (V, LOW),
        "street_spacing": (V, LOW),
        "unit_extra": (X, LOW),
        "unit_missing": (X, LOW),
        "unit_differs": (X, MEDIUM),
        "unreadable": (X, MEDIUM),
        "directional_differs": (X, HIGH),
        "suffix_differs": (X, HIGH),
        "street_differs": (X, HIGH),
        "number_differs": (X, HIGH),
        "box_differs": (X, HIGH),
    }),
    FieldSpec("city", "city", compare.compare_city, weight=2, levels={
        **_common(HIGH),
        "format": (V, NONE),
        "usps_acceptable": (V, NONE),
        "usps_known": (V, LOW),
        "differs": (X, HIGH),
    }),
    FieldSpec("state", "state", compare.compare_state, weight=1, levels={
        **_common(MEDIUM), "format": (V, NONE), "differs": (X, HIGH),
    }),
    FieldSpec("zip", "ZIP code", compare.compare_zip, weight=2, levels={
        **_common(HIGH),
        "format": (V, NONE),
        "zip4_differs": (X, LOW),
        "invalid": (X, HIGH),
        "differs": (X, HIGH),
    }),
    FieldSpec("phone", "phone", compare.compare_phone, weight=3, levels={
        **_common(HIGH),
        "format": (V, NONE),
        "no_area_code": (V, LOW),
        "extension_missing": (X, LOW),
        "extension_extra": (X, LOW),
        "extension_differs": (X, MEDIUM),
        "invalid": (X, HIGH),
        "differs": (X, HIGH),
    }),
    FieldSpec("website", "website", compare.compare_website, weight=2, levels={
        **_common(MEDIUM),
        "format": (V, NONE),
        "page": (V, LOW),
        "invalid": (X, MEDIUM),
        "platform": (X, HIGH),
        "domain_differs": (X, HIGH),
    }),
    FieldSpec("hours", "hours", compare.compare_hours, weight=1, levels={
        **_common(LOW), "format": (V, NONE), "unreadable": (X, LOW), "differs": (X, MEDIUM),
    }),
)  # fmt: skip

SPECS = {spec.name: spec for spec in FIELD_SPECS}
