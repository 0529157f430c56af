"""`napaudit audit` and `napaudit demo`: real Scrapy crawls of the local sample web on 127.0.0.1.

Each crawl runs the command in a subprocess, as a user does: Twisted's reactor runs once per
process.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import MANIFEST, SampleWeb, serving, write_demo_targets
from napaudit.spiders.crawl import CrawlOptions, crawl_settings

CLIENTS = ROOT / "data" / "samples" / "clients.csv"


def napaudit(
    *args: str, env: dict | None = None, timeout: float = 240
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "napaudit", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.fixture(scope="module")
def sampleweb():
    """The sample web, served on 127.0.0.1 and a free port for this module's tests."""
    with serving(SampleWeb.from_manifest(hang_seconds=8)) as web:
        yield web


@pytest.fixture(scope="module")
def audited(sampleweb, tmp_path_factory):
    """One audit of the sample clients against the whole sample web."""
    folder = tmp_path_factory.mktemp("audit")
    urls = folder / "urls.csv"
    write_demo_targets(sampleweb, urls)
    db = folder / "audit.db"
    done = napaudit("audit", str(CLIENTS), "--listings", str(urls), "--db", str(db),
                    "--delay", "0", "--timeout", "2", "--report", str(folder / "report"),
                    *cli_args(sampleweb.base_url))  # fmt: skip
    # 3: finished, but the planted blocked and timed-out pages could not be checked
    assert done.returncode == 3, done.stderr
    return done, sqlite3.connect(db), folder


def _manifest() -> list[dict]:
    with MANIFEST.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _manifest(), ids=lambda r: f"{r['source']}:{r['path']}")
def test_every_planted_problem_is_found_with_the_right_status(audited, row):
    _, db, _ = audited
    listing = db.execute(
        "select outcome, outcome_reason, check_id from run_listings "
        "where business_id = ? and url like ?",
        [row["business_id"], "%" + row["path"]],
    ).fetchone()
    assert listing is not None, "the listing was not crawled"
    for pair in row["expect"].split(";"):
        field, want = pair.split(":")
        if field == "outcome":
            assert listing[0] == want, listing
            assert listing[1], "a page not checked says why"
            continue
        got = db.execute(
            "select status, reason from findings where check_id = ? and field = ?",
            [listing[2], field],
        ).fetchone()
        assert got is not None and got[0] == want, (field, got, row["note"])


def test_pages_that_could_not_be_checked_say_why(audited):
    done, db, _ = audited
    rows = db.execute(
        "select outcome, outcome_reason from run_listings where outcome != 'ok' order by outcome"
    ).fetchall()
    reasons = dict(rows)
    assert "a challenge page" in reasons["blocked"]
    assert reasons["error"] == "timed out"
    assert {r for o, r in rows if o == "not_found"} == {
        "HTTP 404: the page is gone", "HTTP 410: the page is gone", "the page shows no business"
    }  # fmt: skip
    # never judged: no findings, so never "missing"
    assert db.execute(
        "select count(*) from run_listings where outcome != 'ok' and check_id is not null"
    ).fetchone() == (0,)
    assert "Not checked: 1 blocked, 1 error, 3 not found" in done.stdout


def test_summary_report_and_store(audited):
    done, db, folder = audited
    assert "business" in done.stdout.splitlines()[0] and "harbor-lane" in done.stdout
    assert f"Report: {folder / 'report' / 'index.html'}" in done.stdout
    assert (folder / "report" / "harbor-lane.html").exists()
    assert db.execute("select status, command from runs").fetchall() == [("done", "audit")]
    raw = db.execute(
        "select phone, normalized from listings where url like '%harbor-lane-dental-17730492'"
    ).fetchone()
    assert raw[0] == "(714) 555-0199" and '"e164": "+17145550199"' in raw[1]


def test_polite_crawl_obeys_robots_and_says_who_it_is(audited, sampleweb):
    paths = [hit.path for hit in sampleweb.hits]
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)
    agents = {hit.user_agent for hit in sampleweb.hits}
    assert len(agents) == 1 and agents.pop().startswith("napaudit/")


def test_polite_settings_by_default():
    settings = crawl_settings(CrawlOptions())
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert "napaudit" in settings["USER_AGENT"] and "https://" in settings["USER_AGENT"]
    assert crawl_settings(CrawlOptions(user_agent="acme-agency/1.0"))["USER_AGENT"] == (
        "acme-agency/1.0"
    )


def _small_web(tmp_path: Path, serve: str) -> SampleWeb:
    root = tmp_path / "web"
    (root / "shop").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (root / "shop" / "acme.html").write_text(
        '<html><head><script type="application/ld+json">{"@type": "LocalBusiness", '
        '"name": "Acme Plumbing", "telephone": "(312) 555-0100"}</script></head></html>'
    )
    (root / "listings.csv").write_text(
        f"business_id,source,path,serve\nb1,yelp,/shop/acme,{serve}\n"
    )
    return SampleWeb.from_manifest(root)


@pytest.mark.parametrize(
    "serve, outcome, reason",
    [("flaky", "ok", None), ("ratelimit", "blocked", "HTTP 429: too many requests")],
)
def test_retries_wait_as_the_server_asks(tmp_path, serve, outcome, reason):
    clients = tmp_path / "clients.csv"
    clients.write_text("id,name,phone\nb1,Acme Plumbing,(312) 555-0100\n")
    with serving(_small_web(tmp_path, serve)) as web:
        urls = tmp_path / "urls.csv"
        write_demo_targets(web, urls)
        env = {"NAPAUDIT_USER_AGENT": "napaudit-test (+https://example.invalid)"}
        done = napaudit("audit", str(clients), "--listings", str(urls), "--db",
                        str(tmp_path / "a.db"), "--delay", "0", "--report",
                        str(tmp_path / "r"), *cli_args(web.base_url), env=env)  # fmt: skip
        hits = [h for h in web.hits if h.path == "/shop/acme"]
    assert done.returncode == (0 if outcome == "ok" else 3), done.stderr
    db = sqlite3.connect(tmp_path / "a.db")
    got = db.execute("select outcome, outcome_reason from run_listings").fetchone()
    assert got[0] == outcome and (reason is None or got[1].startswith(reason))
    assert len(hits) >= 2
    assert hits[1].at - hits[0].at >= 1.0  # Retry-After: 1 (and a 2 s backoff) was honoured
    assert {h.user_agent for h in hits} == {env["NAPAUDIT_USER_AGENT"]}


def test_cache_serves_pages_again_when_the_site_is_down(tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("id,name,phone\nb1,Acme Plumbing,(312) 555-0100\n")
    urls = tmp_path / "urls.csv"
    args = ["audit", str(clients), "--listings", str(urls), "--db", str(tmp_path / "a.db"),
            "--delay", "0", "--timeout", "2", "--cache", "--report", str(tmp_path / "r")]  # fmt: skip
    with serving(_small_web(tmp_path, "ok")) as web:
        write_demo_targets(web, urls)
        args += cli_args(web.base_url)  # the second run asks the same (now gone) address
        assert napaudit(*args).returncode == 0
    started = time.time()
    again = napaudit(*args)  # the server is gone: the cache answers
    assert again.returncode == 0, again.stderr
    assert time.time() - started < 60
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("select outcome from run_listings order by run_id").fetchall() == [
        ("ok",),
        ("ok",),
    ]
    assert (tmp_path / "a.db.httpcache").is_dir()


def test_audit_input_errors_exit_2(tmp_path):
    bad_urls = tmp_path / "urls.csv"
    bad_urls.write_text("business_id,page\nb1,http://127.0.0.1:9/x\n")
    done = napaudit("audit", str(CLIENTS), "--listings", str(bad_urls), "--db",
                    str(tmp_path / "a.db"))  # fmt: skip
    assert done.returncode == 2
    assert "urls.csv, line 1, column 'source': no 'source' column" in done.stderr
    assert "Traceback" not in done.stderr
    config = tmp_path / "napaudit.toml"
    config.write_text('[keys]\ngoogle = ["not", "a", "key"]\n')
    done = napaudit("audit", str(CLIENTS), "--sources", "google", "--db", str(tmp_path / "a.db"),
                    env={"NAPAUDIT_CONFIG": str(config), "GOOGLE_PLACES_API_KEY": ""})  # fmt: skip
    assert done.returncode == 2
    assert "napaudit.toml, line 2: [keys] google: must be a string" in done.stderr
    assert not (tmp_path / "a.db").exists()  # stopped before anything started
    # a crawl setting napaudit gives a number takes one, checked before the crawl starts
    for pair, said in (
        ("MIN_DOWNLOAD_DELAY=soon", "MIN_DOWNLOAD_DELAY takes a number"),
        ("NAPAUDIT_OPEN_DATA_BULK=2.5", "NAPAUDIT_OPEN_DATA_BULK takes a whole"),
        ("NAPAUDIT_PAGE_LIMIT=-1", "NAPAUDIT_PAGE_LIMIT takes a whole"),
    ):
        done = napaudit("audit", str(CLIENTS), "--db", str(tmp_path / "a.db"), "--set", pair)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"'{pair}': {said}" in done.stderr
    assert not (tmp_path / "a.db").exists()


def test_demo_runs_end_to_end(tmp_path):
    done = napaudit("demo", "--db", str(tmp_path / "demo.db"), "--report", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "Sample web serving on http://127.0.0.1:" in done.stderr
    assert "Not checked: 1 blocked, 1 error, 3 not found" in done.stdout
    assert (tmp_path / "r" / "index.html").exists()


def test_extract_a_saved_page_prints_its_business(tmp_path):
    page = ROOT / "sampleweb" / "site" / "yelp" / "biz" / "harbor-lane-dental-costa-mesa.html"
    done = napaudit("extract", str(page))
    assert done.returncode == 0, done.stderr
    [first, *_] = [json.loads(line) for line in done.stdout.splitlines()]
    assert first["name"] == "Harbor Lane Dental"
    assert first["phone"] == "+1 714-555-0142" and first["method"]["phone"] == "json-ld"
    assert set(first) >= {"address", "city", "state", "zip", "country", "website", "hours"}


def test_extract_a_url_and_its_failures(sampleweb):
    done = napaudit(
        "extract", sampleweb.url("/yellowpages/chicago-il/mip/blue-fin-sushi-510284736")
    )
    ok = [json.loads(line) for line in done.stdout.splitlines()]
    blocked = napaudit("extract", sampleweb.url("/yelp/biz/arts-delicatessen-studio-city"))
    missing = napaudit("extract", "/nonexistent/page.html")
    assert done.returncode == 0 and ok and ok[0]["name"] == "Blue Fin Sushi"
    assert blocked.returncode == 2
    assert "could not fetch the page (HTTP 403: a challenge page" in blocked.stderr
    assert missing.returncode == 2 and "/nonexistent/page.html: cannot be read" in missing.stderr
