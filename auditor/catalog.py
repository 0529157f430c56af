"""The source catalog (data/sources.toml): every source's kind, weight, what it feeds, how a
listing is found there and where the owner fixes it, and whether the way napaudit reads it is
verified on real pages or answers or only assumed. Validated on load: a mistake in the file is
an error naming the file, line, source and field, never a silent default.

A source's coverage, as `napaudit sources` and the report say it: "not checkable" (nothing can
be fetched automatically), "not searchable yet" (catalogued, but no spider reads it), else
"verified" (its markup or answer was read on real pages or recordings, named with their date)
or "assumed" (modelled from documentation or memory, not yet seen on a real page).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

CATALOG = Path(str(files("napaudit.data") / "sources.toml"))
KINDS = ("aggregator", "map", "directory", "social", "review", "open-data", "website")
FINDS = ("search", "api", "parquet", "website", "none")
EVIDENCE = ("verified", "assumed")
NOT_CHECKABLE, NOT_YET = "not checkable", "not searchable yet"
PLACEHOLDERS = frozenset({"name", "city", "state", "zip", "phone", "country"})
DEFAULT_WEIGHT = 3  # a source the catalog does not know: a small directory


class CatalogError(Exception):
    def __init__(self, path: Path | str, message: str, line: int | None = None):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: str
    country: str
    weight: int
    weight_basis: str
    find: str
    fix_url: str
    checkable: bool
    rate: float
    feeds: tuple[str, ...] = ()
    search_url: str = ""
    endpoint: str = ""
    key_env: str = ""
    why_not: str = ""
    evidence: str = "assumed"  # verified | assumed: how napaudit's reading of it is known
    verified_on: str = ""  # the real pages or recordings it was verified on, with their date
    through: str = ""  # the source whose published data it is read from (facebook: overture)
    fed_by: tuple[str, ...] = field(default=(), compare=False)  # filled in from `feeds`

    @property
    def reach(self) -> int:
        """How many sources this one supplies (aggregators), at least 1 (itself)."""
        return 1 + len(self.feeds)

    def coverage(self, has_spider: bool) -> tuple[str, str]:
        """(verified | assumed | not searchable yet | not checkable, the detail in words)."""
        if not self.checkable:
            return NOT_CHECKABLE, self.why_not
        if not has_spider:
            return NOT_YET, "catalogued, but no spider reads it yet"
        if self.evidence == "verified":
            return "verified", self.verified_on
        return "assumed", "read as documented or observed by hand; not yet seen on a real page"


_REQUIRED = {"id": str, "name": str, "kind": str, "country": str, "weight": int,
             "weight_basis": str, "feeds": list, "find": str, "fix_url": str,
             "checkable": bool, "rate": (int, float)}  # fmt: skip
_OPTIONAL = {"search_url": str, "endpoint": str, "key_env": str, "why_not": str,
             "evidence": str, "verified_on": str, "through": str}  # fmt: skip


@cache
def load_catalog(path: Path | str = CATALOG) -> dict[str, Source]:
    """Source id -> Source, in file order. Raises CatalogError on any mistake."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise CatalogError(
            path, f"not valid TOML ({exc})", int(line[1]) if line else None
        ) from None
    sources: dict[str, Source] = {}
    for entry in data.get("source", []):
        source = _source(entry, path, text)
        if source.id in sources:
            raise CatalogError(
                path, f"source '{source.id}' is listed twice", _line(text, source.id)
            )
        sources[source.id] = source
    if not sources:
        raise CatalogError(path, "no [[source]] entries")
    return _link_feeds(sources, path, text)


def _source(entry: dict, path: Path, text: str) -> Source:
    ident = entry.get("id", "?")
    line = _line(text, ident)

    def fail(fld: str, message: str) -> CatalogError:
        return CatalogError(path, f"source '{ident}', field '{fld}': {message}", line)

    for fld, kind in _REQUIRED.items():
        if fld not in entry:
            raise fail(fld, "missing")
        if not isinstance(entry[fld], kind) or (kind is int and isinstance(entry[fld], bool)):
            raise fail(fld, f"has the wrong type ({type(entry[fld]).__name__})")
    for fld in entry:
        if fld not in _REQUIRED and fld not in _OPTIONAL:
            raise fail(fld, "is not a catalog field")
    _check_values(entry, fail)
    values = {k: v for k, v in entry.items() if k != "feeds"}
    return Source(**values, feeds=tuple(entry["feeds"]))


def _check_values(entry: dict, fail) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry["id"]):
        raise fail("id", "use lower-case letters, digits and '-'")
    if entry["kind"] not in KINDS:
        raise fail("kind", f"must be one of {', '.join(KINDS)}")
    if not 1 <= entry["weight"] <= 10:
        raise fail("weight", "must be 1-10")
    if entry["find"] not in FINDS:
        raise fail("find", f"must be one of {', '.join(FINDS)}")
    if entry["find"] == "search":
        url = entry.get("search_url", "")
        if "{name}" not in url:
            raise fail("search_url", "a search source needs a search_url with {name}")
        unknown = set(re.findall(r"{(\w+)}", url)) - PLACEHOLDERS
        if unknown:
            raise fail("search_url", f"unknown placeholder {{{sorted(unknown)[0]}}}")
    if entry["find"] in ("api", "parquet") and not entry.get("endpoint"):
        raise fail("endpoint", f'a find = "{entry["find"]}" source needs an endpoint')
    if not entry["checkable"] and not entry.get("why_not"):
        raise fail("why_not", "say why a source cannot be checked")
    if entry["checkable"] and entry["find"] == "none":
        raise fail("find", "a checkable source needs a way to find its listings")
    if entry["rate"] <= 0:
        raise fail("rate", "must be above 0 requests per second")
    if entry.get("evidence", "assumed") not in EVIDENCE:
        raise fail("evidence", f"must be one of {', '.join(EVIDENCE)}")
    if entry.get("evidence") == "verified" and not entry.get("verified_on"):
        raise fail("verified_on", "say which real pages or recordings, and their date")


def _link_feeds(sources: dict[str, Source], path: Path, text: str) -> dict[str, Source]:
    fed_by: dict[str, list[str]] = {sid: [] for sid in sources}
    for source in sources.values():
        for target in source.feeds:
            if target not in sources:
                raise CatalogError(
                    path, f"source '{source.id}', field 'feeds': no source '{target}'",
                    _line(text, source.id),
                )  # fmt: skip
            fed_by[target].append(source.id)
        if source.through and source.through not in sources:
            raise CatalogError(
                path, f"source '{source.id}', field 'through': no source '{source.through}'",
                _line(text, source.id),
            )  # fmt: skip
    return {
        sid: Source(**{**s.__dict__, "fed_by": tuple(fed_by[sid])}) for sid, s in sources.items()
    }


def _line(text: str, ident: str) -> int | None:
    match = re.search(rf'^id\s*=\s*"{re.escape(str(ident))}"', text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def weight_of(source_id: str, catalog: dict[str, Source] | None = None) -> int:
    catalog = load_catalog() if catalog is None else catalog
    source = catalog.get(source_id)
    return source.weight if source else DEFAULT_WEIGHT
