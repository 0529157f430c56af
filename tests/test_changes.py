"""`napaudit changes`: what got worse, better, duplicated, gone or unreachable between runs,
on histories built through the store (the same calls a crawl makes)."""

from __future__ import annotations

import json

import pytest
from napaudit.auditor.audit import not_checked, page_listing
from napaudit.auditor.judging import judge_run
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.store import Store
from napaudit.reports.changes import changes_between, changes_since, latest_runs, snapshot_changes
from napaudit.reports.load import load_snapshot

from napaudit.changes_cli import changes

ACME = Record(id="acme", name="Acme Plumbing", address="1 Elm St", city="Chicago", state="IL",
              zip="60601", phone="(312) 555-0100")  # fmt: skip
BOLT = Record(id="bolt", name="Bolt Electric", address="9 Oak Ave", city="Chicago", state="IL",
              zip="60602", phone="(312) 555-0200")  # fmt: skip
RIGHT = {"name": "Acme Plumbing", "address": "1 Elm Street", "city": "Chicago", "state": "IL",
         "zip": "60601", "phone": "312-555-0100"}  # fmt: skip
WRONG_PHONE = {**RIGHT, "phone": "312-555-0199"}
YELP, BBB = "https://yelp.test/biz/acme", "https://bbb.test/acme"


def ok(business: Record, source: str, url: str, **shown) -> tuple:
    return ("ok", business, source, url, shown)


def refused(business: Record, source: str, outcome: str, reason: str, url: str = "") -> tuple:
    return (outcome, business, source, url or f"https://{source}.test/search", reason)


def record_run(store: Store, *pages: tuple, businesses=(ACME,)) -> int:
    """One audit run through the store: the businesses, then what each page showed."""
    canon = {b.id: normalize_record(b) for b in businesses}
    run_id = store.start_run("audit", {})
    versions = store.save_businesses(run_id, canon.values())
    results = []
    for outcome, business, source, url, detail in pages:
        if outcome == "ok":
            results.append(page_listing(canon[business.id], [detail], source, url, key=url))
        else:
            key = url if outcome != "not_found" else f"search:{business.id}"
            results.append(not_checked(canon[business.id], source, url, outcome, detail, key=key))
    store.save_results(run_id, results, versions)
    judge_run(store, run_id)  # as a crawl does once it has stored every page
    store.finish_run(run_id, {})
    return run_id


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "n.db")


def only(store: Store, old: int, new: int, business: str = "acme"):
    found = changes_between(store, old, new, business)
    assert [b.business_id for b in found.businesses] == [business]
    return found.businesses[0]


def test_a_field_right_before_and_wrong_now_is_a_regression(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    b = only(store, old, new)
    assert [(c.source, c.field, c.before, c.now) for c in b.regressions] == [
        ("yelp", "phone", "variant", "mismatch")
    ]
    assert not b.regressions[0].broke_again and not b.new_problems and not b.fixed
    assert b.regressions[0].text == (
        f"Regression: Yelp shows your phone as \u201c312-555-0199\u201d instead of "
        f"\u201c(312) 555-0100\u201d; it was right in run {old}."
    )


def test_wrong_then_fixed_then_wrong_again_is_broke_again(store):
    first = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    fixed = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    same = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    again = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    b = only(store, same, again)
    [c] = b.broke_again
    assert (c.wrong_in, c.fixed_in, c.same_wrong_value) == (first, fixed, True)
    assert c.text.startswith("Broke again: Yelp shows your phone as \u201c312-555-0199\u201d")
    assert f"showed in run {first}; it was fixed by run {fixed} and is wrong again" in c.text
    # Seen from the fix, the same history is a fix, not a regression.
    back = only(store, first, fixed)
    assert [(c.field, c.before, c.now) for c in back.fixed] == [("phone", "mismatch", "variant")]
    assert not back.regressions


def test_a_regression_never_wrong_before_is_not_broke_again(store):
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **{**RIGHT, "address": "77 Pine Rd"}))
    b = only(store, old, new)
    assert [c.field for c in b.regressions] == ["address"] and not b.broke_again


def test_new_listing_with_a_problem_is_a_new_problem_and_a_still_wrong_one_is_not_news(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                     ok(ACME, "bbb", BBB, **{**RIGHT, "zip": "60699"}))  # fmt: skip
    b = only(store, old, new)
    assert [(c.source, c.field, c.before) for c in b.new_problems] == [("bbb", "zip", None)]
    assert not b.regressions and not b.fixed
    assert b.new_problems[0].text.startswith(
        "New problem: Better Business Bureau shows your zip code"
    )


def test_a_source_showing_a_second_listing_is_a_new_duplicate(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **RIGHT),
                     ok(ACME, "yelp", YELP + "-2", **RIGHT))  # fmt: skip
    b = only(store, old, new)
    assert [(d.source, d.listing_keys) for d in b.new_duplicates] == [("yelp", [YELP, YELP + "-2"])]
    assert b.new_duplicates[0].text.startswith("New duplicate: Yelp now shows this business 2")
    # Still two next time: not new any more.
    later = record_run(store, ok(ACME, "yelp", YELP, **RIGHT),
                       ok(ACME, "yelp", YELP + "-2", **RIGHT))  # fmt: skip
    assert not only(store, new, later).new_duplicates


def test_a_source_that_refuses_now_became_unreachable_and_then_reachable_again(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, refused(ACME, "yelp", "blocked", "HTTP 403", YELP))
    b = only(store, old, new)
    assert [(s.source, s.outcome, s.reason) for s in b.unreachable] == [
        ("yelp", "blocked", "HTTP 403")
    ]
    assert not b.gone and not b.regressions and not b.fixed
    back = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    assert [s.source for s in only(store, new, back).reachable_again] == ["yelp"]


def test_a_listing_no_longer_found_is_gone(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT), ok(ACME, "bbb", BBB, **RIGHT))
    new = record_run(store, refused(ACME, "yelp", "not_found", "searched Acme Plumbing, Chicago"),
                     ok(ACME, "bbb", BBB, **RIGHT))  # fmt: skip
    b = only(store, old, new)
    assert [(s.source, s.listing_keys) for s in b.gone] == [("yelp", [YELP])]
    assert "no longer has the listing" in b.gone[0].text and not b.unreachable


def test_a_listing_found_again_after_it_was_gone_is_back(store):
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    gone = record_run(store, refused(ACME, "yelp", "not_found", "searched Acme Plumbing"))
    back = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    b = only(store, gone, back)
    assert [(s.source, s.listing_keys) for s in b.back] == [("yelp", [YELP])]
    assert b.back[0].text == (
        f"Listing back: Yelp shows this business again; it was not found in run {gone} "
        "(searched Acme Plumbing)."
    )
    assert not b.reachable_again and not b.new_problems  # nothing else is news
    assert b.counts()["back"] == 1


def test_a_wrong_value_that_changed_to_another_wrong_value_is_reported(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    new = record_run(store, ok(ACME, "yelp", YELP, **{**RIGHT, "phone": "312-555-0177"}))
    b = only(store, old, new)
    [c] = b.still_wrong
    assert (c.field, c.before, c.now, c.found_before, c.found) == (
        "phone",
        "mismatch",
        "mismatch",
        "312-555-0199",
        "312-555-0177",
    )
    assert c.text == (
        "Still wrong, changed: Yelp now shows your phone as \u201c312-555-0177\u201d instead of "
        f"\u201c(312) 555-0100\u201d; in run {old} it showed \u201c312-555-0199\u201d."
    )
    # Only written differently (the same number): not news.
    same = record_run(store, ok(ACME, "yelp", YELP, **{**RIGHT, "phone": "(312) 555-0177"}))
    assert not only(store, new, same).still_wrong


def test_hours_are_said_in_words_in_changes(store):
    hours = Record(**{**ACME.__dict__, "hours": "Mo-Fr 08:00-17:00"})
    old = record_run(store, ok(hours, "yelp", YELP, **RIGHT, hours="Mo-Fr 08:00-17:00"),
                     businesses=(hours,))  # fmt: skip
    new = record_run(store, ok(hours, "yelp", YELP, **RIGHT, hours="Mo-Sa 08:00-17:00"),
                     businesses=(hours,))  # fmt: skip
    [c] = only(store, old, new).regressions
    assert c.text == (
        "Regression: Yelp shows your hours as \u201cMonday to Saturday, 8 am to 5 pm; closed on "
        "Sunday\u201d instead of \u201cMonday to Friday, 8 am to 5 pm; closed on weekends\u201d; "
        f"it was right in run {old}."
    )


def test_each_business_is_compared_with_its_own_previous_run(store):
    first = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    bolt_right = {**RIGHT, "name": "Bolt Electric", "address": "9 Oak Ave", "zip": "60602",
                  "phone": "312-555-0200"}  # fmt: skip
    record_run(store, ok(BOLT, "yelp", "https://yelp.test/bolt", **bolt_right), businesses=[BOLT])
    last = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                      ok(BOLT, "yelp", "https://yelp.test/bolt", **bolt_right),
                      businesses=[ACME, BOLT])  # fmt: skip
    found = changes_since(store)
    assert {b.business_id: (b.old_run, b.new_run) for b in found.businesses} == {
        "acme": (first, last), "bolt": (last - 1, last)
    }  # fmt: skip
    assert latest_runs(store, "acme") == (first, last)
    assert latest_runs(store) == (last - 1, last)
    # Since run 1, bolt has nothing to compare with.
    since = changes_since(store, str(first))
    assert since.first_check == ["bolt"] and since.counts()["regressions"] == 1


def test_since_a_date_takes_the_last_run_before_it(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    mid = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    store.db["runs"].update(old, {"started_at": "2026-03-01T06:00:00+00:00"})
    store.db["runs"].update(mid, {"started_at": "2026-04-01T06:00:00+00:00"})
    store.db["runs"].update(new, {"started_at": "2026-05-01T06:00:00+00:00"})
    assert changes_since(store, "2026-03-15").businesses[0].old_run == old
    assert changes_since(store, "2026-04-15").businesses[0].old_run == mid
    assert changes_since(store, "2026-03-15").counts()["regressions"] == 1
    assert changes_since(store, "2026-04-15").counts()["regressions"] == 0


def test_the_report_gets_the_same_changes(store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    data = snapshot_changes(load_snapshot(store.path, new), "acme")
    assert data == changes_between(store, old, new).businesses[0].as_dict()
    json.dumps(data)  # plain data
    assert snapshot_changes(load_snapshot(store.path, old), "acme") is None


# --- the command ---------------------------------------------------------------------------


def test_cli_text_says_what_changed_per_business(runner, store):
    old = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE), ok(ACME, "bbb", BBB, **RIGHT))
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT), ok(ACME, "bbb", BBB, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                     refused(ACME, "bbb", "error", "timed out after 20 s", BBB))  # fmt: skip
    result = runner.invoke(changes, ["--db", store.path])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Acme Plumbing (acme), run {new - 1} \u2192 run {new}:"
    assert lines[1].startswith("  Broke again: Yelp shows your phone as \u201c312-555-0199\u201d")
    assert f"showed in run {old}; it was fixed by run {new - 1}" in lines[1]
    assert lines[2].startswith("  Could not be checked: Better Business Bureau was checked in run")
    assert "timed out after 20 s" in lines[2]
    assert "1 regression (1 broke again)" in result.output


def test_cli_json_is_the_same_data(runner, store):
    old = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    result = runner.invoke(changes, ["--db", store.path, "--format", "json", "--since", str(old)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["new_run"] == new and data["counts"]["regressions"] == 1
    [b] = data["businesses"]
    assert b["regressions"][0]["found"] == "312-555-0199" and b["old_run"] == old


def test_cli_one_business_reads_its_own_listings_and_says_what_the_whole_run_says(runner, store):
    """`--business` reads that client's listings only (an agency's database holds hundreds of
    clients'), and says of it what `changes` of every business says."""
    bolt_wrong = {**RIGHT, "name": "Bolt Electric", "address": "9 Oak Ave", "zip": "60602",
                  "phone": "312-555-0299"}  # fmt: skip
    bolt_right = {**bolt_wrong, "phone": "312-555-0200"}
    bolt = "https://yelp.test/bolt"
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT), ok(BOLT, "yelp", bolt, **bolt_wrong),
               businesses=[ACME, BOLT])  # fmt: skip
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                     ok(BOLT, "yelp", bolt, **bolt_right), businesses=[ACME, BOLT])  # fmt: skip
    whole = runner.invoke(changes, ["--db", store.path, "--format", "json"])
    assert whole.exit_code == 0, whole.output
    every = {b["business_id"]: b for b in json.loads(whole.output)["businesses"]}
    assert every["acme"]["regressions"] and every["bolt"]["fixed"]  # news of each
    for business in ("acme", "bolt"):
        one = runner.invoke(changes, ["--db", store.path, "--format", "json",
                                      "--business", business])  # fmt: skip
        assert one.exit_code == 0, one.output
        assert json.loads(one.output)["businesses"] == [every[business]]
    snapshot = load_snapshot(store.path, new, "bolt")
    assert {b for by_business in snapshot.listings.values() for b in by_business} == {"bolt"}
    assert list(snapshot.businesses) == ["acme", "bolt"]  # to name them when one is mistyped


def test_cli_says_when_nothing_changed(runner, store):
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    result = runner.invoke(changes, ["--db", store.path])
    assert result.exit_code == 0
    assert "Acme Plumbing (acme), run 1 \u2192 run 2: no changes." in result.output


def test_cli_with_one_run_has_nothing_to_compare(runner, store):
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    result = runner.invoke(changes, ["--db", store.path])
    assert result.exit_code == 0
    assert result.output.strip() == "Only one run: nothing to compare yet."


@pytest.mark.parametrize(
    "args, message",
    [
        (["--business", "nobody"], "no business 'nobody' in run 2 (businesses: acme)"),
        (["--since", "9"], "no finished run 9 before run 2 (finished runs 1-2)"),
        (["--since", "2"], "run 2 is not before run 2"),
        (["--since", "last tuesday"], "--since 'last tuesday' is neither a run id nor a date"),
        (["--since", "2001-01-01"], "no finished run before 2001-01-01"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(runner, store, args, message):
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    result = runner.invoke(changes, ["--db", store.path, *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_cli_missing_database_exits_2(runner, tmp_path):
    result = runner.invoke(changes, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no such database" in result.output


# --- the HTML report's section -------------------------------------------------------------


def render(call: str, **context) -> str:
    from napaudit.reports.render import (
        environment,  # the report's own environment: escaping, strict
    )

    return environment().from_string('{% import "_changes.html" as ch %}' + call).render(**context)


def test_business_page_section_puts_broke_again_first_and_escapes_values(store):
    record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE), ok(ACME, "bbb", BBB, **RIGHT))
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT), ok(ACME, "bbb", BBB, **WRONG_PHONE))
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                     ok(ACME, "bbb", BBB, **{**RIGHT, "name": "<b>Acme</b>"}))  # fmt: skip
    data = snapshot_changes(load_snapshot(store.path, new), "acme")
    html = render("{{ ch.business(c) }}", c=data)
    assert "What changed since the last run" in html and f"Compared with run {new - 1}" in html
    items = [line.strip() for line in html.splitlines() if line.strip().startswith("<li")]
    assert items[0].startswith('<li class="change regression"><span class="tag root">Broke again')
    assert "Yelp shows your phone as" in items[0]
    assert any("Regression</span> Better Business Bureau shows your name as "
               "\u201c&lt;b&gt;Acme&lt;/b&gt;\u201d" in x for x in items)  # fmt: skip
    assert any("Fixed</span> Better Business Bureau now shows your phone" in x for x in items)
    assert "<b>Acme</b>" not in html


def test_business_page_section_without_an_earlier_run_or_without_changes(store):
    first = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    assert "first check of this business" in render("{{ ch.business(None) }}")
    second = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    data = snapshot_changes(load_snapshot(store.path, second), "acme")
    assert f"Nothing changed since run {first}." in render("{{ ch.business(c) }}", c=data)


def test_portfolio_section_lists_the_clients_that_changed_worst_first(store):
    bolt_right = {**RIGHT, "name": "Bolt Electric", "address": "9 Oak Ave", "zip": "60602",
                  "phone": "312-555-0200"}  # fmt: skip
    bolt = "https://yelp.test/bolt"
    both = [ACME, BOLT]
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT), ok(BOLT, "yelp", bolt, **bolt_right),
               businesses=both)  # fmt: skip
    new = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE),
                     refused(BOLT, "yelp", "not_found", "searched Bolt Electric"),
                     businesses=both)  # fmt: skip
    snapshot = load_snapshot(store.path, new)
    rows = [{"name": b.raw["name"], "page": f"{b.id}.html",
             "changes": snapshot_changes(snapshot, b.id)} for b in snapshot.businesses.values()]  # fmt: skip
    html = render("{{ ch.portfolio(rows) }}", rows=rows)
    table = html[html.index("<tbody>") :]
    assert table.index("Acme Plumbing") < table.index("Bolt Electric")
    assert '<a href="acme.html" title="What changed for Acme Plumbing">Acme Plumbing</a>' in table
    assert '<span class="urgent-count">1</span>' in table and "1 listing gone" in table
    first = render("{{ ch.portfolio(rows) }}", rows=[{**rows[0], "changes": None}])
    assert "First check: nothing earlier to compare with yet." in first
