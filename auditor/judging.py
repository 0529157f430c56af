"""Judge what a run stored, from the store: the same judgement a crawl gives each page as it
stores it (auditor.audit.page_listing), given again with no network.

`judge_run` judges every listing of a run that no check has judged yet (after `rejudge` copied
an older run's history into a new run, or what a crawl stored unjudged), with the rules of
today: normalize the stored raw values again, identify or score the listing against the run's
businesses, judge every field, store the checks. No network: everything comes from the store.
"""

from __future__ import annotations

from collections import Counter

from napaudit.auditor.history import History
from napaudit.auditor.identify import Identifier, Match, score_pair
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Result
from napaudit.auditor.normalize.record import Normalized, normalize_record
from napaudit.auditor.store import Store

BATCH = 2000  # listings judged and stored per transaction


def judge_run(store: Store, run_id: int, normalized: dict[str, Normalized] | None = None
              ) -> Counter:  # fmt: skip
    """Judge the run's unjudged listings; returns how many verdicts of each status it gave.

    `normalized`: the run's businesses as the caller already normalized them, from the very
    records it stored for this run (an audit judging the crawl it just made); the others are
    read from the store and normalized here."""
    history = History(store.db)
    records = history.business_records(run_id)
    given = normalized or {}
    canon = {bid: given.get(bid) or normalize_record(record)
             for bid, (_, record) in records.items()}  # fmt: skip
    identifier: Identifier | None = None
    tally: Counter = Counter()
    batch: list[tuple[dict, Result]] = []
    for row, record in history.unjudged(run_id):
        listing = normalize_record(record)
        given = record.business_id if record.business_id in canon else None
        if given is None and identifier is None:
            identifier = Identifier(list(canon.values()))
        match, business_id = _link(row, listing, given, canon, identifier)
        business = canon.get(business_id) if business_id else None
        verdicts = judge(business, listing) if business else []
        for v in verdicts:
            tally[v.status] += 1
        batch.append((row, Result(listing.record, "", match, business, verdicts)))
        if len(batch) >= BATCH:
            store.save_judged(run_id, batch)
            batch = []
    store.save_judged(run_id, batch)
    return tally


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
