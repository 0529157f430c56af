"""Addresses napaudit never saw, in the layouts contact pages use.

The addresses are usaddress's held-out test set (../shared/realdata/address/usaddress, "us50":
business addresses from the fifty states, tagged by hand by others): the 596 with a street
number, a city, a state and a ZIP. Each is set on a small contact page in each layout below, and
the page's first business must show its street (number and street name, as the contact-page
figures compare it), city, state and ZIP (no ZIP in the "no zip" layout).

Measured 2026-12-02 on the code this branch started from (no rule had been tuned on these
addresses): 0.97-1.00 in every layout and field, except "no zip" (city and state 0.00: an
address needed its ZIP; the rule for it came from pages written for the purpose). One rule was
then written from what failed here (a city whose first words usaddress leaves on the street), so
the figures now (0.99-1.00) are no longer entirely held-out ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from conftest import realdata
from lxml import etree
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract import extract
from test_extract_realdata import recovered

_STREET_TAGS = frozenset(
    """AddressNumberPrefix AddressNumber AddressNumberSuffix StreetNamePreModifier
    StreetNamePreDirectional StreetNamePreType StreetName StreetNamePostType
    StreetNamePostDirectional StreetNamePostModifier OccupancyType OccupancyIdentifier
    SubaddressType SubaddressIdentifier USPSBoxType USPSBoxID BuildingName LandmarkName""".split()
)
LAYOUTS = {
    "one line": "<p>{address}, {city}, {state} {zip}</p>",
    "two lines": "<p>{address}<br>{city}, {state} {zip}</p>",
    "three lines": "<p>{address}<br>{city}<br>{state} {zip}</p>",
    "blocks": "<div>{address}</div><div>{city}, {state} {zip}</div>",
    "no commas": "<p>{address} {city} {state} {zip}</p>",
    "spans": "<p><span>{address}</span> <span>{city}</span>, <span>{state}</span> {zip}</p>",
    "pipes": "<p>Acme Widgets | {address} | {city}, {state} {zip} | (614) 555-0142</p>",
    "name first": "<p>Acme Widgets, {address}, {city}, {state} {zip}</p>",
    "table cell": "<table><tr><td>Address:</td><td>{address}<br>{city}, {state} {zip}</td></tr>"
    "</table>",
    "footer": "<footer><p>&copy; 2024 Acme Widgets LLC. All rights reserved.</p>"
    "<p>{address}, {city}, {state} {zip} &middot; (614) 555-0142</p></footer>",
    "no zip": "<p>{address}<br>{city}, {state}</p><p>Phone: (614) 555-0142</p>",
}
FIELDS = ("address", "city", "state", "zip")
FLOOR = 0.98


def us50() -> list[dict[str, str]]:
    path = realdata("address", "usaddress", "measure_performance", "test_data")
    rows = []
    for tagged in etree.parse(str(path / "us50_test_tagged.xml")).getroot():
        parts = defaultdict(list)
        for token in tagged:
            kind = "address" if token.tag in _STREET_TAGS else token.tag
            parts[kind].append(token.text or "")
        row = {
            "address": parts["address"],
            "city": parts["PlaceName"],
            "state": parts["StateName"],
            "zip": parts["ZipCode"],
        }
        row = {field: squash(" ".join(words)).strip(" ,") for field, words in row.items()}
        if all(row.values()) and row["address"][0].isdigit():
            rows.append(row)
    return rows


def page(body: str) -> str:
    return (
        "<html><head><title>Contact Us | Acme Widgets</title></head><body><h1>Contact</h1>"
        f"<p>We would love to hear from you.</p>{body}</body></html>"
    )


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, float]]:
    rows = us50()
    assert len(rows) == 596
    out = {}
    for layout, template in LAYOUTS.items():
        hits: Counter = Counter()
        for row in rows:
            found = extract(page(template.format(**row)))[:1]
            hits.update(field for field in FIELDS if recovered(field, row[field], found))
        shown = [f for f in FIELDS if f"{{{f}}}" in template]
        out[layout] = {field: hits[field] / len(rows) for field in shown}
    return out


def test_us50_addresses_figures(figures, capsys):
    with capsys.disabled():
        print("\nus50 addresses (596), first business:  " + "  ".join(FIELDS))
        for layout, by_field in figures.items():
            cells = [f"{by_field[f]:.3f}" if f in by_field else "    -" for f in FIELDS]
            print(f"  {layout:12} " + "  ".join(cells))
    assert set(figures) == set(LAYOUTS)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_us50_addresses_in_each_layout(figures, layout):
    assert min(figures[layout].values()) >= FLOOR, figures[layout]
