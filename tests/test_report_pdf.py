"""`napaudit report --format pdf` on the demo, as an agency sends it: a PDF per client and one for
the portfolio, with the agency's name, logo and footer, page numbers, and every fix; its pages,
rendered to PNG by pdftoppm (Debian's poppler-utils, installed by `make pdf`), show every fix
whole: no fix is cut across a page break.

How a cut is seen: printed, each fix is framed in a colour nothing else on the page uses
(--frame in _style.css). On each page image, every vertical stretch of a frame's left side must
end at a horizontal frame edge at both ends; a fix cut by a page break runs into the page's
margin instead. A control page printed with breaks allowed inside fixes shows that a cut is
found.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fixtures.report.demo import demo_store, napaudit
from napaudit.reports.pdf import RendererMissing, find_chromium, print_page

PIL = pytest.importorskip("PIL", reason="needs Pillow (pip install '.[test]')")
from PIL import Image, ImageChops  # noqa: E402

TOOLS = ("pdftoppm", "pdftotext", "pdfimages")
FRAME = (0x87, 0x92, 0xA8)  # --frame
AGENCY, FOOTER = "Acme Local Agency", "Prepared by Acme Local Agency for its clients"


def _renderer() -> str:
    try:
        find_chromium()
    except RendererMissing as exc:
        return str(exc)
    missing = [t for t in TOOLS if not shutil.which(t)]
    return f"needs {', '.join(missing)} (Debian: poppler-utils; make pdf)" if missing else ""


pytestmark = pytest.mark.skipif(bool(_renderer()), reason=_renderer() or "ready")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict:
    """The demo printed with an agency's branding; the report's JSON beside it, to compare."""
    db = demo_store(tmp_path_factory)
    folder = tmp_path_factory.mktemp("pdf")
    Image.new("RGB", (160, 48), (11, 95, 255)).save(folder / "acme.png")
    config = folder / "agency.toml"
    config.write_text(f'[branding]\nname = "{AGENCY}"\nlogo = "acme.png"\naccent = "#0b5fff"\n'
                      f'footer = "{FOOTER}"\n', encoding="utf-8")  # fmt: skip
    args = ("report", "--db", str(db), "--config", str(config), "--out", str(folder / "out"))
    done = napaudit(*args, "--format", "pdf", cwd=folder)
    assert done.returncode == 0, done.stderr[-2000:]
    assert napaudit(*args, "--format", "json", cwd=folder).returncode == 0
    data = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    return {"paths": [Path(line) for line in done.stdout.split()], "data": data,
            "folder": folder}  # fmt: skip


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


def test_a_pdf_per_client_and_one_for_the_portfolio(printed):
    names = sorted(p.name for p in printed["paths"])
    slugs = sorted(f"{b['slug']}.pdf" for b in printed["data"]["businesses"])
    assert names == sorted([*slugs, "portfolio.pdf"])
    assert all(p.read_bytes().startswith(b"%PDF-") for p in printed["paths"])


def test_every_page_has_the_agency_its_footer_and_its_number(printed):
    for pdf in printed["paths"]:
        pages = pages_text(pdf)
        for number, page in enumerate(pages, 1):
            assert AGENCY in page and FOOTER in page, (pdf.name, number)
            assert f"Page {number} of {len(pages)}" in page, (pdf.name, number)
        images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                text=True, check=True).stdout.splitlines()[2:]  # fmt: skip
        assert any(line.split()[0] == "1" for line in images), pdf.name  # the logo, page 1


def test_every_fix_is_in_the_client_pdf(printed):
    folder = printed["folder"] / "out"
    for business in printed["data"]["businesses"]:
        # Spacing aside: a line ends wherever the page's width puts it.
        text = re.sub(r"\s+", "", "".join(pages_text(folder / f"{business['slug']}.pdf")))
        assert business["fixes"], business["id"]
        for fix in business["fixes"]:
            assert re.sub(r"\s+", "", fix["text"]) in text, (business["id"], fix["text"])


def test_no_fix_is_cut_across_a_page_break(printed, tmp_path):
    folder = printed["folder"] / "out"
    for business in printed["data"]["businesses"]:
        pdf = folder / f"{business['slug']}.pdf"
        frames, cuts = frames_of(pdf, tmp_path / business["slug"])
        assert cuts == [], (pdf.name, cuts)
        assert frames == len(business["fixes"]), pdf.name  # each fix framed whole, once


def test_the_check_finds_a_fix_cut_across_a_page_break(tmp_path):
    """The control: fixes a third of a page tall, breaks allowed inside them."""
    from napaudit.reports.render import environment

    style = environment().get_template("_style.css").render()
    items = "".join(f'<li class="fix"><p class="what">Fix {n}</p></li>' for n in range(1, 9))
    html = (f"<!DOCTYPE html><html><head><style>{style} @page {{ size: Letter; margin: 16mm; }}"
            ".fix { height: 90mm; break-inside: auto !important; }</style></head><body>"
            f'<ol class="fixes">{items}</ol></body></html>')  # fmt: skip
    source = tmp_path / "control.html"
    source.write_text(html, encoding="utf-8")
    pdf = print_page(find_chromium(), source, tmp_path / "control.pdf")
    frames, cuts = frames_of(pdf, tmp_path / "control")
    assert cuts and frames < 8


def frames_of(pdf: Path, prefix: Path) -> tuple[int, list[str]]:
    """(whole frames, cut frames) over the PDF's pages rendered to PNG."""
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "72", "-aa", "no", "-aaVector", "no", "-png", str(pdf),
                    str(prefix / "page")], check=True)  # fmt: skip
    whole, cuts = 0, []
    for png in sorted(prefix.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        found, cut = _frames_on_page(Image.open(png))
        whole += found
        cuts += [f"{png.name}: {c}" for c in cut]
    return whole, cuts


def _frames_on_page(image) -> tuple[int, list[str]]:
    width, height = image.size
    mask = _mask(image.convert("RGB"))
    edges = []  # (row, first column) of each horizontal frame edge
    for y in range(height):
        runs = [m.span() for m in re.finditer(rb"\xff+", mask[y * width : (y + 1) * width])]
        long = [r for r in runs if r[1] - r[0] >= width // 3]
        if long:
            edges.append((y, long[0][0]))
    rows = [y for y, _ in edges]
    lefts = {x for _, x in edges}
    cuts, whole = [], 0
    # A frame's left side is the column where its edges start; with no edge on the page, any
    # column may hold the side of a fix taller than the page.
    for column in sorted(lefts or range(width)):
        side = mask[column::width]
        for match in re.finditer(rb"\xff{8,}", side):
            top, bottom = match.start(), match.end() - 1
            closed = [any(abs(y - end) <= 3 for y in rows) for end in (top, bottom)]
            if all(closed):
                whole += 1
            else:
                cuts.append(
                    f"frame side from y={top} to y={bottom} has no {'top' if not closed[0] else 'bottom'}"
                )
    return whole, cuts


def _mask(image) -> bytes:
    """255 where a pixel has the frame's colour, else 0."""
    bands = [band.point(lambda v, t=t: 255 if abs(v - t) <= 10 else 0)
             for band, t in zip(image.split(), FRAME, strict=True)]  # fmt: skip
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).tobytes()
