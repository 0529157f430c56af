"""Street-address equivalence on real addresses: how often a verdict is right, per kind of pair.

    .venv/bin/python bench/address.py                   # the held-out table (the README's figure)
    .venv/bin/python bench/address.py --part study --failures 20

The addresses are usaddress's labelled US address strings in ../shared/realdata/address/usaddress
(every XML file, the training and the test sets alike; or NAPAUDIT_REALDATA). Each address keeps its
street-line tokens (number, directionals, street types, name, units; not the city, state or ZIP),
and is put in the study part or the held-out part by a hash of its text, so the split never
changes and nobody chooses it. Rules are tuned on the study part only; the held-out part is scored.

From each address, pairs are made the way listings rewrite one (format-only: the verdict is right
when it is match or variant) or by changing one component (a real difference: right when it is
mismatch). Rewrites use the USPS Pub 28 tables of usaddress-scourgify and num2words, as listings
follow USPS spellings; the pair's first side is the address as the data set wrote it. At most
`--per-class` pairs of each class are drawn from a part, at random but with a fixed seed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache
from pathlib import Path

from num2words import num2words
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    LONGHAND_DIRECTIONALS,
    LONGHAND_STREET_TYPES,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from napaudit.auditor.judge import judge  # noqa: E402 - after the path set-up above
from napaudit.auditor.models import Record  # noqa: E402
from napaudit.auditor.normalize.record import normalize_record  # noqa: E402

REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")
SOURCE = ("address", "usaddress")

STREET_LINE = {
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
    "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
    "StreetNamePostDirectional", "StreetNamePostModifier", "SubaddressType",
    "SubaddressIdentifier", "OccupancyType", "OccupancyIdentifier",
}  # fmt: skip
# An address with one of these is not one street address (a PO box, an intersection).
SKIP = {"IntersectionSeparator", "USPSBoxType", "USPSBoxID", "USPSBoxGroupType", "CornerOf"}

Tokens = list[tuple[str, str]]  # (label, text) in the order written

FORMAT = ("suffix", "directional", "unit designator", "ordinal", "street-name word",
          "highway and county road", "house number in words", "case and punctuation",
          "several at once")  # fmt: skip
DIFFERENCE = ("house number", "street word", "unit", "directional changed", "suffix changed")


# --- the addresses and the split --------------------------------------------------------------


def load(root: Path | None = None) -> list[Tokens]:
    """Every labelled address's street-line tokens, once each, in a stable order."""
    base = (root or REALDATA).joinpath(*SOURCE)
    seen: dict[str, Tokens] = {}
    for path in sorted(base.rglob("*.xml")):
        for node in ET.parse(path).getroot():
            tokens = [(t.tag, (t.text or "").strip()) for t in node]
            if any(label in SKIP for label, _ in tokens):
                continue
            kept = [(label, text) for label, text in tokens if label in STREET_LINE and text]
            labels = {label for label, _ in kept}
            if not {"AddressNumber", "StreetName"} <= labels:
                continue
            kept[-1] = (kept[-1][0], kept[-1][1].rstrip(",;"))
            seen.setdefault(render(kept).casefold(), kept)
    return list(seen.values())


def render(tokens: Tokens) -> str:
    return " ".join(text for _, text in tokens if text)


def held_out(tokens: Tokens) -> bool:
    """Half the addresses, chosen by a hash of the text: the same split on every machine."""
    digest = hashlib.sha256(render(tokens).casefold().encode()).digest()
    return digest[0] % 2 == 1


def split(addresses: list[Tokens]) -> dict[str, list[Tokens]]:
    parts: dict[str, list[Tokens]] = {"study": [], "held-out": []}
    for tokens in addresses:
        parts["held-out" if held_out(tokens) else "study"].append(tokens)
    return parts


# --- format-only rewrites, the ways listings write the same address ---------------------------

_LONG_TYPE = {**LONGHAND_STREET_TYPES, **{k: v for k, v in STREET_TYPE_ABBREVIATIONS.items()}}
_LONG_UNIT = {v: k for k, v in OCCUPANCY_TYPE_ABBREVIATIONS.items() if k != "#"}
_UNIT_HASH = {"STE", "APT", "UNIT", "RM", "#"}  # designators a listing may write as '#'
# Street-name words listings abbreviate (the list); the spellings are USPS's.
_NAME_WORDS = {"CENTER": "CTR", "MOUNT": "MT", "FORT": "FT", "SAINT": "ST"}


def _case(rng: random.Random, word: str) -> str:
    return rng.choice([word.title(), word.upper(), word.title()])


def _abbreviate(rng: random.Random, usps: str) -> str:
    return _case(rng, usps) + rng.choice(["", "", "."])


def _swap(tokens: Tokens, i: int, text: str) -> Tokens:
    return tokens[:i] + [(tokens[i][0], text)] + tokens[i + 1 :]


def _plain(text: str) -> str:
    return re.sub(r"[^\w#]", "", text).upper()


def rw_suffix(rng, tokens):
    pretypes = [t for label, t in tokens if label == "StreetNamePreType"]
    spots = [i for i, (label, t) in enumerate(tokens)
             if (label == "StreetNamePostType" or (label == "StreetNamePreType"
                                                   and len(pretypes) == 1 and not _route_of(t)))
             and _plain(t) in STREET_TYPE_ABBREVIATIONS]  # fmt: skip
    if not spots:
        return None
    i = rng.choice(spots)
    usps = STREET_TYPE_ABBREVIATIONS[_plain(tokens[i][1])]
    written = _plain(tokens[i][1])
    new = _case(rng, _LONG_TYPE[usps]) if written == usps else _abbreviate(rng, usps)
    return _swap(tokens, i, new)


def rw_directional(rng, tokens):
    known = {**LONGHAND_DIRECTIONALS, **DIRECTIONAL_REPLACEMENTS}
    spots = [i for i, (lb, t) in enumerate(tokens) if "Directional" in lb and _plain(t) in known]
    if not spots:
        return None
    i = rng.choice(spots)
    written = _plain(tokens[i][1])
    if written in LONGHAND_DIRECTIONALS:
        return _swap(tokens, i, _case(rng, LONGHAND_DIRECTIONALS[written]))
    return _swap(tokens, i, _abbreviate(rng, DIRECTIONAL_REPLACEMENTS[written]))


def rw_unit_designator(rng, tokens):
    units = ("OccupancyType", "SubaddressType")
    for i in [i for i, (label, _) in enumerate(tokens) if label in units]:
        written = _plain(tokens[i][1])
        usps = OCCUPANCY_TYPE_ABBREVIATIONS.get(written, written)
        if usps not in _LONG_UNIT:
            continue
        choices = [_case(rng, _LONG_UNIT[usps]), _abbreviate(rng, usps)]
        if i and tokens[i - 1][1] == "#":
            continue  # "# APT 25"
        ident = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if usps in _UNIT_HASH and ident[:1].isalnum() and tokens[i + 1][0].endswith("Identifier"):
            choices += ["#", f"{_case(rng, _LONG_UNIT[usps])} #"]
            if usps in ("APT", "UNIT"):
                choices.append(f"{_abbreviate(rng, usps)} No")  # "Apt No 101"
        new = rng.choice([c for c in choices if _plain(c) != written] or choices)
        return _swap(tokens, i, new)
    return None


@cache
def _ordinal_word(n: int) -> str:
    return num2words(n, to="ordinal").title()


@cache
def _ordinal_numbers() -> dict[str, int]:
    return {_plain(_ordinal_word(n)): n for n in range(1, 100)}


def rw_ordinal(rng, tokens):
    for i, (label, text) in enumerate(tokens):
        m = re.fullmatch(r"(\d+)(st|nd|rd|th)", text, re.IGNORECASE)
        if label in ("StreetName", "OccupancyIdentifier") and m and int(m.group(1)) < 100:
            return _swap(tokens, i, _case(rng, _ordinal_word(int(m.group(1)))))
        words = _ordinal_numbers()
        if label in ("StreetName", "OccupancyIdentifier") and _plain(text) in words:
            n = words[_plain(text)]
            return _swap(tokens, i, f"{n}{_ordinal_word(n)[-2:].lower()}")
    return None


def rw_street_word(rng, tokens):
    names = [i for i, (label, _) in enumerate(tokens) if label == "StreetName"]
    words = [_plain(tokens[i][1]) for i in names]
    if [w for w in words if w not in ("DR", "JR")] == ["MARTIN", "LUTHER", "KING"]:
        return tokens[: names[0]] + [("StreetName", "MLK")] + tokens[names[-1] + 1 :]
    if words == ["MLK"]:
        return _swap(tokens, names[0], "Martin Luther King Jr")
    short = {v: k for k, v in _NAME_WORDS.items()}
    for k, i in enumerate(names):
        before_name = k + 1 < len(names)
        if words[k] in _NAME_WORDS and (words[k] != "SAINT" or before_name):
            return _swap(tokens, i, _abbreviate(rng, _NAME_WORDS[words[k]]))
        if words[k] in short and (words[k] != "ST" or before_name):
            return _swap(tokens, i, _case(rng, short[words[k]]))
    return None


# One road, the ways listings write its designator (no library lists these spellings).
_ROUTES = [
    ["County Road", "Co Rd", "CR", "County Rd", "Co. Road"],
    ["State Route", "SR", "State Rte", "Highway", "Hwy", "State Highway", "State Hwy",
     "State Road"],
    ["US Highway", "US Hwy", "U.S. Highway", "US Route", "US Rte"],
]  # fmt: skip


def _route_of(text: str) -> list[str]:
    return next((g for g in _ROUTES if _plain(text) in {_plain(w) for w in g}), [])


def rw_route(rng, tokens):
    spots = [i for i, (label, _) in enumerate(tokens) if label == "StreetNamePreType"]
    if not spots:
        return None
    written = " ".join(tokens[i][1] for i in spots)
    if group := _route_of(written):
        new = rng.choice([g for g in group if _plain(g) != _plain(written)])
        return tokens[: spots[0]] + [("StreetNamePreType", new)] + tokens[spots[-1] + 1 :]
    return None


def rw_house_number(rng, tokens):
    i = next(j for j, (label, _) in enumerate(tokens) if label == "AddressNumber")
    if not tokens[i][1].isdigit() or not 0 < int(tokens[i][1]) <= 100:
        return None
    return _swap(tokens, i, num2words(int(tokens[i][1])).title())


def rw_case_punct(rng, tokens):
    line = render(tokens)
    style = rng.choice(["upper", "lower", "title", "periods", "commas", "hash"])
    if style == "periods":
        if "." in line:
            return [("Line", line.replace(".", ""))]
        return [("Line", " ".join(_with_period(label, t) for label, t in tokens))]
    if style == "commas":
        return [("Line", line.replace(",", "") if "," in line else _comma_before_unit(tokens))]
    if style == "hash" and "#" in line:
        spaced = re.sub(r"#\s+", "#", line)
        return [("Line", spaced if spaced != line else line.replace("#", "# "))]
    return [("Line", getattr(line, style if style in ("upper", "lower", "title") else "upper")())]


def _with_period(label: str, text: str) -> str:
    short = label.endswith(("Directional", "Type")) and text.isalpha() and len(text) <= 4
    return text + "." if short and _plain(text) not in LONGHAND_STREET_TYPES.values() else text


def _comma_before_unit(tokens: Tokens) -> str:
    out: list[str] = []
    for j, (label, text) in enumerate(tokens):
        unit = label.startswith(("Occupancy", "Subaddress"))
        if unit and out and not tokens[j - 1][0].startswith(("Occupancy", "Subaddress")):
            out[-1] += ","
        out.append(text)
    return " ".join(out)


REWRITES = {
    "suffix": rw_suffix, "directional": rw_directional, "unit designator": rw_unit_designator,
    "ordinal": rw_ordinal, "street-name word": rw_street_word, "highway and county road": rw_route,
    "house number in words": rw_house_number, "case and punctuation": rw_case_punct,
}  # fmt: skip


def rw_several(rng, tokens):
    out, applied = tokens, 0
    for name in rng.sample(sorted(REWRITES), len(REWRITES)):
        if name == "case and punctuation":
            continue
        new = REWRITES[name](rng, out)
        if new is not None:
            out, applied = new, applied + 1
    return out if applied >= 2 else None


# --- real differences: one component changed ------------------------------------------------


def _other_digit(rng: random.Random, text: str) -> str | None:
    spots = [i for i, c in enumerate(text) if c.isdigit()]
    if not spots:
        return None
    i = rng.choice(spots)
    choices = [d for d in "0123456789" if d != text[i] and not (i == 0 and d == "0")]
    return text[:i] + rng.choice(choices) + text[i + 1 :]


def df_number(rng, tokens):
    i = next(j for j, (label, _) in enumerate(tokens) if label == "AddressNumber")
    new = _other_digit(rng, tokens[i][1])
    return _swap(tokens, i, new) if new else None


def df_street_word(rng, tokens, vocabulary):
    names = [i for i, (label, t) in enumerate(tokens) if label == "StreetName"
             and _plain(t) not in STREET_TYPE_ABBREVIATIONS
             and _plain(t) not in DIRECTIONAL_REPLACEMENTS]  # fmt: skip
    if not names:
        return None
    i = max(names, key=lambda j: len(tokens[j][1]))
    text = tokens[i][1]
    if re.fullmatch(r"\d+\w*", text):
        new = _other_digit(rng, text)
        return _swap(tokens, i, new) if new else None
    if len(_plain(text)) < 3:
        return None
    others = [w for w in vocabulary if w[:3].upper() != _plain(text)[:3]]
    return _swap(tokens, i, rng.choice(others))


def df_unit(rng, tokens):
    spots = [i for i, (label, _) in enumerate(tokens) if label.endswith("Identifier")]
    for i in spots:
        text = tokens[i][1]
        new = _other_digit(rng, text)
        if new is None and re.fullmatch(r"#?[A-Za-z]", text):
            letter = text[-1].upper()
            new = text[:-1] + rng.choice([c for c in "ABCDEFGH" if c != letter])
        if new:
            return _swap(tokens, i, new)
    return None


_OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E", "NE": "SW", "SW": "NE", "NW": "SE",
             "SE": "NW"}  # fmt: skip


def df_directional(rng, tokens):
    for i, (label, text) in enumerate(tokens):
        usps = DIRECTIONAL_REPLACEMENTS.get(_plain(text), _plain(text))
        if "Directional" in label and usps in _OPPOSITE:
            new = _OPPOSITE[usps]
            return _swap(tokens, i, rng.choice([new, _case(rng, LONGHAND_DIRECTIONALS[new])]))
    return None


_COMMON = ["ST", "AVE", "RD", "DR", "BLVD", "LN", "CT", "PL", "WAY", "CIR", "PKWY", "TER"]


def df_suffix(rng, tokens):
    for i, (label, text) in enumerate(tokens):
        usps = STREET_TYPE_ABBREVIATIONS.get(_plain(text))
        if label == "StreetNamePostType" and usps:
            new = rng.choice([s for s in _COMMON if s != usps])
            return _swap(tokens, i, rng.choice([_case(rng, new), _case(rng, _LONG_TYPE[new])]))
    return None


# --- scoring ---------------------------------------------------------------------------------


def pairs(part: list[Tokens], per_class: int, seed: int = 17):
    """(class, kind, mine, theirs) for at most `per_class` addresses per class."""
    vocabulary = sorted({t for tokens in part for label, t in tokens
                         if label == "StreetName" and t.isalpha() and len(t) > 3})  # fmt: skip
    makers = {**REWRITES, "several at once": rw_several}
    differences = {
        "house number": df_number,
        "street word": lambda rng, t: df_street_word(rng, t, vocabulary),
        "unit": df_unit,
        "directional changed": df_directional,
        "suffix changed": df_suffix,
    }
    out = []
    for kind, table in (("format", makers), ("difference", differences)):
        for name, make in table.items():
            rng = random.Random(f"{seed}:{name}")
            made = []
            for tokens in rng.sample(part, len(part)):
                new = make(rng, tokens)
                if new is not None and render(new) != render(tokens):
                    made.append((name, kind, render(tokens), render(new)))
                if len(made) >= per_class:
                    break
            out += made
    return out


def judge_pair(mine: str, theirs: str):
    canonical = normalize_record(Record(id="b", address=mine))
    found = normalize_record(Record(id="l", address=theirs))
    return next(v for v in judge(canonical, found) if v.field == "address")


def right(kind: str, status: str) -> bool:
    return status in ("match", "variant") if kind == "format" else status == "mismatch"


def score(part: list[Tokens], per_class: int = 300):
    """{class: (kind, pairs, right, [(mine, theirs, verdict), ...wrong])}."""
    table: dict[str, list] = defaultdict(lambda: ["", 0, 0, []])
    for name, kind, mine, theirs in pairs(part, per_class):
        v = judge_pair(mine, theirs)
        row = table[name]
        row[0], row[1] = kind, row[1] + 1
        if right(kind, v.status):
            row[2] += 1
        else:
            row[3].append((mine, theirs, v))
    return dict(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("held-out", "study"), default="held-out")
    parser.add_argument("--per-class", type=int, default=300)
    parser.add_argument("--failures", type=int, default=0, help="show wrong pairs (study only)")
    args = parser.parse_args()
    if not REALDATA.joinpath(*SOURCE).exists():
        sys.exit(f"real data not present: {REALDATA.joinpath(*SOURCE)}")
    parts = split(load())
    part = parts[args.part]
    print(f"{len(parts['study'])} study / {len(parts['held-out'])} held-out addresses; "
          f"scoring the {args.part} part")  # fmt: skip
    table = score(part, args.per_class)
    total = right_total = 0
    print("\n| class | kind | pairs | judged right |\n|---|---|---|---|")
    for name in FORMAT + DIFFERENCE:
        if name not in table:
            continue
        kind, n, ok, wrong = table[name]
        total, right_total = total + n, right_total + ok
        print(f"| {name} | {kind} | {n} | {ok / n:.3f} |")
    print(f"| **all** | | {total} | **{right_total / total:.3f}** |")
    if args.failures and args.part == "study":
        for name in FORMAT + DIFFERENCE:
            for mine, theirs, v in table.get(name, ["", 0, 0, []])[3][: args.failures]:
                print(f"{name:22} {mine!r} vs {theirs!r}: {v.status} {v.level}: {v.reason}")


if __name__ == "__main__":
    main()
