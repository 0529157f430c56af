r"""Findings as JSON Lines, JSON, CSV or plain text: the contract `napaudit compare` prints.

CSV is made safe for spreadsheets (`csv_safe`, `csv_writer`; the report's CSV uses them too):

- every cell is quoted, so a carriage return or line feed inside scraped text stays inside its
  cell. (Python's csv module quotes a cell for the characters of its own line terminator only:
  with lineterminator="\n", a bare "\r" went out unquoted, and a reader that ends rows at CR
  saw a new row begin with the rest of the cell.)
- a cell whose first visible character could start a formula gets a leading `'`, which
  spreadsheets read as "this is text". Those characters: `=` `+` `-` `@` (formulas and DDE),
  tab, CR and LF (OWASP's list, LF added), `"` and `'` (an import that strips one level of
  quoting would expose what follows), and their full-width and small forms (`＝`, `﹢`...,
  anything NFKC turns into one of them). "First visible" skips spaces and Unicode format
  characters (category Cf: zero-width space and joiners, word joiner, BOM, soft hyphen, the
  bidi marks and embeddings LRM, RLM, ALM, LRE..RLO, LRI..PDI), which a reader does not see and
  an import that trims them (LibreOffice's "Trim spaces") would drop: "\u200b=1+1" and " =1"
  are prefixed like "=1+1".
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from napaudit.auditor.jsontext import json_text
from napaudit.auditor.models import Result, VerdictStrings, verdict_strings

FORMATS = ("jsonl", "json", "csv", "text")
CSV_COLUMNS = ("listing_id", "source", "url", "business_id", "match_score", "field", "status",
               "canonical", "found", "reason", "severity")  # fmt: skip
FORMULA_START = frozenset("=+-@\t\r\n\"'")


def listing_object(r: Result) -> dict:
    return {**_head(r), "fields": _fields(r), **_tail(r)}


def _head(r: Result) -> dict:
    """A listing object's keys before its fields."""
    rec = r.listing
    return {
        "listing_id": rec.id,
        "source": rec.source or None,
        "url": rec.url or None,
        "business_id": r.business.record.id if r.business else None,
        "linked_by": r.linked_by,
        "match_score": r.match.score if r.match else None,
    }


def _fields(r: Result) -> dict:
    return {v.field: v.as_dict() for v in r.verdicts}


def _tail(r: Result) -> dict:
    """A listing object's keys after its fields: how it was identified, when it was."""
    if r.match is None:
        return {}
    if r.business is None:
        return {"evidence": r.match.evidence, "best_candidate": r.match.candidate}
    return {"evidence": r.match.evidence}


def csv_safe(value: object) -> str:
    """The cell as text, with a leading `'` when its first visible character could start a
    formula (see the module's docstring for which)."""
    text = "" if value is None else str(value)
    for char in text:
        if char in FORMULA_START or unicodedata.normalize("NFKC", char)[:1] in FORMULA_START:
            return "'" + text
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            break  # a visible character that starts no formula
    return text


def csv_writer(stream: TextIO, lineterminator: str = "\r\n"):
    """A csv writer that quotes every cell: CR and LF never end a row early, whatever the
    line terminator and Python version."""
    return csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator=lineterminator)


class Writer:
    """Writes results to `out` in `fmt`: each result as `encoder(fmt)` encodes it, which may run
    in another process (compare's workers), then `write` puts it in place."""

    def __init__(self, out: TextIO, fmt: str):
        self.out, self.fmt, self.count = out, fmt, 0

    def tee(self, results: Iterable[Result]) -> Iterator[Result]:
        encode = encoder(self.fmt)
        self.begin()
        for r in results:
            self.write(encode(r))
            yield r
        self.end()

    def begin(self) -> None:
        if self.fmt == "json":
            self.out.write("[")
        elif self.fmt == "csv":
            self.out.write(_csv_lines([CSV_COLUMNS]))

    def write(self, encoded: str) -> None:
        """One result, as `encoder(fmt)` encoded it."""
        if self.fmt == "json":
            self.out.write(("\n" if not self.count else ",\n") + encoded)
        else:
            self.out.write(encoded)
        self.count += 1

    def end(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")


def encoder(fmt: str) -> Callable[..., str]:
    """A function giving one result's text in `fmt` (in json: the object, without the comma),
    called with the result and, optionally, its verdicts' strings (`verdict_strings`)."""
    return {"jsonl": _jsonl, "json": _json, "csv": _csv, "text": text_block}[fmt]


def _jsonl(r: Result, strings: VerdictStrings | None = None) -> str:
    return listing_json(r, strings) + "\n"


def _json(r: Result, strings: VerdictStrings | None = None) -> str:
    return listing_json(r, strings)


def listing_json(r: Result, strings: VerdictStrings | None = None) -> str:
    """json.dumps(listing_object(r), ensure_ascii=False), the fields written from their strings
    (compare writes a line a listing: 27 us a line through json.dumps, 15 this way, measured
    2026-12-03). Fields that are not all text, or a field judged twice (the dict keeps the last
    verdict), go through json.dumps. `strings`: the verdicts' values encoded, when the caller
    has them (compare stores them too)."""
    written = _fields_text(r.verdicts, strings)
    if written is None:
        written = json_text(_fields(r))[1:-1]
    text = json_text(_head(r))[:-1] + ', "fields": {' + written + "}"
    tail = _tail(r)
    return text + (", " + json_text(tail)[1:] if tail else "}")


def _fields_text(verdicts, strings: VerdictStrings | None = None) -> str | None:
    """The verdicts as json.dumps writes the fields' object, without its braces; None when one
    is not text or a field comes twice."""
    if len({v.field for v in verdicts}) != len(verdicts):
        return None
    if strings is None and (strings := verdict_strings(verdicts)) is None:
        return None  # a value that is not text
    return ", ".join(
        f'{field}: {{"status": {status}, "canonical": {canonical}, "found": {found}, '
        f'"reason": {reason}, "severity": {severity}}}'
        for field, status, canonical, found, reason, severity, _ in strings
    )


def _csv(r: Result, strings: VerdictStrings | None = None) -> str:
    obj = listing_object(r)
    head = [obj["listing_id"], obj["source"], obj["url"], obj["business_id"], obj["match_score"]]
    if not r.verdicts:
        reason = "not identified: " + "; ".join(obj.get("evidence") or [])
        rows = [head + ["", "unmatched", "", "", reason, ""]]
    else:
        rows = [
            head + [v.field, v.status, v.canonical, v.found, v.reason, v.severity]
            for v in r.verdicts
        ]
    return _csv_lines([[csv_safe(cell) for cell in row] for row in rows])


_CSV_BUFFER = io.StringIO()
_CSV = csv_writer(_CSV_BUFFER, lineterminator="\n")


def _csv_lines(rows) -> str:
    """The rows as CSV text, each cell quoted (one buffer, reused: a worker encodes thousands)."""
    _CSV_BUFFER.seek(0)
    _CSV_BUFFER.truncate()
    _CSV.writerows(rows)
    return _CSV_BUFFER.getvalue()


def text_block(r: Result, strings: VerdictStrings | None = None) -> str:
    """A few lines a person reads in a terminal."""
    rec = r.listing
    where = " ".join(p for p in (rec.source, rec.id) if p)
    if r.business is None:
        best = (
            f" (best candidate {r.match.candidate}, {r.match.score:.2f})"
            if r.match.candidate
            else ""
        )
        return f"{where}: not identified{best}: {'; '.join(r.match.evidence)}\n\n"
    how = "given" if r.match is None else f"identified, score {r.match.score:.2f}"
    lines = [f"{where} -> {r.business.record.id} {r.business.record.name} ({how})"]
    for v in r.verdicts:
        flag = "" if v.severity == "none" else f" [{v.severity}]"
        lines.append(f"  {v.field:<8} {v.status:<8}{flag} {v.reason}")
        if v.status in ("variant", "mismatch"):
            lines.append(f"  {'':<8} yours: {v.canonical!r}  listing: {v.found!r}")
    return "\n".join(lines) + "\n\n"
