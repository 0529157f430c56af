"""Weights a report uses, overridable in a TOML file (`napaudit.toml` in the working folder, or
`--config PATH`):

    [sources]
    yelp = 7          # a source's weight (catalog default: data/sources.toml)
    my-directory = 2  # a source the catalog does not know (default DEFAULT_WEIGHT)

    [keys]
    google = "..."    # an API key, by source id; the environment (GOOGLE_PLACES_API_KEY) wins

    [severity]
    high = 3          # how much a high-severity problem counts (medium 2, low 1)

A mistake in the file is an error naming the file, line and field; nothing is guessed.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from napaudit.auditor.catalog import DEFAULT_WEIGHT, Source, load_catalog
from napaudit.reports.load import ReportError

DEFAULT_CONFIG = "napaudit.toml"
SEVERITY_WEIGHTS = {"high": 3, "medium": 2, "low": 1}
TABLES = ("sources", "severity", "smtp", "keys")  # [smtp]: napaudit.alerts; [keys]: api_key()
WEIGHT_TABLES = ("sources", "severity")
_TABLE_LIST = ", ".join(f"[{t}]" for t in TABLES)


class ConfigError(ReportError):
    def __init__(self, path: Path | str, message: str, line: int | None = None):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Weights:
    """Source weights (catalog, then overrides) and severity weights, in one place."""

    catalog: dict[str, Source]
    sources: dict[str, float] = field(default_factory=dict)  # overrides from the config file
    severity: dict[str, float] = field(default_factory=lambda: dict(SEVERITY_WEIGHTS))
    path: str | None = None  # the config file read, if any

    def source(self, source_id: str) -> float:
        if source_id in self.sources:
            return self.sources[source_id]
        known = self.catalog.get(source_id)
        return known.weight if known else DEFAULT_WEIGHT

    def of_severity(self, severity: str) -> float:
        return self.severity.get(severity, 0)  # "none" needs no fix

    def reach(self, source_id: str) -> int:
        known = self.catalog.get(source_id)
        return known.reach if known else 1


def load_weights(path: str | Path | None = None) -> Weights:
    """The catalog weights with the overrides of `path`, or of ./napaudit.toml when it exists.

    An explicit `path` that does not exist is an error; a missing default file is not.
    """
    catalog = load_catalog()
    if path is None:
        if not Path(DEFAULT_CONFIG).is_file():
            return Weights(catalog)
        path = DEFAULT_CONFIG
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read ({exc.__class__.__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(path, f"not valid TOML ({exc})", int(line[1]) if line else None) from None
    sources, severity = _validate(data, path, text)
    return Weights(catalog, sources, {**SEVERITY_WEIGHTS, **severity}, str(path))


def _validate(data: dict, path: Path, text: str) -> tuple[dict, dict]:
    for table, value in data.items():
        if table not in TABLES:
            raise ConfigError(
                path, f"'{table}' is not a config table (use {_TABLE_LIST})",
                _line(text, None, table),
            )  # fmt: skip
        if not isinstance(value, dict):
            raise ConfigError(path, f"'{table}' must be a table", _line(text, None, table))
    tables = {name: data.get(name, {}) for name in WEIGHT_TABLES}
    for name, values in tables.items():
        for key, value in values.items():
            line = _line(text, name, key)
            if name == "severity" and key not in SEVERITY_WEIGHTS:
                raise ConfigError(
                    path, f"[severity] {key}: not a severity (high, medium or low)", line
                )
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(path, f"[{name}] {key}: must be a number above 0", line)
    return dict(tables["sources"]), dict(tables["severity"])


def _line(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set inside [table] (or where the table `key` starts)."""
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header[1].strip("\"'")
            if table is None and current == key:
                return number
            continue
        assignment = re.match(r"\s*[\"']?([^\"'=\s]+)[\"']?\s*=", line)
        if assignment and assignment[1] == key and (table is None or current == table):
            return number
    return None


def api_key(source: Source, path: str | Path | None = None) -> str:
    """A source's API key: its environment variable, else [keys] in napaudit.toml (or `path`).

    Keys are secrets: they are never stored, printed or logged, whichever place they come from.
    """
    if not source.key_env:
        return ""
    if os.environ.get(source.key_env):
        return os.environ[source.key_env]
    config = Path(path or os.environ.get("NAPAUDIT_CONFIG") or DEFAULT_CONFIG)
    if not config.is_file():
        return ""
    try:
        text = config.read_text(encoding="utf-8")
        keys = tomllib.loads(text).get("keys", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(config, f"cannot be read ({exc.__class__.__name__})") from None
    value = keys.get(source.id, "") if isinstance(keys, dict) else ""
    if not isinstance(value, str):
        line = _line(text, "keys", source.id)
        raise ConfigError(config, f"[keys] {source.id}: must be a string", line)
    return value.strip()
