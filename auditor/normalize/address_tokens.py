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
from functools import lru_cache

from napaudit.auditor.normalize import address_words as aw

Respelled = dict[str, list[str]]  # the token usaddress reads -> the source's words, in order


def respell(text: str) -> tuple[str, Respelled, list[tuple[str, str]]]:
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
        if _inert(tokens[i]):  # no respelling starts at this word, whatever stands around it
            out.append((tokens[i], tokens[i]))
            i += 1
            continue
        step = next((n for f in _RESPELLINGS if (n := f(tokens, i, out))), 0)
        if not step:
            out.append((tokens[i], tokens[i]))
        i += step or 1
    respelled: Respelled = {}
    for token, source in out:
        if token != source:
            respelled.setdefault(token.rstrip(",").upper(), []).append(source)
    words = [t for t, _ in out]
    street, unit = _trailing_unit(words)
    return " ".join(street), respelled, unit


def _trailing_unit(words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The units at the end of a line ('Ste 200', '# 5', 'PH 1', '14th Floor, Room 1418'),
    labelled here: usaddress reads them well alone, but a unit it does not know at the end of
    a line ('PH 1', 'Fl 2') can make it take the street before it for a city."""
    unit: list[tuple[str, str]] = []
    while len(words) > 3:
        size = _unit_size([w.rstrip(",") for w in words[-3:]])
        if not size:
            break
        chunk, words = [w.rstrip(",") for w in words[-size:]], words[:-size]
        unit = [(w, _unit_label(w, k == len(chunk) - 1 and size > 1 and _is_floor(w)))
                for k, w in enumerate(chunk)] + unit  # fmt: skip
    if unit:
        words[-1] = words[-1].rstrip(",")
    return words, unit


def _unit_size(last: list[str]) -> int:
    """How many of the last words are one unit: 2 ('Ste 200', '# 5', '5th Floor'), 3 ('Ste # 5')
    or 1 ('#5'); 0 when the line does not end with a unit."""
    a, b, c = (aw.clean(w) for w in last)
    if a in aw.DESIGNATORS and b == "#" and _unit_id(c):
        return 3
    if (b in aw.DESIGNATORS or b == "#") and _unit_id(c):
        return 2
    if _is_floor(c) and (_ORDINAL_DIGITS.fullmatch(b) or b == "GROUND"):
        return 2  # "5th Floor", "Ground Floor"
    if _NUMBER_SIGN_UNIT.fullmatch(c):
        return 1
    return 0


def _is_floor(word: str) -> bool:
    return aw.UNITS.get(aw.clean(word)) == "FL"


def _unit_label(word: str, designator_last: bool) -> str:
    key = aw.clean(word)
    designator = key in aw.DESIGNATORS and not designator_last
    return "OccupancyType" if designator or designator_last else "OccupancyIdentifier"


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


_ORDINAL_DIGITS = re.compile(r"\d+(ST|ND|RD|TH)")
_NUMBER_SIGN_UNIT = re.compile(r"#\w+")
_HOUSE_NUMBER = re.compile(r"\d+[A-Z]?")
_GLUED = re.compile(r"^([A-Za-z]{1,4})\.?-?(\d+[A-Za-z]?,?|[A-Za-z],?)$")


def _unglue(token: str, at: int) -> list[str]:
    """'CR-12', 'SR-9' (a route) and 'PH1', 'Apt4' (a unit, after the street) in two words."""
    m = _GLUED.match(token)
    if not m or at == 0:
        return [token]
    head, tail = aw.clean(m.group(1)), m.group(2)
    if tail[:1].isalpha():  # a letter glued on: only "PHA", penthouse A, reads so
        return [m.group(1), tail] if head == "PH" and at > 1 else [token]
    if head in aw.ROUTE_SPELLINGS or (at > 1 and head in aw.DESIGNATORS):
        return [m.group(1), tail]
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


def _unit_marker(tokens: list[str], i: int, out: list[tuple[str, str]]) -> int:
    """'No. 101', 'Apt No F': the marker is a '#', which usaddress reads well."""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if i < 2 or aw.clean(tokens[i]) not in ("NO", "NUMBER") or not _unit_id(after):
        return 0
    out.append(("#", tokens[i]))
    return 1


def _name_start(tokens: list[str], i: int, out: list[tuple[str, str]]) -> int:
    """'St', 'Mt', 'Ft' where a street's name begins, before another word, are 'Saint', 'Mount',
    'Fort' ('W St. Charles Ct', 'SW Ft Hamilton Ct'; scourgify's table); after a name, 'St' is
    the suffix ('Main St West')."""
    word = aw.NAME_ABBREVIATIONS.get(aw.clean(tokens[i]))
    if not word or i == 0 or i + 2 >= len(tokens):
        return 0
    before, after = aw.clean(tokens[i - 1]), aw.clean(tokens[i + 1])
    starts_name = _HOUSE_NUMBER.fullmatch(before) or before in aw.DIRECTIONALS
    other = (aw.DIRECTIONALS, aw.UNITS, aw.SUFFIXES, aw.ORDINAL_WORDS)  # not a saint's name
    if not starts_name or not after.isalpha() or any(after in table for table in other):
        return 0
    out.append((word.title(), tokens[i]))
    return 1


_RESPELLINGS = (_ordinal, _route, _unit_marker, _name_start, _suffix_spelling)


# The first words of the route designators ('CO' of 'CO RD'), and the one-word ones.
_ROUTE_FIRST = frozenset(k.split(" ")[0] for k in aw.ROUTE_SPELLINGS)
_MARKER_OR_NAME_START = frozenset({"NO", "NUMBER", *aw.NAME_ABBREVIATIONS})  # 'No 5', 'St Paul'


@lru_cache(maxsize=65536)
def _inert(token: str) -> bool:
    """True when none of _RESPELLINGS can start at `token`, wherever it stands: each of them
    needs its first word to be one of a few kinds (an ordinal's or a route designator's first
    word, 'No', 'St'/'Mt'/'Ft', a suffix spelling Pub 28 does not list). Most words of most lines
    are none of these, and trying all five on each word was most of `respell`'s time.
    (tests/test_normalize.py holds respell with it to respell without it.)"""
    key = aw.clean(token)
    if not key or any(c.isspace() for c in token):
        return False  # a word that cleans to nothing may stand before a designator: try all
    if key in aw.ORDINAL_FIRST or key in _ROUTE_FIRST or key in _MARKER_OR_NAME_START:
        return False
    word = token.rstrip(",")
    return not (aw.suffix(word) and aw.clean(word) not in aw.SUFFIXES)


def as_written(tokens: list[tuple[str, str]], respelled: Respelled) -> list[tuple[str, str, str]]:
    """(token, the source's words, label), with the labels usaddress gets wrong put right."""
    queues = {k: list(v) for k, v in respelled.items()}
    out = []
    for token, label in _relabel(tokens):
        key = token.rstrip(",;").upper()
        source = queues[key].pop(0) if queues.get(key) else token
        out.append((token, source, label))
    return out


_UNIT_TYPES = ("OccupancyType", "SubaddressType")


def _relabel(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Labels usaddress gets wrong, put right from what the words are:
    - a unit designator after the street, and the number after it, are a unit ('DEPARTMENT 301'
      read as a city and a ZIP, 'PH 220' as a second street, 'Ground Fl.' as a city and a state);
    - the 5 digits after a '#' are a unit, not a ZIP ('1732 1st Ave # 25366');
    - a directional right after the suffix is the street's ('Main St West, PH 3'), and one
      right after the number comes before the name;
    - the word after a route designator is the route ('County Road 720, Floor 6'), and a street
      type with no name after it is the suffix ('E Avenue, # 5')."""
    out = _numbered_building(list(tokens))
    street_seen = False
    for j, (token, label) in enumerate(out):
        key, before = aw.clean(token), out[j - 1][1] if j else ""
        after = out[j + 1][0] if j + 1 < len(out) else ""
        if label == "ZipCode" and j and out[j - 1][0] == "#":
            out[j] = (token, "OccupancyIdentifier")
        elif before == "StreetNamePostType" and key in aw.DIRECTIONALS:
            out[j] = (token, "StreetNamePostDirectional")
        elif label == "StreetNamePostDirectional" and before == "AddressNumber" and after:
            out[j] = (token, "StreetNamePreDirectional")  # "121 NE Saint Charles Place"
        elif street_seen and key in aw.DESIGNATORS and label not in _UNIT_TYPES:
            marker = after == "#" and j + 2 < len(out)  # "SUITE #135"
            if _unit_id(out[j + 2][0] if marker else after):
                out[j] = (token, "OccupancyType")
                for k in range(j + 1, j + 3 if marker else j + 2):
                    out[k] = (out[k][0], "OccupancyIdentifier")
            elif aw.UNITS[key] == "FL" and j and before in _NOT_STREET:
                out[j - 1] = (out[j - 1][0], "OccupancyIdentifier")  # "Ground Fl."
                out[j] = (token, "OccupancyType")
        elif label in _UNIT_TYPES and aw.UNITS.get(key) == "FL" and _floor_number(out, j):
            out[j - 1] = (out[j - 1][0], "OccupancyIdentifier")  # "Rd N. 52nd Fl"
        street_seen = street_seen or out[j][1] in _STREET_SEEN
    return _pretypes(out)


def _floor_number(out: list[tuple[str, str]], j: int) -> bool:
    """A floor designator with no number after it, and an ordinal before it read as a street."""
    after = out[j + 1][1] if j + 1 < len(out) else ""
    before, label = out[j - 1] if j > 1 else ("", "")
    ordinal = _ORDINAL_DIGITS.fullmatch(aw.clean(before))
    return bool(ordinal) and label == "StreetName" and not after.endswith("Identifier")


_STREET_SEEN = ("StreetName", "StreetNamePostType", "StreetNamePreType")


def _pretypes(out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    run: list[str] = []  # the designator's words so far ("County", "Road")
    for j, (token, label) in enumerate(out):
        if label != "StreetNamePreType":
            run = []
            continue
        run.append(token)
        nxt = out[j + 1] if j + 1 < len(out) else ("", "")
        if nxt[1] == label:
            continue
        route = bool(aw.route_kind(aw.pretype(" ".join(run)))) and aw.clean(nxt[0]) != "#"
        unit = nxt[1].startswith(("Occupancy", "Subaddress"))
        if nxt[0][:1].isalnum() and (route or not unit):
            if nxt[1] not in ("StreetName", "StreetNamePostDirectional"):
                out[j + 1] = (nxt[0], "StreetName")  # "County Road 720"
            then = out[j + 2] if j + 2 < len(out) else ("", "")
            if route and aw.clean(then[0]) in aw.DIRECTIONALS and then[1] == "StreetName":
                out[j + 2] = (then[0], "StreetNamePostDirectional")  # "Highway 1 N"
        elif not any(lb == "StreetName" for _, lb in out[j:]):
            out[j] = (token, "StreetNamePostType")  # "E Avenue, # 5"
    return out


def _numbered_building(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A street read as a building's name or a city: '2 Embarcadero Center' (the number too),
    'NE Civic Center Place North' or 'SW Saint Marks Ct' (a city and Connecticut) after its
    number. The words become a name, then a suffix."""
    labels = {label for _, label in tokens}
    kind = next((lb for _, lb in tokens if lb in ("BuildingName", "PlaceName")), "")
    name = [j for j, (_, label) in enumerate(tokens) if label == kind]
    if kind == "PlaceName" and name and name[-1] + 1 < len(tokens):
        state = tokens[name[-1] + 1]
        if state[1] == "StateName" and aw.clean(state[0]) in aw.SUFFIXES:
            name.append(name[-1] + 1)  # "Saint Marks Ct": a street, not a city in Connecticut
    if len(name) < 2 or name != list(range(name[0], name[0] + len(name))):
        return tokens
    if labels & {"StreetName", "StreetNamePostType", "StreetNamePreType"}:
        # A city comes after the unit, never before it: words read as a city and followed by
        # a unit carry on the street ('121 Town Ctr St North Suite 100').
        unit_after = name[-1] + 1 < len(tokens) and tokens[name[-1] + 1][1].startswith(
            ("Occupancy", "Subaddress")
        )
        suffix_first = aw.clean(tokens[name[0]][0]) in aw.SUFFIXES  # 'St North', not 'Palm Beach'
        going_on = kind == "BuildingName" or (unit_after and suffix_first)
        return _street_goes_on(tokens, name) if going_on else tokens
    start = name[0]
    head = tokens[:start]
    if not head and tokens[0][0][:1].isdigit() and "AddressNumber" not in labels:
        head, start = [(tokens[0][0], "AddressNumber")], start + 1  # "2 Embarcadero Center"
    if not head or head[0][1] != "AddressNumber":
        return tokens
    if kind == "PlaceName" and aw.clean(tokens[name[-1]][0]) not in aw.SUFFIXES:
        return tokens  # a city after the number, not a street read as one ("Saint Paul Place")
    words = [(t, "StreetName") for t, _ in tokens[start : name[-1] + 1]]
    ends = [k for k, (t, _) in enumerate(words) if k and aw.suffix(t)]
    if ends:  # the last street type after a name word is the suffix
        words[ends[-1]] = (words[ends[-1]][0], "StreetNamePostType")
    return head + words + tokens[name[-1] + 1 :]


def _street_goes_on(tokens: list[tuple[str, str]], name: list[int]) -> list[tuple[str, str]]:
    """'NE Fort Washington Pkwy West' read as a street 'Fort' and a building 'Washington Pkwy
    West': a building's name right after the street, with a street type in it, is the street's."""
    start, end = name[0], name[-1] + 1
    street = ("StreetName", "StreetNamePostType")
    if tokens[start - 1][1] not in street or not any(aw.clean(t) in aw.SUFFIXES
                                                     for t, _ in tokens[start:end]):  # fmt: skip
        return tokens
    first = start
    while first and tokens[first - 1][1] in street:
        first -= 1
    words = [(t, "StreetName") for t, _ in tokens[first:end]]
    last = max(k for k, (t, _) in enumerate(words) if aw.clean(t) in aw.SUFFIXES)
    words[last] = (words[last][0], "StreetNamePostType")
    return tokens[:first] + words + tokens[end:]


_NOT_STREET = ("PlaceName", "StateName", "OccupancyIdentifier", "SubaddressIdentifier")


def _unit_id(token: str) -> bool:
    """'301', 'C-2', '4B', 'A': what follows a unit designator."""
    text = token.strip(",.#")
    return bool(text) and (text[0].isdigit() or (len(text) <= 3 and any(c.isdigit() for c in text))
                           or (len(text) == 1 and text.isalpha()))  # fmt: skip
