"""How many real category strings napaudit understands, per vocabulary (study / held-out halves).

Every distinct category string written by third parties in ../shared/realdata is read, split
into a study half and a held-out half by a hash of the vocabulary and the string alone (fixed
before any string was studied), and normalized. "Understood" means read onto a concept, a group
or a known generic type; "unknown" strings are the ones napaudit cannot tell anything from.

    .venv/bin/python bench/categories.py                    # held-out half, per vocabulary
    .venv/bin/python bench/categories.py --half study --show  # study half, with every unknown
    .venv/bin/python bench/categories.py --sample 60        # held-out readings, to check by hand
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
from collections import Counter
from pathlib import Path

from napaudit.auditor.normalize.categories import read_term

ROOT = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")


def half(vocabulary: str, text: str) -> str:
    digest = hashlib.sha1(f"{vocabulary}\0{text}".encode()).digest()
    return "study" if digest[0] % 2 == 0 else "heldout"


def overture() -> set[str]:
    import duckdb

    path = REALDATA / "opendata/overture/terraforma_project_c_samples_US_open_closed.parquet"
    rows = duckdb.execute(
        "SELECT categories.primary, categories.alternate FROM read_parquet(?)", [str(path)]
    ).fetchall()
    return {c for p, alts in rows for c in [p, *(alts or [])] if c}


def foursquare_labels() -> set[str]:
    """Foursquare OS Places' labels ('Dining and Drinking > Restaurant > Sushi Restaurant'); a
    row's list is printed '[a, b]', and a label may hold a comma: the ids say how many there are."""
    import csv

    path = REALDATA / "opendata/fsq-os-places/datadash_fsq_os_places_10k_dt2024-11-19.csv"
    out: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ids = [i for i in row["fsq_category_ids"].strip("[]").split(", ") if i]
            parts = [p for p in row["fsq_category_labels"].strip("[]").split(", ") if p]
            labels: list[str] = []
            for part in parts:
                if labels and len(labels) + (len(parts) - parts.index(part)) > len(ids):
                    if " > " not in part:
                        labels[-1] += ", " + part
                        continue
                labels.append(part)
            out.update(labels)
    return out


def _texts(*folders: str) -> list[str]:
    out = []
    for folder in folders:
        for path in sorted((REALDATA / folder).rglob("*")):
            if path.is_file() and path.suffix in (".json", ".js", ".jsx", ".ts", ".md", ".py"):
                out.append(path.read_text(encoding="utf-8", errors="replace"))
    return out


def google_types() -> set[str]:
    out: set[str] = set()
    for text in _texts("api/google-places-api", "realweb/api/google_places"):
        for block in re.findall(r'"types"\s*:\s*\[([^\]]*)\]', text):
            out.update(re.findall(r'"([a-z0-9_]+)"', block))
        for name in re.findall(
            r'"primaryTypeDisplayName"\s*:\s*\{[^}]*"text"\s*:\s*"([^"]+)"', text
        ):
            out.add(name)
    return out


def yelp_titles() -> set[str]:
    out: set[str] = set()
    for text in _texts("api/yelp-fusion-api", "realweb/api/yelp", "realweb/api/yelp-fusion"):
        for alias, title in re.findall(
            r'"alias"\s*:\s*"([^"]+)"\s*,\s*"title"\s*:\s*"([^"]+)"', text
        ):
            out.update((alias, title))
    return out


def foursquare_api() -> set[str]:
    out: set[str] = set()
    for text in _texts("realweb/api/foursquare_new", "realweb/api/foursquare_v3"):
        for block in re.findall(r'"categories"\s*:\s*\[(.*?)\]\s*[,}]', text, re.S):
            out.update(re.findall(r'"name"\s*:\s*"([^"]+)"', block))
    return out


def azure_categories() -> set[str]:
    out: set[str] = set()
    for text in _texts("realweb/api/azure_maps", "realweb/api/azure-maps"):
        for block in re.findall(r'"categories"\s*:\s*\[([^\]]*)\]', text):
            out.update(re.findall(r'"([^"]+)"', block))
    return out


def schemaorg_types() -> set[str]:
    """@type of the JSON-LD objects that carry an address or a phone: businesses and places."""
    out: set[str] = set()
    for path in sorted((REALDATA / "pages").rglob("*.htm*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for block in re.findall(r"<script[^>]*ld\+json[^>]*>(.*?)</script>", text, re.S):
            try:
                _walk(json.loads(block), out)
            except ValueError:
                continue
    return out


def _walk(data: object, out: set[str]) -> None:
    if isinstance(data, list):
        for item in data:
            _walk(item, out)
    elif isinstance(data, dict):
        if "address" in data or "telephone" in data:
            kinds = data.get("@type")
            out.update([kinds] if isinstance(kinds, str) else kinds or [])
        for value in data.values():
            _walk(value, out)


VOCABULARIES = {
    "overture": overture,
    "foursquare OS labels": foursquare_labels,
    "google types": google_types,
    "yelp": yelp_titles,
    "foursquare API": foursquare_api,
    "azure maps": azure_categories,
    "schema.org types": schemaorg_types,
}


def outcome(text: str) -> str:
    """concept, group (named, or a leaf napaudit does not know under known parents), generic,
    unknown."""
    read = read_term(text)
    kinds = {m["kind"] for m in read}
    if kinds == {"unknown"}:
        return "group" if any(m["groups"] for m in read) else "unknown"
    return next(k for k in ("concept", "group", "generic") if k in kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("study", "heldout"), default="heldout")
    parser.add_argument("--show", action="store_true", help="list the unknown strings")
    parser.add_argument("--sample", type=int, default=0, help="print N read strings, seeded")
    args = parser.parse_args()
    total = Counter()
    print(f"{'vocabulary':<22} {'strings':>7} {'understood':>10} concept group generic unknown")
    read_ones = []
    for name, load in VOCABULARIES.items():
        strings = sorted(s for s in load() if half(name, s) == args.half)
        counts = Counter(outcome(s) for s in strings)
        understood = len(strings) - counts["unknown"]
        share = understood / len(strings) if strings else 0
        print(f"{name:<22} {len(strings):>7} {understood:>4} {share:>5.0%} {counts['concept']:>7}"
              f" {counts['group']:>5} {counts['generic']:>7} {counts['unknown']:>7}")  # fmt: skip
        total.update(counts, strings=len(strings))
        if args.show:
            for s in strings:
                if outcome(s) == "unknown":
                    print(f"    unknown: {s}")
        read_ones += [(name, s) for s in strings if outcome(s) == "concept"]
    understood = total["strings"] - total["unknown"]
    print(
        f"{'all':<22} {total['strings']:>7} {understood:>4} {understood / total['strings']:>5.0%}"
    )
    for name, s in random.Random(20261202).sample(read_ones, min(args.sample, len(read_ones))):
        m = read_term(s)
        print(f"  [{name}] {s!r} -> " + "; ".join(f"{t['concept']} {t['refine']}" for t in m))


if __name__ == "__main__":
    main()
