"""ChamberofCommerce.com: search results, then each business's page.

Verified on a real page: none (no saved ChamberofCommerce.com page in
../shared/realdata/realweb, 2026-12-02).
Documented by public scrapers (not verified): each result is an `a.card.FeaturedPlacePreview`
with a `placeid` attribute, linking to
`/business-directory/<state>/<city>/<category>/<placeid>-<slug>`; a business page is plain HTML
with the name in `h1.fw-bold`, the address parts in `span[selector-type=City|State|Zip]` and the
phone in `a[selector-type=Phone]`.
Assumed: that a result card repeats the page's `selector-type` markup (name in a heading, street
in `span[selector-type=Address]`), the catalog's search URL (what, where), and that the first
page of results holds the business when its name and city are searched. A card shows no
website.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class ChamberofcommerceSpider(CardSearchSpider):
    name = "chamberofcommerce"
    cards = "a.FeaturedPlacePreview[placeid]"  # the card is the link
    fields = {
        "name": "h3",
        "phone": "[selector-type=Phone]",
        "address": "[selector-type=Address]",
        "city": "[selector-type=City]",
        "state": "[selector-type=State]",
        "zip": "[selector-type=Zip]",
    }
