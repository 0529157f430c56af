"""The HTML pages, read as files: self-contained, escaped, and saying what an owner needs.
(tests/test_report_browser.py opens the same pages in a real browser.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixtures.report.scenario import CLIENTS, RUNS, compare, portfolio_store
from napaudit.reports.build import write_report

_BLOCKS = {
    "p",
    "div",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "section",
    "header",
    "nav",
    "summary",
    "details",
    "table",
    "ul",
    "ol",
    "footer",
    "article",
    "br",
}


class _Text(HTMLParser):
    """The text a reader sees: no tags, no style sheet, entities decoded."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title")
        self.parts.append(" " if tag in _BLOCKS else "")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")
        self.parts.append(" " if tag in _BLOCKS else "")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


@pytest.fixture(autouse=True)
def no_stray_config(tmp_path, monkeypatch):
    """Run in an empty folder: a napaudit.toml lying around must not change the results."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("html")
    empty = folder / "weights.toml"  # the catalog's weights, whatever ./napaudit.toml says
    empty.write_text("", encoding="utf-8")
    paths = write_report(portfolio_store(folder), folder / "out", "html", config=empty)
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_pages_are_self_contained_and_run_no_script(pages):
    for name, html in pages.items():
        assert not re.search(r"<script|<link|<iframe|<object|<embed|@import|url\(|\bsrc=",
                             html, re.I), name  # fmt: skip
        assert "script-src" not in html and "default-src 'none'" in html  # CSP: no script
        assert not re.search(r"href=\"(?!https?://|[\w-]+\.html\")", html), name


def test_scraped_text_is_escaped(pages):
    html = pages["harbor-lane.html"]
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("javascript:alert(document.domain)", "")
    assert 'href="javascript:' not in html
    text = text_of(html)
    assert "change the name from <script>alert('xss')</script> to Harbor Lane Dental" in text
    assert 'change the name from =HYPERLINK("http://evil.example","click")' in text


def test_business_page_says_what_to_fix_in_order(pages):
    text = text_of(pages["harbor-lane.html"])
    expected = [
        "Likely origin: Data Axle — change the phone from (714) 555-0199 to (714) 555-0142 at "
        "expressupdate.com",
        "Why likely: ChamberofCommerce.com, Local.com, MapQuest, MerchantCircle and YellowBot "
        "show the same wrong phone; Data Axle supplies all 5",
        "On MapQuest, change the phone from (714) 555-0199 to (714) 555-0142 — fix it at "
        "mapquest.com. Same wrong phone as at the likely origin, Data Axle",
        "On ChamberofCommerce.com, change the phone",
        "On Local.com, change the phone",
        "On MerchantCircle, change the phone from 714-555-0199",
        "On Yelp (listing 2 of 2), change the name",
        "On YellowBot, change the phone from +1 714 555 0199",
        "On Hotfrog, change the name",
        "On Yellow Pages, change the street address from 1200 Harbor Blvd Ste 201 to "
        "1200 Harbor Blvd, Suite 210 — fix it at adsolutions.yp.com",
        "Get listed again on Better Business Bureau: the listing page is gone — add the business "
        "at bbb.org",
    ]
    positions = [text.index(sentence) for sentence in expected]
    assert positions == sorted(positions)
    assert "Listing accuracy: 89 out of 100" in text
    assert "▼ -7.2 since the last check (96)" in text
    assert "The score covers the 10 listings checked" in text
    assert "Sites that do not list you are not in it" in text


@pytest.mark.parametrize(
    "section, content",
    [
        ("Duplicate listings", "Yelp shows this business 2 times: listing 1 of 2, listing 2 of 2"),
        ("Not checked", "Tripadvisor The site refused the check HTTP 403 from tripadvisor.com"),
        ("What to fix first", "Not listed Important Get listed again on Better Business Bureau"),
        ("Score over time", "run 1"),
        ("Accuracy by detail", "phone 74%"),
    ],
)
def test_business_page_sections(pages, section, content):
    text = text_of(pages["harbor-lane.html"])
    assert section in text and content in text


def test_chart_values_are_in_a_table_screen_readers_read(pages):
    html = pages["harbor-lane.html"]
    assert '<svg class="bars"' in html and 'aria-hidden="true"' in html
    text = text_of(html)
    assert "Accuracy of each detail across the checked listings Detail Shown correctly" in text
    assert "phone 74%" in text and re.search(r"Score in each check .* \(run 1\) 96", text)


def test_the_differing_part_is_highlighted(pages):
    html = pages["harbor-lane.html"]
    # Yellow Pages shows suite 201, the record says 210; MapQuest shows ...0199, not ...0142.
    assert '1200 Harbor Blvd <mark class="theirs">Ste 201</mark>' in html
    assert '1200 Harbor Blvd, <mark class="mine">Suite 210</mark>' in html
    assert '(714) 555-<mark class="theirs">0199</mark>' in html


def test_values_judged_correct_are_not_highlighted(pages):
    html = pages["harbor-lane.html"]
    rows = re.findall(r'<tr class="st-variant">.*?</tr>', html, re.S)
    assert rows and not any("<mark" in row for row in rows)


def test_hours_are_shown_in_words(pages):
    text = text_of(pages["mesa-verde.html"])
    assert "add the hours Monday to Friday, 7 am to 6 pm; closed on weekends" in text
    assert "Mo-Fr" not in text.replace("Mo-Fr 07:00-18:00 ≠", "")


def test_portfolio_lists_clients_worst_first_with_links(pages):
    html = pages["index.html"]
    links = re.findall(r'<a href="([\w-]+\.html)">([^<]+)</a>', html)
    assert links == [("mesa-verde.html", "Mesa Verde Plumbing, LLC"),
                     ("harbor-lane.html", "Harbor Lane Dental"),
                     ("copper-kettle.html", "The Copper Kettle")]  # fmt: skip
    text = text_of(html)
    # Each client with its address (two clients may share a name), score, urgent fixes, sites
    # not listing it, trend, listings checked and not checked.
    assert (
        "Mesa Verde Plumbing, LLC 4410 N. Central Ave, Phoenix, AZ 71 2 0 of 1 ▼ -17.6 1 0" in text
    )
    assert (
        "Harbor Lane Dental 1200 Harbor Blvd, Suite 210, Costa Mesa, CA 89 8 1 of 10 ▼ -7.2 10 1"
        in text
    )
    assert "The Copper Kettle 570 Fourth St, San Francisco, CA 100 0 0 of 2 ▲ +7.1 2 0" in text


def test_one_run_one_business_has_no_history_chart_and_no_portfolio_link(tmp_path):
    db = tmp_path / "one.db"
    compare(db, CLIENTS, RUNS[0])
    (path,) = write_report(db, tmp_path / "out", "html", business="harbor-lane")
    html = path.read_text(encoding="utf-8")
    assert "Score over time" not in html and "<polyline" not in html
    assert "All clients" not in html  # no index.html was written to go back to
    assert "first check" in text_of(html)
    assert not (tmp_path / "out" / "index.html").exists()


def test_odd_business_ids_make_safe_unique_file_names(tmp_path):
    clients = tmp_path / "c.csv"
    clients.write_text("id,name,phone\n../etc/x,A,(714) 555-0142\n.._etc_x,B,(714) 555-0142\n"
                       "index,C,(714) 555-0142\n", encoding="utf-8")  # fmt: skip
    listings = tmp_path / "l.csv"
    listings.write_text("listing_id,source,business_id,name,phone\n1,yelp,index,C,"
                        "(714) 555-0142\n", encoding="utf-8")  # fmt: skip
    compare(tmp_path / "o.db", clients, listings)
    paths = write_report(tmp_path / "o.db", tmp_path / "out", "html")
    assert sorted(p.name for p in paths) == ["_etc_x.html", "etc-x.html", "index-2.html",
                                             "index.html"]  # fmt: skip
    assert all(p.parent == tmp_path / "out" for p in paths)
    assert Path(tmp_path / "out" / "index-2.html").read_text().count("<h1>C</h1>") == 1


def test_a_business_with_no_listing_checked_says_so(tmp_path):
    clients = tmp_path / "c.csv"
    clients.write_text("id,name,phone\nseen,Seen Cafe,(714) 555-0142\n"
                       "unseen,Unseen Cafe,(714) 555-0143\n", encoding="utf-8")  # fmt: skip
    listings = tmp_path / "l.csv"
    listings.write_text("listing_id,source,business_id,name,phone\n1,yelp,seen,Seen Cafe,"
                        "(714) 555-0142\n", encoding="utf-8")  # fmt: skip
    compare(tmp_path / "n.db", clients, listings)
    write_report(tmp_path / "n.db", tmp_path / "out", "html")
    text = text_of((tmp_path / "out" / "unseen.html").read_text(encoding="utf-8"))
    assert "Listing accuracy: not measured" in text
    assert "Nothing to rank: no site could be searched or checked for this business" in text
    assert "every checked listing shows your details correctly" not in text
    index = text_of((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert index.index("Seen Cafe") < index.index("Unseen Cafe not measured")
