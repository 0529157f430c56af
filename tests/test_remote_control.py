"""No crawl of napaudit's runs Scrapy's remote control (on by default since Scrapy 2.19): no
server that runs code sent to it inside the crawl, which holds the API keys, and no file with
its token left in the user's state folder when a crawl is killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import ROOT
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import SampleWeb, serving, write_demo_targets
from test_politeness import CLIENTS


def test_a_killed_crawl_leaves_no_remote_control_token_and_ran_no_such_server(tmp_path):
    state = tmp_path / "state"  # the user's state folder (platformdirs reads XDG_STATE_HOME)
    with serving(SampleWeb.from_manifest(latency=0.05)) as web:
        urls = tmp_path / "urls.csv"
        pages = write_demo_targets(web, urls)
        start = len(web.hits)
        process = subprocess.Popen(
            [sys.executable, "-m", "napaudit", "audit", str(CLIENTS), "--listings", str(urls),
             "--db", str(tmp_path / "a.db"), "--delay", "0", "-q", *cli_args(web.base_url)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
            env={**os.environ, "XDG_STATE_HOME": str(state)},
        )  # fmt: skip
        seen: set[str] = set()
        while process.poll() is None and len(web.hits) - start < pages // 2:
            seen |= {p.name for p in state.rglob("*.json")}  # a job file: its port and token
            time.sleep(0.01)
        assert process.poll() is None, "killed mid-crawl"
        process.kill()
        process.communicate(timeout=60)
    assert len(web.hits) - start >= pages // 2, "the crawl ran"
    left = sorted(str(p.relative_to(state)) for p in state.rglob("*") if p.is_file())
    assert (sorted(seen), left) == ([], []), "a remote control server ran, its token on disk"


# Run in a fresh interpreter: an audit through the CLI, then (at exit) which of the modules
# that only the remote control, the telnet console and overturetoosm's converters need were
# ever imported.
_LOADED = """
import atexit, sys
UNUSED = ("scrapy.extensions.remote_control", "aiohttp", "scrapy.extensions.telnet", "pydantic")
atexit.register(lambda: print("loaded:", [m for m in UNUSED if m in sys.modules]))
from napaudit.cli import main
sys.argv[0] = "napaudit"
main()
"""


def test_an_audit_does_not_even_load_the_remote_control_or_the_telnet_console(tmp_path):
    """Setting an extension to None in EXTENSIONS still imports its module (Scrapy resolves
    every key to dedupe them): the remote control pulled in aiohttp, ~0.25 s of each crawl's
    start. napaudit leaves both out of the extensions Scrapy starts from. pydantic, which only
    overturetoosm's converters need, was loaded with its category table (~0.26 s of the first
    page with categories): the table is read alone (auditor.normalize.categories)."""
    with serving(SampleWeb.from_manifest(latency=0)) as web:
        urls = tmp_path / "urls.csv"
        write_demo_targets(web, urls)
        done = subprocess.run(
            [sys.executable, "-c", _LOADED, "audit", str(CLIENTS), "--listings", str(urls),
             "--db", str(tmp_path / "a.db"), "--delay", "0", "--timeout", "1", "-q",
             *cli_args(web.base_url)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
    # 3: finished, though the demo plants pages that cannot be checked
    assert done.returncode == 3, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "loaded: []"
