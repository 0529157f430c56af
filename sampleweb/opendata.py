"""The published schemas of the open data napaudit reads, as DuckDB column lists: the tests and
bench/opendata.py write Parquet files in them, so that a spider reads what a real release holds.

Overture Places: docs.overturemaps.org, "Places" (the 2025 releases). Foursquare OS Places: its
documentation's places table (2025).
"""

OVERTURE_SCHEMA = """
    id VARCHAR, geometry BLOB, bbox STRUCT(xmin FLOAT, xmax FLOAT, ymin FLOAT, ymax FLOAT),
    version INTEGER,
    sources STRUCT(property VARCHAR, dataset VARCHAR, record_id VARCHAR, update_time VARCHAR,
                   confidence DOUBLE)[],
    names STRUCT("primary" VARCHAR, common MAP(VARCHAR, VARCHAR),
                 rules STRUCT(variant VARCHAR, language VARCHAR, value VARCHAR)[]),
    categories STRUCT("primary" VARCHAR, alternate VARCHAR[]), confidence DOUBLE,
    websites VARCHAR[], socials VARCHAR[], emails VARCHAR[], phones VARCHAR[],
    brand STRUCT(wikidata VARCHAR, names STRUCT("primary" VARCHAR)),
    addresses STRUCT(freeform VARCHAR, locality VARCHAR, postcode VARCHAR, region VARCHAR,
                     country VARCHAR)[],
    operating_status VARCHAR"""

FSQ_SCHEMA = """
    fsq_place_id VARCHAR, name VARCHAR, latitude DOUBLE, longitude DOUBLE, address VARCHAR,
    locality VARCHAR, region VARCHAR, postcode VARCHAR, admin_region VARCHAR,
    post_town VARCHAR, po_box VARCHAR, country VARCHAR, date_created VARCHAR,
    date_refreshed VARCHAR, date_closed VARCHAR, tel VARCHAR, website VARCHAR, email VARCHAR,
    facebook_id BIGINT, instagram VARCHAR, twitter VARCHAR, fsq_category_ids VARCHAR[],
    fsq_category_labels VARCHAR[], placemaker_url VARCHAR, geom BLOB,
    bbox STRUCT(xmin DOUBLE, ymin DOUBLE, xmax DOUBLE, ymax DOUBLE)"""
