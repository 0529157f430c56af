"""Reading an input file within bounds: the rows and JSON values `auditor.records` turns into
records, read as a stream.

A file that could hang or exhaust the machine is refused before a byte is read: anything but a
regular file (opening a FIFO for reading blocks until a writer comes, while `audit` holds the
run lock; /dev/zero never ends) and a file over the size cap. The text is then read a line or a
chunk at a time, and each row or JSON value, each value in it, each level of JSON nesting and
each number is bounded (`Limits`), so memory follows one record, not the file. What breaks a
bound is an InputError naming the file, line and column.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

FILE_BYTES = 2 * 1024**3  # one input file; a client list or a listing export is far smaller
RECORD_CHARS = 1024**2  # one CSV row (all its lines) or one JSON value
FIELD_CHARS = 64 * 1024  # one value (csv's own field_size_limit, 128 KiB, sits above it)
JSON_DEPTH = 16  # structured hours (schema.org) nest 4 deep inside a record
NUMBER_DIGITS = 30  # a phone number has at most 15 digits, a 64-bit id 20
CHUNK = 256 * 1024  # characters read at a time (JSON, and looking for the first one)


@dataclass(frozen=True)
class Limits:
    """The bounds one read keeps to; the module constants are the defaults."""

    file_bytes: int = FILE_BYTES
    record_chars: int = RECORD_CHARS
    field_chars: int = FIELD_CHARS
    json_depth: int = JSON_DEPTH
    number_digits: int = NUMBER_DIGITS


_defaults = Limits()


def default_limits() -> Limits:
    return _defaults


def set_default_limits(**changes: int) -> Limits:
    """The configuration hook: change the bounds every later read uses (a config file's
    values, say), e.g. set_default_limits(file_bytes=8 * 1024**3). Returns the new defaults."""
    global _defaults
    _defaults = dataclasses.replace(_defaults, **changes)
    return _defaults


class InputError(Exception):
    """The whole file is unusable: the command stops (exit 2) and stores nothing."""

    def __init__(self, path: str | Path, message: str, line: int | None = None, column: str = ""):
        self.path, self.message, self.line, self.column = str(path), message, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        return where(self.path, self.line, self.column) + self.message


@dataclass(frozen=True)
class RowProblem:
    """One row that was skipped, and why."""

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return where(self.path, self.line, self.column) + self.message + " (row skipped)"


def where(path: str, line: int | None, column: str) -> str:
    text = path
    if line:
        text += f", line {line}"
    if column:
        text += f", column '{column}'"
    return text + ": "


# --- opening ---------------------------------------------------------------------------------

_SPECIAL = [(stat.S_ISDIR, "is a folder, not a file"),
            (stat.S_ISFIFO, "is a FIFO (named pipe), not a file: napaudit reads regular files"),
            (stat.S_ISCHR, "is a device, not a file: napaudit reads regular files"),
            (stat.S_ISBLK, "is a device, not a file: napaudit reads regular files"),
            (stat.S_ISSOCK, "is a socket, not a file: napaudit reads regular files")]  # fmt: skip


def _refuse_special(path: Path, mode: int) -> None:
    for test, message in _SPECIAL:
        if test(mode):
            raise InputError(path, message)
    if not stat.S_ISREG(mode):
        raise InputError(path, "is not a regular file")


@contextlib.contextmanager
def open_input(path: Path, limits: Limits) -> Iterator[TextIO]:
    """The file as UTF-8 text (a BOM dropped, line endings kept), once it is known to be a
    regular file within the size cap and not a spreadsheet."""
    try:
        _refuse_special(path, os.stat(path).st_mode)  # before open(): a FIFO's open() blocks
        # O_NONBLOCK: should the path turn into a FIFO after the check, open() still returns
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as binary:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)
        if info.st_size > limits.file_bytes:
            size, cap = _size(info.st_size), _size(limits.file_bytes)
            raise InputError(path, f"{size}: larger than {cap}, the limit for one input file")
        head = binary.read(8)
        if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(path, "not CSV or JSON (a spreadsheet file? save it as CSV UTF-8)")
        binary.seek(0)
        yield io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GiB" if n >= 1024**3 else f"{n / 1024**2:.1f} MiB"


def first_char(text: TextIO, path: Path, limits: Limits) -> str:
    """The first character that is not white space (the file is read from the start again)."""
    source = Source(text, str(path), limits)
    while chunk := source.read(CHUNK):
        stripped = chunk.lstrip()
        if stripped:
            text.seek(0)
            return stripped[0]
    raise InputError(path, "the file is empty")


class Source:
    """The text of an open input, read a line or a chunk at a time within the file cap; a byte
    that is not UTF-8 or a NUL (binary data) stops the read, naming its line."""

    def __init__(self, text: TextIO, path: str, limits: Limits):
        self.text, self.path, self.limits = text, path, limits
        self.chars = 0
        self.newlines = 0  # "\n" in what was read: the line a NUL is on

    def readline(self) -> str:
        line = self._read(self.text.readline, self.limits.record_chars + 1)
        if len(line) > self.limits.record_chars:
            raise InputError(self.path, f"a line longer than {self.limits.record_chars:,} "
                                        "characters", self.newlines + 1)  # fmt: skip
        return line

    def read(self, size: int) -> str:
        return self._read(self.text.read, size)

    def _read(self, read, size: int) -> str:
        try:
            chunk = read(size)
        except UnicodeDecodeError:
            line = _bad_utf8_line(self.text.buffer)
            raise InputError(self.path, "not UTF-8 text (save it as CSV UTF-8)", line) from None
        nul = chunk.find("\x00")
        if nul >= 0:
            line = self.newlines + chunk.count("\n", 0, nul) + 1
            raise InputError(self.path, "not CSV or JSON (binary data)", line)
        self.chars += len(chunk)
        if self.chars > self.limits.file_bytes:  # a file that grows while it is read
            raise InputError(self.path, f"larger than {_size(self.limits.file_bytes)}, the "
                                        "limit for one input file")  # fmt: skip
        self.newlines += chunk.count("\n")
        return chunk


def _bad_utf8_line(binary: BinaryIO) -> int:
    """The line of the first byte that is not UTF-8 (the decoder reads ahead of the lines)."""
    binary.seek(0)
    decoder, line = codecs.getincrementaldecoder("utf-8")(), 1
    while chunk := binary.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return line + chunk[: max(exc.start, 0)].count(b"\n")
        line += chunk.count(b"\n")
    return line


# --- CSV -------------------------------------------------------------------------------------


class _RowTooLong(Exception):
    pass


class _Lines:
    """What csv.reader reads: a line at a time, keeping the lines of the row being read (to
    say where a bad quote is) and refusing a row longer than the record cap."""

    def __init__(self, source: Source):
        self.source, self.number, self.row, self.size = source, 0, [], 0
        self.pending: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line, self.pending = self.pending or self.source.readline(), None
        if not line:
            raise StopIteration
        self.number += 1
        self.row.append(line)
        self.size += len(line)
        if self.size > self.source.limits.record_chars:
            raise _RowTooLong
        return line

    def new_row(self) -> int:
        """Forget the last row's lines; the line the next row starts on."""
        self.row, self.size = [], 0
        return self.number + 1


def csv_rows(source: Source, path: str) -> Iterator[tuple[str, object]]:
    limits = source.limits
    csv.field_size_limit(max(csv.field_size_limit(), limits.field_chars + 1))
    lines = _Lines(source)
    lines.pending = source.readline()
    delimiter = max(",;\t|", key=lines.pending.split("\n", 1)[0].count)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    headers: list[str] = []
    while True:
        start = lines.new_row()
        try:
            values = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RowTooLong) as exc:
            raise _bad_row(path, lines, start, delimiter, headers, exc) from None
        if not headers:
            headers = [h.strip() for h in values]
            if not any(headers):
                raise InputError(path, "the first line must be a header naming the columns", 1)
            yield "headers", headers
            continue
        if not any(map(str.strip, values)):
            continue
        if values and max(map(len, values)) > limits.field_chars:  # looked for in C first
            i = next(i for i, v in enumerate(values) if len(v) > limits.field_chars)
            column = headers[i] if i < len(headers) else ""
            raise InputError(path, f"a value of {len(values[i]):,} characters (at most "
                                   f"{limits.field_chars:,})", start, column)  # fmt: skip
        if len(values) > len(headers):
            message = f"{len(values)} values but {len(headers)} columns in the header"
            yield "problem", RowProblem(path, start, "", message)
            continue
        yield "row", (start, dict(zip(headers, values, strict=False)))


def _bad_row(path, lines: _Lines, start: int, delimiter: str, headers: list[str], exc):
    """The InputError for a row csv could not read: a quote that never closes says where it
    opened (else it would swallow the rest of the file), text after a closing quote says
    where it is."""
    found = scan_quotes("".join(lines.row), delimiter, start)
    if found:
        problem, line, index = found
        column = headers[index] if index < len(headers) else ""
        return InputError(path, problem, line, column)
    if isinstance(exc, _RowTooLong):
        return InputError(path, f"a row longer than {lines.source.limits.record_chars:,} "
                                "characters", start)  # fmt: skip
    if "field larger than field limit" in str(exc):
        limit = lines.source.limits.field_chars
        return InputError(path, f"a value longer than {limit:,} characters", start)
    return InputError(path, f"not CSV ({exc})", start)


def scan_quotes(text: str, delimiter: str, line: int) -> tuple[str, int, int] | None:
    """Malformed quoting in one row's text, as csv reads it: (problem, line, field index)."""
    field, quoted, opened, at_start, i = 0, False, (line, 0), True, 0
    while i < len(text):
        char = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if quoted and char == '"':
            if nxt == '"':  # an escaped quote
                i += 2
                continue
            quoted = False
            if nxt not in (delimiter, "\r", "\n", ""):
                return "text after the closing quote of a quoted value", line, field
        elif not quoted and char == '"' and at_start:
            quoted, opened = True, (line, field)
        elif not quoted and char == delimiter:
            field, at_start, i = field + 1, True, i + 1
            continue
        if char == "\n" or (char == "\r" and nxt != "\n"):
            line += 1
        at_start, i = False, i + 1
    if quoted:
        return 'a quoted value opens here and never closes (an unclosed ")', *opened
    return None
