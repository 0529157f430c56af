"""The report as PDF files an agency hands to its clients: the HTML pages printed by headless
Chromium (`--print-to-pdf`), one per business and one for the portfolio.

Why Chromium: the PDF is then the very page the browser tests check (one engine, one style
sheet), Chromium prints CSS page margin boxes (the agency's name on every page, the footer,
"Page 2 of 5") since version 131, and it installs from Debian (`apt-get install chromium`) with
no Python package. Each page is printed by its own short-lived Chromium with a throw-away
profile, from a temporary folder, with the network never used: the pages load nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from napaudit.auditor.config import Branding
from napaudit.reports.load import ReportError

CHROMIUM_ENV = "NAPAUDIT_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 120  # seconds for one page; a report page prints in 1-3 s
PORTFOLIO_PDF = "portfolio.pdf"


class RendererMissing(ReportError):
    """No Chromium to print with: the environment, not the input (exit code 4)."""


def find_chromium() -> str:
    """The Chromium to print with: $NAPAUDIT_CHROMIUM, else the first of CANDIDATES on PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        found = shutil.which(named)
        if not found:
            raise RendererMissing(f"${CHROMIUM_ENV}={named}: no such program")
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise RendererMissing(
        "a PDF report needs Chromium to print it: install it (Debian: apt-get install "
        f"chromium) or point ${CHROMIUM_ENV} at it"
    )


def write_pdf(data: dict, out: Path, portfolio: bool = True, brand: Branding | None = None):
    """<slug>.pdf per business and, with `portfolio`, portfolio.pdf; returns their paths."""
    from napaudit.reports.render import pages

    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="napaudit-pdf-") as tmp:
        jobs = []
        for name, html in pages(data, portfolio, brand, printed=True):
            source = Path(tmp) / name
            source.write_text(html, encoding="utf-8")
            stem = "portfolio" if name == "index.html" else Path(name).stem
            target = out / (PORTFOLIO_PDF if stem == "portfolio" else f"{stem}.pdf")
            jobs.append((source, target))
        workers = max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda job: print_page(chromium, *job), jobs))


def print_page(chromium: str, source: Path, target: Path) -> Path:
    """Print one HTML file to `target` (written beside it, then renamed into place)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="napaudit-chromium-") as profile:
        command = [
            chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-pdf-header-footer", f"--user-data-dir={profile}",
            f"--print-to-pdf={partial}", source.as_uri(),
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root without it
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise ReportError(f"{target}: Chromium did not finish within {TIMEOUT} s") from None
    if done.returncode != 0 or not _is_pdf(partial):
        partial.unlink(missing_ok=True)
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ReportError(f"{target}: Chromium could not print the page ({last})")
    os.replace(partial, target)
    return target


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False
