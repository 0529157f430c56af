"""Overture Maps Places: the places theme of Overture's releases, read as Parquet.

Documented (docs.overturemaps.org, "Places" schema and the DuckDB guide): files at
s3://overturemaps-us-west-2/release/<release>/theme=places/type=place/*; columns id,
names.primary, addresses (list of struct freeform, locality, postcode, region, country),
phones (list), websites (list), confidence, bbox (struct xmin, xmax, ymin, ymax),
operating_status ('open', 'permanently_closed', 'temporarily_closed'; newer releases only).
Assumed: `region` is "CA" or "US-CA" (both are read as "CA"); no per-place web page exists,
so a listing's address is the files it was read from, with the place's id.
"""

from __future__ import annotations

from napaudit.spiders.bases.parquet import ParquetSpider


class OvertureSpider(ParquetSpider):
    name = "overture"
    s3_region = "us-west-2"
    releases = "*/theme=places/type=place/*"
    release_files = "{release}/theme=places/type=place/*"
    optional_columns = ("operating_status",)
    select = """
        SELECT id, names.primary AS name,
          list_transform(addresses, lambda a: {{'street': a.freeform, 'city': a.locality,
            'state': a.region, 'zip': a.postcode, 'country': a.country}}) AS addresses,
          phones, websites,
          CASE WHEN {operating_status} <> 'open'
            THEN replace({operating_status}, '_', ' ') END AS closed,
          NULL AS url, bbox.xmin AS lon, bbox.ymin AS lat
        FROM read_parquet({path})"""
