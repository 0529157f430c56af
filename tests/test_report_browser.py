"""The HTML report in a real browser (headless Chromium through selenium), opened from file://
as an owner opens it: no console errors, the fixes in order, hostile scraped text inert.

Screenshots go to the test's temporary folder, and to out/screenshots/ when that folder exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.report.scenario import portfolio_store
from napaudit.reports.build import write_report

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"
ARGUMENTS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars")  # fmt: skip

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"needs Chromium at {CHROMIUM} and chromedriver at {CHROMEDRIVER}",
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    weights = folder / "weights.toml"  # the catalog's weights, whatever ./napaudit.toml says
    weights.write_text("", encoding="utf-8")
    write_report(portfolio_store(folder), folder / "report", "html", config=weights)
    return folder / "report"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> list[dict]:
    """Load the page; returns the console messages it logged."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.set_window_size(1100, 900)
    driver.get(path.as_uri())
    return driver.get_log("browser")


def screenshot(driver, name: str, folder: Path, element=None) -> Path:
    """The whole page (or one element of it) as a PNG, in `folder` and, when it exists, in
    out/screenshots/ for people to look at."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1100, height + 140)  # the browser's frame takes part of the window
    path = folder / f"{name}.png"
    if element is not None:
        assert element.screenshot(str(path))
    else:
        assert driver.save_screenshot(str(path))
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)
    return path


def assert_no_alert(driver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is what raises


def test_business_page_lists_the_fixes_in_order(browser, report, tmp_path):
    logs = open_page(browser, report / "harbor-lane.html")
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
    items = browser.find_elements(By.CSS_SELECTOR, "#fixes li.fix")
    ranks = [li.find_element(By.CLASS_NAME, "rank").text for li in items]
    assert ranks == [str(n) for n in range(1, 11)]
    tags = [[t.text.lower() for t in li.find_elements(By.CLASS_NAME, "tag")] for li in items]
    assert tags[:2] == [["likely root cause", "urgent"], ["urgent"]]
    assert tags[-2:] == [["important"], ["not listed", "important"]]
    # The labels are in order: no important item before an urgent one.
    classes = [next(t for t in tag if t in ("urgent", "important", "minor")) for tag in tags]
    assert classes == sorted(classes, key=["urgent", "important", "minor"].index)
    sentences = [li.find_element(By.CLASS_NAME, "what").text for li in items]
    expected = [
        "Likely origin: Data Axle — change the phone from (714) 555-0199 to (714) 555-0142 at "
        "expressupdate.com",
        "On MapQuest, change the phone from (714) 555-0199 to (714) 555-0142",
        "On ChamberofCommerce.com, change the phone",
        "On Local.com, change the phone",
        "On MerchantCircle, change the phone",
        "On Yelp (listing 2 of 2), change the name from <script>alert('xss')</script>",
        "On YellowBot, change the phone",
        'On Hotfrog, change the name from =HYPERLINK("http://evil.example","click")',
        "On Yellow Pages, change the street address from 1200 Harbor Blvd Ste 201 to "
        "1200 Harbor Blvd, Suite 210 — fix it at adsolutions.yp.com",
        "Get listed again on Better Business Bureau: the listing page is gone",
    ]
    assert len(sentences) == len(expected)
    for sentence, start in zip(sentences, expected, strict=True):
        assert sentence.startswith(start), sentence
    screenshot(browser, "business-harbor-lane", tmp_path)


def test_hostile_scraped_text_is_shown_as_inert_text(browser, report):
    logs = open_page(browser, report / "harbor-lane.html")
    assert_no_alert(browser)
    # A script that ran, or one the page's CSP blocked, would both log; neither may happen.
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>alert('xss')</script>" in body
    assert '=HYPERLINK("http://evil.example","click")' in body
    for selector in ("script", "iframe", "object", "embed", "a[href^='javascript']"):
        assert browser.find_elements(By.CSS_SELECTOR, selector) == [], selector
    # The listing's javascript: URL is not a link: its source shows no "See the listing" link.
    links = [a.get_attribute("href") for a in browser.find_elements(By.TAG_NAME, "a")]
    assert all(href.startswith(("https://", "file://")) for href in links), links


def test_portfolio_shows_clients_worst_first_and_links_to_their_pages(browser, report, tmp_path):
    logs = open_page(browser, report / "index.html")
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
    rows = browser.find_elements(By.CSS_SELECTOR, "table.portfolio tbody tr")
    cells = [[c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows]
    assert [(c[0].split("\n")[0], c[1], c[2], c[3], c[4]) for c in cells] == [
        ("Mesa Verde Plumbing, LLC", "71", "2", "0 of 1", "▼ -17.6"),
        ("Harbor Lane Dental", "89", "8", "1 of 10", "▼ -7.2"),
        ("The Copper Kettle", "100", "0", "0 of 2", "▲ +7.1"),
    ]
    screenshot(browser, "portfolio", tmp_path)
    browser.find_element(By.LINK_TEXT, "Harbor Lane Dental").click()
    assert browser.current_url.endswith("/harbor-lane.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Harbor Lane Dental"


def test_sources_with_problems_are_open_and_correct_ones_folded(browser, report, tmp_path):
    open_page(browser, report / "harbor-lane.html")
    sources = browser.find_elements(By.CSS_SELECTOR, "#sources details")
    states = {s.find_element(By.CSS_SELECTOR, ".source-name").text: s.get_attribute("open")
              for s in sources}  # fmt: skip
    assert states["Yellow Pages"] == "true" and states["Google Business Profile"] is None
    yellow = next(s for s in sources if "Yellow Pages" in s.text)
    marks = [m.text for m in yellow.find_elements(By.TAG_NAME, "mark")]
    assert marks == ["Suite 210", "Ste 201"]  # yours, then what the listing shows
    screenshot(browser, "business-harbor-lane-sources", tmp_path,
               browser.find_element(By.ID, "sources"))  # fmt: skip
