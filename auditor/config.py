"""napaudit.toml: the one configuration file, read here for every command.

Which file: `--config PATH` (any command), else `$NAPAUDIT_CONFIG`, else `napaudit.toml` in the
working folder, else `napaudit.toml` in the user's configuration folder (platformdirs: on Linux
`~/.config/napaudit/napaudit.toml`). The first one named wins; the others are not read. A file
named explicitly (option or environment) must exist; the two default places may be empty.

    [sources]            # a source's weight, 1-10 in the catalog; any source id, known or not
    yelp = 7
    [severity]           # how much a problem of each severity counts
    high = 4
    [keys]               # API keys by source id; the environment variable wins
    google = "..."
    [smtp]               # mail alerts; NAPAUDIT_SMTP_* wins
    host = "smtp.example.com"
    [branding]           # the white-label PDF and HTML reports
    name = "Acme Local Agency"
    logo = "acme.png"    # relative to this file
    accent = "#0b5fff"
    footer = "Prepared by Acme Local Agency"

A mistake (not TOML, an unknown table or setting, a value of the wrong kind) is a ConfigError
naming the file, line and setting: nothing is guessed. A file that holds keys or passwords and
that other users can read draws a warning (`Config.warnings`).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAME = "napaudit.toml"
CONFIG_ENV = "NAPAUDIT_CONFIG"
SEVERITY_WEIGHTS = {"high": 3.0, "medium": 2.0, "low": 1.0}
SMTP_KEYS = ("host", "port", "user", "password", "from", "starttls")
BRANDING_KEYS = ("name", "logo", "accent", "footer")
TABLES = ("sources", "severity", "keys", "smtp", "branding")

_explicit: list[str | None] = [None]  # --config of the running command (napaudit.options)


class ConfigError(Exception):
    """A configuration the user must fix: the command stops with exit code 2."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Branding:
    name: str = ""
    logo: Path | None = None
    accent: str = "#1f5fbf"
    footer: str = ""


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # the file read, None when there is none
    sources: dict[str, float] = field(default_factory=dict)
    severity: dict[str, float] = field(default_factory=lambda: dict(SEVERITY_WEIGHTS))
    keys: dict[str, str] = field(default_factory=dict)
    smtp: dict[str, object] = field(default_factory=dict)
    branding: Branding = field(default_factory=Branding)
    warnings: tuple[str, ...] = ()


def use(path: str | Path | None) -> None:
    """Make `path` the explicit configuration of this process (the `--config` option)."""
    _explicit[0] = str(path) if path else None


def config_path(path: str | Path | None = None) -> Path | None:
    """The file to read, by the precedence above; None when no file applies."""
    named = path or _explicit[0] or os.environ.get(CONFIG_ENV)
    if named:
        return Path(named)
    for candidate in (Path(CONFIG_NAME), user_config_dir() / CONFIG_NAME):
        if candidate.is_file():
            return candidate
    return None


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("napaudit", appauthor=False)


def load_config(path: str | Path | None = None) -> Config:
    """The configuration, validated. Raises ConfigError for a file that cannot be used."""
    chosen = config_path(path)
    if chosen is None:
        return Config()
    try:
        text = chosen.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(chosen, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(chosen, f"cannot be read ({exc.__class__.__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+)", str(exc))
        raise ConfigError(chosen, f"not valid TOML ({exc})", int(at[1]) if at else None) from None
    return _validate(data, chosen, text)


def _validate(data: dict, path: Path, text: str) -> Config:
    tables = ", ".join(f"[{t}]" for t in TABLES)
    for table, value in data.items():
        if table not in TABLES:
            raise ConfigError(
                path, f"'{table}' is not a config table (use {tables})", line_of(text, None, table)
            )
        if not isinstance(value, dict):
            raise ConfigError(path, f"'{table}' must be a table", line_of(text, None, table))
    return Config(
        path=path,
        sources=_weights(data.get("sources", {}), "sources", path, text),
        severity={**SEVERITY_WEIGHTS, **_weights(data.get("severity", {}), "severity", path, text)},
        keys=_strings(data.get("keys", {}), "keys", path, text),
        smtp=_smtp(data.get("smtp", {}), path, text),
        branding=_branding(data.get("branding", {}), path, text),
        warnings=tuple(_exposure(data, path)),
    )


def _weights(values: dict, table: str, path: Path, text: str) -> dict[str, float]:
    for key, value in values.items():
        line = line_of(text, table, key)
        if table == "severity" and key not in SEVERITY_WEIGHTS:
            raise ConfigError(path, f"[severity] {key}: not a severity (high, medium or low)", line)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(path, f"[{table}] {key}: must be a number above 0", line)
    return {key: float(value) for key, value in values.items()}


def _strings(values: dict, table: str, path: Path, text: str) -> dict[str, str]:
    for key, value in values.items():
        if not isinstance(value, str):
            raise ConfigError(path, f"[{table}] {key}: must be a string", line_of(text, table, key))
    return {key: value.strip() for key, value in values.items()}


def _smtp(values: dict, path: Path, text: str) -> dict[str, object]:
    for key in values:
        if key not in SMTP_KEYS:
            raise ConfigError(
                path, f"[smtp] {key}: not a setting (use {', '.join(SMTP_KEYS)})",
                line_of(text, "smtp", key),
            )  # fmt: skip
    return dict(values)


def _branding(values: dict, path: Path, text: str) -> Branding:
    for key, value in values.items():
        line = line_of(text, "branding", key)
        if key not in BRANDING_KEYS:
            raise ConfigError(
                path, f"[branding] {key}: not a setting (use {', '.join(BRANDING_KEYS)})", line
            )
        if not isinstance(value, str):
            raise ConfigError(path, f"[branding] {key}: must be a string", line)
    accent = values.get("accent", Branding.accent).strip()
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
        raise ConfigError(
            path, f"[branding] accent: '{accent}' is not a colour like #1f5fbf",
            line_of(text, "branding", "accent"),
        )  # fmt: skip
    logo = None
    if values.get("logo", "").strip():
        logo = (path.parent / values["logo"].strip()).resolve()
        if not logo.is_file():
            raise ConfigError(
                path, f"[branding] logo: no such file {logo}", line_of(text, "branding", "logo")
            )
    return Branding(values.get("name", "").strip(), logo, accent, values.get("footer", "").strip())


def _exposure(data: dict, path: Path) -> list[str]:
    """A warning when the file holds secrets and others may read it."""
    secret = bool(data.get("keys")) or bool((data.get("smtp") or {}).get("password"))
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if secret and mode & (stat.S_IRGRP | stat.S_IROTH):
        return [
            f"{path} holds API keys or a password and other users can read it "
            f"(run: chmod 600 {path})"
        ]
    return []


def line_of(text: str, table: str | None, key: str) -> int | None:
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


def api_key(source_id: str, key_env: str, config: Config | None = None) -> str:
    """A source's API key: its environment variable, else [keys] of the configuration.

    Keys are secrets: they are never stored, printed or logged, whichever place they come from.
    """
    if not key_env:
        return ""
    if os.environ.get(key_env):
        return os.environ[key_env]
    return (config or load_config()).keys.get(source_id, "")
