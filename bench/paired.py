"""This checkout against an earlier revision, both measured at the same moment, one per core.

    .venv/bin/python bench/paired.py --rev df543b6              # crawl and compare, 6 rounds
    .venv/bin/python bench/paired.py --rev HEAD~1 --what compare --rounds 8

On this project's shared machine a whole run's speed moves by up to 1.5 times within minutes,
so two builds timed one after the other differ by more than most changes do. Here each round
runs both builds at once, each pinned to a core of its own, and swaps the cores every round
(one core may be busier than the other): a busy moment slows both. The figure is the median,
over the rounds, of this checkout's time divided by the earlier revision's (below 1: faster).

- crawl: `napaudit audit` of 1,000 bench/crawl.py pages from a server pinned to the same core.
  On one core napaudit runs without its page worker, so each page's whole work (fetch,
  extract, normalize, judge, store) is in the one process: the figure is the CPU a page needs,
  not the two-core rate bench/crawl.py reports.
- compare: `napaudit compare` of 25,000 of bench/compare.py's listings against 2,500
  businesses, serial (compare judges in its own process when it has one core).

Each round still varies by several percent: `--rev HEAD` (the same code on both sides) gave a
median of 0.999 over 4 rounds, 0.903-1.089 (2026-12-03). Use 6 rounds or more, and read a
median within a few percent of 1 as no difference. For a smaller change, bench/instructions.py
counts the instructions a page and a listing cost instead of timing them.

The earlier revision is checked out with `git worktree` and installed with `pip install
--no-deps --target` into a temporary folder, both removed at the end. It must take the same
command lines as this checkout. With fewer than two cores the builds run one after the other,
alternating, and the line says so.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import compare as compare_bench  # noqa: E402 - bench/compare.py, beside this file
import crawl as crawl_bench  # noqa: E402 - bench/crawl.py

PAGES, BUSINESSES, LISTINGS = 1000, 2500, 25000
_STARTED: list[subprocess.Popen] = []  # ended at exit, so that a failed round leaves no server


@atexit.register
def end_started() -> None:
    """Kill every process `started` began that is still running."""
    for process in _STARTED:
        if process.poll() is None:
            process.kill()
            process.wait()


def started(args: list[str], **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(args, **kwargs)
    _STARTED.append(process)
    return process


SERVER = """
import sys
from http.server import ThreadingHTTPServer
sys.path.insert(0, sys.argv[1])
import crawl
ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", 0), crawl.Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""

COMPARE = """
import sys, time
from napaudit.cli import cli
start, cpu = time.perf_counter(), time.process_time()
cli(["compare", *sys.argv[1:]], standalone_mode=False)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def pinned(core: int | None):
    return (lambda: os.sched_setaffinity(0, {core})) if core is not None else None


def build_base(rev: str, folder: Path) -> Path:
    """The revision installed alone into `folder`/base: what PYTHONPATH points the base at."""
    source, target = folder / "source", folder / "base"
    checkout = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet",
                               str(source), rev], capture_output=True, text=True)  # fmt: skip
    if checkout.returncode != 0:
        print(f"--rev {rev}: could not check it out in {ROOT}: {checkout.stderr.strip()}",
              file=sys.stderr)  # fmt: skip
        sys.exit(2)  # bad input
    try:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(target), str(source)], check=True)  # fmt: skip
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(source)],
                       check=True)  # fmt: skip
    return target


def environment(base: Path | None) -> dict:
    env = dict(os.environ)
    if base is not None:
        env["PYTHONPATH"] = str(base)
    else:
        env.pop("PYTHONPATH", None)
    return env


def crawl_job(folder: Path, base: Path | None, core: int | None, round_no: int):
    """Start a server and napaudit's crawl of it, both on `core`; returns a finisher."""
    server = started([sys.executable, "-c", SERVER, str(BENCH)], stdout=subprocess.PIPE,
                              text=True, preexec_fn=pinned(core))  # fmt: skip
    port = int(server.stdout.readline())
    where = folder / f"crawl-{'base' if base else 'this'}-{round_no}"
    where.mkdir()
    clients, urls = crawl_bench.inputs(where, f"http://127.0.0.1:{port}", PAGES)
    crawl = started(
        [sys.executable, "-c", crawl_bench.NAPAUDIT, str(clients), str(urls),
         str(where / "audit.db"), str(crawl_bench.CONCURRENCY)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=where,
        env=environment(base), preexec_fn=pinned(core),
    )  # fmt: skip

    def finish() -> float:
        out, err = crawl.communicate()
        server.terminate()
        server.wait()
        if crawl.returncode != 0:
            sys.exit(f"the crawl ({'base' if base else 'this checkout'}) failed:\n{err[-2000:]}")
        seconds, items, _ = out.strip().splitlines()[-1].split()
        if int(items) != PAGES:
            sys.exit(f"the crawl stored {items} of {PAGES} pages")
        return float(seconds)

    return finish


def compare_job(inputs: tuple[Path, Path], folder: Path, base: Path | None, core: int | None,
                round_no: int):  # fmt: skip
    where = folder / f"compare-{'base' if base else 'this'}-{round_no}"
    where.mkdir()
    canonical, listings = inputs
    job = started(
        [sys.executable, "-c", COMPARE, str(canonical), str(listings), "--out",
         str(where / "out.jsonl"), "--db", str(where / "compare.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=where,
        env=environment(base), preexec_fn=pinned(core),
    )  # fmt: skip

    def finish() -> float:
        out, err = job.communicate()
        if job.returncode != 0:
            sys.exit(f"compare ({'base' if base else 'this checkout'}) failed:\n{err[-2000:]}")
        return float(out.strip().splitlines()[-1].split()[0])

    return finish


def paired(start, rounds: int, base: Path, cores: list[int]) -> list[tuple[float, float]]:
    """(base seconds, this checkout's seconds) per round, both at once when there are 2 cores."""
    times = []
    for r in range(rounds):
        if len(cores) >= 2:
            a, b = (cores[0], cores[1]) if r % 2 == 0 else (cores[1], cores[0])
            finish_base, finish_this = start(base, a, r), start(None, b, r)
            times.append((finish_base(), finish_this()))
        else:  # one core: one after the other, the order alternating
            if r % 2 == 0:
                first = start(base, None, r)()
                times.append((first, start(None, None, r)()))
            else:
                this = start(None, None, r)()
                times.append((start(base, None, r)(), this))
        base_s, this_s = times[-1]
        print(f"  round {r + 1}: earlier {base_s:.2f} s, this checkout {this_s:.2f} s, "
              f"ratio {this_s / base_s:.3f}", flush=True)  # fmt: skip
    return times


def summary(name: str, times: list[tuple[float, float]], unit: int, per: str) -> dict:
    ratios = [this / base for base, this in times]
    return {
        "what": name,
        "rounds": len(times),
        "median_ratio": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        f"earlier_{per}": round(statistics.median(unit / base for base, _ in times)),
        f"this_{per}": round(statistics.median(unit / this for _, this in times)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="the earlier revision (git), e.g. HEAD~1")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--what", default="crawl,compare", help="crawl, compare or both")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"--rounds: {args.rounds}; at least 1")
    what = [w.strip() for w in args.what.split(",") if w.strip()]
    unknown = set(what) - {"crawl", "compare"}
    if unknown:
        parser.error(f"--what: unknown {', '.join(sorted(unknown))} (crawl, compare)")
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    how = ("both at once, one per core, swapped each round" if len(cores) >= 2
           else "one after the other (fewer than two cores)")  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"building {args.rev} into a temporary folder...", flush=True)
        base = build_base(args.rev, folder)
        if "crawl" in what:
            print(f"crawl, {PAGES} pages a run, {how}:", flush=True)
            times = paired(lambda b, c, r: crawl_job(folder, b, c, r), args.rounds, base, cores)
            results.append(summary("crawl", times, PAGES, "pages_per_s"))
        if "compare" in what:
            data = folder / "compare-data"
            data.mkdir()
            inputs = compare_bench.generate(data, BUSINESSES, LISTINGS)
            print(f"compare, {LISTINGS} listings a run, serial, {how}:", flush=True)
            times = paired(lambda b, c, r: compare_job(inputs, folder, b, c, r), args.rounds,
                           base, cores)  # fmt: skip
            results.append(summary("compare", times, LISTINGS, "listings_per_s"))
    for result in results:
        print(json.dumps({"rev": args.rev, **result}))
    for result in results:
        print(f"{result['what']}: this checkout takes {result['median_ratio']} of the time "
              f"{args.rev} takes (median of {result['rounds']} rounds, "
              f"{min(result['ratios'])}-{max(result['ratios'])}; {how})")  # fmt: skip


if __name__ == "__main__":
    main()
