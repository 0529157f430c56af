"""hCard businesses from extruct's microformats output (mf2py): h-card, and the classic vcard
that mf2py reads as an h-card ("fn org", "adr" with "street-address", "locality", "tel"...)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.extract.model import Business

_ADR_PARTS = {
    "address": "street-address",
    "city": "locality",
    "state": "region",
    "zip": "postal-code",
    "country": "country-name",
}


def businesses(items: list[Any]) -> list[Business]:
    found = []
    for card in _cards(items):
        business = to_business(card.get("properties") or {})
        if business.name and (business.phone or business.address or business.city):
            found.append(business)
    return found


def _cards(value: Any) -> Iterator[dict]:
    """Every h-card, however deep (an h-event's location, an h-entry's author)."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            if "h-card" in (value.get("type") or []):
                yield value
            stack.extend(reversed(list((value.get("properties") or {}).values())))
            stack.extend(reversed(value.get("children") or []))


def _first(props: dict, key: str) -> str:
    for value in props.get(key) or []:
        if isinstance(value, dict):  # a nested microformat: its own name, else its text
            value = _first(value.get("properties") or {}, "name") or value.get("value", "")
        if squash(value):
            return squash(value)
    return ""


def to_business(props: dict) -> Business:
    business = Business()
    # A business card names the business as its org (often the same element as fn); a card
    # whose fn is a person and whose org is the company is the company's card too.
    business.set("name", _first(props, "org") or _first(props, "name"), "hcard")
    adr = next((a for a in props.get("adr") or [] if isinstance(a, dict)), None)
    parts = (adr.get("properties") or {}) if adr else props
    for field, key in _ADR_PARTS.items():
        business.set(field, _first(parts, key) or _first(props, key), "hcard")
    if adr and not business.address:
        # mf2py reads a classic vcard's adr as one line of text: split it as text is split
        for field, value in split_address(_first(parts, "name") or adr.get("value", "")).items():
            business.set(field, value, "hcard")
    business.set("phone", _first(props, "tel"), "hcard")
    business.set("website", _first(props, "url"), "hcard")
    business.add_categories((v for v in props.get("category") or [] if isinstance(v, str)), "hcard")
    return business
