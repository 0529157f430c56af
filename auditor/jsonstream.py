"""JSON input read as a stream: the elements of an array, or a run of values (JSON Lines, or
one object), each decoded on its own from a buffer that holds about one value, with its line.

Bounds (`auditor.reading.Limits`): a value longer than the record cap, nested deeper than the
depth cap, a string longer than the field cap, or a number with more digits than the number
cap is an InputError naming the line and the top-level key it is under; so is text holding an
unpaired surrogate (a lone "\\ud800" escape), which no UTF-8 file or database can hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from napaudit.auditor.normalize.text import UNPAIRED_SURROGATE as _SURROGATE
from napaudit.auditor.reading import CHUNK, InputError, Limits, RowProblem, Source


class _Number:
    """A number too long to be a value of a record, kept so the check can say where it is."""

    def __init__(self, problem: str):
        self.problem = problem


def _decoder(limits: Limits) -> json.JSONDecoder:
    """A decoder whose numbers are bounded: Python turns a 5,000-digit integer into a
    ValueError, and a 400-digit one into an int no float holds."""

    def number(text: str, convert):
        digits = sum(c.isdigit() for c in text)
        if digits > limits.number_digits:
            return _Number(f"a number with {digits:,} digits (at most {limits.number_digits})")
        return convert(text)

    def constant(name: str) -> _Number:
        return _Number(f"{name} is not a number JSON allows")

    return json.JSONDecoder(parse_int=lambda t: number(t, int),
                            parse_float=lambda t: number(t, float),
                            parse_constant=constant)  # fmt: skip


def _surrogate_problem(char: str) -> str:
    return f"text with an unpaired surrogate (\\u{ord(char):04x}), which is not Unicode text"


def check_value(value: object, limits: Limits) -> tuple[str, str] | None:
    """What breaks a bound in one decoded value: (its top-level key, the problem)."""
    stack = [(value, 1, "")]
    while stack:
        item, depth, key = stack.pop()
        if isinstance(item, dict | list) and depth > limits.json_depth:
            return key, f"nested deeper than {limits.json_depth} levels"
        if isinstance(item, dict):
            for k, v in item.items():
                if len(k) > limits.field_chars:
                    return key, f"a key of {len(k):,} characters"
                if not k.isascii() and (odd := _SURROGATE.search(k)):
                    return key or ascii(k)[1:-1], _surrogate_problem(odd.group())  # printable
                stack.append((v, depth + 1, key or k))
        elif isinstance(item, list):
            stack.extend((v, depth + 1, key) for v in item)
        elif isinstance(item, str):
            if len(item) > limits.field_chars:
                return key, f"a value of {len(item):,} characters (at most {limits.field_chars:,})"
            if not item.isascii() and (odd := _SURROGATE.search(item)):
                return key, _surrogate_problem(odd.group())
        elif isinstance(item, _Number):
            return key, item.problem
    return None


class _Buffer:
    """JSON text read a chunk at a time, and the line of the position the decoder is at."""

    def __init__(self, source: Source, path: str):
        self.source, self.path, self.text, self.pos, self.line = source, path, "", 0, 1
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        self.text, self.pos = self.text[self.pos :], 0
        chunk = self.source.read(CHUNK)
        self.text += chunk
        self.eof = not chunk
        return bool(chunk)

    def advance(self, to: int) -> None:
        self.line += self.text.count("\n", self.pos, to)
        self.pos = to

    def skip(self, chars: re.Pattern) -> str:
        """Past every character `chars` matches: the next character, or '' at the end."""
        while True:
            self.advance(chars.match(self.text, self.pos).end())
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def value(self, decoder: json.JSONDecoder, limits: Limits) -> tuple[object, int]:
        """The JSON value at the position, reading on while it is incomplete; and its end."""
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
                whole = end < len(self.text) or self.eof  # a number may go on in the next chunk
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.text) - 8 or exc.msg.startswith("Unterminated")
                if self.eof or not near_end:
                    raise
                value, end, whole = None, len(self.text), False
            except RecursionError:
                raise InputError(self.path, f"nested deeper than {limits.json_depth} levels",
                                 self.line) from None  # fmt: skip
            if end - self.pos > limits.record_chars:
                raise InputError(self.path, f"a record longer than {limits.record_chars:,} "
                                            "characters", self.line)  # fmt: skip
            if whole:
                return value, end
            self.more()

    def error_line(self, exc: json.JSONDecodeError) -> int:
        return self.line + self.text.count("\n", self.pos, exc.pos)

    def take_line(self) -> str | None:
        """The rest of the current line, without its end, moving past it; None at the end."""
        cap = self.source.limits.record_chars
        while (end := self.text.find("\n", self.pos)) < 0:
            if len(self.text) - self.pos > cap:
                raise InputError(self.path, f"a line longer than {cap:,} characters", self.line)
            if not self.more():
                if self.pos >= len(self.text):
                    return None
                end = len(self.text)
                break
        line = self.text[self.pos : end]
        self.advance(min(end + 1, len(self.text)))
        return line


_SPACE = re.compile(r"[ \t\r\n]*")
_BETWEEN = re.compile(r"[ \t\r\n,]*")  # between the elements of an array


def json_items(source: Source, path: str, fmt: str) -> Iterator[tuple[str, object]]:
    """A JSON array's elements, JSON Lines' lines, or JSON values one after another."""
    buffer, decoder = _Buffer(source, path), _decoder(source.limits)
    if buffer.skip(_SPACE) == "[":
        return _array(buffer, decoder, path)
    if fmt == "jsonl":
        return _lines(buffer, decoder, path)
    return _values(buffer, decoder, path)


def _array(buffer: _Buffer, decoder: json.JSONDecoder, path: str):
    limits, opened = buffer.source.limits, buffer.line
    buffer.advance(buffer.pos + 1)
    while (char := buffer.skip(_BETWEEN)) != "]":
        if not char:
            raise InputError(path, "not valid JSON (the array that opens here never closes)",
                             opened)  # fmt: skip
        line = buffer.line
        try:
            value, end = buffer.value(decoder, limits)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg}, column {exc.colno})",
                             buffer.error_line(exc)) from None  # fmt: skip
        _check(value, limits, path, line, buffer.text[buffer.pos : end])
        buffer.advance(end)
        yield "object", (line, value)


def _lines(buffer: _Buffer, decoder: json.JSONDecoder, path: str):
    """JSON Lines: a value per line; a bad line is skipped, unless it is the first."""
    limits, first = buffer.source.limits, True
    while True:
        line = buffer.line
        text = buffer.take_line()
        if text is None:
            return
        if not text.strip():
            continue
        try:
            value, end = decoder.raw_decode(text, len(text) - len(text.lstrip()))
            if text[end:].strip():
                raise json.JSONDecodeError("Extra data", text, end)
        except json.JSONDecodeError as exc:
            if first:
                raise InputError(path, f"not CSV or JSON ({exc.msg})", line) from None
            yield "problem", RowProblem(path, line, "", f"not valid JSON ({exc.msg})")
            continue
        except RecursionError:
            raise InputError(path, f"nested deeper than {limits.json_depth} levels", line) from None
        first = False
        _check(value, limits, path, line, text)
        yield "object", (line, value)


def _values(buffer: _Buffer, decoder: json.JSONDecoder, path: str):
    """One object, or values one after another (JSON Lines in a .json file): a bad one after
    the first is skipped to the end of its line."""
    limits, first = buffer.source.limits, True
    while buffer.skip(_SPACE):
        line = buffer.line
        try:
            value, end = buffer.value(decoder, limits)
        except json.JSONDecodeError as exc:
            if first:
                raise InputError(path, f"not valid JSON ({exc.msg}, column {exc.colno})",
                                 buffer.error_line(exc)) from None  # fmt: skip
            yield "problem", RowProblem(path, line, "", f"not valid JSON ({exc.msg})")
            buffer.take_line()
            continue
        if first and not isinstance(value, dict):
            raise InputError(path, "JSON must be an array of objects, one per record", line)
        first = False
        _check(value, limits, path, line, buffer.text[buffer.pos : end])
        buffer.advance(end)
        yield "object", (line, value)


def _check(value: object, limits: Limits, path: str, line: int, raw: str) -> None:
    """An InputError for a value that breaks a bound, on the line of the key it is under."""
    problem = check_value(value, limits)
    if problem:
        key, message = problem
        at = raw.find(f'"{key}"') if key else -1
        raise InputError(path, message, line + (raw.count("\n", 0, at) if at > 0 else 0), key)
