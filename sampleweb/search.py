"""Search on the local sample web: each directory's search page, and the mock APIs.

The index of what each source lists is built from the sample web itself: every listing page in
the manifest, read with the same extraction the spiders use (a page that cannot be read, a 404 or
a challenge, is listed with its business's own record, as a stale search index would), plus
look-alikes (sampleweb/site/<source>/_lookalikes.csv) that only appear in results. A search page
is the source's template `sampleweb/site/<source>/_search.html` (Jinja2) filled with the
results whose name shares a word with the query; an API source's answers come from
napaudit.sampleweb.mockapis.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from napaudit.auditor.catalog import load_catalog
from napaudit.auditor.normalize.text import STOPWORDS, words

SAMPLES = Path(str(files("napaudit.data") / "samples"))
_STOP = STOPWORDS
MAX_RESULTS = 10


class SampleSearch:
    def __init__(self, root: Path):
        self.root = root
        self.env = Environment(loader=FileSystemLoader(root), autoescape=select_autoescape())

    @cached_property
    def index(self) -> dict[str, list[dict]]:
        """source -> every business its search knows, each with the `path` of its page."""
        from napaudit.spiders.extract import extract  # the extraction the spiders use

        clients = _rows(SAMPLES / "clients.csv")
        by_id = {row["id"]: row for row in clients}
        index: dict[str, list[dict]] = {}
        for row in _rows(self.root / "listings.csv"):
            entry = {"path": row["path"], "business_id": row["business_id"]}
            page = _file(self.root, row["path"])
            found = extract(page.read_bytes(), row["path"]) if page and row["serve"] == "ok" else []
            client = by_id.get(row["business_id"])
            if not found and client is None:  # a web without the sample clients: not indexed
                continue
            shown = found[0].as_dict() if found else _as_shown(client)
            shown.pop("url", None)
            index.setdefault(row["source"], []).append({**shown, **entry})
        for table in sorted(self.root.glob("*/_lookalikes.csv")):
            index.setdefault(table.parent.name, []).extend(_rows(table))
        return index

    @cached_property
    def routes(self) -> list[tuple[str, re.Pattern, dict[str, str]]]:
        """(source, path pattern, query parameter -> placeholder) per searchable source."""
        routes = []
        for source in load_catalog().values():
            if not source.search_url:
                continue
            parts = urlsplit(source.search_url)
            path = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]*)", re.escape(parts.path))
            params = {k: m[0] for k, v in parse_qs(parts.query).items()
                      if (m := re.findall(r"{(\w+)}", v[0]))}  # fmt: skip
            routes.append((source.id, re.compile(f"^/{source.id}{path}$"), params))
        return routes

    def answer(self, path: str, query: str, headers: dict[str, str] | None = None
               ) -> tuple[int, dict[str, str], bytes] | None:  # fmt: skip
        """The search page or API answer for this request, or None when it is neither."""
        source = path.split("/")[1] if path.count("/") > 1 else ""
        try:
            from napaudit.sampleweb import mockapis
        except ImportError:  # the mock APIs are optional
            mockapis = None
        if mockapis is not None and source in getattr(mockapis, "SOURCES", ()):
            params = {k: v[-1] for k, v in parse_qs(query).items()}
            got = mockapis.respond(
                source, path, params, self.index.get(source, []), headers=headers,
                search=lambda text: self.search(source, text),
            )  # fmt: skip
            if got is not None:  # None: not an API path (yelp's public site)
                status, body = got
                return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
        for sid, pattern, params in self.routes:
            m = pattern.match(path)
            if sid == source and m and (self.root / sid / "_search.html").exists():
                values = {**m.groupdict(), **_query_values(query, params)}
                return 200, {}, self.render(sid, values)
        return None

    def render(self, source: str, values: dict[str, str]) -> bytes:
        text = unquote_plus(values.get("name", ""))
        results = self.search(source, text)
        page = self.env.get_template(f"{source}/_search.html")
        return page.render(query=text, where=values, results=results).encode()

    @cached_property
    def by_word(self) -> dict[str, dict[str, list[int]]]:
        """source -> its entries' name words: a search reads no other entry."""
        return {source: word_index(entries) for source, entries in self.index.items()}

    def search(self, source: str, text: str) -> list[dict]:
        return find_by_words(self.index.get(source, []), text, self.by_word.get(source, {}))


def word_index(entries: list[dict]) -> dict[str, list[int]]:
    """Name word -> the positions of the entries whose name has it."""
    table: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        for word in set(words(entry.get("name", ""))):
            table.setdefault(word, []).append(i)
    return table


def find_by_words(
    entries: list[dict], text: str, by_word: dict[str, list[int]] | None = None
) -> list[dict]:
    """The entries whose name shares a word with `text`, most shared words first: what the
    sample web's search pages and mock APIs answer."""
    if by_word is None:
        by_word = word_index(entries)
    wanted = {w for w in words(text) if len(w) > 2 and w not in _STOP}
    shared: dict[int, int] = {}
    for word in wanted:
        for i in by_word.get(word, ()):
            shared[i] = shared.get(i, 0) + 1
    ranked = sorted(shared, key=lambda i: (-shared[i], entries[i].get("name", ""), i))
    return [entries[i] for i in ranked[:MAX_RESULTS]]


def _query_values(query: str, params: dict[str, str]) -> dict[str, str]:
    given = parse_qs(query)
    return {placeholder: given.get(name, [""])[-1] for name, placeholder in params.items()}


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _file(root: Path, path: str) -> Path | None:
    relative = path.strip("/")
    for candidate in (relative, relative + ".html", relative + "/index.html"):
        target = root / candidate
        if target.is_file():
            return target
    return None


def _as_shown(client: dict) -> dict:
    keys = ("name", "address", "city", "state", "zip", "phone", "website")
    return {k: client.get(k, "") for k in keys}
