"""Phones in a page's text: what only looks like a phone number is never one (napaudit issue 12),
and the labels around a number say which one is the phone."""

from __future__ import annotations

import pytest
from napaudit.spiders.extract import extract


def contact_page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Contact | Harbor Plumbing</title></head><body><h1>Contact us</h1>"
        f"<p>Harbor Plumbing<br>120 Oak Street<br>Springfield, IL 62701</p>{body}</body></html>"
    )


CLOUDFLARE_FOOTER = (
    "Cloudflare Ray ID: 7d2f3a9b1c4e5f60 • Your IP: 194.195.90.229 • "
    "Performance &amp; security by Cloudflare"
)


@pytest.mark.parametrize(
    "noise",
    [
        "Your IP: 194.195.90.229",
        CLOUDFLARE_FOOTER,
        "Ray ID: 8a1b2345678901cd",
        "Visitor 10.120.33.45 logged",
        "© 2024-2025 Harbor Plumbing",
        "Updated 2025-03-14",
        "Posted 03/14/2025 10:30 am",
        "Valid 12/05/2024 - 01/15/2025",
        "Order #2025-0314-5521",
        "Order #312-555-0143",
        "Ref. 217-555-0142",
        "License No. 217-555-0142",
    ],
)
def test_an_ip_address_a_date_or_an_identifier_is_never_a_phone(noise):
    [business] = extract(contact_page(noise))

    assert business.phone == ""
    assert business.address == "120 Oak Street"  # the page's business is still read


def test_the_real_phone_is_kept_beside_the_noise():
    [business] = extract(contact_page(CLOUDFLARE_FOOTER, "Updated 2025-03-14", "Call 217.555.0142"))

    assert business.phone == "217.555.0142"


@pytest.mark.parametrize(
    "text, phone",
    [
        ("Phone: (217) 555-0142 Fax: (217) 555-0143", "(217) 555-0142"),
        ("Fax: (217) 555-0143 Phone: (217) 555-0142", "(217) 555-0142"),
        ("(217) 555-0143 fax", ""),
        ("Call 1-800-FLOWERS", "1-800-FLOWERS"),
        ("Call 1-888-WEB-CLUB (1-888-932-2582)", "1-888-932-2582"),
        ("Model 300-XLS-2000", ""),
        ("Phone: 217-555-0142 ext. 12", "217-555-0142 ext. 12"),
        ("+1 217 555 0142", "+1 217 555 0142"),
    ],
)
def test_labels_and_spellings(text, phone):
    [business] = extract(contact_page(text))

    assert business.phone == phone


def test_a_phone_in_a_button_is_read():
    html = contact_page().replace("</body>", "<button>Call (217) 555-0142</button></body>")

    [business] = extract(html)

    assert business.phone == "(217) 555-0142"


def test_a_listing_card_never_takes_an_ip_address_for_its_phone():
    card = (
        '<div class="result"><h3><a href="/biz/{n}">Diner {n}</a></h3>'
        '<a href="/biz/{n}#reviews">{n}2 reviews</a><p>Served by 194.195.90.22{n}</p></div>'
    )
    html = "<div>" + "".join(card.format(n=n) for n in range(1, 5)) + "</div>"

    found = extract(html, "https://guide.example/list")

    assert [(b.name, b.phone) for b in found] == [(f"Diner {n}", "") for n in range(1, 5)]
