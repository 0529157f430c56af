"""Reading canonical records and listings: formats, header aliases, and bad input."""

from __future__ import annotations

import pytest
from napaudit.auditor import jsonstream
from napaudit.auditor import records as records_module
from napaudit.auditor.records import InputError, iter_records, read_records

SPREADSHEET = (
    "Store Code,Business Name,Street Address,Suite,City,State,ZIP Code,Telephone,URL\n"
    "b1,Harbor Lane Dental,1200 Harbor Blvd,Suite 210,Costa Mesa,CA,92626,(714) 555-0142,"
    "harborlanedental.example\n"
)


def test_spreadsheet_headers_map_to_fields(write):
    records, problems = read_records(write("clients.csv", SPREADSHEET), "canonical")
    assert problems == []
    (r,) = records
    assert (r.id, r.name, r.address, r.address2) == (
        "b1",
        "Harbor Lane Dental",
        "1200 Harbor Blvd",
        "Suite 210",
    )
    assert (r.city, r.state, r.zip, r.phone, r.website, r.country) == (
        "Costa Mesa",
        "CA",
        "92626",
        "(714) 555-0142",
        "harborlanedental.example",
        "US",
    )
    assert r.street_line() == "1200 Harbor Blvd, Suite 210"


@pytest.mark.parametrize(
    "header, field",
    [
        ("Postal Code", "zip"),
        ("zip_code", "zip"),
        ("PHONE NUMBER", "phone"),
        ("Website URL", "website"),
        ("Company Name", "name"),
        ("Address Line 1", "address"),
        ("Address Line 2", "address2"),
        ("Province", "state"),
        ("Opening Hours", "hours"),
    ],
)
def test_header_aliases_are_case_insensitive(write, header, field):
    headers, values = ("ID", header), ("x", "VALUE")
    if field != "name":
        headers, values = ("ID", "Name", header), ("x", "Acme", "VALUE")
    path = write("c.csv", ",".join(headers) + "\n" + ",".join(values) + "\n")
    (record,), _ = read_records(path, "canonical")
    assert getattr(record, field) == "VALUE"


def test_bom_semicolons_and_leading_zero_zip(write):
    text = "\ufeffid;name;zip\nb1;Boston Bagels;2134\n"
    (record,), _ = read_records(write("c.csv", text.encode("utf-8")), "canonical")
    assert record.id == "b1" and record.zip == "2134"


def test_json_array_and_json_lines(write):
    array = write(
        "c.json", '[\n {"id": "a", "name": "A", "zip": 90210},\n {"id": "b", "name": "B"}\n]'
    )
    lines = write(
        "l.jsonl", '{"listing_id": "1", "name": "A"}\n\n{"listing_id": "2", "name": "B"}\n'
    )
    records, _ = read_records(array, "canonical")
    assert [(r.id, r.zip, r.line) for r in records] == [("a", "90210", 2), ("b", "", 3)]
    listings, _ = read_records(lines, "listings")
    assert [(r.id, r.line) for r in listings] == [("1", 1), ("2", 3)]


def test_structured_hours_are_kept(write):
    spec = '[{"@type": "OpeningHoursSpecification", "dayOfWeek": "Monday", "opens": "09:00"}]'
    path = write("c.jsonl", '{"id": "a", "name": "A", "hours": ' + spec + "}\n")
    (record,), _ = read_records(path, "canonical")
    assert isinstance(record.hours, list) and record.hours[0]["dayOfWeek"] == "Monday"


def test_listing_columns(write):
    text = "listing_id,source,url,business_id,name\nL1,yelp,https://y.example/1,b1,Acme\n"
    (r,), _ = read_records(write("l.csv", text), "listings")
    assert (r.id, r.source, r.url, r.business_id, r.website) == (
        "L1",
        "yelp",
        "https://y.example/1",
        "b1",
        "",
    )


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("c.csv", "name,city\nAcme,Austin\n", "c.csv, line 1, column 'id': no 'id' column"),
        ("c.csv", "id,city\n1,Austin\n", "c.csv, line 1, column 'name': no 'name' column"),
        ("c.csv", b"id,name\n1,Caf\xe9\n", "c.csv, line 2: not UTF-8 text"),
        ("c.json", '[{"id": 1, "name": "A"}', "c.json, line 1: not valid JSON"),
        ("c.csv", "", "c.csv: the file is empty"),
        ("c.xlsx", b"PK\x03\x04rest", "c.xlsx: not CSV or JSON"),
        ("c.json", '"just text"', "c.json, line 1: JSON must be an array of objects"),
    ],
)
def test_unusable_files_name_file_line_and_column(write, name, content, expected):
    with pytest.raises(InputError) as err:
        read_records(write(name, content), "canonical")
    assert expected in str(err.value)


def test_missing_listing_id_column(write):
    with pytest.raises(InputError, match="no 'listing_id' column"):
        read_records(write("l.csv", "name,phone\nAcme,555\n"), "listings")


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        read_records("/nonexistent/clients.csv", "canonical")


def test_bad_rows_are_skipped_with_their_line(write):
    text = (
        "id,name,phone\n"
        "b1,Acme,555-0100\n"
        ",No Id,555-0101\n"  # line 3: empty id
        "b3,Acme 3,555-0102,extra\n"  # line 4: too many values
        "b1,Acme again,555-0103\n"  # line 5: duplicate id
        '"b6","Multi\nline",555-0104\n'  # lines 6-7: a quoted newline is fine
        "b8,,555\n"  # line 8: empty name
    )
    records, problems = read_records(write("c.csv", text), "canonical")
    assert [r.id for r in records] == ["b1", "b6"]
    assert records[1].line == 6
    messages = [(p.line, p.column, p.message) for p in problems]
    assert messages == [
        (3, "id", "empty id"),
        (4, "", "4 values but 3 columns in the header"),
        (5, "id", "duplicate id 'b1' (first on line 2)"),
        (8, "name", "empty name"),
    ]
    assert str(problems[0]).endswith("c.csv, line 3, column 'id': empty id (row skipped)")


def test_bad_json_values_and_lines_are_skipped(write):
    text = (
        '{"listing_id": "1", "name": "A"}\n'
        '{"listing_id": "2", "name": {"first": "x"}}\n'
        "not json\n"
        '["a", "list"]\n'
        '{"listing_id": "5", "phone": 3105550100}\n'
    )
    records, problems = read_records(write("l.jsonl", text), "listings")
    assert [(r.id, r.phone) for r in records] == [("1", ""), ("5", "3105550100")]
    assert [(p.line, p.column) for p in problems] == [(2, "name"), (3, ""), (4, "")]
    assert "expected text, got an object" in problems[0].message


# --- reading as a stream -------------------------------------------------------------------------


def test_records_stream_one_at_a_time(write):
    """The iterator hands each record over as it is read: the rows before a broken one arrive
    before the error does."""
    text = 'id,name\nb1,Acme\nb2,Bob\nb3,"never closed\n'
    items = iter_records(write("c.csv", text), "canonical")
    assert [next(items).id, next(items).id] == ["b1", "b2"]
    with pytest.raises(InputError, match="line 4, column 'name': a quoted value opens here"):
        next(items)


def test_duplicates_are_found_past_the_keys_kept_in_memory(write, monkeypatch):
    monkeypatch.setattr(records_module, "SEEN_IN_MEMORY", 10)  # the rest go to SQLite
    rows = [f"b{i},Shop {i}" for i in range(40)] + ["b3,Again", "b35,Again"]
    records, problems = read_records(write("c.csv", "id,name\n" + "\n".join(rows)), "canonical")
    assert len(records) == 40
    assert [(p.line, p.message) for p in problems] == [
        (42, "duplicate id 'b3' (first on line 5)"),
        (43, "duplicate id 'b35' (first on line 37)"),
    ]


def test_json_values_split_across_reads_keep_their_lines(write, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 7)  # every value, number and string is cut
    text = (
        "[\n"
        + ",\n".join(
            f'{{"id": "b{i}", "name": "Shop \\u00e9 {i}", "phone": {3125550100 + i}}}'
            for i in range(50)
        )
        + "\n]\n"
    )
    records, problems = read_records(write("c.json", text), "canonical")
    assert problems == []
    assert [(r.id, r.line, r.phone) for r in records][-1] == ("b49", 51, "3125550149")
    assert records[7].name == "Shop é 7"
    lines = write("l.jsonl", '{"listing_id": "1"}\n{"listing_id": \n{"listing_id": "3"}\n')
    listings, problems = read_records(lines, "listings")
    assert [(r.id, r.line) for r in listings] == [("1", 1), ("3", 3)]
    assert [(p.line, p.message) for p in problems] == [(2, "not valid JSON (Expecting value)")]


def test_carriage_return_line_endings_and_a_late_bad_byte(write):
    (record,), _ = read_records(write("c.csv", "id,name\rb1,Acme\r"), "canonical")
    assert (record.id, record.name) == ("b1", "Acme")
    rows = "".join(f"b{i},Shop {i}\n" for i in range(5000)).encode()
    with pytest.raises(InputError, match=r"c\.csv, line 5002: not UTF-8 text"):
        read_records(write("c.csv", b"id,name\n" + rows + b"b9,Caf\xe9\n"), "canonical")
