"""What an agency feeds napaudit: a `--listings` file whose source is not a catalog id stops the
run before anything is fetched, with the file, line, value and the closest catalog id."""

from __future__ import annotations

import pytest

from napaudit.cli import cli

CLIENTS = "id,name,city,state,phone\nacme,Acme Plumbing,Chicago,IL,(312) 555-0100\n"


@pytest.mark.parametrize(
    "source, hint",
    [
        ("yelow pages", "(closest catalog id: 'yellowpages'; see napaudit sources)"),
        ("Better Business Bureau", "(closest catalog id: 'bbb'; see napaudit sources)"),
        ("Yelp", "(closest catalog id: 'yelp'; see napaudit sources)"),
        ("zzqx", "(see napaudit sources)"),
    ],
)
def test_an_unknown_listing_source_is_an_error_naming_file_line_and_value(
    runner, write, tmp_path, source, hint
):
    clients = write("clients.csv", CLIENTS)
    listings = write("urls.csv", "business_id,source,url\n"
                                 "acme,yelp,https://yelp.test/biz/acme\n"
                                 f'acme,"{source}",https://listing.test/acme\n')  # fmt: skip
    db = tmp_path / "audit.db"
    result = runner.invoke(cli, ["audit", str(clients), "--listings", str(listings),
                                 "--db", str(db), "--json"])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"Error: {listings}, line 3, column 'source': unknown source '{source}' {hint}"
    )
    assert not db.exists()  # stopped before anything was stored


def test_catalog_ids_pass_the_check(runner, write, tmp_path):
    from napaudit.auditing import read_inputs

    clients = write("clients.csv", CLIENTS)
    listings = write("urls.csv", "business_id,source,url\nacme,website,https://acme.test/\n"
                                 "acme,yellowpages,https://yp.test/acme\n")  # fmt: skip
    businesses, targets, problems = read_inputs(str(clients), str(listings))
    assert [t.source for t in targets] == ["website", "yellowpages"] and problems == []
