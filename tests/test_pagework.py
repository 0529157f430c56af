"""`audit --listings` with its pages read and judged in a second process beside the crawl
(spiders.pagework): the store, the summary and the progress lines are what the crawl gives
judging each page itself, a Ctrl-C still drains and resumes, and a worker that dies costs only
time."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, ctrl_c
from napaudit.auditor.judging import OnDemand
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.store import content_version
from napaudit.sampleweb.generated import GeneratedWeb, businesses, stored, write_clients
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import HOST, SampleWeb, serving, write_demo_targets
from napaudit.spiders.outcome import from_response
from napaudit.spiders.pagework import PageWorker, page_rows, shown_on
from test_batch import _count
from test_politeness import CLIENTS

REALDATA = ROOT.parent / "shared" / "realdata"


def audit(web, urls: Path, db: Path, worker_from: str, *more: str,
          clients: Path = CLIENTS, one_core: bool = False) -> subprocess.Popen:  # fmt: skip
    """`one_core`: the audit allowed one core only, as `taskset -c` or a container allows."""
    alone = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    return subprocess.Popen(
        [sys.executable, "-m", "napaudit", "audit", str(clients), "--listings", str(urls),
         "--db", str(db), "--delay", "0", "--timeout", "3", "--report",
         str(db.parent / "report"), *cli_args(web.base_url),
         "--set", f"NAPAUDIT_PAGE_WORKER_FROM={worker_from}", *more],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=dict(os.environ), preexec_fn=alone,
    )  # fmt: skip


def said(err: str) -> list[str]:
    """What a user reads on stderr, less what moves from run to run (times, rates)."""
    return sorted(line for line in err.splitlines() if line.strip() and "/s" not in line
                  and " s " not in line and "run " not in line)  # fmt: skip


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux); none once it has ended."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def tables(db: Path) -> dict[str, list]:
    """Every row the audit stored, less the times (of fetching, judging, the run)."""
    moving = {"fetched_at", "judged_at", "started_at", "finished_at"}
    out = {}
    with sqlite3.connect(db) as con:
        for table in ("businesses", "run_businesses", "listings", "checks", "findings",
                      "run_listings", "run_scores"):  # fmt: skip
            columns = [c[1] for c in con.execute(f"PRAGMA table_info({table})")
                       if c[1] not in moving]  # fmt: skip
            out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {table}")))
    return out


def forks(pid: int) -> list[int]:
    """The copies of itself `pid` forked: they run its very command line (other children it
    may start for a moment, such as a library's helper program, do not)."""
    found = []
    try:
        mine = Path(f"/proc/{pid}/cmdline").read_bytes()
        for child in children(pid):
            if Path(f"/proc/{child}/cmdline").read_bytes() == mine:
                found.append(child)
    except OSError:  # ended meanwhile
        pass
    return found


def run_audit(web, urls: Path, folder: Path, worker_from: str, one_core: bool = False):
    """An audit to its end: its stored rows, summary, progress lines and forked copies."""
    folder.mkdir()
    process = audit(web, urls, folder / "a.db", worker_from, one_core=one_core)
    seen: dict[int, list[float]] = {}  # each copy -> when it was seen
    while process.poll() is None:  # who ran the pages' work
        for child in forks(process.pid):
            seen.setdefault(child, []).append(time.monotonic())
        time.sleep(0.02)
    # A copy that lived: a helper program started with vfork shows the audit's command line
    # until it execs (Scrapy's versions line runs `uname -p`), a moment, seen once under load.
    forked = [child for child, times in seen.items() if times[-1] - times[0] >= 0.2]
    out, err = process.communicate()
    assert process.returncode == 3, err[-3000:]  # 3: the planted pages not checked
    out, err = (text.replace(str(folder), "<run>") for text in (out, err))
    return tables(folder / "a.db"), out, said(err), forked, stored(folder / "a.db")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Every demo page (blocked, timed out, not found and missing ones too), served slowly
    enough to press Ctrl-C mid-run, and what an audit judging each page in the crawl stores."""
    folder = tmp_path_factory.mktemp("pagework")
    with serving(SampleWeb.from_manifest(latency=0.05)) as web:
        urls = folder / "urls.csv"
        pages = write_demo_targets(web, urls)
        yield web, urls, pages, run_audit(web, urls, folder / "in-crawl", "0")


def test_pages_judged_beside_the_crawl_store_and_say_what_the_crawl_would(demo, tmp_path):
    web, urls, pages, in_crawl = demo
    beside = run_audit(web, urls, tmp_path / "beside", "1")
    assert len(in_crawl[0]["run_listings"]) == pages and in_crawl[0]["findings"]
    for table, rows in in_crawl[0].items():  # the same clients, pages, checks, scores, findings
        assert beside[0][table] == rows, table
    assert beside[1] == in_crawl[1]  # the same summary
    assert beside[2] == in_crawl[2]  # the same progress lines (a business's when its pages end)
    assert in_crawl[3] == [] and len(beside[3]) == 1, "one worker, only when asked for"


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity to set here")
def test_one_allowed_core_judges_the_pages_in_the_crawl(demo, tmp_path):
    """Allowed one core (`taskset -c 0`, a container), the audit forks no page worker even when
    asked for one from the first page, and stores and says what the crawl judging them does."""
    web, urls, pages, in_crawl = demo
    alone = run_audit(web, urls, tmp_path / "alone", "1", one_core=True)
    assert alone[3] == [], "no worker on one core"
    for table, rows in in_crawl[0].items():
        assert alone[0][table] == rows, table
    assert alone[1:3] == in_crawl[1:3]


def test_ctrl_c_drains_the_worker_and_resume_completes_the_store(demo, tmp_path):
    """The worker ignores Ctrl-C: what it holds is stored before the audit exits 130, and the
    resumed audit ends with what an uninterrupted one stores. (A Ctrl-C with no worker:
    tests/test_listings_resume.py.)"""
    web, urls, pages, in_crawl = demo
    db = tmp_path / "a.db"
    ctrl_c(audit(web, urls, db, "1"), web, pages // 3)
    resumed = audit(web, urls, db, "1", "--resume")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 3, err[-3000:]
    assert stored(db) == in_crawl[4]


def test_a_worker_that_dies_leaves_its_pages_to_the_crawl(demo, tmp_path):
    web, urls, pages, in_crawl = demo
    db = tmp_path / "a.db"
    process = audit(web, urls, db, "1")
    while process.poll() is None and not forks(process.pid):
        time.sleep(0.01)
    start = len(web.hits)
    while process.poll() is None and len(web.hits) - start < pages // 3:
        time.sleep(0.01)
    for child in forks(process.pid):
        os.kill(child, signal.SIGKILL)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 3, err[-3000:]
    assert "the page worker ended unexpectedly" in err
    assert stored(db) == in_crawl[4]


def test_a_crawl_killed_outright_leaves_no_page_without_its_client(tmp_path):
    """SIGKILL (no Ctrl-C, no drain) once batches are stored: every stored page's client is
    stored with it, in the run, so reports and history read the run so far whole; --resume
    ends with what an uninterrupted audit stores."""
    generated = businesses(60)
    clients = write_clients(tmp_path / "clients.csv", generated)
    sources = ["yelp", "yellowpages", "superpages", "manta", "website"]
    with serving(GeneratedWeb(generated, sources, latency=0.02)) as web:
        urls = tmp_path / "urls.csv"
        rows = [(path.split("/")[1], g.id, path) for path, g in web.pages.items()]
        with urls.open("w", encoding="utf-8", newline="") as f:
            f.write("business_id,source,url\n")
            f.writelines(f"{bid},{source},http://{HOST}{path}\n" for source, bid, path in rows)
        (tmp_path / "whole").mkdir()
        whole = audit(web, urls, tmp_path / "whole" / "a.db", "1", clients=clients)
        assert whole.wait(timeout=300) == 0, whole.stderr.read()[-3000:]
        db = tmp_path / "a.db"
        process = audit(web, urls, db, "1", clients=clients)
        kept = 0
        while process.poll() is None and kept < 150:  # a batch (100) stored, then another begun
            time.sleep(0.02)
            kept = _count(db)
        process.kill()
        process.communicate(timeout=60)
        kept = _count(db)
        with sqlite3.connect(db) as con:
            orphans = con.execute(
                "SELECT rl.url FROM run_listings rl LEFT JOIN run_businesses rb"
                " ON rb.run_id = rl.run_id AND rb.business_id = rl.business_id"
                " LEFT JOIN businesses b ON b.uid = rb.business"
                " WHERE b.uid IS NULL").fetchall()  # fmt: skip
        assert 0 < kept < len(rows), "killed mid-run, with pages stored"
        assert orphans == [], f"{len(orphans)} of {kept} pages stored without their client"
        resumed = audit(web, urls, db, "1", "--resume", clients=clients)
        _, err = resumed.communicate(timeout=300)
        assert resumed.returncode == 0, err[-3000:]
    assert stored(db) == stored(tmp_path / "whole" / "a.db")


@pytest.mark.skipif(not (REALDATA / "realweb").is_dir(), reason="../shared/realdata absent")
def test_the_worker_answers_real_pages_as_the_crawl_judges_them():
    """Saved real listing pages, each judged against a client made from what it shows."""
    pages = sorted(p for p in (REALDATA / "realweb").rglob("*.html"))[:40]
    assert pages, "real pages to read"
    businesses, versions, asked = {}, {}, []
    for n, path in enumerate(pages):
        text = path.read_text(encoding="utf-8", errors="replace")
        found, _ = shown_on(text, f"https://example.org/{n}", None)
        if not found:
            continue
        bid = f"b{n}"
        record = read_records_from(found[0], bid)
        businesses[bid], versions[bid] = normalize_record(record), content_version(record)
        asked.append((bid, text, f"https://example.org/{n}"))
    assert len(asked) >= 5, "real pages that show a business"
    lone = read_records_from({"name": "Harbor Lane Dental", "phone": "(714) 555-0142"}, "lone")
    records = {bid: b.record for bid, b in businesses.items()} | {"lone": lone}  # no page
    worker = PageWorker(OnDemand(records), versions)
    try:
        tickets = {worker.submit(bid, "yelp", url, "2026-12-02", "", 200, text, url, None): bid
                   for bid, text, url in asked}  # fmt: skip
        answers, normalized = worker.finish()
    finally:
        worker.close()
    assert sorted(a[0] for a in answers) == sorted(tickets)
    # each client with a page came with its first page's answer; the end brings the others
    assert normalized == [("lone", normalize_record(lone).as_dict())]
    for ticket, outcome, rows, found, _, client in answers:
        bid = tickets[ticket]
        assert client == businesses[bid].as_dict()  # its first page: its values come with it
        text, url = next((t, u) for b, t, u in asked if b == bid)
        expected_found, _ = shown_on(text, url, None)
        assert found == expected_found
        assert (outcome, rows) == page_rows(businesses[bid], versions[bid], expected_found,
                                            "yelp", url, "ok", "", "2026-12-02", "")  # fmt: skip


def read_records_from(values: dict, business_id: str):
    """A client whose record is what a page shows (its phone and name, at least)."""
    from napaudit.auditor.models import Record

    fields = {f: str(values.get(f) or "") for f in ("name", "address", "city", "state", "zip",
                                                     "phone", "website")}  # fmt: skip
    return Record(id=business_id, **fields)


def test_a_page_the_worker_cannot_judge_is_said_and_not_stored():
    worker = PageWorker(OnDemand({}), {})
    try:
        worker.submit("nobody", "yelp", "https://example.org/", "", "", 200, "<p>x</p>",
                      "https://example.org/", None)  # fmt: skip
        (answer,), normalized = worker.finish()
    finally:
        worker.close()
    assert answer[:2] == (0, None) and "KeyError: 'nobody'" in answer[2]
    assert normalized == []


def test_pages_past_what_the_pipe_holds_are_all_answered():
    """A page larger than the pipe, then more pages than the pipe holds, handed over at once:
    the crawl holds what does not fit and writes it as answers come; none is lost."""
    record = read_records_from({"name": "Harbor Lane Dental", "phone": "(714) 555-0100"}, "b")
    page = ('<script type="application/ld+json">{"@type": "Dentist", "name": "Harbor Lane '
            'Dental", "telephone": "(714) 555-0100"}</script>')  # fmt: skip
    pages = [page + "<p>" + "x" * 3_000_000 + "</p>"] + [page + "<p>" + "y" * 50_000] * 100
    worker = PageWorker(OnDemand({"b": record}), {"b": content_version(record)})
    try:
        tickets = [worker.submit("b", "yelp", f"https://example.org/{n}", "", "", 200, text,
                                 f"https://example.org/{n}", None)
                   for n, text in enumerate(pages)]  # fmt: skip
        answers, normalized = worker.finish()
    finally:
        worker.close()
    assert [a[0] for a in answers] == tickets  # every page, in the order handed over
    assert {a[1] for a in answers} == {"ok"} and normalized == []  # "b" came with its first


def test_a_bot_wall_served_with_200_is_blocked_there_as_in_the_crawl():
    """The crawl hands over every page that answered below 400 without reading it: the worker
    finds the wall, with the reason the crawl gives."""
    record = read_records_from({"name": "Harbor Lane Dental", "phone": "(714) 555-0100"}, "b")
    wall = "<html><head><title>Just a moment...</title></head><body>Checking</body></html>"
    worker = PageWorker(OnDemand({"b": record}), {"b": "v"})
    try:
        worker.submit("b", "yelp", "https://example.org/b", "t", "", 200, wall,
                      "https://example.org/b", None)  # fmt: skip
        ((_, outcome, rows, found, _, _),), _ = worker.finish()
    finally:
        worker.close()
    assert outcome == "blocked" and found == []
    seen = rows[2]  # the run_listings row: its outcome and reason, as a user reads them
    assert seen[-3:-1] == ("blocked", "a challenge page from Cloudflare ('Just a moment...') "
                                      "instead of the page")  # fmt: skip
    in_crawl = page_rows(normalize_record(record), "v", [], "yelp", "https://example.org/b",
                         *from_response(200, wall), "t", "")  # fmt: skip
    assert (outcome, rows) == in_crawl


def test_a_page_with_a_lone_surrogate_in_its_json_is_judged_and_stored(tmp_path):
    """A page's JSON-LD may escape half a surrogate pair ("\\ud800"): no UTF-8 text holds what
    that decodes to, so hashing or storing it raised and the page was lost. It is read with the
    replacement character (U+FFFD) in its place, judged and stored like any page; a value from
    elsewhere (an API's structured hours) is made storable the same way."""
    from napaudit.auditor.store import Store

    node = ('{"@context": "https://schema.org", "@type": "Restaurant", "name": "Blue \\ud800 Fin",'
            ' "telephone": "(312) 555-0100", "address": {"@type": "PostalAddress", '
            '"streetAddress": "1 Main St", "addressLocality": "Chicago", "addressRegion": "IL", '
            '"postalCode": "60601"}}')  # fmt: skip
    page = f'<script type="application/ld+json">{node}</script><p>Blue Fin</p>'
    found, _ = shown_on(page, "https://example.org/blue-fin", None)
    assert found[0]["name"] == "Blue \ufffd Fin"
    values = {"name": "Blue Fin", "address": "1 Main St", "city": "Chicago", "state": "IL",
              "zip": "60601", "phone": "(312) 555-0100"}  # fmt: skip
    client = read_records_from(values, "b1")
    business = normalize_record(client)
    version = content_version(client)
    api = [{**found[0], "hours": {"Mo\udfff": ["09:00\ud83d", "17:00"]}}]
    store = Store(tmp_path / "s.db")
    run_id = store.start_run("audit", {})
    for key, shown in (("page", found), ("api", api)):
        outcome, rows = page_rows(business, version, shown, "yelp", f"https://example.org/{key}",
                                  "ok", "", "2026-12-04", key)  # fmt: skip
        assert outcome == "ok"
        store.save_rows(run_id, [rows], [business])
    with sqlite3.connect(tmp_path / "s.db") as con:
        stored = dict(con.execute("SELECT listing_key, name || ' ' || hours FROM listings"))
        verdicts = [v for (v,) in con.execute("SELECT verdicts FROM checks")]
    assert stored == {"page": "Blue \ufffd Fin ", "api": 'Blue \ufffd Fin {"Mo\ufffd": '
                      '["09:00\ufffd", "17:00"]}'}  # fmt: skip
    assert len(verdicts) == 2 and all('"Blue \ufffd Fin"' in v for v in verdicts)
