"""Time the commands that read a whole stored run: report (json, csv, html), changes, rejudge.

    .venv/bin/python bench/reading.py                     # bench/compare.py's 10k x 100k run
    .venv/bin/python bench/reading.py --scale 0.1         # a tenth of it, for a quick look
    .venv/bin/python bench/reading.py --rev 579f658       # that revision beside this checkout

Stores bench/compare.py's generated businesses and listings with `napaudit compare`, twice (so
that `changes` has a run to compare with), then times each command on that database, each in
its own process, and prints its wall time, its CPU and the process's peak memory. An agency's
few hundred clients are a small fraction of this size; the point is how the reading side grows.

With `--rev`, that revision is installed alone into a temporary folder (as bench/paired.py
does) and the two builds take turns on the same database, `--repeat` rounds (default 3); the
line gives each build's median and their ratio (below 1: this checkout is faster). The machine
is shared: read a ratio within a few percent of 1 as no difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import compare as compare_bench  # noqa: E402 - bench/compare.py, beside this file
import memory  # noqa: E402 - bench/memory.py: each step's own peak
import paired  # noqa: E402 - bench/paired.py: a revision installed alone, its environment

RUN = (
    memory.IMPORT
    + """
import resource, sys, time
from napaudit.cli import cli
start, cpu = time.perf_counter(), time.process_time()
cli(sys.argv[1:], standalone_mode=False)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, cpu + children.ru_utime + children.ru_stime, own_peak_kib(), file=sys.stderr)
"""
)

COMMANDS = {
    "report --format json": ["report", "--format", "json"],
    "report --format csv": ["report", "--format", "csv"],
    "report (html)": ["report"],
    "changes": ["changes"],
    "rejudge": ["rejudge"],
}


def timed(args: list[str], base: Path | None, cwd: Path) -> tuple[float, float, int]:
    """(seconds, CPU-s, peak memory in KB) of one napaudit command in a process of its own."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True,
                          cwd=cwd, env=paired.environment(base))  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    seconds, cpu, kb = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(cpu), int(kb)


def one(name: str, db: Path, folder: Path, base: Path | None, side: str) -> tuple:
    if name == "rejudge":  # a new run each time: judged on a copy, so every round reads the same
        db = shutil.copyfile(db, folder / f"rejudge-{side}.db")
    args = [*COMMANDS[name], "--db", str(db)]
    if name.startswith("report"):
        args += ["--out", str(folder / f"report-{side}")]
    return timed(args, base, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 10k x 100k")
    parser.add_argument("--rev", help="an earlier revision, timed in turns with this checkout")
    parser.add_argument("--repeat", type=int, default=3, help="rounds with --rev")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat: {args.repeat} rounds; at least 1")
    n_b, n_l = int(10_000 * args.scale), int(100_000 * args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        canonical, listings = compare_bench.generate(folder, n_b, n_l)
        db = folder / "bench.db"
        for _ in range(2):
            timed(["compare", str(canonical), str(listings), "--out", str(folder / "out.jsonl"),
                   "--db", str(db)], None, folder)  # fmt: skip
        base = paired.build_base(args.rev, folder / "rev") if args.rev else None
        rounds = args.repeat if base else 1
        for name in COMMANDS:
            mine, theirs = [], []
            for _ in range(rounds):  # in turns, so that a busy moment hits both builds
                mine.append(one(name, db, folder, None, "this"))
                if base:
                    theirs.append(one(name, db, folder, base, "rev"))
            line = {"command": f"napaudit {name}", "businesses": n_b, "listings": n_l,
                    "seconds": round(statistics.median(m[0] for m in mine), 2),
                    "cpu_s": round(statistics.median(m[1] for m in mine), 2),
                    "peak_memory_mb": round(max(m[2] for m in mine) / 1024)}  # fmt: skip
            if base:
                line |= {"rev": args.rev,
                         "rev_seconds": round(statistics.median(t[0] for t in theirs), 2),
                         "rev_peak_memory_mb": round(max(t[2] for t in theirs) / 1024),
                         "ratio": round(statistics.median(m[0] for m in mine)
                                        / statistics.median(t[0] for t in theirs), 3),
                         "rounds": rounds}  # fmt: skip
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
