"""The card-search base's follow policy on cards that show only a name (as Yelp's 2025 organic
cards do), measured on real records: 3,337 Chicago early-childhood sites from 9 source lists with
their true entity ids (../shared/realdata/linkage/dedupe-examples-chicago-early-childhood).

    .venv/bin/python bench/thin_cards.py

Each record in turn is the business searched; the "directory" holds every other record, and a
search answers the 10 whose names share the most words with it (the sample web's own search),
each as a card showing its name and nothing else. A search is *listed* when a record of the same
site (same true id) is among its cards. Compared:

- scoring the card as shown: a name-only card reaches the threshold only with the same name,
  and is then judged as the listing without a look at its page (the first version);
- the base's policy (spiders/bases/cards.py): a thin card is scored as if it stood in the
  searched place, up to 3 that reach the threshold are fetched, and each is kept only when its
  page (here: the card's full record) scores at the threshold.

Lies counted: `not_found` for a listed business, and another site judged as the business. Nothing
in the policy was tuned on this data (its thresholds are identification's); figures are given on
the half of the sites with an odd true id and on all.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.normalize.text import squash
from napaudit.sampleweb.search import find_by_words, word_index
from napaudit.spiders.bases.cards import CardSearchSpider

ROOT = Path(__file__).resolve().parent.parent
DATA = "linkage/dedupe-examples-chicago-early-childhood/csv_example_input_with_true_ids.csv"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    records = []
    for row in rows:
        name = squash(row["Site name"])
        if name:
            fields = {k: squash(row[k.title()]) for k in ("address", "zip", "phone")}
            records.append({"id": row["Id"], "true": row["True Id"], "name": name, **fields,
                            "city": "Chicago", "state": "IL"})  # fmt: skip
    return records


def record(r: dict) -> Record:
    keep = ("name", "address", "zip", "phone", "city", "state")
    return Record(id=r["id"], **{k: r[k] for k in keep})


def search(business: dict, directory: list[dict], by_word: dict) -> list[dict]:
    return [e for e in find_by_words(directory, business["name"], by_word) if e is not business]


def one(spider: CardSearchSpider, business: dict, directory: list[dict], by_word: dict) -> Counter:
    """What each policy does for one search, as counts."""
    canon = normalize_record(record(business))
    results = search(business, directory, by_word)
    cards = [{"name": e["name"], "url": e["id"], "entry": e} for e in results]
    listed = any(e["true"] == business["true"] for e in results)
    seen = Counter(searches=1, listed=int(listed))
    # as shown: accepted cards are judged as listings
    taken = [v["entry"] for s, _, v in rank_candidates(canon, cards) if s >= THRESHOLD]
    right = sum(e["true"] == business["true"] for e in taken)
    seen.update(shown_found=int(right > 0), shown_wrong=len(taken) - right,
                shown_lie_not_found=int(listed and not taken))  # fmt: skip
    # the base: thin cards confirmed on their page
    fetched = spider.worth_confirming(canon, cards)
    kept = [c["entry"] for c in fetched
            if rank_candidates(canon, [c["entry"]])[0][0] >= THRESHOLD]  # fmt: skip
    right = sum(e["true"] == business["true"] for e in kept)
    seen.update(base_found=int(right > 0), base_wrong=len(kept) - right, base_pages=len(fetched),
                base_lie_not_found=int(listed and not kept),
                base_fetched_true=int(any(c["entry"]["true"] == business["true"]
                                          for c in fetched)))  # fmt: skip
    return seen


def report(label: str, n: Counter) -> None:
    listed = n["listed"] or 1
    print(f"{label}: {n['searches']} searches, {n['listed']} with the site among the cards")
    for policy, words in (("shown", "scored as shown"), ("base", "the base's policy")):
        print(f"  {words:18}: found {n[f'{policy}_found'] / listed:6.1%} of listed; "
              f"not_found for a listed site {n[f'{policy}_lie_not_found']:4}; "
              f"another site judged as it {n[f'{policy}_wrong']:4}")  # fmt: skip
    print(
        f"  pages fetched to confirm: {n['base_pages'] / n['searches']:.2f} per search; "
        f"the site's own card among them for {n['base_fetched_true'] / listed:.1%} of listed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realdata", type=Path, default=ROOT.parent / "shared" / "realdata")
    args = parser.parse_args()
    directory = load(args.realdata / DATA)
    by_word = word_index(directory)
    spider = CardSearchSpider(name="bench")
    held_out, total = Counter(), Counter()
    for business in directory:
        seen = one(spider, business, directory, by_word)
        total.update(seen)
        if int(business["true"]) % 2:
            held_out.update(seen)
    report("held-out half (odd true ids)", held_out)
    report("all", total)


if __name__ == "__main__":
    main()
