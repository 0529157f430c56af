"""A failing machine or network, as a user meets it: one line naming what failed and a
documented exit code, never a traceback, never a run reported as stored when it is not."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from napaudit.sampleweb.middleware import HOST, cli_args
from napaudit.sampleweb.server import SampleWeb, serving

CLIENTS = ROOT / "data" / "samples" / "clients.csv"
LISTINGS = ROOT / "data" / "samples" / "listings.csv"


def napaudit(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "napaudit", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, **kwargs)  # fmt: skip


def test_a_server_that_is_down_is_one_outcome_not_a_traceback(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    urls = tmp_path / "urls.csv"
    urls.write_text(f"business_id,source,url\nharbor-lane,yelp,http://127.0.0.1:{port}/biz/x\n")
    done = napaudit("audit", str(CLIENTS), "--listings", str(urls), "--db", str(tmp_path / "a.db"),
                    "--delay", "0", "--timeout", "2", "--report", str(tmp_path / "r"),
                    "--set", f'NAPAUDIT_ALLOW_HOSTS=["127.0.0.1:{port}"]')  # fmt: skip
    assert done.returncode == 3, done.stderr  # finished; one listing could not be checked
    assert "Traceback" not in done.stderr and "twisted" not in done.stderr.lower()
    assert "Not checked: 1 error" in done.stdout
    row = (
        sqlite3.connect(tmp_path / "a.db")
        .execute("select outcome, outcome_reason from run_listings")
        .fetchone()
    )
    assert row[0] == "error" and row[1].startswith("connection failed")


def test_a_database_deleted_while_the_run_goes_on_is_never_reported_stored(tmp_path):
    with serving(SampleWeb.from_manifest(hang_seconds=6)) as web:
        urls = tmp_path / "urls.csv"  # one page that answers, one that keeps the run waiting
        urls.write_text(
            "business_id,source,url\n"
            f"harbor-lane,yelp,http://{HOST}/yelp/biz/harbor-lane-dental-costa-mesa\n"
            f"arts-deli,mapquest,http://{HOST}/mapquest/us/california/arts-delicatessen-281904455\n"
        )
        db = tmp_path / "a.db"
        run = subprocess.Popen(
            [sys.executable, "-m", "napaudit", "audit", str(CLIENTS), "--listings", str(urls),
             "--db", str(db), "--delay", "0", "--timeout", "4", "--report", str(tmp_path / "r"),
             *cli_args(web.base_url)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        deadline = time.time() + 60
        while not any(h.path.startswith("/mapquest/") for h in web.hits) and time.time() < deadline:
            time.sleep(0.05)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{db}{suffix}"):
                os.unlink(f"{db}{suffix}")
        out, err = run.communicate(timeout=120)
    assert run.returncode == 4, err
    assert f"{db} was deleted or replaced while the run went on" in err
    assert "Stored as run" not in out and "Traceback" not in err


def test_findings_on_a_full_disk_are_exit_4_and_leave_no_broken_file(tmp_path, runner):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({mounted.stderr.strip()})")
    try:
        out = disk / "findings.jsonl"
        out.write_text("the findings of an earlier run\n")
        (disk / "filler").write_bytes(b"\0" * (60 * 1024))  # about 4 KB left
        done = napaudit("compare", str(CLIENTS), str(LISTINGS), "--db", str(tmp_path / "a.db"),
                        "--out", str(out), "--format", "json")  # fmt: skip
        assert done.returncode == 4, done.stderr
        assert f"{out}: cannot be written (No space left on device)" in done.stderr
        assert "Traceback" not in done.stderr
        assert out.read_text() == "the findings of an earlier run\n"  # the good file is kept
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "findings.jsonl"]  # no temp
        status = sqlite3.connect(tmp_path / "a.db").execute("select status from runs").fetchone()
        assert status == ("failed",)  # never marked done
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
