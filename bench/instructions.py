"""Instructions a page and a listing cost, this checkout against an earlier revision: counted,
not timed.

    .venv/bin/python bench/instructions.py --rev 39cd89c           # pages and listings
    .venv/bin/python bench/instructions.py --rev HEAD~1 --what page

On this project's shared machine a run's time moves by up to 1.5 times within minutes, and even
two builds timed at the same moment on a core each (bench/paired.py) differ by 10 % from round
to round: a change of a few percent does not show. Valgrind's cachegrind counts the machine
instructions a process runs, the same to within a few in a million from one run to the next
(with PYTHONHASHSEED fixed), whatever else the machine does. Each workload runs twice per build,
with a few units to warm up (imports, caches, lazily loaded tables) and with those plus N more;
the difference over N is what one more unit costs.

- page: what the page worker does with one bench/crawl.py page: its client normalized, the page
  read (bot walls, extraction), its business normalized, identified and judged, and the rows
  stored for it (`spiders.pagework.read_page`, `page_rows`). The pages are generated before
  either count starts, so making them is not counted.
- listing: `napaudit compare` of bench/compare.py's listings against 500 businesses, serial
  (below `PARALLEL_FROM`, 5,000, compare judges in its own process; checked at the start, as
  cachegrind counts no forked worker): reading, normalizing, identifying, judging, writing JSON
  Lines and storing in SQLite.

An instruction count is not a time: a cache miss or a mispredicted branch costs more than an
instruction. For the interpreter's work, which most of napaudit's is, it follows the time
closely, and it resolves differences that no timing here does. Needs valgrind (Debian's
`valgrind`; `make bench-tools` installs it). A run takes a few minutes: valgrind runs Python
about 50 times slower.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import compare as compare_bench  # noqa: E402 - bench/compare.py, beside this file
import paired  # noqa: E402 - bench/paired.py: how an earlier revision is installed

WORKLOADS = {  # name: (units to warm up, units counted, what a unit is)
    "page": (30, 100, "page"),
    "listing": (200, 2000, "listing"),
}
BUSINESSES = 500

PAGE = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import crawl as bench
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.records import read_records
from napaudit.auditor.store import content_version
from napaudit.spiders.pagework import page_rows, read_page
count, most = int(sys.argv[2]), int(sys.argv[3])
with tempfile.TemporaryDirectory() as folder:  # the same inputs for either count
    clients, _ = bench.inputs(Path(folder), "http://127.0.0.1:8000", most)
    records = read_records(str(clients), "canonical")[0]
versions = [content_version(record) for record in records]
pages = [bench.page(i).decode() for i in range(most)]
for i in range(count):
    url = f"http://127.0.0.1:8000/biz/{i}"
    client = normalize_record(records[i])
    outcome, reason, found, _ = read_page(200, pages[i], url, None)
    outcome, rows = page_rows(client, versions[i], found, "yelp", url, outcome, reason,
                              "2026-12-03T00:00:00+00:00", "")
    assert rows, (i, outcome, reason)
    client.as_dict()
"""

LISTING = """
import sys
from napaudit.cli import cli
cli(["compare", *sys.argv[1:]], standalone_mode=False)
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


class Failed(Exception):
    """A run under valgrind that ended badly: the message says which build and why."""


def count(code: str, args: list[str], base: Path | None, cwd: Path) -> int:
    """Instructions the Python process running `code` executes, under cachegrind."""
    env = paired.environment(base)
    env["PYTHONHASHSEED"] = "0"  # set and dict orders, and so the work, the same every run
    run = paired.started(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
    )  # fmt: skip
    _, err = run.communicate()
    found = _REFS.search(err)
    if run.returncode != 0 or not found:
        who = "the earlier revision" if base else "this checkout"
        raise Failed(f"{who} failed under valgrind:\n{err[-3000:]}")
    return int(found.group(1).replace(",", ""))


def listing_inputs(folder: Path, warm: int, most: int) -> dict[int, list[str]]:
    """compare's arguments for `warm` and for `most` listings: the first file is the head of
    the second, against the same businesses."""
    folder.mkdir()
    canonical, listings = compare_bench.generate(folder, BUSINESSES, most)
    head = folder / "head.csv"
    with listings.open(newline="") as source, head.open("w", newline="") as out:
        rows = csv.reader(source)
        writer = csv.writer(out)
        for n, row in enumerate(rows):
            if n > warm:
                break
            writer.writerow(row)
    return {warm: [str(canonical), str(head)], most: [str(canonical), str(listings)]}


def jobs(what: str, folder: Path, bases: dict[str, Path | None],
         listing_args: dict[int, list[str]]) -> list[tuple]:  # fmt: skip
    """(workload, build, units, code, args, base, cwd) for each run the workload needs."""
    warm, counted, _ = WORKLOADS[what]
    most = warm + counted
    out = []
    for build, base in bases.items():
        for units in (warm, most):
            where = folder / f"{what}-{build}-{units}"
            where.mkdir()
            if what == "page":
                code, args = PAGE, [str(BENCH), str(units), str(most)]
            else:
                code = LISTING
                args = [*listing_args[units], "--out", str(where / "out.jsonl"),
                        "--db", str(where / "compare.db")]  # fmt: skip
            out.append((what, build, units, code, args, base, where))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="the earlier revision (git)")
    parser.add_argument("--what", default="page,listing", help="page, listing or both")
    args = parser.parse_args()
    what = [w.strip() for w in args.what.split(",") if w.strip()]
    unknown = [w for w in what if w not in WORKLOADS]
    if unknown or not what:
        print(f"--what: {', '.join(unknown) or 'nothing'} unknown; choose from "
              f"{', '.join(WORKLOADS)}", file=sys.stderr)  # fmt: skip
        sys.exit(2)
    from napaudit.auditor.audit import PARALLEL_FROM

    warm, counted, _ = WORKLOADS["listing"]
    if "listing" in what and warm + counted >= PARALLEL_FROM:  # cachegrind counts no child
        sys.exit(f"the listing workload needs fewer than {PARALLEL_FROM} listings to run serially")
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: `make bench-tools` installs it (Debian's valgrind)",
              file=sys.stderr)  # fmt: skip
        sys.exit(2)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"building {args.rev} into a temporary folder...", flush=True)
        bases = {"earlier": paired.build_base(args.rev, folder), "this": None}
        listing_args = {}
        if "listing" in what:
            warm, counted, _ = WORKLOADS["listing"]
            listing_args = listing_inputs(folder / "inputs", warm, warm + counted)
        runs = [job for w in what for job in jobs(w, folder, bases, listing_args)]
        cores = max(1, len(os.sched_getaffinity(0)))
        print(f"{len(runs)} runs under valgrind, {min(cores, len(runs))} at a time...", flush=True)
        with ThreadPoolExecutor(max_workers=cores) as pool:
            try:
                counts = list(pool.map(lambda job: count(*job[3:]), runs))
            except Failed as failure:  # end the runs beside it rather than wait minutes for them
                pool.shutdown(wait=False, cancel_futures=True)
                paired.end_started()
                sys.exit(str(failure))
        results = {job[:3]: n for job, n in zip(runs, counts, strict=True)}
    for w in what:
        warm, counted, unit = WORKLOADS[w]
        per = {
            build: (results[(w, build, warm + counted)] - results[(w, build, warm)]) / counted
            for build in ("earlier", "this")
        }
        ratio = per["this"] / per["earlier"]
        print(json.dumps({"rev": args.rev, "what": w, "counted": counted,
                          f"earlier_instructions_per_{unit}": round(per["earlier"]),
                          f"this_instructions_per_{unit}": round(per["this"]),
                          "ratio": round(ratio, 4)}))  # fmt: skip
        print(f"{w}: this checkout runs {per['this'] / 1e6:.3f} M instructions a {unit}, "
              f"{args.rev} {per['earlier'] / 1e6:.3f} M: {ratio:.4f} of it (counted over "
              f"{counted} {unit}s after {warm} to warm up)")  # fmt: skip


if __name__ == "__main__":
    main()
