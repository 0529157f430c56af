"""spiders.extract on real pages: the labelled values recovered on the 51 "contact us" pages (the
held-out half first: tests/test_extract_realdata.py says how the pages are split and scored),
pages per second over them, the time a page of bench/crawl.py takes, and the time each
directory page takes.

    .venv/bin/python bench/extract.py              # the figures, then 5 timed rounds
    .venv/bin/python bench/extract.py --rounds 1

The pages are read into memory first, so the figure is the extraction alone (decoding, parsing,
extruct where the page carries markup, text). One-time costs are paid before timing (imports,
the zipcodes index, ~0.8 s). The first round is the figure for pages never seen before; later
rounds reuse the memoized usaddress and phone parses of the same strings, as a re-crawl would.
Needs ../shared/realdata (or NAPAUDIT_REALDATA).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))  # the split and the scoring live beside their test

from napaudit.spiders.extract import extract  # noqa: E402 - after the path set-up above
from test_extract_realdata import read_contact_pages, table  # noqa: E402

REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages_dir = REALDATA / "pages"
    if not pages_dir.exists():
        sys.exit(f"real data not present: {pages_dir}")

    os.environ.setdefault("NAPAUDIT_REALDATA", str(REALDATA))
    print("labelled values recovered, per page (metrics: see tests/test_extract_realdata.py)")
    print(table(read_contact_pages()), end="\n\n")

    contact = [p.read_bytes() for p in sorted((pages_dir / "us-contact-pages/source").glob("*"))]
    extract("<p>1 Main St, Springfield, IL 62701</p>")  # imports and the ZIP index, untimed
    size = sum(map(len, contact)) / len(contact) / 1024
    print(f"{len(contact)} contact pages, {size:.0f} KB on average")
    for round_ in range(args.rounds):
        start = time.perf_counter()
        found = sum(len(extract(html)) for html in contact)
        elapsed = time.perf_counter() - start
        label = "first round (new pages)" if round_ == 0 else f"round {round_ + 1} (seen pages)"
        print(f"  {label:26} {len(contact) / elapsed:6.1f} pages/s  ({found} businesses)")

    # The crawl bench's pages (bench/crawl.py: JSON-LD in an 18 KB page), each read at its URL as
    # the crawl reads it: what a page's extraction costs in that bench's page worker.
    sys.path.insert(0, str(ROOT / "bench"))
    from crawl import page  # noqa: PLC0415 - bench/ is not a package

    generated = [(page(i), f"http://127.0.0.1:8000/biz/{i}") for i in range(300)]
    best = float("inf")
    for _ in range(max(args.rounds, 1)):
        start = time.perf_counter()
        for html, url in generated:
            extract(html, url)
        best = min(best, time.perf_counter() - start)
    print(
        f"{len(generated)} pages of bench/crawl.py at their URLs: "
        f"{best / len(generated) * 1e6:.0f} us a page (best of {max(args.rounds, 1)} rounds)"
    )

    for path in sorted((pages_dir / "directories").glob("*.html")):
        html = path.read_bytes()
        start = time.perf_counter()
        found = extract(html)
        elapsed = time.perf_counter() - start
        print(f"{path.name}: {len(html) / 1024:.0f} KB, {len(found)} businesses, "
              f"{elapsed * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
