"""The words of an address line around usaddress: respelled before it reads them, and the
labels it gets wrong put right after.

Before: numbers and ordinals in words ("One Hundred", "Twenty-Fifth"), route designators ("Co Rd
12", "CR-12"), suffix spellings Pub 28 does not list ("Blv."), a unit glued to its number ("PH1")
or written before the street ("4th Floor, 300 E Randolph St") are written as usaddress reads them
best. Each respelled token remembers the source's words, for the reasons.

After: a unit designator after the street is a unit whatever usaddress took it for, and a number
read as part of a building's name with no street ("2 Embarcadero Center") is a house number.
"""

from __future__ import annotations

import re

from napaudit.auditor.normalize import address_words as aw

Respelled = dict[str, list[str]]  # the token usaddress reads -> the source's words, in order


def respell(text: str) -> tuple[str, Respelled]:
    tokens = _unit_first(text.split(" "))
    out: list[tuple[str, str]] = []  # (token for usaddress, the source's words)
    i = 0
    if tokens and not tokens[0][:1].isdigit():
        value, used = aw.number_words(tokens)
        if used and used < len(tokens):  # "One Market St": a house number in words
            out.append((str(value), " ".join(tokens[:used])))
            i = used
    tokens = [part for j, t in enumerate(tokens) for part in _unglue(t, j)]
    while i < len(tokens):
        step = next((n for f in _RESPELLINGS if (n := f(tokens, i, out))), 0)
        if not step:
            out.append((tokens[i], tokens[i]))
        i += step or 1
    respelled: Respelled = {}
    for token, source in out:
        if token != source:
            respelled.setdefault(token.rstrip(",").upper(), []).append(source)
    return " ".join(t for t, _ in out), respelled


def _unit_first(tokens: list[str]) -> list[str]:
    """'4th Floor, 300 E Randolph', 'Suite 5 100 Main St', 'Apt # 4 10A Elm St': the unit goes
    after the street, where usaddress expects it."""
    first = aw.clean(tokens[0]) if tokens else ""
    size = 3 if len(tokens) > 1 and aw.clean(tokens[1]) in aw.UNIT_MARKERS else 2
    if len(tokens) <= size:
        return tokens
    floor_first = aw.UNITS.get(aw.clean(tokens[1])) == "FL" and not first.isdigit()  # "4th Fl"
    if not (aw.UNITS.get(first, "#") != "#" or floor_first):
        return tokens
    rest = tokens[size:]
    if not (rest[0][:1].isdigit() or aw.number_words(rest)[1]):
        return tokens
    return [*rest, *tokens[: size - 1], tokens[size - 1].rstrip(",")]


_GLUED = re.compile(r"^([A-Za-z]{1,4})\.?-?(\d+[A-Za-z]?,?)$")


def _unglue(token: str, at: int) -> list[str]:
    """'CR-12', 'SR-9' (a route) and 'PH1', 'Apt4' (a unit, after the street) in two words."""
    m = _GLUED.match(token)
    if not m or at == 0:
        return [token]
    head = aw.clean(m.group(1))
    if head in aw.ROUTE_SPELLINGS or (at > 1 and head in aw.DESIGNATORS):
        return [m.group(1), m.group(2)]
    return [token]


def _ordinal(tokens: list[str], i: int, out: list[tuple[str, str]]) -> int:
    ordinal, used = aw.ordinal_words(tokens[i:])
    if not used:
        return 0
    comma = "," if tokens[i + used - 1].endswith(",") else ""
    out.append((ordinal[:-2] + ordinal[-2:].lower() + comma, " ".join(tokens[i : i + used])))
    return used


def _route(tokens: list[str], i: int, out: list[tuple[str, str]]) -> int:
    """'Co Rd 12', 'CR 12', 'SR 9' -> 'County Road 12'...: a designator before a route number."""
    if i == 0:
        return 0
    for size in (2, 1):
        if i + size >= len(tokens):
            continue
        key = aw.clean(" ".join(tokens[i : i + size]))
        route = aw.clean(tokens[i + size])
        code = len(route) <= 2 and route.isalpha() and route not in aw.DIRECTIONALS  # "Co Rd KK"
        if key in aw.ROUTE_SPELLINGS and (route[:1].isdigit() or code):
            words = aw.ROUTE_SPELLINGS[key].split()
            source = " ".join(tokens[i : i + size])
            out.extend([(words[0], source), *[(w, "") for w in words[1:]]])
            return size
    return 0


def _suffix_spelling(tokens: list[str], i: int, out: list[tuple[str, str]]) -> int:
    """Write a suffix spelling Pub 28 does not list ('Blv.') as USPS does ('BLVD') before
    usaddress reads the line: an unknown word at the end of a street makes usaddress mislabel
    the words before it ("50 Harbor Blv." reads 'Harbor' as a street type)."""
    token = tokens[i]
    word = token.rstrip(",")
    key = aw.clean(word)
    if i == 0 or not key or key in aw.SUFFIXES or not (usps := aw.suffix(word)):
        return 0
    following = aw.clean(tokens[i + 1]) if i + 1 < len(tokens) else ""
    ends_street = (
        not following
        or following.startswith("#")
        or following in aw.UNITS
        or following in aw.DIRECTIONALS
    )
    if not (token.endswith(",") or ends_street):
        return 0
    out.append((usps + ("," if token.endswith(",") else ""), word))
    return 1


_RESPELLINGS = (_ordinal, _route, _suffix_spelling)


def as_written(tokens: list[tuple[str, str]], respelled: Respelled) -> list[tuple[str, str, str]]:
    """(token, the source's words, label), with the labels usaddress gets wrong in a unit put
    right."""
    queues = {k: list(v) for k, v in respelled.items()}
    out = []
    for token, label in _unit_labels(tokens):
        key = token.rstrip(",;").upper()
        source = queues[key].pop(0) if queues.get(key) else token
        out.append((token, source, label))
    return out


def _unit_labels(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A unit designator after the street is one, whatever usaddress took it for ('DEPARTMENT
    301' as a city and a ZIP, 'Ground Fl.' as a city and a state), and so are the 5 digits after
    a '#' ('1732 1st Ave # 25366')."""
    out = _numbered_building(list(tokens))
    street_seen = False
    for j, (token, label) in enumerate(out):
        key, after = aw.clean(token), out[j + 1][0] if j + 1 < len(out) else ""
        if label == "ZipCode" and j and out[j - 1][0] == "#":
            out[j] = (token, "OccupancyIdentifier")
        elif street_seen and key in aw.DESIGNATORS and not label.endswith("Type"):
            if _unit_id(after):
                out[j] = (token, "OccupancyType")
                out[j + 1] = (after, "OccupancyIdentifier")
            elif aw.UNITS[key] == "FL" and j and out[j - 1][1] in _NOT_STREET:
                out[j - 1] = (out[j - 1][0], "OccupancyIdentifier")  # "Ground Fl."
                out[j] = (token, "OccupancyType")
        street_seen = street_seen or label in ("StreetName", "StreetNamePostType")
    return out


def _numbered_building(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """'2 Embarcadero Center' read as a building's name, with no street: a number and a street."""
    labels = {label for _, label in tokens}
    if not tokens or tokens[0][1] != "BuildingName" or not tokens[0][0][:1].isdigit():
        return tokens
    if labels & {"AddressNumber", "StreetName"}:
        return tokens
    name = [j for j, (_, label) in enumerate(tokens) if label == "BuildingName"]
    if name != list(range(len(name))) or len(name) < 2:
        return tokens
    out = [(tokens[0][0], "AddressNumber")] + [(t, "StreetName") for t, _ in tokens[1 : len(name)]]
    if len(name) > 2 and aw.suffix(out[-1][0]):
        out[-1] = (out[-1][0], "StreetNamePostType")
    return out + tokens[len(name) :]


_NOT_STREET = ("PlaceName", "StateName", "OccupancyIdentifier", "SubaddressIdentifier")


def _unit_id(token: str) -> bool:
    """'301', 'C-2', '4B', 'A': what follows a unit designator."""
    text = token.strip(",.#")
    return bool(text) and (text[0].isdigit() or (len(text) <= 3 and any(c.isdigit() for c in text))
                           or (len(text) == 1 and text.isalpha()))  # fmt: skip
