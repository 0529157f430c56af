"""Memory and time reading a large input file with the streaming reader.

    .venv/bin/python bench/input.py               # a 1 GB CSV (10^9 bytes)
    .venv/bin/python bench/input.py --mb 200 --format jsonl

Generates a file of business records in a fresh folder under /tmp (every row distinct, so that
the duplicate check keeps every key), reads it with `auditor.records.iter_records` in a child
process, and prints the child's peak resident memory (RSS) next to that of a child that only
imports the reader. The file is deleted at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import memory  # bench/memory.py, beside this file: the reader's own peak

HEADER = ["id", "name", "address", "address2", "city", "state", "zip", "phone", "website",
          "hours"]  # fmt: skip

READ = (
    memory.IMPORT
    + """
import resource, sys, time
from napaudit.auditor.records import iter_records, RowProblem
start, records, problems = time.perf_counter(), 0, 0
if sys.argv[1] != "-":
    for item in iter_records(sys.argv[1], "canonical"):
        if isinstance(item, RowProblem):
            problems += 1
        else:
            records += 1
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime  # the wall time includes waiting for a busy CPU
print(records, problems, time.perf_counter() - start, cpu, own_peak_kib())
"""
)


def row(i: int) -> list[str]:
    return [f"b{i}", f"Harbor Lane Dental {i}", f"{i % 9000 + 100} Harbor Blvd", "Suite 210",
            "Costa Mesa", "CA", f"{92600 + i % 99:05d}", f"(714) 555-{i % 10000:04d}",
            f"https://harbor{i}.example/", "Mo-Fr 08:00-17:00"]  # fmt: skip


def generate(path: Path, size: int, fmt: str) -> int:
    """Rows until the file holds `size` bytes; returns how many."""
    n, written = 0, 0
    with path.open("w", encoding="utf-8", newline="") as f:
        if fmt == "csv":
            written += f.write(",".join(HEADER) + "\n")
        while written < size:
            lines = []
            for i in range(n, n + 10_000):
                values = row(i)
                if fmt == "csv":
                    lines.append(",".join(f'"{v}"' if "," in v else v for v in values))
                else:
                    lines.append(json.dumps(dict(zip(HEADER, values, strict=True))))
            n += len(lines)
            written += f.write("\n".join(lines) + "\n")
    return n


def child(path: str) -> tuple[int, int, float, float, float]:
    done = subprocess.run([sys.executable, "-c", READ, path], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    records, problems, seconds, cpu, peak_kib = done.stdout.split()
    return int(records), int(problems), float(seconds), float(cpu), int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1000, help="file size in MB (10^6 bytes)")
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="napaudit-bench-input-", dir="/tmp"))
    try:
        path = folder / f"clients.{args.format}"
        started = time.perf_counter()
        rows = generate(path, args.mb * 10**6, args.format)
        size = path.stat().st_size
        print(f"generated {size:,} bytes, {rows:,} rows in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)  # fmt: skip
        *_, base = child("-")
        records, problems, seconds, cpu, peak = child(str(path))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert records == rows and problems == 0, (records, problems, rows)
    result = {"format": args.format, "bytes": size, "records": records,
              "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
              "records_per_cpu_s": round(records / cpu),
              "peak_rss_mb": round(peak), "import_only_rss_mb": round(base)}  # fmt: skip
    print(json.dumps(result))
    print(f"read {size / 1e9:.2f} GB ({records:,} records) in {seconds:.0f} s ({cpu:.0f} s of "
          f"CPU): peak RSS {peak:.0f} MB, of which {base:.0f} MB is Python with the reader "
          "imported")  # fmt: skip


if __name__ == "__main__":
    main()
