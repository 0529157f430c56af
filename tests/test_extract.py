"""spiders.extract on small pages written for each method: what a user of `napaudit extract` sees."""

from __future__ import annotations

import json
from pathlib import Path

import napaudit.spiders.extract.structured as structured
import pytest
from conftest import realdata
from napaudit.spiders.extract import Business, extract
from napaudit.spiders.extract.addresses import split_address

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def ld(*items: object) -> str:
    return "".join(
        f'<script type="application/ld+json">{json.dumps(item)}</script>' for item in items
    )


NAP = ("name", "address", "city", "state", "zip", "phone")


def fields(business: Business, *names: str) -> str:
    """The values of some fields, as one line: 'Joe's Pizza | 7 Carmine St | New York'."""
    return " | ".join(str(getattr(business, name)) for name in names)


def nap(business: Business) -> str:
    return fields(business, *NAP)


# --- JSON-LD ------------------------------------------------------------------------------------

DENTIST = json.loads(fixture("dentist.json"))


def test_json_ld_local_business_subtype():
    [business] = extract(page(ld(DENTIST)))

    assert (
        nap(business)
        == "Bright Smile Dental | 570 Market St, Suite 200 | San Francisco | CA | 94104 | (415) 555-0187"
    )
    assert business.country == "US"  # a Country object's name
    assert business.website == "https://brightsmile.example"
    assert business.hours == ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"]
    assert set(business.method.values()) == {"json-ld"}


def test_json_ld_graph_with_address_by_reference_and_non_business_nodes():
    [business] = extract(fixture("json_ld_graph.html"))

    assert nap(business) == "Joe's Pizza | 7 Carmine St | New York | NY | 10014 | +1 212-555-0100"
    assert business.website == ""  # the WebSite node's url is not the restaurant's


@pytest.mark.parametrize(
    "types",
    [
        "http://schema.org/Plumber",
        "https://schema.org/AutoRepair",
        "schema:MedicalClinic",
        ["Store", "Place"],
        "HVACBusiness",  # a subtype named like the others ("...Business")
        "PetGroomingSalon",  # not in schema.org at all, named like a subtype
        "Thing",  # any type: it has an address and a telephone
    ],
)
def test_json_ld_business_types_decided_by_rule(types):
    item = {**DENTIST, "@type": types}

    [business] = extract(page(ld(item)))

    assert business.name == "Bright Smile Dental"


@pytest.mark.parametrize(
    "item",
    [
        {"@type": "WebSite", "name": "Example", "url": "https://example.com"},
        {"@type": "Product", "name": "Widget", "offers": {"@type": "Offer", "price": "3"}},
        {"@type": "Person", "name": "Jane Roe", "telephone": "212-555-0100"},
        {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "name": "Home"}]},
    ],
)
def test_json_ld_that_is_no_business_gives_nothing(item):
    assert extract(page(ld(item))) == []


def test_json_ld_item_list_of_search_results():
    found = extract(fixture("json_ld_item_list.html"), "https://dir.example/search?q=tacos")

    assert [(b.name, b.phone) for b in found] == [
        ("Taco Uno", "512-555-0101"),
        ("Taco Dos", "512-555-0102"),
        ("Taco Tres", "512-555-0103"),
    ]
    # links on the directory's own site are the listings' detail pages, not their websites
    assert [b.url for b in found] == [f"https://dir.example/biz/{i}" for i in range(3)]
    assert all(b.website == "" for b in found)
    assert found[0].as_dict()["url"] == "https://dir.example/biz/0"


def test_json_ld_opening_hours_specification_kept_structured():
    spec = json.loads(fixture("opening_hours_specification.json"))
    item = {k: v for k, v in DENTIST.items() if k != "openingHours"}

    [business] = extract(page(ld({**item, "openingHoursSpecification": spec})))

    assert business.hours == spec
    assert business.method["hours"] == "json-ld"


def test_json_ld_event_venues_are_businesses_performers_are_not():
    [venue] = extract(page(ld(json.loads(fixture("music_event.json")))))

    assert fields(venue, "name", "address", "city", "website") == (
        "The Lantern Room | 212 Parkside Ave | Brooklyn | http://lanternroom.example"
    )


def test_json_ld_organization_with_a_contact_point():
    org = {
        "@type": "Organization",
        "name": "Acme Corp",
        "contactPoint": {
            "@type": "ContactPoint",
            "telephone": "+1-800-555-0100",
            "contactType": "customer service",
        },
        "employee": {"@type": "Person", "name": "Jane Roe", "telephone": "212-555-0199"},
    }

    [business] = extract(page(ld(org)))

    assert fields(business, "name", "phone") == "Acme Corp | +1-800-555-0100"


def test_a_broken_json_ld_block_does_not_hide_the_others():
    broken = '<script type="application/ld+json">{"@type": "Store", "name": </script>'

    [business] = extract(page(broken + ld(DENTIST)))

    assert business.name == "Bright Smile Dental"


def test_several_local_business_blocks_yield_them_all():
    shops = [
        {**DENTIST, "name": f"Branch {n}", "telephone": f"415-555-010{n}", "url": ""}
        for n in range(1, 5)
    ]

    found = extract(page(ld(*shops)))

    assert sorted(b.name for b in found) == ["Branch 1", "Branch 2", "Branch 3", "Branch 4"]


# --- microdata, RDFa, hCard ---------------------------------------------------------------------

MICRODATA, RDFA, VCARD, H_CARD = (
    fixture(f"{n}.html") for n in "microdata rdfa vcard h_card".split()
)


@pytest.mark.parametrize(
    "html, expected, method",
    [
        (
            MICRODATA,
            "Bayside Grill | 2207 Harbor Ave | Sunnyvale | CA | 94086 | (408) 555-0148",
            "microdata",
        ),
        (RDFA, "Fish Place | 1 Main St | Springfield | IL | 62701 | (217) 555-0100", "rdfa"),
        (VCARD, "Joe's Garage | 12 Elm St | Dayton | OH | 45402 | (937) 555-0101", "hcard"),
        (H_CARD, "Cafe X | 1 Oak Ave | Dayton | OH | 45402 | 937-555-0102", "hcard"),
    ],
)
def test_markup_methods(html, expected, method):
    [business] = extract(html)

    assert nap(business) == expected
    assert {business.method[name] for name in NAP} == {method}


def test_microdata_keeps_url_and_hours():
    [business] = extract(MICRODATA)

    assert business.website == "http://www.baysidegrill.example"
    assert business.hours == "Mo-Sa 11:00-21:30"


# --- app state ----------------------------------------------------------------------------------


def test_next_data_business():
    [business] = extract(fixture("next_data.html"))

    assert (
        nap(business) == "Sunset Plumbing | 88 Camelback Rd | Phoenix | AZ | 85012 | (602) 555-0134"
    )
    assert business.website == "https://sunsetplumbing.example"
    assert business.method["phone"] == "app-state"


def test_initial_state_search_results_yield_every_result():
    found = extract(fixture("initial_state.html"), "https://dir.example/search?q=plumber")

    assert [(b.name, b.phone, b.city, b.state, b.zip) for b in found] == [
        ("Drain Co", "07 4000 0001", "Cairns", "QLD", "4870"),
        ("Pipe Pros", "07 4000 0002", "Cairns", "QLD", "4870"),
        ("Tap Tappers", "07 4000 0003", "Cairns", "QLD", "4870"),
    ]
    assert [b.url for b in found] == [f"https://dir.example/biz/{i}" for i in range(3)]


def test_apollo_state_references_are_followed():
    [business] = extract(fixture("apollo_state.html"))

    assert fields(business, "name", "address", "city", "state", "phone") == (
        "Ace Hardware Midtown | 300 W 40th St | New York | NY | 212-555-0199"
    )


def test_app_state_that_is_not_json_is_skipped():
    html = page("<script>window.__INITIAL_STATE__ = {name: 'x', phone: undefined};</script>")

    assert extract(html) == []


# --- plain text ---------------------------------------------------------------------------------

FOOTER = page(
    "<h1>Welcome</h1><p>We fix pipes.</p>"
    "<footer><p>Acme Plumbing Inc.</p><p>1410 N. Vista Ave. #118<br>Los Angeles, CA 90028</p>"
    "<p>Fax: (323) 555-0199<br>Phone: (323) 555-0100</p>"
    "<p>© 2024 Acme Plumbing Inc. All rights reserved.</p></footer>",
    head="<title>Contact Us | Acme Plumbing</title>",
)


def test_plain_text_footer_phone_not_fax():
    [business] = extract(FOOTER)

    assert (
        nap(business)
        == "Acme Plumbing Inc | 1410 N. Vista Ave. #118 | Los Angeles | CA | 90028 | (323) 555-0100"
    )  # the legal name the footer repeats is kept; only the title drops "Inc."
    assert business.method["phone"] == "footer"
    assert business.method["address"] == "footer"


@pytest.mark.parametrize(
    "text, phone",
    [
        ("Phone: 702-555-0143<br>Fax: 702-555-0149", "702-555-0143"),
        ("Fax: 702-555-0149<br>Phone: 702-555-0143", "702-555-0143"),
        ("F: 702-555-0149 P: 702-555-0143", "702-555-0143"),
        ("702-555-0149 (fax)<br>702-555-0143 (toll-free)", "702-555-0143"),
        ("Tel/Fax: 702-555-0149<br>Call us: 702-555-0143", "702-555-0143"),
        ("Questions? 702-555-0143", "702-555-0143"),
        ("Fax 702-555-0149<br>702-555-0143", "702-555-0143"),
        ("702-555-0149 (fax)<br>702-555-0143", "702-555-0143"),
        ("F 702-555-0149<br>702-555-0143", "702-555-0143"),
        ("1 Main St, Springfield, IL 62701<br>Fax: 702-555-0149", ""),
    ],
)
def test_fax_numbers_are_never_the_phone(text, phone):
    [business] = extract(page(f"<p>{text}</p>", head="<title>Acme</title>"))

    assert business.phone == phone


def test_tel_link_keeps_the_text_shown():
    html = page('<p>Call <a href="tel:+14155550187">(415) 555-0187</a></p><p>Fax 415-555-0100</p>')

    [business] = extract(html)

    assert (business.phone, business.method["phone"]) == ("(415) 555-0187", "tel-link")


def test_address_element():
    html = page(
        "<p>Visit us</p><address>Joe's Pizza<br>7 Carmine St<br>New York, NY 10014<br>USA</address>",
        head='<meta property="og:site_name" content="Joe\'s Pizza">',
    )

    [business] = extract(html)

    assert (
        fields(business, "name", "address", "city", "state", "zip", "country")
        == "Joe's Pizza | 7 Carmine St | New York | NY | 10014 | USA"
    )
    assert business.method["address"] == "address-tag"
    assert business.method["name"] == "og:site_name"


@pytest.mark.parametrize(
    "block, expected",
    [
        ("8 Willow Circle SE Leesburg, VA 20175", "8 Willow Circle SE | Leesburg | VA | 20175"),
        (
            "410 Laurel Avenue<br>Suite 200<br>Menlo Park, CA 94025",
            "410 Laurel Avenue, Suite 200 | Menlo Park | CA | 94025",
        ),
        (
            "1810 Main Street<br>Harbor Commons<br>Brewster Ma 02631",
            "1810 Main Street | Brewster | Ma | 02631",
        ),
        (
            "Riverside Music School<br>Larkin Field<br>Boston, Massachusetts<br>02163",
            "Larkin Field | Boston | Massachusetts | 02163",
        ),
        (
            "Mountain Arts Center | P.O. Box 4410 | Morgantown, WV 26506-4410",
            "P.O. Box 4410 | Morgantown | WV | 26506-4410",
        ),
        (
            "Valley Florist<br>212 W. Main St.<br>Fort Kent<br>ME 04743",
            "212 W. Main St. | Fort Kent | ME | 04743",
        ),
        (
            "Ashby House<br>18 Newman Street<br>London<br>W1T 1PE",
            "18 Newman Street | London |  | W1T 1PE",
        ),
        (
            "Rosie's Bakery<br>418 Castro Street<br>Monday to Friday 5am to 12am",
            "418 Castro Street |  |  | ",
        ),
    ],
)
def test_addresses_in_text(block, expected):
    [business] = extract(page(f"<p>{block}</p>", head="<title>Acme</title>"))

    assert fields(business, "address", "city", "state", "zip") == expected


def test_a_uk_address_reads_its_phones_as_uk_numbers():
    html = page("<p>18 Newman Street<br>London W1T 1PE</p><p>Call 0844 477 1000</p>")

    [business] = extract(html)

    assert business.phone == "0844 477 1000"


@pytest.mark.parametrize(
    "head, body, name, method",
    [
        (
            '<meta property="og:site_name" content="Blue Heron Cafe">'
            "<title>Contact Us — Blue Heron Cafe</title>",
            "",
            "Blue Heron Cafe",
            "og:site_name",
        ),
        ("<title>Contact Us | 247 Plumbing Service</title>", "", "247 Plumbing Service", "title"),
        (
            "<title>Home - Marlow's Restaurant Group</title>",
            "",
            "Marlow's Restaurant Group",
            "title",
        ),
        (
            "<title>Contact Us</title>",
            "<h1>Vega Electronics USA, Inc.</h1>",
            "Vega Electronics USA, Inc.",
            "h1",
        ),
        (
            "<title>Contact</title>",
            '<div id="logo"><img src="l.png" alt="Delgado\'s Plumbing"></div>',
            "Delgado's Plumbing",
            "logo-alt",
        ),
    ],
)
def test_name_sources(head, body, name, method):
    [business] = extract(page(body + "<p>Phone: 212-555-0100</p>", head=head))

    assert (business.name, business.method["name"]) == (name, method)


def test_hours_near_a_label():
    html = page(
        "<p>Phone: 212-555-0100</p><h3>Hours</h3><p>Monday - Friday 9am - 5pm</p>"
        "<p>Saturday 10am - 2pm</p><p>Open 24/7 online!</p>",
        head="<title>Acme</title>",
    )

    [business] = extract(html)

    assert business.hours == "Monday - Friday 9am - 5pm; Saturday 10am - 2pm"


def test_hours_table_cells():
    rows = "".join(
        f"<tr><td>{day}</td><td>{hours}</td></tr>"
        for day, hours in [
            ("Monday", "9:00 AM - 5:00 PM"),
            ("Saturday", "10:00 AM - 2:00 PM"),
            ("Sunday", "Closed"),
        ]
    )
    html = page(f"<p>Tel 212-555-0100</p><h4>Opening hours</h4><table>{rows}</table><p>Parking</p>")

    [business] = extract(html)

    assert business.hours == "Monday 9:00 AM - 5:00 PM; Saturday 10:00 AM - 2:00 PM; Sunday Closed"


@pytest.mark.parametrize(
    "link",
    [
        'Website: <a href="https://redlantern.example/">Visit</a>',
        '<a href="https://redlantern.example/">redlantern.example</a>',
        '<a href="https://redlantern.example/">Visit our website</a>',
    ],
)
def test_website_linked_from_a_plain_listing(link):
    html = page(
        f"<h1>Red Lantern Bar</h1><p>100 E. Wacker Dr.<br>Chicago, IL 60601</p><p>{link}</p>"
        '<p><a href="https://facebook.com/redlantern">Website on Facebook</a></p>',
        head="<title>Red Lantern Bar - Chicago, IL - EZlocal</title>",
    )

    [business] = extract(html, "https://www.ezlocal.example/il/chicago/0917356210")

    assert (business.website, business.method["website"]) == ("https://redlantern.example/", "text")


def test_a_directory_listing_is_named_for_the_business_not_the_directory():
    html = page(
        "<p>EZlocal</p><h1>Red Lantern Bar</h1><p>Bars</p><p>100 E. Wacker Dr.<br>"
        "Chicago, IL 60601</p><p>Phone: (312) 555-0100</p><p>© 2026 EZlocal Inc.</p>",
        head="<title>Red Lantern Bar - Chicago, IL - EZlocal</title>",
    )

    [business] = extract(html)

    assert business.name == "Red Lantern Bar"


def test_own_site_gives_its_origin_as_website():
    html = page(
        "<p>Harbor Lane Dental</p><p>1200 Harbor Blvd., Suite 210<br>Costa Mesa, CA 92626</p>",
        head='<link rel="canonical" href="https://www.harborlanedental.example/contact.html">'
        '<meta property="og:site_name" content="Harbor Lane Dental">',
    )

    [business] = extract(html, "http://127.0.0.1:8000/website/harborlanedental/contact.html")

    assert (business.website, business.method["website"]) == (
        "https://www.harborlanedental.example",
        "page-url",
    )


# --- several methods on one page ----------------------------------------------------------------


def test_text_fills_the_gaps_structured_data_left():
    item = {
        "@type": "Restaurant",
        "name": "Joe's Pizza",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "7 Carmine St",
            "addressLocality": "New York",
            "addressRegion": "NY",
        },
    }
    html = page(ld(item) + "<p>7 Carmine St, New York, NY 10014</p><p>Tel: 212-555-0100</p>")

    [business] = extract(html)

    assert nap(business) == "Joe's Pizza | 7 Carmine St | New York | NY | 10014 | 212-555-0100"
    assert business.method == {
        "name": "json-ld",
        "address": "json-ld",
        "city": "json-ld",
        "state": "json-ld",
        "zip": "text",
        "phone": "text",
        "categories": "json-ld",  # the type, Restaurant
    }


def test_text_does_not_mix_another_address_into_structured_data():
    item = {
        "@type": "Store",
        "name": "Shop",
        "address": {"@type": "PostalAddress", "streetAddress": "1 Main St", "postalCode": "62701"},
    }
    html = page(ld(item) + "<p>Warehouse: 9 Dock Rd, Peoria, IL 61602</p>")

    [business] = extract(html)

    assert fields(business, "address", "city", "state", "zip") == "1 Main St |  |  | 62701"


def test_same_business_in_json_ld_and_microdata_is_one():
    microdata = (
        '<div itemscope itemtype="https://schema.org/Dentist"><b itemprop="name">Bright Smile '
        'Dental</b> <span itemprop="telephone">415.555.0187</span>'
        '<meta itemprop="openingHours" content="Mo-Sa 10:00-18:00"></div>'
    )
    html = page(ld({**DENTIST, "openingHours": ""}) + microdata)

    [business] = extract(html)

    assert business.method["name"] == "json-ld"
    assert business.hours == "Mo-Sa 10:00-18:00"  # from microdata, which had it
    assert business.method["hours"] == "microdata"


def test_listing_cards_without_markup():
    card = (
        '<div class="result"><h3><a href="/biz/{n}">Attraction {n}</a></h3>'
        '<a href="/biz/{n}#reviews">{n}12 reviews</a><a href="/biz/{n}"><img alt="Attraction {n}"></a>'
        "</div>"
    )
    nav = "".join(f'<li class="nav"><a href="/p{n}">Page {n}</a></li>' for n in range(5))
    html = page(f"<ul>{nav}</ul><div>" + "".join(card.format(n=n) for n in range(1, 5)) + "</div>")

    found = extract(html, "https://guide.example/list")

    assert [(b.name, b.url) for b in found] == [
        (f"Attraction {n}", f"https://guide.example/biz/{n}") for n in range(1, 5)
    ]
    assert found[0].method == {"name": "listing-card", "url": "listing-card"}


# --- pages with nothing, odd input --------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   ",
        page("<p>Lorem ipsum dolor sit amet.</p>"),
        page("<p>Call me maybe</p>", head="<title>Contact Us</title>"),
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>No business</p></body></html>",
        page(ld({"@type": "WebPage", "name": "About"})),
        page("<p>Checking your browser</p>", head="<title>Just a moment...</title>"),
        page(
            "<h1>This listing has been removed</h1><p>Contact Hotfrog: 1-866-555-0126</p>",
            head="<title>Listing removed - Hotfrog</title>",
        ),
    ],
)
def test_a_page_with_no_business_yields_nothing(html):
    assert extract(html) == []


def test_a_name_two_sources_agree_on_is_a_business_even_without_nap():
    html = page(
        "<h1>Marlow's Restaurant Group</h1><form>...</form>",
        head="<title>Marlow's Restaurant Group - Contact Us</title>",
    )

    [business] = extract(html)

    assert (business.name, business.method) == ("Marlow's Restaurant Group", {"name": "title"})


def test_bytes_in_a_declared_encoding():
    html = page(
        "<p>Caf\xe9 du Monde</p><p>Phone: 504-555-0100</p>",
        head='<meta charset="windows-1252"><title>Caf\xe9 du Monde</title>',
    )

    [business] = extract(html.encode("cp1252"))

    assert business.name == "Café du Monde"


def test_as_dict():
    [business] = extract(page(ld(DENTIST)))

    out = business.as_dict()

    # every field a page can show (auditor/fields.py), then how each was found
    assert " ".join(out) == (
        "name address city state zip country phone website hours categories status "
        "provenance method"
    )
    assert out["categories"] == "Dentist"
    assert out["method"]["name"] == "json-ld"


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "123 Main St, Springfield, IL 62701",
            {"address": "123 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
        ),
        (
            "22 Center Street Riverbend Mall Auburn, ME 04210",  # USPS names 04210's city
            {
                "address": "22 Center Street Riverbend Mall",
                "city": "Auburn",
                "state": "ME",
                "zip": "04210",
            },
        ),
        (
            "3100 Harvester Road, Suite 210, Burlington, Ontario L7N 3H8",
            {
                "address": "3100 Harvester Road, Suite 210",
                "city": "Burlington",
                "state": "Ontario",
                "zip": "L7N 3H8",
            },
        ),
        (
            "18 Newman Street, London W1T 1PE, UK",
            {"address": "18 Newman Street", "city": "London", "zip": "W1T 1PE", "country": "UK"},
        ),
        ("88 Camelback Rd", {"address": "88 Camelback Rd"}),
    ],
)
def test_split_one_line_address(line, expected):
    assert split_address(line) == expected


# --- speed: the costly syntaxes only run on pages that carry them -------------------------------


@pytest.mark.parametrize(
    "html, expected",
    [
        (page(ld(DENTIST)), ["json-ld"]),
        (MICRODATA, ["microdata"]),
        (RDFA, ["rdfa"]),
        (VCARD, ["microformat"]),
        (H_CARD, ["microformat"]),
        (page("<p>Phone: 212-555-0100</p>", head='<meta property="og:title" content="Acme">'), []),
        (page("<p>A plain page</p><script>obj.property = 1; if (typeof x) {}</script>"), []),
        (page("<p>Cardinals vcard-less text</p><div class='card'>x</div>"), []),
    ],
)
def test_extruct_runs_only_the_syntaxes_the_page_carries(html, expected, monkeypatch):
    requested = []
    real = structured.extruct.extract

    def spy(document, **kwargs):
        requested.extend(kwargs["syntaxes"])
        return real(document, **kwargs)

    monkeypatch.setattr(structured.extruct, "extract", spy)

    extract(html)

    assert requested == expected


def _markers_over_the_whole_page(raw: str) -> list[str]:
    """syntaxes as it was written first: each pattern looked for over the whole page."""
    lowered = raw.lower()
    return [syntax for syntax, (words, pattern) in structured._MARKERS.items()
            if any(word in lowered for word in words) and pattern.search(raw)]  # fmt: skip


MARKED = [
    '<script type="application/ld+json">{}</script>', '<SCRIPT TYPE="Application/LD+JSON">',
    "<p>we speak ld+json here</p>", "<p>application/ld+json</p>",
    "<div itemscope itemtype='https://schema.org/Dentist'>", "<DIV ITEMSCOPE>",
    '<div data-x="a<b" itemscope>', "<p>itemscope is a word</p>", "<div itemscopes>",
    '<meta property="og:title" content="x">', '<span property="schema:name">Acme</span>',
    '<a property="og:url" property="name">', '<div vocab="https://schema.org/" typeof="Place">',
    "<p>the property = value</p>", '<span property = "og:x">', '<i property="ogx">',
    '<div class="vcard">', "<div class='h-card x'>", "<div class=vcardx>", "<p>vcard</p>",
    "<div itemscope", '<span property="name"', "x > property < y", "<p>İstanbul</p>",
]  # fmt: skip


def test_markers_looked_for_near_their_words_give_the_same_answer():
    """syntaxes looks for each pattern only between the '>' before and after its word: every
    marker alone, beside another and after another, gives what the whole-page search gave."""
    pages = MARKED + [a + b for a in MARKED for b in MARKED]
    for raw in pages:
        assert structured.syntaxes(raw) == _markers_over_the_whole_page(raw), raw
    assert structured.syntaxes('<p>property</p><span property="name">') == ["rdfa"]


def test_markers_near_their_words_on_every_real_page():
    pages = [p for p in realdata().rglob("*") if p.suffix.lower() in (".html", ".htm")]
    assert len(pages) > 50
    carried = set()
    for path in pages:
        raw = path.read_text(encoding="utf-8", errors="replace")
        found = structured.syntaxes(raw)
        assert found == _markers_over_the_whole_page(raw), path
        carried.update(found)
    assert carried >= {"json-ld", "microdata", "microformat"}  # none carries RDFa
