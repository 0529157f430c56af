"""CSV a spreadsheet opens safely: a CR or LF inside scraped text stays in its cell, and no cell
starts a formula, even behind an invisible character or a quote."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from napaudit.reports.export import csv_safe, csv_writer
from napaudit.reports.render import CSV_COLUMNS, write_csv

from napaudit.cli import cli

FORMULA = '=HYPERLINK("http://evil.example","click")'
DDE = "=cmd|' /C calc'!A0"  # no comma or quote: nothing else makes Python quote it


def _rows(raw: str) -> list[list[str]]:
    """As a spreadsheet reads the file: CR, LF and CRLF all end a row, outside quotes."""
    return list(csv.reader(io.StringIO(raw, newline="")))


def test_python_csv_leaves_a_bare_cr_unquoted_with_a_newline_terminator():
    """Why every cell is quoted: the failure, with what compare used before."""
    old = io.StringIO()
    csv.writer(old, lineterminator="\n").writerow(["Acme\r" + DDE, "x"])
    assert _rows(old.getvalue()) == [["Acme"], [DDE, "x"]]  # a new row, starting with DDE
    new = io.StringIO()
    csv_writer(new, lineterminator="\n").writerow(["Acme\r" + DDE, "x"])
    assert _rows(new.getvalue()) == [["Acme\r" + DDE, "x"]]


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+1 310 555 0100", "'+1 310 555 0100"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ('"=1+1', "'\"=1+1"),  # a quote: an import that strips it would expose the formula
        ("'=1+1", "''=1+1"),
        ("\u200b=1+1", "'\u200b=1+1"),  # zero-width space
        ("\u200d\u2060@x", "'\u200d\u2060@x"),  # zero-width joiner, word joiner
        ("\ufeff+1", "'\ufeff+1"),  # BOM
        ("\u202e=1", "'\u202e=1"),  # right-to-left override
        ("\u2066-2", "'\u2066-2"),  # left-to-right isolate
        ("  =1", "'  =1"),  # spaces an import may trim
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("\u200bAcme", "\u200bAcme"),  # invisible, then nothing dangerous
        ("Acme = Best", "Acme = Best"),
        ("1200 Harbor Blvd", "1200 Harbor Blvd"),
        ("", ""),
        (None, ""),
        (0.5, "0.5"),
    ],
)
def test_cells_that_could_start_a_formula_are_prefixed(value, safe):
    assert csv_safe(value) == safe


def test_compare_csv_keeps_a_carriage_return_inside_its_cell(tmp_path):
    clients = tmp_path / "c.csv"
    clients.write_text("id,name,phone\nb1,Acme,(310) 555-0100\n")
    listings = tmp_path / "l.csv"
    url = "https://listings.example/acme\r" + DDE
    with listings.open("w", newline="") as f:
        csv.writer(f).writerows([["listing_id", "business_id", "url"], ["L1", "b1", url]])
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(
        cli, ["compare", str(clients), str(listings), "--format", "csv", "--out", str(out),
              "--db", str(tmp_path / "a.db")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes().decode("utf-8"))
    assert [r[:3] for r in rows[1:]] == [["L1", "", url]] * 2  # name and phone: missing
    assert not any(cell.startswith(tuple("=+-@")) for row in rows for cell in row)


def test_report_csv_quotes_every_cell(tmp_path):
    fix = dict.fromkeys(
        ("rank", "kind", "source", "field", "action", "to", "severity", "priority", "reason",
         "fix_url", "listing_url", "root_cause", "text"), "x",
    )  # fmt: skip
    fix["from"] = "\u200b" + FORMULA + "\r\n-1"
    fix["evidence"] = {"text": "Why likely: two sources show it"}
    data = {"businesses": [{"id": "b1", "name": "Acme\r@cmd", "fixes": [fix]}]}
    raw = write_csv(data, tmp_path / "fixes.csv").read_bytes().decode("utf-8")
    header, row = _rows(raw)
    assert header == list(CSV_COLUMNS)
    assert row[1] == "Acme\r@cmd" and row[7] == "'\u200b" + FORMULA + "\r\n-1"
    assert raw.startswith('"business_id","business","rank",')  # every cell quoted
    assert '\r\n"b1","Acme\r@cmd","x",' in raw
