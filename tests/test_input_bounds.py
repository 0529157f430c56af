"""Hostile or broken input files: each stops the command at once with exit code 2 and one line
naming the file, line and field, instead of hanging, eating memory or printing a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from conftest import ROOT
from napaudit.auditor import reading, records
from napaudit.auditor.records import InputError, Limits, read_records

from napaudit.cli import cli
from napaudit.lock import run_lock

CLIENTS = "id,name,phone\nb1,Acme,(312) 555-0100\n"


def within(seconds: float, read):
    """read() in a thread that may not outlive `seconds`: a hang fails the test, not the run."""
    result: dict = {}

    def run():
        try:
            result["value"] = read()
        except Exception as exc:  # noqa: BLE001 - handed to the test
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still reading after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["value"]


def one_error_line(result) -> str:
    """What `napaudit compare` printed for bad input: exit 2, one line, no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def compare(runner, tmp_path, clients, listings):
    args = ["compare", str(clients), str(listings), "--db", str(tmp_path / "a.db")]
    return runner.invoke(cli, args)


# --- special files -----------------------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "clients.csv"
    os.mkfifo(fifo)  # nobody ever writes: open() for reading would wait forever
    with pytest.raises(InputError) as err:
        within(10, lambda: read_records(fifo, "canonical"))
    assert (
        str(err.value)
        == f"{fifo}: is a FIFO (named pipe), not a file: napaudit reads regular files"
    )


def test_audit_of_a_fifo_exits_2_and_releases_the_run_lock(tmp_path):
    fifo, urls, db = tmp_path / "clients.csv", tmp_path / "urls.csv", tmp_path / "a.db"
    os.mkfifo(fifo)
    urls.write_text("business_id,source,url\nb1,yelp,http://127.0.0.1:9/x\n")
    done = subprocess.run(
        [sys.executable, "-m", "napaudit", "audit", str(fifo), "--listings", str(urls),
         "--db", str(db)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == f"Error: {fifo}: is a FIFO (named pipe), not a file: " + (
        "napaudit reads regular files"
    )
    with run_lock(db):  # free again: the next run is not locked out
        pass


def test_a_device_is_refused_before_reading():
    with pytest.raises(InputError, match=r"^/dev/zero: is a device, not a file"):
        within(10, lambda: read_records("/dev/zero", "canonical"))


# --- sizes -------------------------------------------------------------------------------------


def test_a_file_over_the_size_cap(write):
    path = write("c.csv", CLIENTS + "".join(f"b{i},Shop {i},555-{i:04d}\n" for i in range(100)))
    with pytest.raises(InputError, match=r"c\.csv: .* larger than .*the limit for one input file"):
        read_records(path, "canonical", Limits(file_bytes=1000))


def test_the_default_bounds_can_be_configured(write):
    path = write("c.csv", CLIENTS.replace("Acme", "A" * 300))
    before = reading.default_limits()
    try:
        reading.set_default_limits(field_chars=100)
        with pytest.raises(InputError) as err:
            read_records(path, "canonical")
    finally:
        reading.set_default_limits(**before.__dict__)
    assert str(err.value).endswith("line 2, column 'name': a value of 300 characters (at most 100)")
    assert read_records(path, "canonical")[0][0].name == "A" * 300  # the defaults are back


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("c.csv", "id,name\nb1," + "x" * 70_000 + "\n",
         "c.csv, line 2, column 'name': a value of 70,000 characters (at most 65,536)"),
        ("c.csv", "id,name\nb1,Acme\n" + "x" * 1_100_000,
         "c.csv, line 3: a line longer than 1,048,576 characters"),
        ("c.jsonl", '{"id": "b1", "name": "' + "x" * 70_000 + '"}\n',
         "c.jsonl, line 1, column 'name': a value of 70,000 characters (at most 65,536)"),
        ("c.json", '[{"id": "b1", "name": "Acme", "hours": "' + "x" * 1_100_000 + '"}]',
         "c.json, line 1: a record longer than 1,048,576 characters"),
    ],
)  # fmt: skip
def test_values_rows_and_records_are_bounded(write, name, text, expected):
    with pytest.raises(InputError) as err:
        read_records(write(name, text), "canonical")
    assert str(err.value).endswith(expected)


# --- CSV quoting ---------------------------------------------------------------------------


def test_an_unclosed_quote_names_the_line_where_it_opened(write):
    """Before, the rest of the file became one name, silently: here 500 rows were lost."""
    rows = "".join(f"b{i},Shop {i},555-{i:04d}\n" for i in range(500))
    path = write("c.csv", CLIENTS + 'b2,"Acme Hardware,555-0101\n' + rows)
    with pytest.raises(InputError) as err:
        read_records(path, "canonical")
    assert str(err.value).endswith(
        "c.csv, line 3, column 'name': a quoted value opens here and never closes (an unclosed \")"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ('id,name\nb1,"Acme"Hardware\n',
         "line 2, column 'name': text after the closing quote of a quoted value"),
        ('id,name,phone\nb1,"Acme\nHardware",555\nb2,Bob,"555\n',
         "line 4, column 'phone': a quoted value opens here and never closes"),
        ('id,"name\nb1,Acme\n', "line 1: a quoted value opens here and never closes"),
    ],
)  # fmt: skip
def test_malformed_quoting_is_an_error_naming_the_line(write, text, expected):
    with pytest.raises(InputError) as err:
        read_records(write("c.csv", text), "canonical")
    assert expected in str(err.value)


def test_quotes_inside_values_are_still_fine(write):
    text = 'id,name,address\nb1,"Acme ""Best"" Hardware",12" Pipe Rd\nb2,"Multi\nline",x\n'
    records, problems = read_records(write("c.csv", text), "canonical")
    assert [(r.name, r.address) for r in records] == [
        ('Acme "Best" Hardware', '12" Pipe Rd'),
        ("Multi\nline", "x"),
    ]
    assert problems == []


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("c.json", "[" * 100_000 + "]" * 100_000, "c.json, line 1: nested deeper than 16 levels"),
        ("c.jsonl", '{"id": "b1", "name": "A"}\n{"id": "b2", "hours": ' + "[" * 20 + "]" * 20
         + "}\n", "c.jsonl, line 2, column 'hours': nested deeper than 16 levels"),
        ("c.json", '[\n{"id": "b1",\n "name": "A",\n "phone": ' + "1" * 400 + "}]",
         "c.json, line 4, column 'phone': a number with 400 digits (at most 30)"),
        ("c.jsonl", '{"id": "b1", "zip": ' + "9" * 5000 + "}\n",
         "c.jsonl, line 1, column 'zip': a number with 5,000 digits (at most 30)"),
        ("c.jsonl", '{"id": "b1", "zip": 1.' + "5" * 40 + "}\n",
         "c.jsonl, line 1, column 'zip': a number with 41 digits (at most 30)"),
        ("c.jsonl", '{"id": "b1", "name": "A", "zip": NaN}\n',
         "c.jsonl, line 1, column 'zip': NaN is not a number JSON allows"),
        ("c.json", '[{"id": "b1", "name": "A"},\n {"id": "b2",\n "name": "Caf\\ud800"}]',
         "c.json, line 3, column 'name': text with an unpaired surrogate (\\ud800), which is "
         "not Unicode text"),
        ("c.jsonl", '{"id": "b1", "hours": [["mo", "\\udfff 9-5"]]}\n',
         "c.jsonl, line 1, column 'hours': text with an unpaired surrogate (\\udfff), which is "
         "not Unicode text"),
        ("c.jsonl", '{"id": "b1", "name": "A", "x\\ud83d": "y"}\n',
         "c.jsonl, line 1, column 'x\\ud83d': text with an unpaired surrogate (\\ud83d), which "
         "is not Unicode text"),
    ],
)  # fmt: skip
def test_json_nesting_and_numbers_are_bounded(write, name, text, expected):
    with pytest.raises(InputError) as err:
        read_records(write(name, text), "canonical")
    assert str(err.value).endswith(expected)


def test_a_surrogate_pair_is_the_character_it_escapes(write):
    text = '{"id": "b1", "name": "Taco \\ud83c\\udf2e Stand"}\n'
    (record,), _ = read_records(write("c.jsonl", text), "canonical")
    assert record.name == "Taco \N{TACO} Stand"


def test_numbers_a_record_may_hold_are_kept(write):
    text = '{"id": 20250001, "name": "A", "phone": 13125550100, "zip": 60601.0}\n'
    (record,), _ = read_records(write("c.jsonl", text), "canonical")
    assert (record.id, record.phone, record.zip) == ("20250001", "13125550100", "60601")


# --- what the user sees -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("l.json", '[{"listing_id": "1", "phone": ' + "1" * 400 + "}]",
         "l.json, line 1, column 'phone': a number with 400 digits (at most 30)"),
        ("l.json", "[" * 50_000, "l.json, line 1: nested deeper than 16 levels"),
        ("l.jsonl", '{"listing_id": "1", "name": "Blue \\ud800 Fin"}\n',
         "l.jsonl, line 1, column 'name': text with an unpaired surrogate (\\ud800), which is "
         "not Unicode text"),
        ("l.csv", 'listing_id,name,phone\nl1,"Acme,555\nl2,Bob,556\n',
         "l.csv, line 2, column 'name': a quoted value opens here and never closes "
         '(an unclosed ")'),
        ("l.csv", b"listing_id,name\nl1,Acme\x00\n",
         "l.csv, line 2: not CSV or JSON (binary data)"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("aside", [False, True], ids=["read here", "read aside"])
def test_compare_exits_2_with_one_line(runner, write, tmp_path, monkeypatch, name, text,
                                       expected, aside):  # fmt: skip
    """Read here or by the helper that reads a large listings file (`read_aside`), alike."""
    if aside:
        monkeypatch.setattr(records, "ASIDE_FROM", 0)
    result = compare(runner, tmp_path, write("c.csv", CLIENTS), write(name, text))
    assert one_error_line(result) == f"Error: {tmp_path / expected}"
    assert not (tmp_path / "a.db").exists()  # nothing stored
