"""Judge what a run stored, from the store: the same judgement a crawl gives each page as it
stores it (auditor.audit.page_listing), given again with no network.

`judge_run` judges every listing of a run that no check has judged yet (after `rejudge` copied
an older run's history into a new run, or what a crawl stored unjudged), with the rules of
today: normalize the stored raw values again, identify or score the listing against the run's
businesses, judge every field, store the checks. No network: everything comes from the store.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, islice

from napaudit.auditor.collector import collector_off
from napaudit.auditor.history import History
from napaudit.auditor.identify import Identifier, Match, score_pair
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record, Result
from napaudit.auditor.normalize.record import Normalized, normalize_record, normalize_records
from napaudit.auditor.store import Store

BATCH = 2000  # listings judged and stored per transaction


def judge_run(store: Store, run_id: int, normalized: dict[str, Normalized] | None = None
              ) -> Counter:  # fmt: skip
    """Judge the run's unjudged listings; returns how many verdicts of each status it gave.

    `normalized`: the run's businesses as the caller already normalized them, from the very
    records it stored for this run (an audit judging the crawl it just made); the others are
    read from the store and normalized here."""
    with collector_off():  # records, verdicts and rows hold no cycles (auditor.collector)
        return _judge_unjudged(store, run_id, normalized)


def _judge_unjudged(store: Store, run_id: int, normalized: dict[str, Normalized] | None
                    ) -> Counter:  # fmt: skip
    history = History(store.db)
    unjudged = history.unjudged(run_id)
    first = next(unjudged, None)
    if first is None:  # an audit judged every page as it stored it: nothing to read
        return Counter()
    records = history.business_records(run_id)
    canon = OnDemand({bid: record for bid, (_, record) in records.items()}, normalized)
    identifier: Identifier | None = None
    tally: Counter = Counter()
    rows = chain([first], unjudged)
    while pairs := list(islice(rows, BATCH)):
        # in stages, as compare judges (auditor.audit._judge): every listing normalized, then
        # each linked to its business, then each judged
        listings = normalize_records([record for _, record in pairs])
        links = []
        for (row, record), listing in zip(pairs, listings, strict=True):
            given = record.business_id if record.business_id in records else None
            if given is None and identifier is None:  # identified among the run's businesses
                identifier = Identifier([canon[bid] for bid in records])
            links.append(_link(row, listing, given, canon, identifier))
        batch: list[tuple[dict, Result]] = []
        for (row, _), listing, (match, business_id) in zip(pairs, listings, links, strict=True):
            business = canon[business_id] if business_id else None
            verdicts = judge(business, listing) if business else []
            for v in verdicts:
                tally[v.status] += 1
            batch.append((row, Result(listing.record, "", match, business, verdicts)))
        store.save_judged(run_id, batch)
    return tally


class OnDemand(dict):
    """Businesses by id, each normalized when first asked for, unless `given` had it: a crawl
    that judged its pages as it stored them leaves few, if any, for judge_run to judge, and a
    page worker (spiders.pagework) normalizes the clients as their pages come."""

    def __init__(self, records: dict[str, Record], given: dict[str, Normalized] | None = None):
        super().__init__()
        self.records, self.given = records, given or {}

    def __missing__(self, business_id: str) -> Normalized:
        business = self.given.get(business_id)
        if business is None:
            business = normalize_record(self.records[business_id])
        self[business_id] = business
        return business


def _link(row: dict, listing, given: str | None, canon: dict, identifier) -> tuple:
    """(match, business id): the given business, scored again when the run had scored it (a
    page's business chosen among others, a search result), else identified among the run's."""
    if given is not None:
        if row["match_score"] is None:
            return None, given
        score, evidence = score_pair(canon[given], listing)
        return Match(given, round(score, 3), given, evidence), given
    match = identifier.identify(listing)
    return match, match.business_id
