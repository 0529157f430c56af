"""Every field of a business record, declared once: its name (the record attribute, the store
column, the JSON key), its label, the header spellings an input file may use, how extraction finds
it, how it is normalized and compared, what each comparison level means (status and severity), and
its weight in a listing's accuracy score. The record model (`models.Record`), the input readers,
the store's columns, extraction's output, the report's JSON schema and the reports read it here.

Adding a field is one `Field` below, its normalizer and comparator, and a store migration that adds
its column (README: "Adding a field").

A level's severity says how much an owner should care: `high` costs customers (a wrong phone,
street, city, ZIP, website domain or name, a listing that says the business is closed), `low`
hardly matters (a missing directional or suite, a location note). Changing a severity here
changes every verdict and every report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from napaudit.auditor import compare
from napaudit.auditor.normalize.categories import normalize_categories
from napaudit.auditor.normalize.status import normalize_status


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

M, V, X, MISSING, EXTRA = (
    Status.MATCH,
    Status.VARIANT,
    Status.MISMATCH,
    Status.MISSING,
    Status.EXTRA,
)
NONE, LOW, MEDIUM, HIGH = Severity.NONE, Severity.LOW, Severity.MEDIUM, Severity.HIGH

Levels = Mapping[str, tuple[Status, Severity]]


@dataclass(frozen=True)
class Field:
    name: str  # record attribute, store column, JSON key
    label: str  # how a report names it
    aliases: tuple[str, ...] = ()  # header spellings in input files, after header_key()
    levels: Levels = field(default_factory=dict)  # none: stored and shown, never judged
    compare: Callable[..., tuple[str, str]] | None = None  # (canonical, found) -> (level, why)
    normalize: Callable[[str], object] | None = None  # raw text -> a JSON-able value (simple
    # fields; the postal fields depend on each other and are read together in normalize_record)
    weight: float = 0  # share of a listing's accuracy score
    extracted: bool = True  # a page or an API can show it: extraction's output carries it
    schemaorg: tuple[str, ...] = ()  # schema.org properties extraction reads it from
    structured: bool = False  # may be JSON (a list or an object) as well as text
    default: str = ""  # the record's value when an input file leaves it out
    assumed: str = ""  # what the owner's record means when it says nothing (status: open)
    quiet_when_absent: bool = False  # a listing that does not show it is not "missing" it

    @property
    def judged(self) -> bool:
        return bool(self.levels)


# Levels every judged field has: decided before the field's own comparison runs.
def _common(missing: Severity) -> dict[str, tuple[Status, Severity]]:
    return {"exact": (M, NONE), "missing": (MISSING, missing), "extra": (EXTRA, NONE)}


FIELDS: tuple[Field, ...] = (
    Field("name", "name", weight=3, compare=compare.compare_name, schemaorg=("name",),
          aliases=("name", "businessname", "company", "companyname", "locationname",
                   "storename", "business", "dba", "sitename", "title", "organization",
                   "organisation"),
          levels={**_common(HIGH), "format": (V, NONE), "differs": (X, HIGH)}),
    Field("address", "street address", weight=3, compare=compare.compare_address,
          schemaorg=("streetAddress",),
          aliases=("address", "street", "streetaddress", "address1", "addressline1", "addr1",
                   "addressline", "street1", "streetline", "line1"),
          levels={
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
    # The suite line is judged with the street line ("address" compares both together).
    Field("address2", "suite or unit", extracted=False,
          aliases=("address2", "addressline2", "addr2", "street2", "suite", "unit", "line2")),
    Field("city", "city", weight=2, compare=compare.compare_city, schemaorg=("addressLocality",),
          aliases=("city", "town", "locality", "citytown", "municipality"),
          levels={
              **_common(HIGH),
              "format": (V, NONE),
              "usps_acceptable": (V, NONE),
              "usps_known": (V, LOW),
              "differs": (X, HIGH),
          }),
    Field("state", "state", weight=1, compare=compare.compare_state, schemaorg=("addressRegion",),
          aliases=("state", "province", "region", "stateprovince", "administrativearea", "st"),
          levels={**_common(MEDIUM), "format": (V, NONE), "differs": (X, HIGH)}),
    Field("zip", "ZIP code", weight=2, compare=compare.compare_zip, schemaorg=("postalCode",),
          aliases=("zip", "zipcode", "postalcode", "postcode", "postal", "zippostalcode", "zip5"),
          levels={
              **_common(HIGH),
              "format": (V, NONE),
              "zip4_differs": (X, LOW),
              "invalid": (X, HIGH),
              "differs": (X, HIGH),
          }),
    # Read with the phone (its region) and the ZIP; never judged on its own.
    Field("country", "country", default="US", schemaorg=("addressCountry",),
          aliases=("country", "countrycode", "countryregion", "nation")),
    Field("phone", "phone", weight=3, compare=compare.compare_phone, schemaorg=("telephone",),
          aliases=("phone", "telephone", "phonenumber", "primaryphone", "tel", "mainphone",
                   "businessphone", "phone1", "telephonenumber"),
          levels={
              **_common(HIGH),
              "format": (V, NONE),
              "no_area_code": (V, LOW),
              "extension_missing": (X, LOW),
              "extension_extra": (X, LOW),
              "extension_differs": (X, MEDIUM),
              "invalid": (X, HIGH),
              "differs": (X, HIGH),
          }),
    Field("website", "website", weight=2, compare=compare.compare_website, schemaorg=("url",),
          aliases=("website", "url", "websiteurl", "web", "site", "homepage", "webaddress"),
          levels={
              **_common(MEDIUM),
              "format": (V, NONE),
              "page": (V, LOW),
              "invalid": (X, MEDIUM),
              "platform": (X, HIGH),
              "domain_differs": (X, HIGH),
          }),
    Field("hours", "hours", weight=1, compare=compare.compare_hours, structured=True,
          schemaorg=("openingHours", "openingHoursSpecification"),
          aliases=("hours", "openinghours", "businesshours", "openhours", "hoursofoperation"),
          levels={
              **_common(LOW), "format": (V, NONE), "unreadable": (X, LOW), "differs": (X, MEDIUM),
          }),
    # What the business is (auditor.normalize.categories reads every vocabulary onto one set of
    # concepts). Weight 1: a wrong category misleads searches, but a customer who finds the
    # listing still reaches the business; name, address and phone outweigh it nine to one. Most
    # sources show no categories: that is not "missing". A category napaudit cannot read is
    # "unknown", never a mismatch; a plumber listed as a restaurant is "differs", medium: it
    # costs searches, not calls, and the mapping between vocabularies is coarse.
    Field("categories", "categories", weight=1, compare=compare.compare_categories,
          normalize=normalize_categories, quiet_when_absent=True,
          aliases=("categories", "category", "primarycategory", "businesscategory", "type"),
          levels={
              **_common(LOW),
              "format": (V, NONE),
              "same_concept": (V, NONE),
              "unknown": (V, NONE),
              "narrower": (V, LOW),
              "broader": (V, LOW),
              "partly": (V, LOW),
              "related": (V, LOW),
              "specialty": (V, LOW),
              "also_listed": (X, LOW),
              "differs": (X, MEDIUM),
          }),
    # What a source says about the business being open. Most sources say nothing, and an owner's
    # record that says nothing means "open".
    Field("status", "open or closed", weight=3, compare=compare.compare_status,
          normalize=normalize_status, assumed="open", quiet_when_absent=True,
          aliases=("status", "businessstatus", "operatingstatus", "openstatus"),
          levels={
              "exact": (M, NONE),
              "format": (V, NONE),
              "closed": (X, HIGH),
              "temporarily_closed": (X, HIGH),
              "open_again": (X, MEDIUM),
              "unreadable": (X, LOW),
              "extra": (EXTRA, NONE),
          }),
    # Where a source got what it shows, when it says (a place in Overture's release from Meta's
    # data): evidence for the report, never judged.
    Field("provenance", "where the source got it", aliases=("provenance",)),
    # New fields go here (and a migration in auditor/schema.py adds their column).
)  # fmt: skip

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
JUDGED: tuple[Field, ...] = tuple(f for f in FIELDS if f.judged)
EXTRACTED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.extracted)
STRUCTURED: frozenset[str] = frozenset(f.name for f in FIELDS if f.structured)
SIMPLE: tuple[Field, ...] = tuple(f for f in FIELDS if f.normalize is not None)
