"""A whole record normalized once: every field parsed, raw values kept beside them.

The postal fields depend on each other (a listing's address line may carry its city, state and
ZIP), so they are read together here; every other declared field with a normalizer
(auditor.fields: `Field.normalize`) is read on its own into `values`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring

from napaudit.auditor.fields import BY_NAME, SIMPLE
from napaudit.auditor.jsontext import json_text
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.address import Address, normalize_address
from napaudit.auditor.normalize.hours import Hours, normalize_hours
from napaudit.auditor.normalize.name import Name, normalize_name
from napaudit.auditor.normalize.phone import Phone, normalize_phone
from napaudit.auditor.normalize.place import city_key, normalize_state, normalize_zip
from napaudit.auditor.normalize.text import squash
from napaudit.auditor.normalize.website import Website, normalize_website


@dataclass
class Normalized:
    record: Record
    name: Name
    address: Address
    phone: Phone
    website: Website
    hours: Hours
    city: str  # as shown (from the city field, or from the address line when that was empty)
    city_key: str
    state: str  # USPS code when recognized
    zip5: str
    zip4: str
    shown: dict[str, str] = field(default_factory=dict)  # each field as the source shows it
    taken_from_address: tuple[str, ...] = ()  # fields read off the address line
    values: dict[str, object] = field(default_factory=dict)  # the simple fields, normalized

    def as_dict(self) -> dict:
        """The normalized values, for the store."""
        a = self.address
        return {
            "name": self.name.key,
            "address": {
                "number": a.number,
                "predir": a.predir,
                "pretype": a.pretype,
                "street": a.street,
                "suffix": a.suffix,
                "postdir": a.postdir,
                "units": [list(u) for u in a.units],
                "box": a.box,
                "notes": list(a.notes),
                "problem": a.problem,
            },
            "city": self.city_key,
            "state": self.state,
            "zip": "-".join(p for p in (self.zip5, self.zip4) if p),
            "phone": {
                "e164": self.phone.e164,
                "extension": self.phone.extension,
                "valid": self.phone.valid,
                "problem": self.phone.problem,
            },
            "website": self.website.display() if not self.website.problem else "",
            "hours": [list(map(list, day)) for day in self.hours.week] if self.hours.week else None,
            **self.values,
        }

    def json(self) -> str:
        """json_text(self.as_dict()), the same text, written from each value's own JSON without
        building the dict (measured 2026-12-05 on bench/compare.py's listings: 6.5-7.5 us a
        record through as_dict and the encoder, 3.1-3.2 us this way). The week's hours, and a
        value of another type than declared (text, a unit as a pair of texts), go the general
        way."""
        a, p = self.address, self.phone
        if self.hours.week or not _NO_CLASH or type(p.valid) is not bool:
            return json_text(self.as_dict())
        website = self.website.display() if not self.website.problem else ""
        z5, z4 = self.zip5, self.zip4
        try:
            units = ", ".join([f"[{_s(kind)}, {_s(number)}]" for kind, number in a.units])
            return (
                f'{{"name": {_s(self.name.key)}, "address": {{"number": {_s(a.number)}, '
                f'"predir": {_s(a.predir)}, "pretype": {_s(a.pretype)}, "street": {_s(a.street)}, '
                f'"suffix": {_s(a.suffix)}, "postdir": {_s(a.postdir)}, "units": [{units}], '
                f'"box": {_s(a.box)}, "notes": [{", ".join(map(_s, a.notes))}], '
                f'"problem": {_s(a.problem)}}}, '
                f'"city": {_s(self.city_key)}, "state": {_s(self.state)}, '
                f'"zip": {_s(f"{z5}-{z4}" if z5 and z4 else z5 or z4)}, '
                f'"phone": {{"e164": {_s(p.e164)}, "extension": {_s(p.extension)}, '
                f'"valid": {_BOOLS[p.valid]}, "problem": {_s(p.problem)}}}, '
                f'"website": {_s(website)}, "hours": null'
                + "".join(map(_pair, self.values.items()))
                + "}"
            )
        except (TypeError, ValueError):  # a value that is not text, a unit not a pair
            return json_text(self.as_dict())


# Normalized.json: as json.dumps writes a str, a bool; a simple field's name and value
_s = encode_basestring
_BOOLS = {True: "true", False: "false"}


def _pair(item: tuple[str, object]) -> str:
    name, value = item
    if type(value) is str:
        return f", {_s(name)}: {_s(value)}"
    return f", {_s(name)}: {'[]' if value == [] else json_text(value)}"


# Normalized.json writes the simple fields after the fixed keys: right only when none of them
# has a fixed key's name (as_dict's ** would put it in that key's place instead).
_FIXED = {"name", "address", "city", "state", "zip", "phone", "website", "hours"}
_NO_CLASH = not {spec.name for spec in SIMPLE} & _FIXED


def normalize_record(record: Record) -> Normalized:
    street = record.street_line()
    return _normalized(record, street, _postal(street, record.city, record.state, record.zip),
                       normalize_phone(record.phone or "", record.country or "US"))  # fmt: skip


def normalize_records(records: Sequence[Record]) -> list[Normalized]:
    """normalize_record of each, in stages: every street line, then every phone, then the rest.
    The same values; a stage's code and data stay in the processor's caches while it runs over
    the batch, where one record at a time goes through every stage in turn (measured
    2026-12-05 on bench/compare.py's listings, with identifying and judging also in stages:
    ~14 % less CPU judging a worker's half; docs/speed.md)."""
    streets = [record.street_line() for record in records]
    postal = [_postal(street, r.city, r.state, r.zip)
              for street, r in zip(streets, records, strict=True)]  # fmt: skip
    phones = [normalize_phone(r.phone or "", r.country or "US") for r in records]
    return list(map(_normalized, records, streets, postal, phones))


def _normalized(record: Record, street: str, postal: tuple, phone: Phone) -> Normalized:
    address, city, state, zip_text, taken, zip5, zip4 = postal
    hours = normalize_hours(record.hours)
    shown = {
        "name": squash(record.name),
        "address": squash(street),
        "city": city,
        "state": state,
        "zip": zip_text,
        "phone": squash(record.phone),
        "website": squash(record.website),
        "hours": hours.raw,
    }
    values = {}
    for spec in SIMPLE:
        text = shown[spec.name] = squash(getattr(record, spec.name))
        values[spec.name] = _simple(spec.name, text)
    return Normalized(
        record=record,
        name=normalize_name(record.name or ""),
        address=address,
        phone=phone,
        website=normalize_website(record.website or ""),
        hours=hours,
        city=city,
        city_key=city_key(city),
        state=normalize_state(state),
        zip5=zip5,
        zip4=zip4,
        shown=shown,
        taken_from_address=taken,
        values=values,
    )


# The listings of one business repeat its strings (a street line, a city, a category): the
# normalizers below are pure and their results never changed in place, so each distinct value is
# read once. (Measured 2026-12-02 on bench/compare.py's 100k listings: ~0.5 s less; caching the
# squashed texts and the raw phones as well saved no more and kept 25 MB more.)
@lru_cache(maxsize=65536)
def _simple(name: str, text: str) -> object:
    """A simple field's value normalized (auditor.fields: `Field.normalize`); shared between
    the records that show the same text, so never to be changed in place."""
    return BY_NAME[name].normalize(text)


@lru_cache(maxsize=65536)
def _postal(street: str, city: str, state: str, zip_text: str) -> tuple:
    """The street line parsed, and the city, state and ZIP as shown (from the line when their own
    fields are empty): (address, city, state, zip, fields taken from the line, zip5, zip4)."""
    address = normalize_address(street)
    city, state, zip_text = squash(city), squash(state), squash(zip_text)
    taken = []
    # A listing often shows the whole address on one line: use its parts for empty fields.
    if not city and address.city:
        city, taken = address.city, taken + ["city"]
    if not state and address.state:
        state, taken = address.state, taken + ["state"]
    if not zip_text and address.zip:
        zip_text, taken = address.zip, taken + ["zip"]
    zip5, zip4 = normalize_zip(zip_text)
    return address, city, state, zip_text, tuple(taken), zip5, zip4
