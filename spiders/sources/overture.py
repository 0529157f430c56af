"""Overture Maps Places: the places theme of Overture's releases, read as Parquet, each place
audited as the data of the company it comes from.

Which release: the one Overture's STAC catalog names as `latest` (https://stac.overturemaps.org/
catalog.json, the documented way to find it; the crawl setting NAPAUDIT_OVERTURE_STAC points
elsewhere), read from s3://overturemaps-us-west-2/release/<release>/theme=places/type=place/*.

Whose data (the mapping, and its limits): every Overture place lists its `sources`, each with
`dataset`, `record_id`, `update_time` and the `property` it gave ("" for the record's own values,
"/properties/existence" for a source that only confirms the place). A place is the data of the
dataset that gave its values: `meta` is Facebook's (Meta's pages; its record id is the page's
id), `Microsoft` is Bing's (Bing Maps' places); any other dataset stays Overture's own. So a
Facebook or Bing listing here is that company's record as Overture published it, conflated and
filtered by Overture, as of `update_time`: not the live page, which may have changed since, and
a business missing here may well have a page there (Overture keeps places above a confidence
threshold). Every such listing says so in its `provenance`: "Overture 2025-02-19.0, from Meta
(record 109093534897634, updated 2025-02-24)".

Documented (docs.overturemaps.org, "Places" schema, "Accessing the Overture Catalog"): columns
id, names.primary, categories (primary, alternate), addresses (list of struct freeform,
locality, postcode, region, country), phones, websites, socials, sources, bbox, and in releases
from mid-2025 operating_status ('open', 'permanently_closed', 'temporarily_closed': the raw
`status`; none in older releases).
Verified on real rows (tests/test_sources_overture.py, ../shared/realdata/opendata/overture:
3,425 US places of the 2025-02 release, updated 2025-02-24): the columns above but
operating_status, datasets `meta` and `Microsoft`, the Facebook page URL in `socials` ending with
the meta record id, regions as "CA".
Assumed: `region` may also read "US-CA" (both are read as "CA"); no per-place web page exists
for Overture's own or Bing's places, so their address is the files read, with the place's id.
"""

from __future__ import annotations

import json
import urllib.request
from functools import cache

from napaudit.spiders.bases.parquet import ParquetSpider

STAC = "https://stac.overturemaps.org/catalog.json"
STAC_SETTING = "NAPAUDIT_OVERTURE_STAC"
# Overture's `sources[].dataset` (lower case) -> the catalog source whose data the place is.
ATTRIBUTED = {"meta": "facebook", "microsoft": "bing"}
DATASET_NAMES = {"meta": "Meta", "microsoft": "Microsoft"}


class OvertureSpider(ParquetSpider):
    name = "overture"
    scope = " (places not from Meta's or Microsoft's data)"
    s3_region = "us-west-2"
    releases = "*/theme=places/type=place/*"
    release_files = "{release}/theme=places/type=place/*"
    optional_columns = ("operating_status", "socials")
    select = """
        SELECT id, names.primary AS name,
          list_transform(addresses, lambda a: {{'street': a.freeform, 'city': a.locality,
            'state': a.region, 'zip': a.postcode, 'country': a.country}}) AS addresses,
          phones, websites, {operating_status} AS status,
          list_concat([categories.primary], coalesce(categories.alternate, [])) AS categories,
          list_transform(sources, lambda s: {{'dataset': s.dataset, 'record_id': s.record_id,
            'update_time': CAST(s.update_time AS VARCHAR), 'property': s.property}}) AS sources,
          {socials} AS socials, NULL AS url, bbox.xmin AS lon, bbox.ymin AS lat
        FROM read_parquet({path})"""

    def newest_release(self, endpoint: str) -> str:
        self.release = latest_release(self.settings.get(STAC_SETTING) or STAC,
                                      self.settings.get("USER_AGENT", ""))  # fmt: skip
        return endpoint + self.release_files.format(release=self.release)

    def keeps(self, row: dict) -> bool:
        return ATTRIBUTED.get(dataset(row).lower(), "overture") == self.name

    def listing_id(self, row: dict) -> str:
        """The company's own record id when the place is its data (a Facebook page's id)."""
        record = own_source(row)
        if self.name != "overture" and record.get("record_id"):
            return str(record["record_id"])
        return str(row["id"])

    def provenance(self, row: dict) -> str:
        record = own_source(row)
        name = dataset(row)
        release = f"Overture {self.release}" if self.release else f"Overture ({self.files})"
        if not name:
            return release
        said = [
            f"record {record['record_id']}" if record.get("record_id") else "",
            f"updated {str(record['update_time'])[:10]}" if record.get("update_time") else "",
        ]
        detail = ", ".join(s for s in said if s)
        return f"{release}, from {DATASET_NAMES.get(name.lower(), name)}" + (
            f" ({detail})" if detail else "")  # fmt: skip


def own_source(row: dict) -> dict:
    """The source that gave the place's values (property ""), else the first one listed."""
    sources = [s for s in row.get("sources") or [] if s]
    return next((s for s in sources if not s.get("property")), sources[0] if sources else {})


def dataset(row: dict) -> str:
    return str(own_source(row).get("dataset") or "")


@cache
def latest_release(catalog: str, user_agent: str = "") -> str:
    """The release Overture's STAC catalog names as latest: its `latest` field, else the child
    link marked `latest`. `catalog` is a URL or a local file (tests)."""
    if catalog.startswith(("http://", "https://")):
        request = urllib.request.Request(catalog, headers={"User-Agent": user_agent or "napaudit"})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http(s) only
            data = json.loads(answer.read().decode("utf-8"))
    else:
        with open(catalog, encoding="utf-8") as f:
            data = json.load(f)
    release = data.get("latest") if isinstance(data, dict) else None
    if not release:
        marked = [link for link in data.get("links", []) if link.get("latest")]
        release = marked[0]["href"].strip("./").split("/")[0] if marked else ""
    if not release:
        raise LookupError(f"the STAC catalog {catalog} names no latest release")
    return str(release)
