"""spiders.extract on pages listing many businesses: deduplication by key, the per-page limit and
the count of what was left out."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from napaudit.spiders.extract import LIMIT, Business, extract
from napaudit.spiders.extract.model import _same_keys, dedupe, keys, merge


def graph_page(size: int, repeat_every: int = 0) -> str:
    """A JSON-LD @graph of `size` restaurants; every `repeat_every`-th one listed twice."""
    graph = []
    for i in range(size):
        node = {
            "@type": "Restaurant",
            "name": f"Diner {i}",
            "telephone": f"(312) {200 + i // 10000:03d}-{i % 10000:04d}",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": f"{i + 1} Main St",
                "addressLocality": "Chicago",
                "addressRegion": "IL",
                "postalCode": "60601",
            },
        }
        graph.append(node)
        if repeat_every and i % repeat_every == 0:
            graph.append(dict(node))
    data = json.dumps({"@context": "https://schema.org", "@graph": graph})
    return f'<script type="application/ld+json">{data}</script><p>All diners</p>'


def test_a_page_past_the_limit_keeps_the_first_and_counts_the_others():
    found = extract(graph_page(2500, repeat_every=10), limit=1000)

    assert len(found) == 1000
    assert found.left_out == 1500  # 2,750 records, 250 of them repeats: 2,500 businesses
    assert {b.name for b in found} == {f"Diner {i}" for i in range(1000)}


def test_the_default_limit_and_no_limit():
    html = graph_page(LIMIT + 5)

    assert (len(extract(html)), extract(html).left_out) == (LIMIT, 5)
    unlimited = extract(html, limit=None)
    assert (len(unlimited), unlimited.left_out) == (LIMIT + 5, 0)


def test_a_page_within_the_limit_leaves_nothing_out():
    found = extract(graph_page(40, repeat_every=3))

    assert (len(found), found.left_out) == (40, 0)


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_refused(limit):
    with pytest.raises(ValueError, match="limit"):
        extract(graph_page(3), limit=limit)


def test_a_page_listing_one_chain_s_branches_keeps_each_branch():
    graph = [
        {"@type": "Store", "name": "Ace Hardware", "telephone": f"(312) 555-{i:04d}"}
        for i in range(3000)
    ]
    html = f'<script type="application/ld+json">{json.dumps(graph)}</script>'

    found = extract(html, limit=None)

    assert len(found) == 3000  # one name, but every phone differs: 3,000 businesses


# --- deduplication by key agrees with comparing every pair -------------------------------------


def pairwise(found: list[Business]) -> list[Business]:
    """The earlier definition: each record against every record kept before it."""
    kept: list[Business] = []
    for business in found:
        twin = next((k for k in kept if _same_keys(keys(k), keys(business))), None)
        if twin is None:
            kept.append(business)
        else:
            merge(twin, business)
    return kept


NAMES = st.sampled_from(["", "Ace", "Ace Hardware", "Bob's"])
PHONES = st.sampled_from(["", "312-555-0100", "(312) 555-0100", "312-555-0199"])
STREETS = st.sampled_from(["", "1 Main St", "1 main st.", "9 Oak Ave"])


@given(st.lists(st.tuples(NAMES, PHONES, STREETS), max_size=12))
def test_dedupe_by_key_merges_exactly_as_comparing_every_pair(records):
    def businesses():
        return [Business(name=n, phone=p, address=s) for n, p, s in records]

    by_key, left_out = dedupe(businesses())
    expected = pairwise(businesses())

    assert left_out == 0
    assert [b.as_dict() for b in by_key] == [b.as_dict() for b in expected]
