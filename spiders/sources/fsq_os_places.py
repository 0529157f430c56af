"""Foursquare Open Source Places (FSQ OS Places), read as Parquet.

Documented (docs.foursquare.com "Places OS Data Schemas"): fsq_place_id, name, latitude,
longitude, address, locality, region (US states abbreviated), postcode, country, tel, website,
date_closed (set when the place closed), placemaker_url; releases at
s3://fsq-os-places-us-east-1/release/dt=<date>/places/parquet/*.parquet (also on Hugging Face).
Assumed: the dates are text ("2023-05-01"); the S3 bucket may need access Foursquare grants
(set NAPAUDIT_FSQ_OS_PLACES_PARQUET to downloaded files then).
"""

from __future__ import annotations

from napaudit.spiders.bases.parquet import ParquetSpider


class FsqOsPlacesSpider(ParquetSpider):
    name = "fsq-os-places"
    s3_region = "us-east-1"
    releases = "dt=*/places/parquet/*.parquet"
    release_files = "{release}/places/parquet/*.parquet"
    optional_columns = ("placemaker_url",)
    select = """
        SELECT fsq_place_id AS id, name,
          [{{'street': address, 'city': locality, 'state': region, 'zip': postcode,
             'country': country}}] AS addresses,
          list_filter([tel], lambda t: t IS NOT NULL) AS phones,
          list_filter([website], lambda w: w IS NOT NULL) AS websites,
          CASE WHEN date_closed IS NOT NULL THEN 'closed on ' || date_closed END AS closed,
          coalesce({placemaker_url}, 'https://foursquare.com/v/' || fsq_place_id) AS url,
          longitude AS lon, latitude AS lat
        FROM read_parquet({path})"""
