"""Time and peak memory of spiders.extract on a page listing a great many businesses: one JSON-LD
@graph (generated), as a directory's data dump would show them.

    .venv/bin/python bench/bigpage.py                    # 100,000 businesses, limit 1000
    .venv/bin/python bench/bigpage.py --sizes 10000 100000 --limit 0

Each business has a name, a street address, a city, a state, a ZIP and a phone; one in ten is
listed twice (the same record again, as pages repeat a featured listing), so deduplication has
work to do. Every size runs in a fresh process, so its peak memory (the process's maximum
resident set, which includes the interpreter and the page's text, read from a file the parent
wrote) is its own; the figure in brackets is what the extraction added to it. `--limit 0`
keeps every business (extract's limit=None).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import memory  # noqa: E402 - bench/memory.py, beside this file
from napaudit.spiders.extract import extract  # noqa: E402 - after the path set-up above

# Area codes and exchanges of real US shape, so that every phone is a valid number.
_AREAS = (212, 312, 415, 512, 617, 702, 808, 907)


def page(size: int) -> str:
    graph = []
    for i in range(size):
        graph.append(
            {
                "@type": "Restaurant",
                "@id": f"#b{i}",
                "name": f"Business {i}",
                "telephone": f"({_AREAS[i % 8]}) {200 + i // 8 % 800:03d}-{i % 10000:04d}",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": f"{i + 1} Main St",
                    "addressLocality": "Springfield",
                    "addressRegion": "IL",
                    "postalCode": "62701",
                },
            }
        )
        if i % 10 == 0:
            graph.append(dict(graph[-1]))
    data = json.dumps({"@context": "https://schema.org", "@graph": graph})
    return (
        f'<html><head><script type="application/ld+json">{data}</script></head>'
        "<body><h1>Every restaurant</h1></body></html>"
    )


def measure(path: Path, size: int, limit: int | None) -> None:
    """One page, in this process: prints one line."""
    html = path.read_text(encoding="utf-8")
    extract("<p>1 Main St, Springfield, IL 62701</p>")  # imports and the ZIP index, untimed
    before = memory.own_peak_kib()  # the child's own: the parent held the whole page
    start = time.perf_counter()
    found = extract(html, "https://dir.example/all", limit=limit)
    elapsed = time.perf_counter() - start
    peak = memory.own_peak_kib()
    print(
        f"{size:>8,} businesses ({len(html) / 2**20:5.1f} MB page): {elapsed:6.2f} s, "
        f"{len(found):,} returned, {found.left_out:,} left out, "
        f"peak RSS {peak / 1024:5.0f} MB ({(peak - before) / 1024:+.0f} MB during extract)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--limit", type=int, default=1000, help="0: no limit")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # a child's page and size
    args = parser.parse_args()
    if args.one:
        measure(Path(args.one[0]), int(args.one[1]), args.limit or None)
        return
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            # written here, read by the child: generating the page would set its peak memory
            path = Path(folder) / f"{size}.html"
            path.write_text(page(size), encoding="utf-8")
            command = [sys.executable, __file__, "--one", str(path), str(size)]
            subprocess.run([*command, "--limit", str(args.limit)], check=True)


if __name__ == "__main__":
    main()
