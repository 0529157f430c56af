"""Read business records and listings from CSV, JSON or JSON Lines, as a stream.

Headers match case-insensitively, with the aliases a user's spreadsheet has ("Business Name",
"Street Address", "ZIP Code", "Telephone", ...). A file that cannot be used at all raises
InputError naming the file, line and column; a bad row is returned as a RowProblem and skipped.
`iter_records` reads within bounds (`auditor.reading`: regular files only, a size cap per file,
row, value, JSON nesting and number) and keeps in memory one record at a time, plus the keys
seen so far to catch duplicates (spilled to a temporary SQLite file past SEEN_IN_MEMORY keys);
`read_records` gathers them into a list; `read_aside` does so in a forked helper, for a large
file, while the caller works on something else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import os
import pickle
import re
import sqlite3
from collections.abc import Callable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Literal

from napaudit.auditor.cores import usable_cores
from napaudit.auditor.fields import FIELDS, STRUCTURED
from napaudit.auditor.jsonstream import json_items
from napaudit.auditor.models import Record
from napaudit.auditor.reading import (
    InputError,
    Limits,
    RowProblem,
    Source,
    csv_rows,
    default_limits,
    first_char,
    open_input,
)

__all__ = ["InputError", "Limits", "RowProblem", "iter_records", "map_headers", "read_aside",
           "read_records"]  # fmt: skip

Kind = Literal["canonical", "listings", "targets"]

# Column -> the header spellings that mean it, compared after lower-casing and dropping
# everything but letters and digits ("ZIP Code" -> "zipcode"). A record's fields declare their
# own (auditor.fields); a file's own columns (ids, the listing's source and page) are here, and
# win over a field's spelling ("url" is the listing's page in a listings file, the website in
# a file of businesses).
_OWN_COLUMNS: dict[Kind, dict[str, list[str]]] = {
    "canonical": {
        "id": ["id", "businessid", "storecode", "storeid", "locationid", "clientid", "ref",
               "recordid", "code"],
    },
    "listings": {
        "listing_id": ["listingid", "listingkey", "listing", "id"],
        "business_id": ["businessid", "clientid", "canonicalid", "storecode"],
        "source": ["source", "site", "directory", "publisher", "platform"],
        "url": ["url", "listingurl", "link", "pageurl"],
    },
    "targets": {
        "business_id": ["businessid", "id", "clientid", "storecode", "canonicalid"],
        "source": ["source", "site", "directory", "publisher", "platform"],
        "url": ["url", "listingurl", "link", "pageurl"],
    },
}  # fmt: skip


def _aliases(kind: Kind) -> dict[str, list[str]]:
    own = _OWN_COLUMNS[kind]
    if kind == "targets":
        return own
    taken = {alias for names in own.values() for alias in names} - {"id"}
    fields = {f.name: [a for a in f.aliases if a not in taken] for f in FIELDS}
    return {**fields, **own}


_ALIASES: dict[Kind, dict[str, list[str]]] = {k: _aliases(k) for k in _OWN_COLUMNS}
_REQUIRED: dict[Kind, tuple[str, ...]] = {
    "canonical": ("id", "name"),
    "listings": ("listing_id",),
    "targets": ("business_id", "source", "url"),
}
_IDENT: dict[Kind, str] = {"canonical": "id", "listings": "listing_id", "targets": "url"}


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def map_headers(headers: list[str], kind: Kind, path: str, strict: bool = True) -> dict[str, str]:
    """Header as written -> field. When `strict`, a missing required column raises InputError."""
    aliases = _ALIASES[kind]
    mapping: dict[str, str] = {}
    taken: dict[str, str] = {}
    # Exact field names win over aliases, then aliases in their listed order.
    for rank in range(max(len(a) for a in aliases.values())):
        for header in headers:
            key = header_key(header)
            if header in mapping:
                continue
            for fld, names in aliases.items():
                if fld not in taken and rank < len(names) and names[rank] == key:
                    mapping[header], taken[fld] = fld, header
                    break
    for fld in _REQUIRED[kind]:
        if strict and fld not in taken:
            wanted = " or ".join(f"'{a}'" for a in aliases[fld][:3])
            raise InputError(path, f"no {fld!r} column (expected a header like {wanted})", 1, fld)
    return mapping


def iter_records(
    path: str | Path, kind: Kind, limits: Limits | None = None
) -> Iterator[Record | RowProblem]:
    """Each usable record and each skipped row (a RowProblem), in file order, read as a stream.

    A file that cannot be used at all (missing, not a regular file, too large, not CSV or JSON)
    raises InputError here; one that turns out unusable further on (an unclosed quote, a bound
    broken) raises it during the iteration, after the records before it: a caller that stores
    as it goes must be ready to undo.
    """
    path, limits = Path(path), limits or default_limits()
    with contextlib.ExitStack() as stack:
        text = stack.enter_context(open_input(path, limits))
        fmt = _detect_format(path, first_char(text, path, limits))
        closing = stack.pop_all()  # from here on, the iteration closes the file
    return _records(closing, text, path, kind, fmt, limits)


def read_records(
    path: str | Path, kind: Kind, limits: Limits | None = None
) -> tuple[list[Record], list[RowProblem]]:
    """Every usable record in the file, and the rows that were skipped."""
    records: list[Record] = []
    problems: list[RowProblem] = []
    for item in iter_records(path, kind, limits):
        (problems if isinstance(item, RowProblem) else records).append(item)
    return records, problems


# A file at least this large is worth reading in a forked helper while this process works on
# something else (~0.9 s for bench/compare.py's 100,000 listings, 16 MB, against 0.14 s to take
# them back); a smaller one reads in less time than the helper costs.
ASIDE_FROM = 4 * 1024 * 1024  # bytes
_RECORD_VALUES = attrgetter(*(f.name for f in dataclasses.fields(Record)))  # in __init__'s order


def read_aside(path: str | Path, kind: Kind, prepare: Callable | None = None) -> Aside | None:
    """A forked helper reading `path` (its records taken back with `Aside.result`), when the
    file is large enough to be worth it and another core may take the work; else None.
    `prepare(records, problems)`, when given, runs in the helper on what it read, and what it
    returns (picklable) is what `result` gives instead."""
    try:
        big = os.stat(path).st_size >= ASIDE_FROM
    except OSError:
        return None  # read_records says what is wrong with it
    if not big or usable_cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if multiprocessing.current_process().daemon:  # such a process may not start one
        return None
    return Aside(str(path), kind, prepare)


def record_values(records: list[Record]) -> list[tuple]:
    """Each record's field values, in `Record`'s order: cheaper to pickle and to read back than
    the records (`Record(*values)` builds one again)."""
    return list(map(_RECORD_VALUES, records))


class Aside:
    """`read_records(path, kind)` run in a forked helper. What it read comes back pickled as
    each record's field values, the records built again here through their class (an object
    pickle rebuilds by setting its `__dict__` is slower to read from afterwards). When the
    helper fails, for whatever reason, the file is read here instead: its error is the one this
    process would have raised, with the same words (and `prepare` run here on what it read)."""

    def __init__(self, path: str, kind: Kind, prepare: Callable | None = None):
        self.path, self.kind, self.prepare = path, kind, prepare
        context = multiprocessing.get_context("fork")
        self._conn, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_read_aside, args=(path, kind, sending, prepare),
                                        daemon=True)  # fmt: skip
        self._process.start()
        sending.close()  # the helper's end only: its exit ends the pipe

    def ready(self) -> bool:
        """Whether what it read (or its failure) has come."""
        try:
            return self._conn.poll()
        except OSError:
            return True

    def result(self):
        """The records read and the rows skipped; or what `prepare` made of them."""
        try:
            payload = self._conn.recv_bytes()
        except (EOFError, OSError):  # the helper died
            payload = b""
        finally:
            self.close()
        if not payload:
            read = read_records(self.path, self.kind)
            return read if self.prepare is None else self.prepare(*read)
        if self.prepare is not None:
            return pickle.loads(payload)
        values, problems = pickle.loads(payload)
        return [Record(*v) for v in values], problems

    def close(self) -> None:
        """Stop the helper, if it still runs, and reap it (so that its CPU time is counted as
        this process's children's)."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _read_aside(path: str, kind: Kind, sending, prepare: Callable | None = None) -> None:
    """In the helper: the records as tuples of their field values (or what `prepare` made of
    them), pickled, or nothing."""
    try:
        records, problems = read_records(path, kind)
        made = (record_values(records), problems) if prepare is None else prepare(records, problems)
        payload = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        payload = b""  # the parent reads the file itself, for its own error
    with contextlib.suppress(OSError):  # the parent stopped waiting (its own input failed)
        sending.send_bytes(payload)
        sending.close()


def _records(closing, text, path: Path, kind: Kind, fmt: str, limits: Limits):
    with closing:
        source = Source(text, str(path), limits)
        rows = csv_rows(source, str(path)) if fmt == "csv" else json_items(source, str(path), fmt)
        yield from _build(rows, kind, str(path))


def _detect_format(path: Path, first: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "json" if first in "[{" else "csv"


def _build(rows, kind: Kind, path: str) -> Iterator[Record | RowProblem]:
    seen = _Seen()
    mapping: dict[str, str] | None = None
    key_maps: dict[tuple, dict[str, str]] = {}
    problems: list[RowProblem] = []  # what _record finds, passed on at once
    with seen:
        for tag, payload in rows:
            if tag == "problem":
                yield payload
                continue
            if tag == "headers":
                mapping = map_headers(payload, kind, path)
                continue
            line, row = payload
            if tag == "object":
                if not isinstance(row, dict):
                    yield RowProblem(path, line, "", "expected an object {...}")
                    continue
                keys = tuple(row)
                if keys not in key_maps:  # JSON objects need not all have the same keys
                    if len(key_maps) >= _KEY_MAPS:
                        key_maps.clear()
                    key_maps[keys] = map_headers(list(keys), kind, path, strict=mapping is None)
                row_map = key_maps[keys]
                mapping = mapping or row_map
            else:
                row_map = mapping
            record = _record(row, row_map, kind, path, line, problems)
            yield from problems
            problems.clear()
            if record is None:
                continue
            first = seen.first_line((record.business_id or "", record.source, record.id), line)
            if first is not None:
                what = _IDENT[kind]
                message = f"duplicate {what} '{record.id}' (first on line {first})"
                yield RowProblem(path, line, what, message)
                continue
            yield record
    if mapping is None:
        raise InputError(path, "no records found")


_KEY_MAPS = 1000  # header mappings kept for JSON objects with different keys
SEEN_IN_MEMORY = 200_000  # record keys kept in a dict before they move to a temporary file


class _Seen:
    """The line each record key was first seen on: a dict, then a temporary SQLite table, so
    that a file of millions of rows does not keep millions of keys in memory."""

    def __init__(self):
        self.lines: dict[bytes, int] = {}
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> _Seen:
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self.db.close()  # the temporary file goes with it

    def first_line(self, key: tuple[str, ...], line: int) -> int | None:
        """None the first time `key` is seen (remembering `line`), else the first line."""
        digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=16).digest()
        if self.db is None:
            if digest in self.lines:
                return self.lines[digest]
            self.lines[digest] = line
            if len(self.lines) > SEEN_IN_MEMORY:
                self._spill()
            return None
        cursor = self.db.execute("insert or ignore into seen values (?, ?)", (digest, line))
        if cursor.rowcount:
            return None
        return self.db.execute("select line from seen where key = ?", (digest,)).fetchone()[0]

    def _spill(self) -> None:
        # "" is a temporary on-disk database that SQLite deletes when it is closed
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("pragma journal_mode = off")
        self.db.execute("pragma synchronous = off")
        self.db.execute("create table seen (key blob primary key, line int) without rowid")
        self.db.execute("pragma cache_size = -16384")  # KiB: 16 MiB of pages, then the file
        self.db.execute("begin")
        self.db.executemany("insert into seen values (?, ?)", sorted(self.lines.items()))
        self.lines.clear()


def _record(
    row: dict, mapping: dict[str, str], kind: Kind, path: str, line: int, problems: list[RowProblem]
) -> Record | None:
    values: dict[str, object] = {}
    extra: dict[str, object] = {}
    for header, value in row.items():
        fld = mapping.get(header)
        if fld is None:
            extra[header] = value
            continue
        if type(value) is str:  # every CSV cell: _value would keep it as it is
            values[fld] = value
            continue
        clean, problem = _value(fld, value)
        if problem:
            problems.append(RowProblem(path, line, header, problem))
            return None
        values[fld] = clean
    ident_field = _IDENT[kind]
    for fld in _REQUIRED[kind]:
        if not str(values.get(fld, "")).strip():
            problems.append(RowProblem(path, line, _header_for(mapping, fld), f"empty {fld}"))
            return None
    if kind == "targets":
        url = str(values["url"]).strip()
        if not re.match(r"^https?://[^\s/]+", url, re.I):
            problems.append(RowProblem(path, line, _header_for(mapping, "url"),
                                       f"'{url}' is not an http(s) address"))  # fmt: skip
            return None
        values["url"] = url
    if kind == "targets":
        values["id"] = values["url"]  # a listing URL is its own key
        ident_field = "id"
    return Record(
        id=str(values.pop(ident_field)).strip(),
        business_id=(str(values.pop("business_id", "")).strip() or None),
        country=(str(values.pop("country", "")).strip() or "US"),
        line=line,
        extra=extra,
        **values,
    )


def _header_for(mapping: dict[str, str], fld: str) -> str:
    return next((h for h, f in mapping.items() if f == fld), fld)


def _value(fld: str, value: object) -> tuple[object, str]:
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return "", f"expected text, got {str(value).lower()}"
    if isinstance(value, int):
        return str(value), ""
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else str(value)), ""
    if isinstance(value, str):
        return value, ""
    if fld in STRUCTURED and isinstance(value, (list, dict)):
        return value, ""  # structured hours (schema.org openingHoursSpecification)
    if fld == "categories" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value), ""
    kind = "a list" if isinstance(value, list) else "an object"
    return "", f"expected text, got {kind}"
