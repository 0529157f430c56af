"""Adding a field, as a new contributor would (README: "Adding a field"): one declaration in
auditor/fields.py, a normalizer and a comparator, one migration. Done here to a copy of the
package, which then judges the new field in `compare`, stores it in its own column, extracts it
from a page, and puts it in the report's schema; a database written before upgrades in place with
its history."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT
from napaudit.auditor.history import History

DECLARATION = """
    Field("email", "email", weight=1, compare=compare_email, normalize=normalize_email,
          schemaorg=("email",), aliases=("email", "emailaddress", "mail"),
          levels={**_common(LOW), "format": (V, NONE), "differs": (X, MEDIUM)}),
"""
NORMALIZER = '''"""E-mail addresses: case-insensitive, the mailto: prefix and spaces set aside."""


def normalize_email(raw: str) -> str:
    return raw.strip().removeprefix("mailto:").strip().lower()
'''
COMPARATOR = """

def compare_email(c: Normalized, f: Normalized) -> Level:
    mine, theirs = c.values["email"], f.values["email"]
    if mine == theirs:
        return "format", "same address, written differently"
    return "differs", f"{f.shown['email']} ≠ {c.shown['email']}"
"""
MIGRATION = '''

@migrations()
def m900_email_field(db: sqlite_utils.Database) -> None:
    """The `email` field."""
    for table in ("businesses", "listings"):
        db[table].add_column("email", str)
'''
CLIENTS = "id,name,phone,email\nb1,Acme Plumbing,(312) 555-0100,info@acme.example\n"
LISTINGS = (
    "listing_id,source,business_id,name,phone,email\n"
    "L1,yelp,b1,Acme Plumbing,312-555-0100,mailto:INFO@Acme.example\n"
    "L2,bbb,b1,Acme Plumbing,312-555-0100,sales@acme.example\n"
)
PAGE = (
    '<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "Plumber", "name": "Acme Plumbing", "telephone": "(312) 555-0100", '
    '"email": "mailto:info@acme.example"}</script></head><body></body></html>'
)


def _patched_package(folder) -> str:
    """The package laid out as it installs (napaudit.auditor, napaudit.spiders...), changed the
    way the README says: returns the PYTHONPATH that imports it."""
    top = folder / "napaudit"
    shutil.copytree(ROOT / "napaudit", top, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("auditor", "spiders", "reports", "sampleweb", "data"):
        shutil.copytree(ROOT / name, top / name, ignore=shutil.ignore_patterns("__pycache__"))
    fields = top / "auditor" / "fields.py"
    text = fields.read_text(encoding="utf-8")
    marker = "    # New fields go here"
    assert marker in text
    text = text.replace(marker, DECLARATION.strip("\n") + "\n" + marker)
    text = text.replace(
        "from napaudit.auditor import compare\n",
        "from napaudit.auditor import compare\nfrom napaudit.auditor.compare import compare_email\n"
        "from napaudit.auditor.normalize.email import normalize_email\n",
    )
    fields.write_text(text, encoding="utf-8")
    (top / "auditor" / "normalize" / "email.py").write_text(NORMALIZER, encoding="utf-8")
    with (top / "auditor" / "compare.py").open("a", encoding="utf-8") as f:
        f.write(COMPARATOR)
    with (top / "auditor" / "schema.py").open("a", encoding="utf-8") as f:
        f.write(MIGRATION)
    return str(folder)


def napaudit(args: list[str], pythonpath: str | None, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, "-m", "napaudit", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    folder = tmp_path_factory.mktemp("email")
    work = folder / "work"
    work.mkdir()
    (work / "clients.csv").write_text(CLIENTS, encoding="utf-8")
    (work / "listings.csv").write_text(LISTINGS, encoding="utf-8")
    before = napaudit(["compare", "clients.csv", "listings.csv", "--db", "a.db", "--out",
                       "before.jsonl"], None, work)  # fmt: skip
    assert before.returncode == 0, before.stderr
    with History(work / "a.db") as history:
        first = history.stored(1)
    path = _patched_package(folder / "patched")
    after = napaudit(["compare", "clients.csv", "listings.csv", "--db", "a.db", "--out",
                      "after.jsonl"], path, work)  # fmt: skip
    assert after.returncode == 0, after.stderr
    return work, path, first


def test_compare_judges_the_new_field(added):
    work, _, _ = added
    rows = {r["listing_id"]: r for r in map(json.loads, (work / "after.jsonl").open())}
    assert rows["L1"]["fields"]["email"]["status"] == "variant"
    assert rows["L2"]["fields"]["email"]["status"] == "mismatch"
    assert rows["L2"]["fields"]["email"]["reason"] == "sales@acme.example ≠ info@acme.example"
    before = {r["listing_id"]: r for r in map(json.loads, (work / "before.jsonl").open())}
    assert "email" not in before["L1"]["fields"]


def test_the_store_keeps_it_in_its_own_column_and_the_old_run_is_intact(added):
    work, _, first = added
    con = sqlite3.connect(work / "a.db")
    assert {r[0] for r in con.execute("select email from listings")} >= {
        "mailto:INFO@Acme.example", "sales@acme.example"
    }  # fmt: skip
    with History(work / "a.db") as history:
        assert history.stored(1) == first
        assert [(r.id, r.status) for r in history.runs()] == [(1, "done"), (2, "done")]


def test_extraction_and_the_report_schema_pick_it_up(added):
    work, path, _ = added
    (work / "page.html").write_text(PAGE, encoding="utf-8")
    shown = napaudit(["extract", "page.html", "--format", "json"], path, work)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["email"] == "mailto:info@acme.example"
    schema = subprocess.run(
        [sys.executable, "-c", "import json; from napaudit.reports.schema import report_schema; "
         "print(json.dumps(report_schema()))"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": path}, cwd=work,
    )  # fmt: skip
    canonical = json.loads(schema.stdout)["$defs"]["business"]["properties"]["canonical"]
    assert "email" in canonical["required"]
