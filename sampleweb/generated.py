"""A generated sample web for measuring and resuming big runs: N generated businesses, each
listed on every source napaudit can search, with search pages in each source's own markup (the
sample web's templates) and listing pages that carry JSON-LD.

Used by bench/batch.py (1,000 businesses) and the resume test (30 businesses).
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from napaudit.auditor.catalog import load_catalog
from napaudit.sampleweb.search import SampleSearch
from napaudit.sampleweb.server import SAMPLEWEB, SampleWeb

_WORDS = [
    "Harbor",
    "Copper",
    "Kettle",
    "Golden",
    "Dragon",
    "Maple",
    "Cedar",
    "Summit",
    "River",
    "Lantern",
    "Beacon",
    "Orchard",
    "Granite",
    "Willow",
    "Falcon",
    "Meadow",
    "Juniper",
]
_TRADES = [
    "Dental",
    "Plumbing",
    "Bakery",
    "Hardware",
    "Auto Repair",
    "Salon",
    "Cafe",
    "Law Office",
    "Florist",
    "Pharmacy",
    "Fitness",
    "Pet Care",
]
_PLACES = [
    ("Costa Mesa", "CA", "92626", "714"),
    ("Phoenix", "AZ", "85012", "602"),
    ("Chicago", "IL", "60614", "773"),
    ("San Francisco", "CA", "94107", "415"),
    ("New York", "NY", "10019", "212"),
    ("Austin", "TX", "78701", "512"),
]
# Sources whose spiders follow only links in the site's own listing-path shape.
_PAGE_PATH = {"manta": "/manta/c/m{id}/listing", "hotfrog": "/hotfrog/company/{id}/listing"}
_STREETS = ["Main St", "Harbor Blvd", "Central Ave", "Elm St", "Oak Ave", "Mission St"]  # fmt: skip


@dataclass(frozen=True)
class Generated:
    id: str
    name: str
    address: str
    city: str
    state: str
    zip: str
    phone: str
    website: str


def businesses(n: int, seed: int = 11) -> list[Generated]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        city, state, zip5, area = _PLACES[i % len(_PLACES)]
        # the number is a word of its own (4 digits), so a search for one business ranks it first
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_TRADES)} {i:04d}"
        out.append(Generated(
            id=f"g{i}", name=name, address=f"{100 + i} {rng.choice(_STREETS)}", city=city,
            state=state, zip=zip5, phone=f"({area}) 555-{i % 10000:04d}",
            website=f"https://www.gen{i}.example/",
        ))  # fmt: skip
    return out


def write_clients(path: Path, generated: list[Generated]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "address", "city", "state", "zip", "phone", "website"])
        for g in generated:
            writer.writerow([g.id, g.name, g.address, g.city, g.state, g.zip, g.phone, g.website])
    return path


class GeneratedSearch(SampleSearch):
    """The sample web's search pages and mock APIs, over a generated index."""

    def __init__(self, index: dict[str, list[dict]]):
        super().__init__(SAMPLEWEB)
        self.__dict__["index"] = index  # in place of the cached property


class GeneratedWeb(SampleWeb):
    """Every source lists every generated business; `latency` slows each answer down (the
    server waits that long before answering: SampleWeb.answering)."""

    def __init__(self, generated: list[Generated], sources: list[str], latency: float = 0.0):
        super().__init__(root=SAMPLEWEB)
        self.generated = {g.id: g for g in generated}
        self.sources = sources
        self.latency = latency

    @cached_property
    def pages(self) -> dict[str, Generated]:
        """Listing path -> business: each source's pages in the path shape its spider expects."""
        return {
            _PAGE_PATH.get(source, "/{source}/biz/{id}").format(source=source, id=g.id): g
            for source in self.sources
            for g in self.generated.values()
        }

    @cached_property
    def search(self) -> GeneratedSearch:
        index: dict[str, list[dict]] = {}
        for path, g in self.pages.items():
            source = path.split("/")[1]
            index.setdefault(source, []).append({**g.__dict__, "path": path, "business_id": g.id})
        return GeneratedSearch(index)

    def answer(self, path: str, query: str = "", headers: dict[str, str] | None = None
               ) -> tuple[int, dict[str, str], bytes | None]:  # fmt: skip
        if path == "/robots.txt":
            return 200, {}, b"User-agent: *\nDisallow:\n"
        if path in self.pages:
            return 200, {}, _listing_page(self.pages[path])
        parts = path.strip("/").split("/")
        if parts[0] == "website" and len(parts) >= 2 and parts[1].startswith("gen"):
            business = self.generated.get("g" + parts[1][3:])
            if business:
                return 200, {}, _listing_page(business)
        found = self.search.answer(path, query, headers)
        return found if found is not None else (404, {}, b"<h1>404 Not Found</h1>")


def _listing_page(g: Generated) -> bytes:
    ld = {"@context": "https://schema.org", "@type": "LocalBusiness", "name": g.name,
          "telephone": g.phone, "url": g.website, "openingHours": "Mo-Fr 09:00-17:00",
          "address": {"@type": "PostalAddress", "streetAddress": g.address,
                      "addressLocality": g.city, "addressRegion": g.state,
                      "postalCode": g.zip}}  # fmt: skip
    head = f'<title>{g.name}</title><script type="application/ld+json">{json.dumps(ld)}</script>'
    return f"<html><head>{head}</head><body><h1>{g.name}</h1></body></html>".encode()


def answerable_sources() -> list[str]:
    """Sources a generated web answers: a search page, a mock API, or the website itself."""
    from napaudit.sampleweb.mockapis import SOURCES as apis
    from napaudit.spiders.sources import spider_classes

    pages = {p.parent.name for p in SAMPLEWEB.glob("*/_search.html")}
    return sorted(s for s in spider_classes() if s == "website" or s in pages or s in apis)


def keys_env() -> dict[str, str]:
    """A made-up key for every API source: the mock APIs take any key starting with "test-"."""
    return {s.key_env: "test-generated" for s in load_catalog().values() if s.key_env}


def stored(db: Path) -> tuple[set, set]:
    """What a run stored, to compare two runs: its listings and their findings."""
    from napaudit.auditor.history import History

    with History(db) as history:
        return history.stored()
