"""Street addresses: usaddress splits the line, scourgify's USPS Pub 28 tables name the parts.

The result keeps each component in a canonical form beside the spelling the source used, so that a
verdict can say "suffix 'Rd' = 'Road' (USPS)". Text that is not part of a postal address
(parenthesized notes, cross streets, mall or building names) is set aside in `notes`.

Spellings usaddress reads badly are respelled before it reads a line, and the labels it gets wrong
in units put right after (`address_tokens`); the source's own words are kept for the reasons.

usaddress costs ~275 us a call, so each distinct line is parsed once (lru_cache) and its tagger
runs once per shape of line (`parse_line`); scourgify's own normalize_address_record would parse
it a second time, so only its tables are used here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import usaddress
from napaudit.auditor.normalize import address_words as aw
from napaudit.auditor.normalize.address_tokens import as_written, respell
from napaudit.auditor.normalize.text import squash


@dataclass(frozen=True)
class Address:
    raw: str
    number: str = ""  # "570", "123A", "123 1/2"
    predir: str = ""  # USPS: "N", "SW"
    pretype: str = ""  # "AVE" in "Avenue of the Americas", "COUNTY RD" in "County Road 12"
    street: str = ""  # canonical words: "5TH", "ST CHARLES", "TOWN CTR", "MARTIN LUTHER KING"
    suffix: str = ""  # USPS: "ST", "BLVD"
    postdir: str = ""
    units: tuple[tuple[str, str], ...] = ()  # (("STE", "200"),), USPS designators
    box: str = ""  # PO box number
    city: str = ""  # only when the line itself carried them
    state: str = ""
    zip: str = ""
    notes: tuple[str, ...] = ()  # set aside, not compared
    problem: str = ""  # why the line could not be read as an address
    # every word from the directional to the suffix in the order written, each in canonical
    # form whatever usaddress took it for: "South Blvd" read as a directional and a suffix, or
    # as a name and a suffix, gives ("S", "BLVD") either way
    street_words: tuple[str, ...] = field(default=(), compare=False, hash=False)
    # the source's own spelling of each component, for reasons ("Blv." for suffix BLVD)
    spelling: dict = field(default_factory=dict, compare=False, hash=False)

    def __hash__(self) -> int:
        # Equal addresses have equal raw text (a compared field), so its hash will do; cheaper
        # than the generated one's tuple of every field: identification and judging look each
        # pair of addresses up in a cache (`address_differences`), ~3 hashes a listing.
        return hash(self.raw)

    @property
    def parsed(self) -> bool:
        return not self.problem

    @property
    def street_key(self) -> str:
        """Street name and type in canonical form, for blocking and identification."""
        return " ".join(p for p in (self.pretype, self.street, self.suffix) if p)


# Text that locates the business but is not part of its postal address.
_PARENS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_CROSS = re.compile(
    r"(?:,\s*|\s+)((?:between|btwn|btw|b/t|bet\.|at|@|near|nr\.?|off|across from|corner of|"
    r"cor\.? of|next to|behind|opposite|inside|in the|located in|located at|within)\s.*?)"
    r"(?=,|;|$)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_BOX = re.compile(r"^(?:P\.?\s*O\.?\s*|POST OFFICE\s+)?BOX\s*#?\s*([\w-]+)$", re.IGNORECASE)

_STREET_LABELS = ("StreetNamePreModifier", "StreetName", "StreetNamePostModifier")
_NOTE_LABELS = ("Recipient", "BuildingName", "LandmarkName", "NotAddress", "CornerOf")
_LINE_LABELS = ("StreetNamePreDirectional", "StreetNamePreType", *_STREET_LABELS,
                "StreetNamePostType", "StreetNamePostDirectional")  # fmt: skip
_UNIT_LABELS = ("SubaddressType", "SubaddressIdentifier", "OccupancyType", "OccupancyIdentifier")


def set_aside(line: str) -> tuple[str, list[str]]:
    """Remove notes in parentheses and cross-street phrases; return (address text, notes)."""
    notes = [m.group(1).strip() for m in _PARENS.finditer(line) if m.group(1).strip()]
    text = _PARENS.sub(" ", line)
    first_digit = _DIGIT.search(text)
    start = first_digit.start() if first_digit else 0
    head, tail = text[:start], text[start:]
    for m in _CROSS.finditer(tail):
        notes.append(m.group(1).strip(" ,;"))
    tail = _CROSS.sub("", tail)
    return squash(head + tail).strip(" ,;"), notes


@lru_cache(maxsize=262144)
def normalize_address(raw: str) -> Address:
    line = squash(raw)
    if not line:
        return Address(raw=raw, problem="empty")
    text, notes = set_aside(line)
    box = _BOX.match(text.strip(" ,."))
    if box:
        return Address(raw=raw, box=box.group(1).upper(), notes=tuple(notes))
    text, respelled, unit = respell(text)
    try:
        tokens = parse_line(text) + unit
    except Exception as exc:  # usaddress raises on odd input; an address must never crash a run
        return Address(raw=raw, notes=tuple(notes), problem=f"unreadable ({type(exc).__name__})")
    return _assemble(raw, as_written(tokens, respelled), notes)


def parse_line(text: str) -> list[tuple[str, str]]:
    """usaddress.parse(text), tagged once per shape of line. usaddress's tagger sees only each
    word's features (usaddress.tokenFeatures: its letters lower-cased and without periods, or,
    for digits, only how many and how many trailing zeros) and where the word stands, so lines
    whose words have the same features in the same order get the same labels: '12 Harbor Blvd'
    and '4080 Harbor Blvd' differ in their numbers' lengths only. Each distinct word's features
    are computed once (usaddress builds them with regular expressions for every word of every
    line), and the tagger runs once per sequence of them, from the same features in the same
    order as usaddress gives it (tests/test_normalize.py holds it to usaddress.parse). Measured
    2026-12-03 on bench/compare.py's 28,792 distinct street lines: 5,303 shapes."""
    if _TAGGER is None:  # a usaddress that no longer exposes its parts: its own parse
        return usaddress.parse(text)
    tokens = usaddress.tokenize(text)
    if not tokens:
        return []
    shape = tuple(map(_word_shape, tokens))
    try:
        labels = _labels(shape)
    except TypeError:  # a feature value that cannot be a key (none in usaddress 0.5): no cache
        labels = _labels.__wrapped__(shape)
    return list(zip(tokens, labels, strict=True))


_TAGGER = getattr(usaddress, "TAGGER", None) if hasattr(usaddress, "tokenFeatures") else None


@lru_cache(maxsize=65536)
def _word_shape(token: str) -> tuple[tuple[str, type, object], ...]:
    """A word's features as the tagger reads them, in usaddress's order, each value with its
    type (so that no two values that Python calls equal, such as 0 and False, are taken for
    one): words with equal shapes are the same word to the tagger."""
    features = usaddress.tokenFeatures(token)
    return tuple((name, type(value), value) for name, value in features.items())


@lru_cache(maxsize=65536)
def _labels(shape: tuple[tuple[tuple[str, type, object], ...], ...]) -> tuple[str, ...]:
    """The tagger's labels for a line whose words have these shapes."""
    return tuple(_TAGGER.tag(_features([{k: v for k, _, v in word} for word in shape])))


def _features(words: list[dict]) -> list[dict]:
    """usaddress.tokens2features, step for step, from each word's own features (fresh dicts,
    changed here)."""
    sequence = [words[0]]
    previous = dict(words[0])
    for features in words[1:]:
        current = dict(features)
        sequence[-1]["next"] = current
        features["previous"] = previous
        sequence.append(features)
        previous = current
    sequence[0]["address.start"] = True
    sequence[-1]["address.end"] = True
    if len(sequence) > 1:
        sequence[1]["previous"]["address.start"] = True
        sequence[-2]["next"]["address.end"] = True
    return sequence


# --- after usaddress: the parts -------------------------------------------------------------


def _groups(tokens: list[tuple[str, str, str]]) -> list[tuple[str, list[str], list[str]]]:
    """Consecutive tokens of one label: [("AddressNumber", ["570"], ["570"]), ...]."""
    groups: list[tuple[str, list[str], list[str]]] = []
    for token, source, label in tokens:
        if groups and groups[-1][0] == label:
            groups[-1][1].append(token)
            groups[-1][2].append(source)
        else:
            groups.append((label, [token], [source]))
    return groups


def _collect(tokens, notes: list[str]):
    """The parts of one address by label (what usaddress read, and the source's words); under
    "line" and "unit", the street's and the unit's words in the order written; the unit's words
    with their labels."""
    parts: dict[str, list[str]] = {"line": []}
    spelled: dict[str, list[str]] = {"line": [], "unit": []}
    units: list[tuple[str, str]] = []
    crossed = False  # after an intersection separator, the rest is a cross street
    for label, toks, sources in _groups(tokens):
        text = " ".join(toks).strip(" ,;")
        source = " ".join(s for s in sources if s).strip(" ,;")
        if label == "IntersectionSeparator" and parts.get("AddressNumber"):
            crossed = True
        if crossed or label in _NOTE_LABELS:
            if source:
                notes.append(source)
            continue
        if label in parts and label not in (*_STREET_LABELS, *_UNIT_LABELS):
            notes.append(source)  # a second street or number: not this address's
            continue
        parts.setdefault(label, []).append(text)
        spelled.setdefault(label, []).append(source)
        if label in _LINE_LABELS:
            parts["line"] += toks
            spelled["line"].append(source)
        elif label in _UNIT_LABELS:
            units += [(t, label) for t in toks]
            spelled["unit"].append(source)
    return parts, spelled, units


def _assemble(raw: str, tokens: list[tuple[str, str, str]], notes: list[str]) -> Address:
    parts, spelled, unit_words = _collect(tokens, notes)
    street_words = " ".join(w for label in _STREET_LABELS for w in parts.get(label, [])).split()
    street_spelled = " ".join(w for label in _STREET_LABELS for w in spelled.get(label, []))
    suffix_raw = _first(parts, "StreetNamePostType")
    suffix_spelled = _first(spelled, "StreetNamePostType")
    if not suffix_raw and len(street_words) > 1 and aw.suffix(street_words[-1]):
        suffix_raw = suffix_spelled = street_words.pop()  # usaddress left "Blv." in the name
        street_spelled = street_spelled.rsplit(" ", 1)[0]
    pretype_raw = _first(parts, "StreetNamePreType")
    number = " ".join(
        p
        for label in ("AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix")
        if (p := _first(parts, label))
    )
    if not (number or street_words or pretype_raw):
        return Address(raw=raw, notes=tuple(notes), problem="no street found")
    spelling = {
        "number": _first(spelled, "AddressNumber") if number.isdigit() else "",
        "predir": _first(spelled, "StreetNamePreDirectional"),
        "suffix": suffix_spelled,
        "postdir": _first(spelled, "StreetNamePostDirectional"),
        "pretype": _first(spelled, "StreetNamePreType"),
        "street": street_spelled,
        "line": " ".join(spelled["line"]),
        "unit": _tight(raw, " ".join(spelled["unit"])),
    }
    line = parts["line"]
    units = _units(unit_words)
    zip5, zip4 = split_zip(_first(parts, "ZipCode"))
    return Address(
        raw=raw,
        number=aw.clean(number).replace(" ", "") if "/" not in number else aw.clean(number),
        predir=aw.directional(_first(parts, "StreetNamePreDirectional")),
        pretype=aw.pretype(pretype_raw) if pretype_raw else "",
        street=aw.street_name(street_words, numbered=not pretype_raw),
        suffix=aw.suffix(suffix_raw) or aw.clean(suffix_raw),
        postdir=aw.directional(_first(parts, "StreetNamePostDirectional")),
        units=units,
        city=_first(parts, "PlaceName"),
        state=_first(parts, "StateName"),
        zip="-".join(p for p in (zip5, zip4) if p),
        notes=tuple(n for n in notes if n),
        street_words=tuple(aw.name_word(w, i + 1 < len(line)) for i, w in enumerate(line)),
        spelling={k: v for k, v in spelling.items() if v},
    )


def _first(parts: dict[str, list[str]], label: str) -> str:
    values = parts.get(label)
    return values[0] if values else ""


def _units(seq: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(USPS designator, identifier) for each unit, from its words in the order written:
    'Ste 200', '14th Floor, Room 1418', 'Apt No 101' (the 'No' marks the number)."""
    units: list[tuple[str, list[str]]] = []
    kind, idents = "", []
    for token, label in seq:
        if label.endswith("Type"):
            if idents and not kind and aw.UNITS.get(aw.clean(token)) == "FL":
                units.append((token, idents))  # "14th Floor": the number comes first
                kind, idents = "", []
                continue
            if kind or idents:
                units.append((kind, idents))
            kind, idents = token, []
            continue
        if aw.clean(token).lstrip("#") in ("", *aw.UNIT_MARKERS) and token != seq[-1][0]:
            if idents:  # "B-17, # 200": a second unit
                units.append((kind, idents))
                kind, idents = "", []
            kind = kind or "#"  # "No. 101", "# 101"
            continue
        if token.startswith("#"):
            kind, token = kind or "#", token[1:]
        idents.append(token)
    if kind or idents:
        units.append((kind, idents))
    out = []
    for kind, words in units:
        key = aw.clean(kind)
        usps = aw.UNITS.get(key, key) if key else "#"
        if words or usps in aw.UNITS.values():  # "Rear", "Lobby"; not "Tower" of "North Tower"
            out.append((usps, aw.unit_ident(usps, " ".join(words))))
    return tuple(out)


def _tight(line: str, joined: str) -> str:
    """How `line` wrote tokens that usaddress joined with spaces ('#200', not '# 200')."""
    if joined in line:
        return joined
    tight = joined.replace(" ", "")
    return tight if tight in line else joined


def split_zip(text: str) -> tuple[str, str]:
    """'90210-1234' -> ('90210', '1234'); '2134' (a spreadsheet ate the 0) -> ('02134', '')."""
    digits = "".join(c for c in text or "" if c.isdigit())
    if len(digits) == 9:
        return digits[:5], digits[5:]
    if len(digits) in (3, 4):
        return digits.zfill(5), ""
    if len(digits) == 5:
        return digits, ""
    return "", ""
