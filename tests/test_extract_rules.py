"""spiders.extract rules written to carry to unseen pages: links by registered domain, JavaScript
app states, categories, addresses without a ZIP, which address and which name a page means."""

from __future__ import annotations

import json

import pytest
from napaudit.spiders.extract import extract
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.extract.links import is_social

ADDRESS = "<p>120 Oak Street<br>Springfield, IL 62701</p><p>Phone: (217) 555-0142</p>"


def page(body: str, title: str = "Contact Us | Harbor Plumbing", head: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def ld(item: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


# --- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, social",
    [
        ("https://quickfix.com/", False),  # its host contains "x.com"
        ("https://www.boxfacebook.example/", False),
        ("https://myyelp.com/", False),
        ("https://x.com/harborplumbing", True),
        ("https://m.facebook.com/harborplumbing", True),
        ("https://www.yelp.ca/biz/harbor-plumbing", True),
        ("https://maps.google.co.uk/?cid=1", True),
        ("https://youtu.be/abc", True),
    ],
)
def test_social_and_platform_links_by_registered_domain(url, social):
    assert is_social(url) is social


def test_a_business_whose_domain_contains_a_platform_s_keeps_its_website():
    item = {
        "@type": "Plumber",
        "name": "QuickFix Plumbing",
        "telephone": "217-555-0142",
        "sameAs": ["https://quickfix.com/", "https://www.facebook.com/quickfix"],
    }

    [business] = extract(page(ld(item)))

    assert business.website == "https://quickfix.com/"


def test_a_link_to_another_host_of_the_same_site_is_not_its_website():
    html = page(
        ADDRESS + '<p>Website: <a href="https://shop.harborplumbing.com/">shop</a></p>'
        '<p>Website: <a href="https://harbor.net/">harbor.net</a></p>',
    )

    # compared by registered domain (no request is made): shop. is the page's own site
    [business] = extract(html, "https://www.harborplumbing.com/contact")

    assert business.website == "https://harbor.net/"


# --- JavaScript app states ----------------------------------------------------------------------


def test_an_app_state_written_as_a_javascript_literal():
    state = (
        "window.__INITIAL_STATE__ = {business: {name: 'Harbor Plumbing', "
        "phone: '(217) 555-0142', rating: undefined, address: {street: '120 Oak Street', "
        "city: 'Springfield', state: 'IL', zip: '62701',}, category: {name: 'Plumber'}}};"
    )

    [business] = extract(page(f"<script>{state}</script>"))

    assert (business.name, business.address, business.zip, business.phone) == (
        "Harbor Plumbing",
        "120 Oak Street",
        "62701",
        "(217) 555-0142",
    )
    assert business.categories == "Plumber"
    assert business.method["name"] == "app-state"


# --- categories ---------------------------------------------------------------------------------


def test_categories_from_schema_org_types_and_cuisine():
    item = {
        "@type": ["Restaurant", "LocalBusiness"],
        "name": "Luigi's",
        "telephone": "217-555-0100",
        "servesCuisine": ["Italian", "Pizza"],
        "additionalType": "http://www.productontology.org/id/Pizzeria",
    }

    [business] = extract(page(ld(item)))

    assert business.categories == "Restaurant; Italian; Pizza; Pizzeria"
    assert business.as_dict()["categories"] == business.categories


@pytest.mark.parametrize("kind", ["LocalBusiness", "Organization", ["Organization", "Place"]])
def test_a_type_no_more_specific_than_local_business_is_no_category(kind):
    item = {"@type": kind, "name": "Harbor Plumbing", "telephone": "217-555-0142"}

    [business] = extract(page(ld(item)))

    assert business.categories == ""


def test_categories_of_two_records_of_one_business_are_merged_once_each():
    microdata = (
        '<div itemscope itemtype="https://schema.org/Dentist"><b itemprop="name">Bright Smile'
        '</b> <span itemprop="telephone">415-555-0187</span></div>'
    )
    item = {"@type": "Dentist", "name": "Bright Smile", "telephone": "415-555-0187"}

    [business] = extract(page(ld({**item, "category": "Pediatric dentistry"}) + microdata))

    assert business.categories == "Dentist; Pediatric dentistry"


def test_hcard_category():
    html = (
        '<div class="vcard"><span class="fn org">Joe\'s Garage</span> '
        '<span class="category">Auto Repair</span> <span class="tel">(937) 555-0101</span></div>'
    )

    [business] = extract(html)

    assert business.categories == "Auto Repair"


# --- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "120 Oak Street<br>Springfield, IL",
        "120 Oak Street, Springfield, IL",
        "120 Oak Street, Springfield, Illinois, USA",
        "120 Oak Street | Springfield, IL | (217) 555-0142",
    ],
)
def test_an_address_without_a_zip(block):
    [business] = extract(page(f"<p>{block}</p><p>Phone: (217) 555-0142</p>"))

    assert (business.address, business.city, business.zip) == ("120 Oak Street", "Springfield", "")
    assert business.state in ("IL", "Illinois")


def test_a_state_ending_a_sentence_is_no_address():
    html = page("<p>Serving 12 towns across the Midwest, Illinois</p><p>Call 217-555-0142</p>")

    [business] = extract(html)

    assert (business.address, business.city, business.state) == ("", "", "")


def test_one_line_address_without_a_zip():
    assert split_address("123 Main St, Springfield, IL") == {
        "address": "123 Main St",
        "city": "Springfield",
        "state": "IL",
    }


def test_a_label_before_the_street_and_a_place_before_a_post_office_box():
    html = page(
        "<p>Mailing address: P.O. Box 42, Springfield, IL 62705</p>"
        "<p>Office: 120 Oak Street, Springfield, IL 62701</p><p>(217) 555-0142</p>"
    )

    [business] = extract(html)

    assert (business.address, business.zip) == ("120 Oak Street", "62701")


def test_a_post_office_box_alone_is_the_address_without_its_label():
    html = page("<p>Mailing address: P.O. Box 42, Springfield, IL 62705</p><p>(217) 555-0142</p>")

    [business] = extract(html)

    assert (business.address, business.zip) == ("P.O. Box 42", "62705")


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Harbor Plumbing | Springfield, IL",
        "Springfield, IL | Contact | Harbor Plumbing",
        "Harbor Plumbing: Contact",
        "Contact &#8211; Harbor Plumbing",
    ],
)
def test_a_place_or_a_page_name_in_the_title_is_not_the_business_name(title):
    [business] = extract(page(ADDRESS, title=title))

    assert business.name == "Harbor Plumbing"


def test_a_title_part_the_page_names_again_is_the_name():
    html = page(
        ADDRESS + "<p>Harbor Plumbing has served Springfield since 1982.</p>",
        title="Springfield Plumber | Drain Cleaning | Harbor Plumbing",
    )

    [business] = extract(html)

    assert business.name == "Harbor Plumbing"


def test_a_title_part_the_host_spells_is_the_name():
    html = page(ADDRESS, title="Springfield Plumber | Drain Cleaning | Harbor Plumbing")

    [business] = extract(html, "https://www.harborplumbing.example/contact")

    assert business.name == "Harbor Plumbing"


def test_a_name_only_organization_does_not_take_the_page_s_business():
    agency = {"@type": "Organization", "name": "WebCo Design", "url": "https://webco.example"}
    html = page(ld(agency) + "<p>Harbor Plumbing</p>" + ADDRESS)

    found = extract(html)

    assert (found[0].name, found[0].phone, found[0].zip) == (
        "Harbor Plumbing",
        "(217) 555-0142",
        "62701",
    )
    assert [b.name for b in found[1:]] == ["WebCo Design"]


def test_the_text_fills_a_structured_name_written_differently():
    item = {"@type": "Plumber", "name": "Harbor Plumbing, LLC", "url": "https://harbor.example"}

    [business] = extract(page(ld(item) + ADDRESS))

    assert (business.name, business.phone) == ("Harbor Plumbing, LLC", "(217) 555-0142")
