"""The source catalog: complete, consistent, honest about what napaudit can search and how well
that is known, and refused with a clear error when it is not."""

from __future__ import annotations

import json

import pytest
from napaudit.auditor.catalog import CATALOG, KINDS, CatalogError, load_catalog
from napaudit.spiders.sources import spider_classes

from napaudit.cli import cli

COVERAGE = ("verified", "assumed", "not searchable yet", "not checkable")
REQUIRED = (
    "data-axle", "localeze", "foursquare", "google", "apple", "bing", "yelp", "facebook", "bbb",
    "yellowpages", "superpages", "manta", "hotfrog", "mapquest", "nextdoor", "angi", "thumbtack",
    "tripadvisor", "chamberofcommerce", "cylex", "ezlocal", "brownbook", "citysearch",
    "merchantcircle", "openstreetmap", "overture", "fsq-os-places", "website", "azuremaps",
)  # fmt: skip


def test_catalog_covers_the_sources_that_matter():
    catalog = load_catalog()
    assert len(catalog) >= 40
    assert set(REQUIRED) <= set(catalog)
    assert {s.kind for s in catalog.values()} == set(KINDS)


def test_every_entry_is_complete_and_every_feed_exists():
    catalog = load_catalog()
    for s in catalog.values():
        assert s.name and s.weight_basis and s.fix_url, s.id
        assert 1 <= s.weight <= 10
        assert all(target in catalog for target in s.feeds), s.id
        assert s.checkable or s.why_not, s.id
        if s.find == "search":
            assert "{name}" in s.search_url, s.id
        if s.find in ("api", "parquet"):
            assert s.endpoint, s.id
    assert "yelp" in catalog["yelp"].fed_by or "data-axle" in catalog["yelp"].fed_by
    assert catalog["data-axle"].reach == 1 + len(catalog["data-axle"].feeds)


def test_gps_and_car_navigation_cannot_be_checked():
    catalog = load_catalog()
    for sid in ("here", "tomtom", "garmin"):
        assert not catalog[sid].checkable and catalog[sid].why_not


@pytest.mark.parametrize(
    "change, message",
    [
        (('weight = 6\nweight_basis = "The largest US', 'weight = 11\nweight_basis = "The largest US'),
         "source 'yellowpages', field 'weight': must be 1-10"),
        (('feeds = ["superpages"]', 'feeds = ["nowhere"]'),
         "source 'yellowpages', field 'feeds': no source 'nowhere'"),
        (('kind = "directory"\ncountry = "US"\nweight = 6', 'kind = "blog"\ncountry = "US"\nweight = 6'),
         "source 'yellowpages', field 'kind': must be one of"),
        (('search_url = "https://www.yellowpages.com/search?search_terms={name}', 'search_url = "https://www.yellowpages.com/search?search_terms={nam}'),
         "field 'search_url'"),
        (('feeds = ["superpages"]', 'feeds = ["superpages"]\nevidence = "verified"'),
         "source 'yellowpages', field 'verified_on': say which real pages or recordings"),
        (('feeds = ["superpages"]', 'feeds = ["superpages"]\nevidence = "probably"'),
         "source 'yellowpages', field 'evidence': must be one of verified, assumed"),
    ],
)  # fmt: skip
def test_a_broken_catalog_names_the_line_source_and_field(tmp_path, change, message):
    text = CATALOG.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    broken = tmp_path / "sources.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(broken)
    assert message in str(err.value)
    line = int(str(err.value).split(", line ")[1].split(":")[0])
    assert 'id = "yellowpages"' in broken.read_text().splitlines()[line - 1]


def test_sources_command_lists_the_catalog(runner):
    result = runner.invoke(cli, ["sources"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "kind", "weight"]
    assert any(line.startswith("data-axle") and "bing" in line for line in lines)
    rows = json.loads(runner.invoke(cli, ["sources", "--format", "json"]).stdout)
    assert len(rows) == len(load_catalog())
    assert next(r for r in rows if r["id"] == "bing")["fed_by"]


def test_sources_says_verified_assumed_or_why_not_for_every_source(runner):
    result = runner.invoke(cli, ["sources"])
    table = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(table) == set(load_catalog())
    table = {sid: line + " " for sid, line in table.items()}  # a word ends with a space
    for line in table.values():
        assert any(f" {word} " in line for word in COVERAGE), line
    # catalogued with a search page but no spider: not counted as searchable
    for sid in ("tripadvisor", "angi", "thumbtack"):
        assert sid not in spider_classes() and " not searchable yet" in table[sid]
    assert " verified " in table["google"] and " assumed " in table["yellowpages"]
    assert " not checkable " in table["apple"] and "parquet (overture)" in table["facebook"]
    rows = {r["id"]: r for r in json.loads(runner.invoke(cli, ["sources", "--format",
                                                               "json"]).stdout)}  # fmt: skip
    assert rows["google"]["coverage"] == "verified" and "2026-01" in rows["google"][
        "coverage_detail"]  # fmt: skip
    assert rows["thumbtack"]["coverage"] == "not searchable yet" and not rows["thumbtack"][
        "has_spider"]  # fmt: skip
    searchable = sum(r["coverage"] in ("verified", "assumed") for r in rows.values())
    assert searchable == sum(r["has_spider"] and r["checkable"] for r in rows.values())
    assert f"{searchable} searchable" in result.stderr


def test_every_spider_is_a_checkable_catalog_source_and_verified_ones_say_on_what():
    catalog = load_catalog()
    for sid in spider_classes():
        assert sid in catalog and catalog[sid].checkable, sid
    for s in catalog.values():
        if s.evidence == "verified":
            assert s.verified_on, s.id
        if s.through:
            assert s.through in catalog and s.find == catalog[s.through].find, s.id


def test_facebook_and_bing_are_read_through_overture_and_azure_maps_is_itself():
    catalog = load_catalog()
    for sid in ("facebook", "bing"):
        assert catalog[sid].checkable and catalog[sid].through == "overture"
        assert catalog[sid].endpoint == catalog["overture"].endpoint
    azure = catalog["azuremaps"]
    assert azure.key_env == "AZURE_MAPS_KEY" and "atlas.microsoft.com" in azure.endpoint
    assert "azuremaps" in catalog["tomtom"].feeds  # its search was built on TomTom's map
    assert not catalog["bing"].key_env
