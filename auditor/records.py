"""Read business records and listings from CSV, JSON or JSON Lines.

Headers match case-insensitively, with the aliases a user's spreadsheet has ("Business Name",
"Street Address", "ZIP Code", "Telephone", ...). A file that cannot be used at all raises
InputError naming the file, line and column; a bad row is returned as a RowProblem and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from napaudit.auditor.fields import FIELDS, STRUCTURED
from napaudit.auditor.models import Record

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


class InputError(Exception):
    """The whole file is unusable: the command stops (exit 2) and stores nothing."""

    def __init__(self, path: str | Path, message: str, line: int | None = None, column: str = ""):
        self.path, self.message, self.line, self.column = str(path), message, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        return _where(self.path, self.line, self.column) + self.message


@dataclass(frozen=True)
class RowProblem:
    """One row that was skipped, and why."""

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _where(self.path, self.line, self.column) + self.message + " (row skipped)"


def _where(path: str, line: int | None, column: str) -> str:
    where = path
    if line:
        where += f", line {line}"
    if column:
        where += f", column '{column}'"
    return where + ": "


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


def read_records(path: str | Path, kind: Kind) -> tuple[list[Record], list[RowProblem]]:
    """Every usable record in the file, and the rows that were skipped."""
    path = Path(path)
    text = _read_text(path)
    fmt = _detect_format(path, text)
    rows = _csv_rows(text, str(path)) if fmt == "csv" else _json_rows(text, str(path), fmt)
    return _build(rows, kind, str(path))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(path, "not CSV or JSON (a spreadsheet file? save it as CSV UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text (save it as CSV UTF-8)", line) from None
    if "\x00" in text:
        raise InputError(
            path, "not CSV or JSON (binary data)", text[: text.index("\x00")].count("\n") + 1
        )
    if not text.strip():
        raise InputError(path, "the file is empty")
    return text


def _detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    first = text.lstrip()[:1]
    return "json" if first in "[{" else "csv"


def _csv_rows(text: str, path: str):
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except csv.Error as exc:
        raise InputError(path, f"not CSV ({exc})", 1) from None
    headers = [h.strip() for h in headers]
    if not any(headers):
        raise InputError(path, "the first line must be a header naming the columns", 1)
    yield "headers", headers
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(path, f"not CSV ({exc})", line) from None
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(headers):
            yield (
                "problem",
                RowProblem(
                    path,
                    start,
                    "",
                    f"{len(values)} values but {len(headers)} columns in the header",
                ),
            )
            continue
        yield "row", (start, dict(zip(headers, values, strict=False)))


def _json_rows(text: str, path: str, fmt: str):
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise InputError(
                    path, f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno
                ) from None
            data = None  # several values one after another: JSON Lines
        if isinstance(data, dict):
            data = [data]
        if isinstance(data, list):
            yield from _json_array(text, path)
            return
        if data is not None:
            raise InputError(path, "JSON must be an array of objects, one per record", 1)
    yield from _json_lines(text, path)


def _json_array(text: str, path: str):
    """Each element with the line it starts on, so a bad one can be named."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1 if text.lstrip().startswith("[") else 0
    if pos == 0:  # a single object
        yield "object", (text[: len(text) - len(text.lstrip())].count("\n") + 1, json.loads(text))
        return
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        value, end = decoder.raw_decode(text, pos)
        yield "object", (text.count("\n", 0, pos) + 1, value)
        pos = end


def _json_lines(text: str, path: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == 1:
                raise InputError(path, f"not CSV or JSON ({exc.msg})", 1) from None
            yield "problem", RowProblem(path, number, "", f"not valid JSON ({exc.msg})")
            continue
        yield "object", (number, value)


def _build(rows, kind: Kind, path: str) -> tuple[list[Record], list[RowProblem]]:
    records: list[Record] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    mapping: dict[str, str] | None = None
    key_maps: dict[tuple, dict[str, str]] = {}
    for tag, payload in rows:
        if tag == "problem":
            problems.append(payload)
            continue
        if tag == "headers":
            mapping = map_headers(payload, kind, path)
            continue
        line, row = payload
        if tag == "object":
            if not isinstance(row, dict):
                problems.append(RowProblem(path, line, "", "expected an object {...}"))
                continue
            keys = tuple(row)
            if keys not in key_maps:  # JSON objects need not all have the same keys
                key_maps[keys] = map_headers(list(keys), kind, path, strict=mapping is None)
            row_map = key_maps[keys]
            mapping = mapping or row_map
        else:
            row_map = mapping
        record = _record(row, row_map, kind, path, line, problems)
        if record is None:
            continue
        key = (record.business_id or "", record.source, record.id)
        if key in seen:
            what = _IDENT[kind]
            problems.append(
                RowProblem(
                    path, line, what, f"duplicate {what} '{record.id}' (first on line {seen[key]})"
                )
            )
            continue
        seen[key] = line
        records.append(record)
    if mapping is None:
        raise InputError(path, "no records found")
    return records, problems


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
    if isinstance(value, (int, float)):
        return (str(int(value)) if float(value).is_integer() else str(value)), ""
    if isinstance(value, str):
        return value, ""
    if fld in STRUCTURED and isinstance(value, (list, dict)):
        return value, ""  # structured hours (schema.org openingHoursSpecification)
    if fld == "categories" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value), ""
    kind = "a list" if isinstance(value, list) else "an object"
    return "", f"expected text, got {kind}"
