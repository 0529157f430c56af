"""Foursquare Open Source Places (FSQ OS Places), read as Parquet: Foursquare's own published
data (the catalog has Foursquare feeding it; its Places API is built on the same dataset).

Documented (docs.foursquare.com "Places OS Data Schemas"): fsq_place_id, name, latitude,
longitude, address, locality, region (US states abbreviated), postcode, country, tel, website,
date_refreshed, date_closed (set when the place closed), fsq_category_labels ("Dining and
Drinking > Restaurant > Pizzeria"), placemaker_url; releases at
s3://fsq-os-places-us-east-1/release/dt=<date>/places/parquet/*.parquet (also on Hugging Face).
A closed place's `status` is "closed since <date_closed>"; its categories are the last part of
each label ("Pizzeria"); its provenance names the release and when Foursquare last refreshed it.
Verified on real rows (tests/test_sources_parquet.py, ../shared/realdata/opendata/
fsq-os-places: 10,000 rows of the dt=2024-11-19 release, all columns): the columns above but
placemaker_url (absent in that release: the place's page is then https://foursquare.com/v/<id>,
assumed), dates as text ("2019-08-22"), US regions as "NY".
Assumed: the S3 bucket may need access Foursquare grants (set NAPAUDIT_FSQ_OS_PLACES_PARQUET
to downloaded files then).
"""

from __future__ import annotations

from napaudit.spiders.bases.parquet import ParquetSpider


class FsqOsPlacesSpider(ParquetSpider):
    name = "fsq-os-places"
    s3_region = "us-east-1"
    releases = "dt=*/places/parquet/*.parquet"
    release_files = "{release}/places/parquet/*.parquet"
    optional_columns = ("placemaker_url", "date_refreshed", "fsq_category_labels")
    select = """
        SELECT fsq_place_id AS id, name,
          [{{'street': address, 'city': locality, 'state': region, 'zip': postcode,
             'country': country}}] AS addresses,
          list_filter([tel], lambda t: t IS NOT NULL) AS phones,
          list_filter([website], lambda w: w IS NOT NULL) AS websites,
          CASE WHEN date_closed IS NOT NULL
            THEN 'closed since ' || CAST(date_closed AS VARCHAR) END AS status,
          list_transform(coalesce({fsq_category_labels}, []),
            lambda c: trim(string_split(c, '>')[-1])) AS categories,
          CAST({date_refreshed} AS VARCHAR) AS refreshed,
          coalesce({placemaker_url}, 'https://foursquare.com/v/' || fsq_place_id) AS url,
          longitude AS lon, latitude AS lat
        FROM read_parquet({path})"""

    def provenance(self, row: dict) -> str:
        release = f"release {self.release}" if self.release else f"data at {self.files}"
        refreshed = f", refreshed {row['refreshed'][:10]}" if row.get("refreshed") else ""
        return f"Foursquare OS Places {release}{refreshed} (Foursquare's own published data)"
