"""City, state and ZIP: state names and codes (scourgify), ZIP facts (the `zipcodes` package).

The zipcodes data names, for each ZIP, the city USPS prefers, the other names USPS accepts
("Hollywood" for 90028) and the names it knows but does not accept ("New York City" and "NYC"
for 10019). The auditor uses them so "New York City" = "New York" is a data fact, not a guess.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import zipcodes
from napaudit.auditor.normalize.address import split_zip
from napaudit.auditor.normalize.text import fold_accents, squash
from scourgify.address_constants import CITY_ABBREVIATIONS, STATE_ABBREVIATIONS

_STATE_CODES = frozenset(STATE_ABBREVIATIONS.values())


class ZipInfo(NamedTuple):
    zip: str
    city: str  # USPS preferred name
    state: str
    acceptable: tuple[str, ...]  # other names USPS accepts
    known: tuple[str, ...]  # names in use that USPS does not accept ("New York City")


@lru_cache(maxsize=65536)
def normalize_state(raw: str) -> str:
    """'California', 'Calif.', 'ca' -> 'CA'; unknown text is returned upper-cased."""
    key = re.sub(r"[^A-Z ]", "", fold_accents(squash(raw)).upper()).strip()
    key = re.sub(r"\s+", " ", key)
    if key in _STATE_CODES:
        return key
    return STATE_ABBREVIATIONS.get(key, key)


@lru_cache(maxsize=65536)
def city_key(raw: str) -> str:
    """Comparison key for a city: 'St. Louis' and 'Saint Louis' -> 'SAINT LOUIS'."""
    text = re.sub(r"[^A-Z0-9 ]", " ", fold_accents(squash(raw)).upper())
    words = text.split()
    return " ".join(CITY_ABBREVIATIONS.get(w, w) if i == 0 else w for i, w in enumerate(words))


def normalize_zip(raw: str) -> tuple[str, str]:
    """'90210-1234' -> ('90210', '1234'); unusable text -> ('', '')."""
    return split_zip(squash(raw))


CACHE_ENV = "NAPAUDIT_CACHE_DIR"  # where the ZIP table is kept between runs (tests set it)
_ZIP_FORMAT = b"napaudit zip table 1\n"


@cache
def _zip_index() -> dict[str, ZipInfo]:
    """Every ZIP's facts. zipcodes takes ~1.0 s to give them (its data decompressed, then a dict
    of 14 fields for each of 42,789 ZIPs, kept: 160 MB) and ~0.2 s more to index; the index read
    back from the user's cache folder takes ~0.15 s (22 MB). So the first run with a zipcodes
    version saves it there, and later runs read it; when the folder cannot be read or written,
    it is built here."""
    kept = _zip_cache_file()
    facts = _read_zip_cache(kept) if kept else None
    if facts is None:
        facts = {row["zip_code"]: (row["city"], row["state"],
                                   tuple(row.get("acceptable_cities") or ()),
                                   tuple(row.get("unacceptable_cities") or ()))
                 for row in zipcodes.list_all()}  # fmt: skip
        if kept:
            _write_zip_cache(kept, facts)
    return {code: ZipInfo(code, *row) for code, row in facts.items()}


def _zip_cache_file() -> Path | None:
    """The ZIP table's file for the zipcodes installed now and this Python (a hash of zipcodes'
    version, its module file's size and time, and Python's version in the name: another install
    is another file)."""
    try:
        from importlib.metadata import version

        from platformdirs import user_cache_path

        data = Path(zipcodes.__file__).stat()  # reinstalled: another time
        folder = Path(os.environ.get(CACHE_ENV) or user_cache_path("napaudit", appauthor=False))
        tag = f"{version('zipcodes')}-{data.st_size}-{data.st_mtime_ns}-{sys.version_info[:2]}"
    except (TypeError, OSError, ValueError, ImportError):  # no metadata, no file: not kept
        return None
    return folder / f"zips-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.marshal"


def _read_zip_cache(path: Path) -> dict | None:
    """The table saved at `path`, or None when it is missing, not exactly what was written (its
    SHA-256 follows the header; marshal is never given bytes that fail it), or not this user's
    alone to write (a shared $NAPAUDIT_CACHE_DIR: another user could have put it there, and the
    digest proves only that it is whole)."""
    try:
        with path.open("rb") as f:
            if not _own(os.fstat(f.fileno())):
                return None
            data = f.read()
    except OSError:
        return None
    start = len(_ZIP_FORMAT) + 32
    body = data[start:]
    if (
        data[: len(_ZIP_FORMAT)] != _ZIP_FORMAT
        or hashlib.sha256(body).digest() != data[len(_ZIP_FORMAT) : start]
    ):
        return None
    try:
        facts = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return facts if isinstance(facts, dict) else None


def _own(st: os.stat_result) -> bool:
    """Whether a file is this user's and no one else may write it (where there are users)."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _write_zip_cache(path: Path, facts: dict) -> None:
    """Save the table for the next run: written beside its name and renamed into place, so a
    run reading it never sees half a file. A folder that cannot be written: not saved."""
    body = marshal.dumps(facts)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(_ZIP_FORMAT + hashlib.sha256(body).digest() + body)
        os.chmod(partial, 0o644)  # whatever the umask: the user's alone to write (`_own`)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


@cache
def _state_aliases() -> dict[tuple[str, str], frozenset[str]]:
    """(state, a city name in use) -> the USPS city names of the ZIPs that name stands for."""
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for info in _zip_index().values():
        for name in (*info.acceptable, *info.known):
            aliases[(info.state, city_key(name))].add(info.city)
    return {key: frozenset(names) for key, names in aliases.items()}


def alias_of(city: str, other: str, state: str) -> str:
    """The USPS city that `city` is another name for, when that city is `other` (in `state`);
    '' when USPS does not tie them. For records without a ZIP: 'New York City' -> 'New York'."""
    key = city_key(other)
    names = _state_aliases().get((state, city_key(city)), ())
    return next((name for name in names if city_key(name) == key), "")


def zip_info(zip5: str) -> ZipInfo | None:
    return _zip_index().get(zip5) if zip5 else None


def city_standing(city: str, zip5: str) -> tuple[str, str]:
    """How `city` stands for `zip5`: ('preferred'|'acceptable'|'known'|'other'|'unknown', name).

    The name returned is the USPS preferred city for the ZIP.
    """
    info = zip_info(zip5)
    if info is None:
        return "unknown", ""
    key = city_key(city)
    if key == city_key(info.city):
        return "preferred", info.city
    if any(key == city_key(name) for name in info.acceptable):
        return "acceptable", info.city
    if any(key == city_key(name) for name in info.known):
        return "known", info.city
    return "other", info.city
