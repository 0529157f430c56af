"""Facebook, as Meta's place data published in Overture Maps Places.

Facebook pages cannot be fetched by a robot (a login wall, and terms that forbid it), but Meta
gives its pages' place data to Overture, which publishes it with each place's source: a place
whose values come from the `meta` dataset is a Facebook page's data. This spider reads the same
Overture files as `overture` (NAPAUDIT_OVERTURE_PARQUET, else the latest release the STAC
catalog names) and keeps those places; the mapping, what it can and cannot say, and what is
verified on real rows are in spiders/sources/overture.py.

A listing's key is the page's id (Meta's record id), its URL the page's Facebook address as the
place's `socials` give it, and its provenance says which release and how recent:
"Overture 2025-02-19.0, from Meta (record 109093534897634, updated 2025-02-24)".
"""

from __future__ import annotations

from napaudit.spiders.sources.overture import OvertureSpider


class FacebookSpider(OvertureSpider):
    name = "facebook"
    reads = "overture"
    scope = " (places from Meta's data)"

    def place_url(self, row: dict) -> str:
        pages = [s for s in row.get("socials") or [] if s and "facebook.com/" in s]
        return pages[0] if pages else super().place_url(row)
