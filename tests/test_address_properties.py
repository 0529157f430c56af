"""Address verdicts as properties: any format-only rewrite of an address stays match or variant;
a changed house number, street word, unit, directional or suffix is always a mismatch.

Each address is drawn as components (number, directionals, street, suffix, unit) and written out
the ways listings write them: USPS abbreviations or full words, periods, case, route designators
(County Road / Co Rd / CR), unit markers (Suite / Ste / # / Apt No / No.), floors in words or
ordinals, numbers and ordinals in words, 'Ctr' / 'Mt' / 'Ft' / 'St' / 'MLK' inside names.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from num2words import num2words

OK = ("match", "variant")

NAMES = ["Main", "Elm", "Harbor", "Wacker", "Lincoln", "Maple", "Cedar", "Sunset", "Walnut",
         "Jefferson", "Peachtree", "Kalakaua", "Mission", "Dearborn", "Colfax"]  # fmt: skip
# A word listings abbreviate inside a name, and the name it stands in.
NAME_WORDS = {
    "CENTER": (["Center", "Ctr", "Ctr.", "CENTER"], ["Town", "Civic", "Medical"], True),
    "MOUNT": (["Mount", "Mt", "Mt.", "MOUNT"], ["Vernon", "Pleasant", "Hope"], False),
    "FORT": (["Fort", "Ft", "Ft.", "FORT"], ["Hamilton", "Washington", "Worth"], False),
    "SAINT": (["Saint", "St", "St.", "SAINT"], ["Charles", "Paul", "Marks"], False),
}
MLK = ["Martin Luther King Jr", "MLK", "Martin Luther King Jr.", "Dr Martin Luther King Jr",
       "Dr. Martin Luther King Jr.", "Martin Luther King"]  # fmt: skip
ROUTES = {
    "county": ["County Road", "Co Rd", "CR", "County Rd", "Co. Rd.", "CO RD"],
    "state": ["State Route", "SR", "State Rte", "Highway", "Hwy", "State Highway", "State Hwy"],
    "us": ["US Highway", "US Hwy", "U.S. Highway", "US Route"],
}
SUFFIXES = {"ST": ["St", "St.", "Street", "STREET"], "AVE": ["Ave", "Ave.", "Avenue", "AVE"],
            "BLVD": ["Blvd", "Blvd.", "Boulevard"], "RD": ["Rd", "Rd.", "Road"],
            "DR": ["Dr", "Dr.", "Drive"], "LN": ["Ln", "Lane"], "CT": ["Ct", "Court"],
            "PL": ["Pl", "Place"], "PKWY": ["Pkwy", "Parkway"]}  # fmt: skip
DIRECTIONS = {"N": ["N", "N.", "North", "NORTH"], "S": ["S", "S.", "South"],
              "E": ["E", "E.", "East"], "W": ["W", "W.", "West"],
              "NE": ["NE", "N.E.", "Northeast"], "SW": ["SW", "S.W.", "Southwest"]}  # fmt: skip
OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E", "NE": "SW", "SW": "NE"}
UNITS = {
    "suite": ["Suite {}", "Ste {}", "Ste. {}", "STE {}", "#{}", "# {}", "Suite #{}"],
    "apt": ["Apt {}", "Apt. {}", "Apartment {}", "Apt No {}", "Apt No. {}", "Apt #{}", "No. {}",
            "#{}"],
    "unit": ["Unit {}", "UNIT {}", "Unit #{}", "#{}"],
    "penthouse": ["PH {}", "Penthouse {}", "PH{}", "PENTHOUSE {}"],
}  # fmt: skip


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _words(n: int, to: str = "cardinal") -> str:
    return num2words(n, to=to).replace(" and ", " ").title()


@st.composite
def addresses(draw) -> dict:
    kind = draw(st.sampled_from(["name", "name", "ordinal", "word", "mlk", "route", "direction"]))
    street = {"kind": kind}
    if kind == "name":
        street["name"] = draw(st.sampled_from(NAMES))
    elif kind == "ordinal":
        street["n"] = draw(st.integers(1, 99))
    elif kind == "word":
        word = draw(st.sampled_from(sorted(NAME_WORDS)))
        street.update(word=word, other=draw(st.sampled_from(NAME_WORDS[word][1])))
    elif kind == "route":
        street.update(route=draw(st.sampled_from(sorted(ROUTES))), n=draw(st.integers(1, 999)))
    elif kind == "direction":
        street["dir"] = draw(st.sampled_from(["N", "S", "E", "W"]))
    unit = None
    if draw(st.booleans()):
        unit_kind = draw(st.sampled_from(["suite", "apt", "unit", "penthouse", "floor"]))
        ident = draw(st.integers(1, 60 if unit_kind == "floor" else 2999))
        if unit_kind in ("apt", "penthouse") and draw(st.booleans()):
            ident = draw(st.sampled_from("ABCDEF"))
        unit = (unit_kind, ident)
    return {
        "number": draw(st.integers(1, 99999)),
        "predir": draw(st.sampled_from([None, "N", "S", "E", "W", "NE", "SW"])),
        "street": street,
        "suffix": None if kind == "route" else draw(st.sampled_from(sorted(SUFFIXES))),
        "postdir": None if kind == "direction" else draw(st.sampled_from([None, None, "N", "W"])),
        "unit": unit,
    }


def _street(data, s: dict) -> str:
    pick = data.draw
    if s["kind"] == "name":
        return pick(st.sampled_from([s["name"], s["name"].upper()]))
    if s["kind"] == "ordinal":
        n = s["n"]
        return pick(st.sampled_from([_ordinal(n), _ordinal(n).upper(), _words(n, "ordinal")]))
    if s["kind"] == "word":
        spellings, _, after = NAME_WORDS[s["word"]]
        word = pick(st.sampled_from(spellings))
        return f"{s['other']} {word}" if after else f"{word} {s['other']}"
    if s["kind"] == "mlk":
        return pick(st.sampled_from(MLK))
    if s["kind"] == "route":
        return f"{pick(st.sampled_from(ROUTES[s['route']]))} {s['n']}"
    return pick(st.sampled_from(DIRECTIONS[s["dir"]][:3]))


def _unit(data, unit) -> str:
    kind, ident = unit
    if kind == "floor":
        forms = ["Floor {n}", "Fl {n}", "Fl. {n}", "FL {n}", "Flr {n}", "{o} Floor", "{o} Fl",
                 "{w} Floor", "{w} Fl"]  # fmt: skip
        form = data.draw(st.sampled_from(forms))
        return form.format(n=ident, o=_ordinal(ident), w=_words(ident, "ordinal"))
    return data.draw(st.sampled_from(UNITS[kind])).format(ident)


def render(data, a: dict, **changed) -> str:
    """One way of writing the address `a`, with `changed` components in place of its own."""
    a = {**a, **changed}
    pick = data.draw
    n = a["number"]
    parts = [pick(st.sampled_from([str(n), _words(n)])) if n <= 120 else str(n)]
    if a["predir"]:
        parts.append(pick(st.sampled_from(DIRECTIONS[a["predir"]])))
    parts.append(_street(data, a["street"]))
    if a["suffix"]:
        parts.append(pick(st.sampled_from(SUFFIXES[a["suffix"]])))
    if a["postdir"]:
        parts.append(pick(st.sampled_from(DIRECTIONS[a["postdir"]])))
    text = " ".join(parts)
    if a["unit"]:
        text += pick(st.sampled_from([" ", ", "])) + _unit(data, a["unit"])
    return pick(st.sampled_from([text, text, text.upper()]))


def verdict(mine: str, theirs: str):
    canonical = normalize_record(Record(id="b", address=mine))
    found = normalize_record(Record(id="l", address=theirs))
    return next(v for v in judge(canonical, found) if v.field == "address")


@settings(max_examples=400, deadline=None)
@given(addresses(), st.data())
def test_a_format_only_rewrite_stays_match_or_variant(a, data):
    mine, theirs = render(data, a), render(data, a)
    v = verdict(mine, theirs)
    assert v.status in OK, (mine, theirs, v.reason)
    assert v.severity in ("none", "low"), (mine, theirs, v.reason)


def _other_digit(data, n: int) -> int:
    text = str(n)
    i = data.draw(st.integers(0, len(text) - 1))
    digits = [d for d in "0123456789" if d != text[i] and not (i == 0 and d == "0")]
    return int(text[:i] + data.draw(st.sampled_from(digits)) + text[i + 1 :])


@settings(max_examples=300, deadline=None)
@given(addresses(), st.data())
def test_a_changed_house_number_is_a_mismatch(a, data):
    mine, theirs = render(data, a), render(data, a, number=_other_digit(data, a["number"]))
    v = verdict(mine, theirs)
    assert (v.status, v.level) == ("mismatch", "number_differs"), (mine, theirs, v.reason)


def _other_street(data, s: dict) -> dict:
    if s["kind"] == "name":
        return {**s, "name": data.draw(st.sampled_from([n for n in NAMES if n != s["name"]]))}
    if s["kind"] in ("ordinal", "route"):
        return {**s, "n": _other_digit(data, s["n"])}
    if s["kind"] == "word":
        others = [o for o in NAME_WORDS[s["word"]][1] if o != s["other"]]
        return {**s, "other": data.draw(st.sampled_from(others))}
    if s["kind"] == "mlk":
        return {"kind": "name", "name": data.draw(st.sampled_from(NAMES))}
    return {**s, "dir": OPPOSITE[s["dir"]]}


@settings(max_examples=300, deadline=None)
@given(addresses(), st.data())
def test_a_changed_street_word_is_a_mismatch(a, data):
    mine, theirs = render(data, a), render(data, a, street=_other_street(data, a["street"]))
    v = verdict(mine, theirs)
    assert (v.status, v.severity) == ("mismatch", "high"), (mine, theirs, v.reason)


@settings(max_examples=300, deadline=None)
@given(addresses(), st.data())
def test_a_changed_unit_is_a_mismatch(a, data):
    kind, ident = a["unit"] or ("suite", 100)
    mine = render(data, {**a, "unit": (kind, ident)})
    other = (
        data.draw(st.sampled_from([c for c in "ABCDEF" if c != ident]))
        if isinstance(ident, str)
        else _other_digit(data, ident)
    )
    theirs = render(data, a, unit=(kind, other))
    v = verdict(mine, theirs)
    assert (v.status, v.level) == ("mismatch", "unit_differs"), (mine, theirs, v.reason)


@settings(max_examples=200, deadline=None)
@given(addresses(), st.data())
def test_a_changed_directional_or_suffix_is_a_mismatch(a, data):
    if a["suffix"] and (not a["predir"] or data.draw(st.booleans())):
        changed = {"suffix": data.draw(st.sampled_from([s for s in SUFFIXES if s != a["suffix"]]))}
    else:
        changed = {"predir": OPPOSITE[a["predir"] or "N"]}
        a = {**a, "predir": a["predir"] or "N"}
    mine, theirs = render(data, a), render(data, a, **changed)
    v = verdict(mine, theirs)
    assert v.status == "mismatch", (mine, theirs, v.reason)
