"""A weekly batch at agency scale: generated businesses searched on every source, then the same
batch interrupted half-way (SIGINT, as Ctrl-C sends) and resumed.

    .venv/bin/python bench/batch.py                       # 1,000 businesses x every source
    .venv/bin/python bench/batch.py --businesses 100 --sources yellowpages,bbb,website

A local server on 127.0.0.1 (napaudit.sampleweb.generated) lists every generated business on every
source, each source answering in its own markup (the sample web's search-page templates, mock
APIs in their real response shapes) with JSON-LD listing pages. `napaudit batch` runs as a
user runs it, in its own process, with the default politeness except the delay (`--delay 0`:
it is our own server). Printed: wall time, requests and requests/s (counted by the server),
peak memory of the batch process, and whether the interrupted-and-resumed run stored exactly
what the uninterrupted one did.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import memory  # noqa: E402 - bench/memory.py, beside this file
from napaudit.sampleweb.generated import (  # noqa: E402
    GeneratedWeb,
    answerable_sources,
    businesses,
    keys_env,
    stored,
    write_clients,
)
from napaudit.sampleweb.middleware import cli_args  # noqa: E402
from napaudit.sampleweb.server import serving  # noqa: E402


def run_batch(web, clients: Path, db: Path, sources: list[str], *more: str, cut_after=None):
    """Run `napaudit batch`; with cut_after=N, send SIGINT once the server has answered N
    requests of this run.

    Returns (exit code, seconds, requests the server answered, peak RSS in MB). Linux carries a
    process's peak RSS over fork and exec, so that figure is at least this bench's own resident
    memory when it starts the batch (printed beside it)."""
    hits, started = len(web.hits), time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "napaudit", "batch", str(clients), "--sources", ",".join(sources),
         "--db", str(db), "--delay", "0", "--timeout", "20", "--report", str(db.parent / "report"),
         *cli_args(web.base_url), *more],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **keys_env()},
    )  # fmt: skip
    if cut_after is not None:
        watch = threading.Thread(target=_interrupt, args=(child, web, hits + cut_after))
        watch.start()
    last: list[str] = []
    for line in child.stderr:  # a line per business: read, so that the pipe never fills
        last = [*last[-4:], line.rstrip()]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 130):
        print("\n".join(last))  # what the batch said last: why it failed
    return child.returncode, seconds, len(web.hits) - hits, usage.ru_maxrss / 1024


def _interrupt(child: subprocess.Popen, web, at: int) -> None:
    while child.poll() is None and len(web.hits) < at:
        time.sleep(0.02)
    if child.poll() is None:
        child.send_signal(signal.SIGINT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=1000)
    parser.add_argument("--sources", help="comma-separated ids (default: every answerable one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per answer")
    parser.add_argument("--no-resume-check", action="store_true")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a crawl setting passed on to napaudit batch (e.g. to compare)",
    )
    args = parser.parse_args()
    more = [arg for setting in args.set for arg in ("--set", setting)]

    sources = args.sources.split(",") if args.sources else answerable_sources()
    generated = businesses(args.businesses)
    with tempfile.TemporaryDirectory(prefix="napaudit-bench-") as tmp:
        folder = Path(tmp)
        clients = write_clients(folder / "clients.csv", generated)
        with serving(GeneratedWeb(generated, sources, latency=args.latency)) as web:
            print(f"{args.businesses:,} businesses x {len(sources)} sources: {', '.join(sources)}")
            (folder / "whole").mkdir()
            floor = (memory.status_kib("VmRSS") or 0) / 1024  # the bench's own, now
            code, seconds, requests, peak = run_batch(web, clients, folder / "whole" / "a.db",
                                                      sources, *more)  # fmt: skip
            if code != 0:
                print(f"the batch failed (exit {code})")
                return 1
            whole = stored(folder / "whole" / "a.db")
            print(f"uninterrupted: {seconds:,.1f} s wall, {requests:,} requests, "
                  f"{requests / seconds:,.0f} requests/s, {len(whole[0]):,} listings, "
                  f"{len(whole[1]):,} findings, peak memory {peak:,.0f} MB"
                  + (f" (never below this bench's own {floor:,.0f} MB, which Linux counts in)"
                     if floor else ""))  # fmt: skip
            if args.no_resume_check:
                return 0
            (folder / "cut").mkdir()
            cut_db = folder / "cut" / "a.db"
            code, s1, r1, _ = run_batch(web, clients, cut_db, sources, *more,
                                        cut_after=requests // 2)  # fmt: skip
            kept = len(stored(cut_db)[0])
            print(f"interrupted half-way: exit {code} after {s1:,.1f} s, {r1:,} requests, "
                  f"{kept:,} listings kept")  # fmt: skip
            code, s2, r2, _ = run_batch(web, clients, cut_db, sources, *more, "--resume")
            again = stored(cut_db)
            same = again == whole
            print(f"resumed: exit {code} after {s2:,.1f} s, {r2:,} requests; stored results "
                  f"{'identical to' if same else 'DIFFERENT FROM'} the uninterrupted run "
                  f"({len(again[0]):,} listings, {len(again[1]):,} findings)")  # fmt: skip
            return 0 if same and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
