"""`napaudit report` as a user runs it: the files it writes, the CSV and JSON they hold, and a
one-line error with exit code 2 for every mistake a user can make."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from fixtures.report.scenario import portfolio_store
from napaudit.auditor.store import open_db
from napaudit.reports.load import load_snapshot
from napaudit.reports.schema import report_schema

from napaudit.cli import cli
from napaudit.report_cli import report


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return portfolio_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(autouse=True)
def no_stray_config(tmp_path, monkeypatch):
    """Run in an empty folder: a napaudit.toml lying around must not change the results."""
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    return CliRunner().invoke(report, list(args), prog_name="napaudit report")


def test_html_writes_a_page_per_business_and_the_portfolio(db, tmp_path):
    result = run("--db", str(db), "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    names = [Path(line).name for line in result.stdout.splitlines()]
    assert names == ["copper-kettle.html", "harbor-lane.html", "mesa-verde.html", "index.html"]
    assert all(Path(line).is_file() for line in result.stdout.splitlines())


def test_the_default_folder_sits_beside_the_database(db, tmp_path):
    """Run from another folder (cron's, a shell's), the report still goes beside the database
    it reports on."""
    folder = tmp_path / "clients" / "acme"
    folder.mkdir(parents=True)
    copy = folder / "acme.db"
    copy.write_bytes(db.read_bytes())
    result = run("--db", str(copy), "--business", "harbor-lane")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(folder / "napaudit-report" / "harbor-lane.html")]
    assert not (tmp_path / "napaudit-report").exists()  # not in the working folder
    assert "napaudit-report/ beside the database" in run("--help").output


def test_pdf_without_chromium_is_an_environment_error(db, tmp_path, monkeypatch):
    monkeypatch.setenv("NAPAUDIT_CHROMIUM", "no-such-chromium")
    result = run("--db", str(db), "--out", str(tmp_path / "out"), "--format", "pdf")
    assert result.exit_code == 4
    assert result.stderr.strip() == "Error: $NAPAUDIT_CHROMIUM=no-such-chromium: no such program"
    assert not (tmp_path / "out").exists()


def test_one_business(db, tmp_path):
    for fmt, name in (("html", "harbor-lane.html"), ("csv", "harbor-lane.csv"),
                      ("json", "harbor-lane.json")):  # fmt: skip
        result = run("--db", str(db), "--out", str(tmp_path), "--business", "harbor-lane",
                     "--format", fmt)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [str(tmp_path / name)]


def test_one_business_reads_its_own_listings_and_is_reported_as_in_the_whole_report(db, tmp_path):
    """`--business` reads that client's listings only (an agency's database holds hundreds of
    clients'), and its report says what the report of every business says of it."""
    result = run("--db", str(db), "--out", str(tmp_path / "all"), "--format", "json")
    assert result.exit_code == 0, result.output
    whole = json.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    every = {b["id"]: b for b in whole["businesses"]}
    assert set(every) == {"copper-kettle", "harbor-lane", "mesa-verde"}
    for business in every:
        result = run("--db", str(db), "--out", str(tmp_path / business), "--format", "json",
                     "--business", business)  # fmt: skip
        assert result.exit_code == 0, result.output
        one = json.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
        assert one["businesses"] == [every[business]]
        assert one["runs"] == whole["runs"] and one["run"] == whole["run"]
    snapshot = load_snapshot(db, business="harbor-lane")
    assert {b for by_business in snapshot.listings.values() for b in by_business} == {"harbor-lane"}
    assert len(snapshot.listings) == 2  # both runs: its history is read too


def test_csv_one_row_per_fix_and_safe_in_a_spreadsheet(db, tmp_path):
    result = run("--db", str(db), "--out", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    with open(result.stdout.strip(), encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["business_id"] == "harbor-lane"]
    # Urgent first (the likely root cause heads its class), then important: a wrong suite, and
    # BBB's listing page that is gone (a get-listed item).
    assert [(r["rank"], r["kind"], r["source"], r["field"], r["severity"]) for r in rows] == [
        ("1", "root_cause", "data-axle", "phone", "high"),
        ("2", "fix", "mapquest", "phone", "high"),
        ("3", "fix", "chamberofcommerce", "phone", "high"),
        ("4", "fix", "local-com", "phone", "high"),
        ("5", "fix", "merchantcircle", "phone", "high"),
        ("6", "fix", "yelp", "name", "high"),
        ("7", "fix", "yellowbot", "phone", "high"),
        ("8", "fix", "hotfrog", "name", "high"),
        ("9", "fix", "yellowpages", "address", "medium"),
        ("10", "gap", "bbb", "", "medium"),
    ]
    root, hotfrog, yellowbot = rows[0], rows[7], rows[6]
    assert (root["from"], root["to"], root["fix_url"]) == (
        "(714) 555-0199",
        "(714) 555-0142",
        "https://www.expressupdate.com",
    )
    assert root["evidence"].startswith("Why likely: ChamberofCommerce.com, Local.com, MapQuest")
    assert {r["root_cause_origin"] for r in rows[:5]} == {"data-axle"}
    # Scraped text that a spreadsheet would run as a formula is neutralized with a quote.
    assert hotfrog["from"] == '\'=HYPERLINK("http://evil.example","click")'
    assert yellowbot["from"] == "'+1 714 555 0199"
    assert hotfrog["instruction"].startswith("On Hotfrog, change the name from =HYPERLINK(")
    assert rows[5]["from"] == "<script>alert('xss')</script>"


def test_json_validates_against_the_shipped_schema(db, tmp_path):
    result = run("--db", str(db), "--out", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    harbor = {b["id"]: b for b in data["businesses"]}["harbor-lane"]
    assert harbor["root_causes"][0]["origin"] == "data-axle"
    assert [d["source"] for d in harbor["duplicates"]] == ["yelp"]
    assert harbor["root_causes"][0]["likely"] is True
    assert harbor["coverage"]["sources_missing"] == ["bbb"]
    assert [n["outcome"] for n in harbor["not_checked"]] == ["not_found", "blocked"]
    assert [h["run_id"] for h in harbor["history"]] == [1, 2]


def test_schema_rejects_a_report_missing_its_scores(db, tmp_path):
    """The schema is strict enough to catch drift: a business without `score` is invalid."""
    run("--db", str(db), "--out", str(tmp_path), "--format", "json")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    del data["businesses"][0]["score"]
    schema = report_schema()
    with pytest.raises(jsonschema.ValidationError, match="'score' is a required property"):
        jsonschema.validate(data, schema)


def test_an_earlier_run(db, tmp_path):
    result = run("--db", str(db), "--out", str(tmp_path), "--format", "json", "--run", "1")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["run"]["id"] == 1
    harbor = {b["id"]: b for b in data["businesses"]}["harbor-lane"]
    assert harbor["not_checked"] == [] and harbor["root_causes"] == []


def test_config_file_changes_the_ranking(db, tmp_path):
    config = tmp_path / "weights.toml"
    config.write_text("[sources]\nhotfrog = 500\n", encoding="utf-8")
    result = run("--db", str(db), "--out", str(tmp_path), "--format", "csv",
                 "--business", "harbor-lane", "--config", str(config))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "harbor-lane.csv").open(encoding="utf-8")))
    # Hotfrog's wrong name (9th by the catalog weights) now comes right after the root cause,
    # which always comes first.
    assert [(r["rank"], r["source"]) for r in rows[:2]] == [("1", "data-axle"), ("2", "hotfrog")]


def test_napaudit_toml_in_the_working_folder_is_read(db, tmp_path):
    (tmp_path / "napaudit.toml").write_text("[sources]\nyellowbot = 10\n", encoding="utf-8")
    run("--db", str(db), "--out", str(tmp_path), "--format", "json", "--business", "harbor-lane")
    data = json.loads((tmp_path / "harbor-lane.json").read_text(encoding="utf-8"))
    assert data["weights"]["config"] == "napaudit.toml"
    # YellowBot's wrong phone (10 x 3 x shared by 5 = 150) now comes right after the root cause.
    assert [f["source"] for f in data["businesses"][0]["fixes"]][:2] == ["data-axle", "yellowbot"]


def _arguments(case: str, folder: Path) -> list[str]:
    if case.startswith("config-"):
        (folder / "weights.toml").write_text(BAD_CONFIGS[case[7:]][0], encoding="utf-8")
        return ["--config", str(folder / "weights.toml")]
    if case == "empty-store":
        open_db(folder / "empty.db")  # the tables exist, no run does
        return ["--db", str(folder / "empty.db")]
    return {
        "unknown-business": ["--business", "nobody"],
        "missing-run": ["--run", "9"],
        "no-database": ["--db", str(folder / "missing.db")],
        "missing-config": ["--config", str(folder / "nowhere.toml")],
        "business-and-all": ["--business", "harbor-lane", "--all"],
    }[case]


BAD_CONFIGS = {
    "not-toml": ("[sources]\nyelp = = 7\n", "weights.toml, line 2: not valid TOML"),
    "unknown-table": ("[source]\nyelp = 7\n",
                      "weights.toml, line 1: 'source' is not a config table"),
    "not-a-number": ("[sources]\ngoogle = 10\nyelp = \"high\"\n",
                     "weights.toml, line 3: [sources] yelp: must be a number above 0"),
    "zero": ("[severity]\n\nlow = 0\n",
             "weights.toml, line 3: [severity] low: must be a number above 0"),
    "unknown-severity": ("[severity]\nurgent = 5\n",
                         "weights.toml, line 2: [severity] urgent: not a severity"),
}  # fmt: skip


@pytest.mark.parametrize(
    "case, message",
    [
        ("unknown-business", "no business 'nobody' in run 2 (businesses: copper-kettle, "
                             "harbor-lane, mesa-verde)"),
        ("missing-run", "no run 9 (runs 1-2)"),
        ("no-database", "missing.db: no such database (run 'napaudit compare' first)"),
        ("empty-store", "empty.db: no finished runs (run 'napaudit compare' first)"),
        ("missing-config", "nowhere.toml: no such file"),
        ("business-and-all", "use --business ID or --all, not both"),
        *[(f"config-{name}", message) for name, (_, message) in BAD_CONFIGS.items()],
    ],
)  # fmt: skip
def test_mistakes_exit_2_with_one_line(db, tmp_path, case, message):
    args = _arguments(case, tmp_path)
    out = tmp_path / "out"
    result = run("--db", str(db), "--out", str(out), *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()  # nothing written
    assert not (tmp_path / "missing.db").exists()  # a report never creates a database


def test_help_has_an_example_and_the_group_can_register_it():
    result = run("-h")
    assert result.exit_code == 0
    assert "Example:" in result.output and "napaudit report --business" in result.output
    registered = "report" in cli.commands  # once napaudit/cli.py registers it itself
    cli.add_command(report)
    try:
        assert CliRunner().invoke(cli, ["report", "--help"]).exit_code == 0
    finally:
        if not registered:
            cli.commands.pop("report", None)
