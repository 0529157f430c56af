"""The demo's report in a real browser (headless Chromium through selenium), as an owner and an
agency read it: labels in order, hours in words, the business's own website not a duplicate,
every text colour readable (WCAG AA, computed from the page's own CSS), and the portfolio usable
on a 400 px wide phone with every column in view.

The demo runs once per session (tests/fixtures/report/demo.py); screenshots go to the test's
temporary folder, and to out/screenshots/ when that folder exists.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fixtures.report.demo import demo_store
from napaudit.reports.brand import contrast
from napaudit.reports.build import write_report

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"
ARGUMENTS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars")  # fmt: skip
CLASSES = ["urgent", "important", "minor"]
OSM_OR_JSON = re.compile(
    r"@type|OpeningHoursSpecification|dayOfWeek|\b(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|"
    r"Su))?,? ?\d{1,2}:\d\d"
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"needs Chromium at {CHROMIUM} and chromedriver at {CHROMEDRIVER}",
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

# Every element with its own visible text: its colour (an SVG text's fill) and the background
# colours from it up to the page, innermost first. Closed <details> are opened first.
TEXT_COLOURS = """
document.querySelectorAll('details').forEach(d => { d.open = true; });
const out = [], seen = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const el = walker.currentNode.parentElement;
  if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
  seen.add(el);
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  if (style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
  const backgrounds = [];
  for (let e = el; e; e = e.parentElement) backgrounds.push(getComputedStyle(e).backgroundColor);
  out.push({text: walker.currentNode.textContent.trim().slice(0, 60),
            colour: el instanceof SVGElement ? style.fill : style.color, backgrounds});
}
return out;
"""
OVERFLOW = """
const width = window.innerWidth, wide = [];
const hidden = el => {  // inside a 1 px box that clips: visually hidden, for screen readers
  for (let e = el; e; e = e.parentElement) {
    const box = e.getBoundingClientRect();
    if ((box.width <= 1 || box.height <= 1) && getComputedStyle(e).overflow === 'hidden') return true;
  }
  return false;
};
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  if (!box.width || hidden(el)) continue;
  if (box.right > width + 1) wide.push(el.tagName + '.' + el.className);
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
    wide.push('scrolls: ' + el.tagName + '.' + el.className);
}
return {width, page: document.documentElement.scrollWidth, wide};
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return demo_store(tmp_path_factory).with_name("napaudit-report")


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> Path:
    """The demo's report with an agency's light accent colour (too light for text as chosen)."""
    folder = tmp_path_factory.mktemp("branded")
    config = folder / "agency.toml"
    config.write_text('[branding]\nname = "Sunny Agency"\naccent = "#ffd23f"\n', encoding="utf-8")
    write_report(demo_store(tmp_path_factory), folder / "report", "html", config=config)
    return folder / "report"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def open_page(driver, path: Path, width: int = 1100) -> None:
    driver.set_window_size(width, 900)
    driver.get(path.as_uri())


def visible_text(driver) -> str:
    driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return driver.find_element(By.TAG_NAME, "body").text


def save(driver, name: str, folder: Path) -> None:
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def business_pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.name != "index.html")


def test_every_page_lists_urgent_then_important_then_minor(browser, demo):
    pages = business_pages(demo)
    assert len(pages) == 9
    for page in pages:
        open_page(browser, page)
        items = browser.find_elements(By.CSS_SELECTOR, "#fixes ol.fixes:not(.optional) li.fix")
        tags = [[t.text.lower() for t in li.find_elements(By.CLASS_NAME, "tag")] for li in items]
        classes = [next(t for t in tag if t in CLASSES) for tag in tags]
        assert classes == sorted(classes, key=CLASSES.index), (page.name, classes)


def test_hours_are_shown_in_words_everywhere(browser, demo, tmp_path):
    open_page(browser, demo / "copper-kettle.html")
    text = visible_text(browser)
    assert "Tuesday to Sunday, 11 am to 10 pm; closed on Monday" in text
    # Yelp's schema.org hours, in words, and the day that differs, in words.
    assert "Saturday, 11 am to 11 pm" in text
    assert "Saturday: the listing says 11 am to 11 pm, you say 11 am to 10 pm" in text
    save(browser, "demo-copper-kettle", tmp_path)
    for page in [demo / "index.html", *business_pages(demo)]:
        open_page(browser, page)
        found = OSM_OR_JSON.search(visible_text(browser))
        assert found is None, (page.name, found and found.group(0))


def test_the_own_website_is_one_source_never_a_duplicate(browser, demo):
    for name in ("copper-kettle", "harbor-lane", "mesa-verde"):  # two pages of their site each
        open_page(browser, demo / f"{name}.html")
        sources = [s.text for s in browser.find_elements(By.CSS_SELECTOR, "#sources .source-name")]
        assert sources.count("Your own website") == 1, (name, sources)
        duplicates = browser.find_elements(By.ID, "duplicates")
        assert not duplicates or "website" not in duplicates[0].text.lower(), name
        assert "2 pages of your site were read" in visible_text(browser)


@pytest.mark.parametrize("which", ["demo", "branded"])
def test_every_text_colour_has_aa_contrast(browser, which, request):
    folder = request.getfixturevalue(which)
    measured = 0
    for page in [folder / "index.html", *business_pages(folder)]:
        open_page(browser, page)
        for item in browser.execute_script(TEXT_COLOURS):
            background = _composite(item["backgrounds"])
            colour = _over(_rgba(item["colour"]), background)
            ratio = contrast(_hex(colour), _hex(background))
            assert ratio >= 4.5, (page.name, item["text"], item["colour"], _hex(background), ratio)
            measured += 1
    assert measured > 500  # every page's text, not a few elements


def test_the_portfolio_fits_400_px_with_every_column_in_view(browser, demo, tmp_path):
    open_page(browser, demo / "index.html", width=400)
    layout = browser.execute_script(OVERFLOW)
    assert layout["width"] == 400  # the viewport really is a phone's
    assert layout["page"] <= 400 and layout["wide"] == [], layout
    rows = browser.find_elements(By.CSS_SELECTOR, "table.portfolio tbody tr")
    assert len(rows) == 9
    for row in rows:
        cells = row.find_elements(By.CSS_SELECTOR, "th, td")
        assert len(cells) == 7 and all(c.is_displayed() and c.text.strip() for c in cells)
        labels = [c.get_attribute("data-label") for c in cells[1:]]
        assert labels == ["Score", "Urgent fixes", "Not listed on", "Since last check",
                          "Listings checked", "Not checked"]  # fmt: skip
    save(browser, "demo-portfolio-400px", tmp_path)
    for page in business_pages(demo):  # a client's own page reads on a phone too
        open_page(browser, page, width=400)
        layout = browser.execute_script(OVERFLOW)
        assert layout["page"] <= 400 and layout["wide"] == [], (page.name, layout)


def test_clients_with_one_name_are_told_apart_by_address(browser, demo):
    open_page(browser, demo / "index.html")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.portfolio tbody th")]
    northside = sorted(r for r in rows if r.startswith("Northside Hardware"))
    assert northside == ["Northside Hardware\n2211 N Elston Ave, Chicago, IL",
                         "Northside Hardware\n3300 W Irving Park Rd, Chicago, IL"]  # fmt: skip


def _rgba(text: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", text)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)  # type: ignore[return-value]


def _over(top: tuple, bottom: tuple) -> tuple:
    alpha = top[3]
    return (*(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], bottom[:3], strict=True)), 1.0)


def _composite(backgrounds: list[str]) -> tuple:
    """The colour behind an element: its ancestors' backgrounds laid over a white canvas."""
    colour = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(backgrounds):
        colour = _over(_rgba(layer), colour)
    return colour


def _hex(colour: tuple) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in colour[:3])
