"""Businesses in the JSON state a JavaScript app embeds in its page: <script id="__NEXT_DATA__"
type="application/json">, `window.__INITIAL_STATE__ = {...};`, `__PRELOADED_STATE__`,
`__APOLLO_STATE__` and the like, in JSON or as a JavaScript literal (read by chompjs).

Apps name their fields freely, so a record is recognised by its shape, not by a schema: an object
with a name and a phone and/or an address (the keys below, matched case-insensitively, with the
address parts either on the object or in a nested object whose key mentions address or location).
A search-results state yields every result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import chompjs
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.model import Business
from napaudit.spiders.extract.page import Page

# A global assigned a literal: window.__INITIAL_STATE__ = {...}; var preloadData = {...}. The
# required prefix keeps the scan fast on megabytes of minified script.
_ASSIGNMENT = re.compile(
    r"(?:\bwindow\.|\bself\.|\b(?:var|let|const)\s+)(?P<name>[A-Za-z_$][\w$]*)"
    r"\s*=\s*(?P<parse>JSON\.parse\(\s*)?(?=[{\"'\[])"
)
_NAME = tuple(
    "name businessname business_name displayname companyname listingname storename locationname "
    "title".split()
)
_STREET = tuple(
    "streetaddress street_address addressline1 address_line_1 address1 addressline line1 street "
    "address".split()
)
_CITY = ("city", "locality", "addresslocality", "suburb", "town")
_STATE = ("state", "region", "addressregion", "province", "statecode", "state_code")
_ZIP = ("zip", "zipcode", "zip_code", "postalcode", "postal_code", "postcode")
_COUNTRY = ("country", "countrycode", "country_code", "addresscountry")
_WEBSITE = ("website", "websiteurl", "website_url", "homepage", "web")
_DETAIL = ("detailslink", "detailsurl", "detailurl", "profileurl", "url", "link", "href")
_PHONE_VALUE = ("displayvalue", "display", "formatted", "number", "value", "phone")
_PARTS = _STREET + _CITY + _STATE + _ZIP
_CATEGORY = (
    "categories category primarycategory businesscategory categoryname cuisine cuisines "
    "servescuisine".split()
)
_LABEL = ("name", "title", "label", "displayname", "displayvalue", "value")
# chompjs keeps what JSON has no word for as text: `undefined`, `new Date(...)`.
_JS_EMPTY = frozenset({"undefined", "null", "NaN"})
_MAX_NODES = 200_000  # a state past this many values is not walked further
# JavaScript literals read per page: a bundle assigns hundreds of objects (`var a = {...}`), each
# read from its start to the script's end; an app's state is among the first.
_MAX_JS_LITERALS = 50


def app_states(page: Page) -> Iterator[Any]:
    """Each JSON state embedded in the page's inline scripts."""
    if page.root is None:
        return
    literals = 0  # assignments read as JavaScript (chompjs), not as JSON
    for script in page.root.iter("script"):
        if script.get("src") or not script.text:
            continue
        kind = (script.get("type") or "").lower()
        body = script.text.strip()
        if kind in ("application/json", "application/ld+json"):
            if kind == "application/json":
                yield from _loads(body)
            continue
        for m in _ASSIGNMENT.finditer(body):
            lenient = literals < _MAX_JS_LITERALS
            literals += lenient and body[m.end()] in "{["
            yield from _decode_at(body, m.end(), bool(m.group("parse")), lenient)


def _loads(text: str) -> Iterator[Any]:
    try:
        yield json.loads(text)
    except ValueError:
        return


def _decode_at(text: str, start: int, quoted: bool, lenient: bool) -> Iterator[Any]:
    """The object or array literal starting at `start`; inside JSON.parse("...") the string is
    decoded first. Strict JSON is tried first (fast); a JavaScript literal that is not JSON
    (unquoted keys, single quotes, trailing commas, undefined) goes through chompjs when
    `lenient`."""
    decoder = json.JSONDecoder()
    try:
        value, _ = decoder.raw_decode(text, start)
    except ValueError:
        value = _js_literal(text[start:]) if lenient and text[start] in "{[" else None
    if quoted and isinstance(value, str):
        value = _loads_js(value)
    if isinstance(value, (dict, list)):
        yield value


def _loads_js(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _js_literal(text) if text.lstrip()[:1] in ("{", "[") else None


def _js_literal(text: str) -> Any:
    try:
        return chompjs.parse_js_object(text)
    except (ValueError, TypeError):  # chompjs raises ValueError on what it cannot read
        return None


def businesses(page: Page) -> Iterator[Business]:
    """Every business in the page's app states, one at a time, in page order."""
    for state in app_states(page):
        for record in _records(state):
            business = to_business(record, page)
            if business.name and (business.phone or business.address or business.city):
                yield business


def _records(state: Any) -> Iterator[dict]:
    """Objects shaped like a business (keys lower-cased, references resolved), outermost first;
    the inside of one is not searched."""
    refs = state if isinstance(state, dict) else {}  # Apollo's cache: {"Business:1": {...}}
    stack = [state]
    walked = 0
    while stack and walked < _MAX_NODES:
        value = stack.pop()
        walked += 1
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            record = _keyed(_deref(value, refs), refs)
            if _looks_like_business(record):
                yield record
            else:
                stack.extend(reversed(list(value.values())))


def _deref(value: dict, refs: dict) -> dict:
    ref = value.get("__ref") if len(value) == 1 else None
    target = refs.get(ref) if isinstance(ref, str) else None
    return target if isinstance(target, dict) else value


def _keyed(obj: dict, refs: dict) -> dict:
    """The object with lower-cased keys (apps spell them freely) and references resolved."""
    return {
        k.lower(): _deref(v, refs) if isinstance(v, dict) else v
        for k, v in obj.items()
        if isinstance(k, str)
    }


def _get(keyed: dict, keys: tuple[str, ...]) -> Any:
    return next((keyed[k] for k in keys if keyed.get(k) not in (None, "", [], {})), None)


def _looks_like_business(record: dict) -> bool:
    name = _get(record, _NAME)
    if not isinstance(name, str) or not squash(name):
        return False
    parts = _address_parts(record)
    has_place = _get(parts, _CITY) and (_get(parts, _STATE) or _get(parts, _ZIP))
    return bool(_phone(record) or _street(parts) or has_place)


def _address_parts(record: dict) -> dict:
    """The object holding the address parts: the record itself, or the nested object under a key
    mentioning address or location that holds the most parts."""
    nested = [
        _keyed(v, {})
        for k, v in record.items()
        if isinstance(v, dict) and ("address" in k or "location" in k)
    ]
    if not nested:
        return record
    return max([record, *nested], key=lambda o: sum(_text(o.get(k)) != "" for k in _PARTS))


def _street(parts: dict) -> str:
    return _text(_get(parts, _STREET))


def _phone(record: dict) -> str:
    for key, value in record.items():
        if "phone" in key or key == "tel" or "contactnumber" in key:
            text = _phone_text(value)
            if len(re.findall(r"\d", text)) >= 6:
                return text
    return ""


def _phone_text(value: Any) -> str:
    if isinstance(value, list):
        return next((t for t in map(_phone_text, value) if t), "")
    if isinstance(value, dict):
        return _text(_get(_keyed(value, {}), _PHONE_VALUE))
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = squash(value) if isinstance(value, str) else ""
    return "" if text in _JS_EMPTY else text


def to_business(record: dict, page: Page) -> Business:
    business = Business()
    business.set("name", _text(_get(record, _NAME)), "app-state")
    parts = _address_parts(record)
    city = _text(_get(parts, _CITY))
    street = _street(parts)
    if street and not re.search(r"\d", street) and city and city.lower() in street.lower():
        street = ""  # "Newtown NSW": the suburb line a listing without a street displays
    for field, value in (
        ("address", street),
        ("city", city),
        ("state", _text(_get(parts, _STATE))),
        ("zip", _text(_get(parts, _ZIP))),
        ("country", _text(_get(parts, _COUNTRY))),
        ("phone", _phone(record)),
        ("website", _text(_get(record, _WEBSITE))),
        ("url", page.absolute(_text(_get(record, _DETAIL)))),
    ):
        business.set(field, value, "app-state")
    business.add_categories(_categories(record), "app-state")
    hours = _get(record, ("hours", "openinghours", "opening_hours", "businesshours"))
    if isinstance(hours, str) or (
        isinstance(hours, list) and all(isinstance(h, str) for h in hours)
    ):
        business.set("hours", hours, "app-state")
    return business


def _categories(record: dict) -> list[str]:
    """Category fields as shown: a string, an object's name or label, or a list of either."""
    found: list[str] = []
    for key in _CATEGORY:
        value = record.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item = _get(_keyed(item, {}), _LABEL)
            found.append(_text(item))
    return found
