"""Business categories: every vocabulary read onto one set of concepts.

A category arrives in a source's own words: schema.org types ("Dentist", "HardwareStore"), Google
Places types (`dentist`, `point_of_interest`), Overture categories (`plumbing`,
`sushi_restaurant`), Foursquare labels ("Dining and Drinking > Restaurant > Sushi Restaurant"),
Yelp titles ("Coffee & Tea", "Mexican"), directory headings ("Plumbing Contractors"). Each is read
onto a concept named by its OpenStreetMap tag (`craft=plumber`, `amenity=restaurant`), with the
tags that narrow it (`cuisine=sushi`) as its refinement.

Where the meanings come from, first match wins:

1. `data/categories/groups.csv`: broad groups (food and drink, health, home services...), the
   concepts each holds, and the words that name the group itself (Overture's top-level
   categories, Foursquare's top-level labels, schema.org's parent types).
2. `data/categories/aliases.csv`: words of other vocabularies that name a concept differently
   (`attorney` -> `lawyer`), and generic types that are no category (`point_of_interest`).
3. Overture's category -> OSM tag table, as the overturetoosm package ships it (maintained on
   the OpenStreetMap wiki's "Overture categories" page), ~1,200 categories.
4. An OSM tag value itself (`plumber`, `car_repair`, `hairdresser`), or a cuisine (`mexican`,
   `pizza`: a restaurant of that cuisine).

A word is tried as written, then with its plurals made singular (only into a form some
vocabulary knows: "Dentists" -> `dentist`, "Bakeries" -> `bakery`), then without a generic head
word ("Plumbing Contractors" -> `plumbing`), then split at "and"/"or" ("Bars & Pubs"). A word
no table knows is kept as unknown: it is never a mismatch.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from itertools import islice, product

# OSM keys that say what a place is; every other tag of an entry narrows it (cuisine=...).
_PRIMARY_KEYS = (
    "amenity", "shop", "craft", "office", "healthcare", "leisure", "tourism", "club", "emergency",
    "historic", "man_made", "building", "place", "natural", "landuse", "highway", "railway",
    "aeroway", "waterway", "barrier", "industrial", "attraction", "golf", "sport",
)  # fmt: skip

# Head words that add nothing to what a heading names ("Plumbing Contractors" is plumbing).
_GENERIC_HEADS = frozenset(
    "shop shops store stores service services contractor contractors company companies agency "
    "agencies office offices center centers centre centres studio studios specialist specialists "
    "place places spot spots business businesses provider providers firm firms parlor parlors "
    "parlour parlours".split()
)
# Keys of what a business is; a head word read as highway=services or place=square is not one.
_BUSINESS_KEYS = tuple(f"{k}=" for k in ("amenity", "shop", "craft", "office", "healthcare",
                                          "leisure", "tourism", "club"))  # fmt: skip
# A head word the vocabulary knows by another name ("Car Dealership" is a car dealer).
_HEAD_SYNONYMS = {"dealership": "dealer", "dealerships": "dealer"}
# Head words a title may leave out ("Breakfast & Brunch", "Grocery"), tried last.
_IMPLIED_HEADS = ("restaurant", "store")
_SEPARATORS = re.compile(r"[;|,\n]+")


@dataclass(frozen=True)
class Meaning:
    kind: str  # "concept", "group" (names a broad group) or "generic" (no category at all)
    concept: str = ""  # OSM tag of a concept ("amenity=restaurant"); a group's id
    refine: tuple[str, ...] = ()  # tags that narrow the concept: ("cuisine=sushi",)


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    kin: bool  # two different concepts in this group are related (a cafe and a bakery): the
    # wide groups (any shop, any office or craft) say nothing about two concepts
    members: tuple[str, ...]  # OSM tags ("amenity=dentist") or a whole key ("shop=*")
    terms: tuple[str, ...]


def _data(name: str) -> list[dict[str, str]]:
    text = files("napaudit.data").joinpath("categories", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def groups() -> dict[str, Group]:
    return {
        row["group"]: Group(row["group"], row["label"], row["kin"] == "yes",
                            tuple(row["members"].split()), tuple(row["terms"].split()))
        for row in _data("groups.csv")
    }  # fmt: skip


def _overture_tags() -> dict[str, dict[str, str]]:
    """overturetoosm's `resources.places_tags`, read from its module file alone: importing it
    runs the package's `__init__`, which loads pydantic for the converters napaudit never
    calls (0.26 s against 3 ms, 2026-12-03; the first page a crawl's worker reads paid it)."""
    package = importlib.util.find_spec("overturetoosm")  # found, not run
    folder = next(iter(package.submodule_search_locations or ()), None) if package else None
    spec = folder and importlib.util.spec_from_file_location(
        "_napaudit_overture_tags", f"{folder}/resources.py"
    )
    if spec and spec.loader:
        try:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.places_tags
        except (OSError, AttributeError):  # another layout: import it as usual
            pass
    from overturetoosm.resources import places_tags

    return places_tags


def group_label(group: str) -> str:
    return groups()[group].label if group in groups() else group.replace("_", " ")


@cache
def _vocabulary() -> dict[str, Meaning]:
    """Every known word (a slug, as `slug()` writes it) -> its meaning."""
    places_tags = _overture_tags()
    amenities = {tags.get("amenity") for tags in places_tags.values()}
    vocab: dict[str, Meaning] = {}
    for name, tags in places_tags.items():
        vocab[name] = _from_tags(tags, amenities)
    for meaning in list(vocab.values()):  # an OSM value is a word of its own: `plumber`
        if meaning.kind == "concept" and meaning.concept.split("=", 1)[1] not in _GENERIC_HEADS:
            vocab.setdefault(meaning.concept.split("=", 1)[1], Meaning("concept", meaning.concept))
        for tag in meaning.refine:
            key, value = tag.split("=", 1)
            if key == "cuisine" and ";" not in value:  # `mexican`: a Mexican restaurant
                vocab.setdefault(value, Meaning("concept", "amenity=restaurant", (tag,)))
    for row in _data("aliases.csv"):
        vocab[row["term"]] = _target(row["target"], vocab, amenities)
    for group in groups().values():
        for term in group.terms:
            vocab[term] = Meaning("group", group.id)
    for word, meaning in list(vocab.items()):  # "hardwarestore": a CamelCase type lowercased
        vocab.setdefault(word.replace("_", ""), meaning)
    return vocab


def _from_tags(tags: dict[str, str], amenities: set) -> Meaning:
    primary = next((k for k in _PRIMARY_KEYS if k in tags), None)
    if primary is None:
        return Meaning("generic")
    value = tags[primary]
    if value == "yes":  # shop=yes, craft=yes: any shop, any craft
        return Meaning("generic")
    if primary == "healthcare" and value in amenities:  # OSM tags a dentist both ways
        primary = "amenity"
    refine = tuple(sorted(f"{k}={v}" for k, v in tags.items() if k not in (primary, "healthcare")))
    return Meaning("concept", f"{primary}={value}", refine)


def _target(target: str, vocab: dict[str, Meaning], amenities: set) -> Meaning:
    if target == "generic":
        return Meaning("generic")
    if "=" in target:
        return _from_tags(dict(t.split("=", 1) for t in target.split()), amenities)
    if target not in vocab:
        raise ValueError(f"aliases.csv: {target!r} is no known category")
    return vocab[target]


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """'Coffee & Tea' -> 'coffee_and_tea'; 'HardwareStore' -> 'hardware_store'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"['’]", "", text.lower()).replace("&", " and ").replace("+", " and ")
    text = text.replace("/", " or ")  # "Grocery Store / Supermarket": either name
    return "_".join(re.findall(r"[a-z0-9]+", text))


def _forms(word: str) -> list[str]:
    """The word and the singular forms it may have; the vocabulary decides which is real."""
    out = [word]
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def _lookup(words: list[str]) -> tuple[str, Meaning] | None:
    vocab = _vocabulary()
    for combo in islice(product(*(_forms(w) for w in words)), 64):
        key = "_".join(combo)
        if key in vocab:
            return key, vocab[key]
    return None


@lru_cache(maxsize=16384)
def meanings(term: str, guess: bool = True) -> tuple[str, tuple[Meaning, ...]]:
    """One category term -> (its key, its meanings); no meaning: unknown. The key is the word
    the vocabulary knows, written without separators, so that two spellings of one word (a
    plural, a CamelCase type) have one key."""
    words = slug(term).split("_") if slug(term) else []
    if not words:
        return "", ()
    found = _lookup(words)
    if found is None and len(words) > 1 and words[-1] in _HEAD_SYNONYMS:
        found = _lookup([*words[:-1], _HEAD_SYNONYMS[words[-1]]])
    if found is None and len(words) > 1 and words[-1] in _GENERIC_HEADS:
        found = _lookup(words[:-1])
        if found:  # "Dentist's Office" is a dentist, written with other words than "Dentist"
            found = (f"{found[0]}_{words[-1]}", found[1])
    for head in _IMPLIED_HEADS:
        found = found or _lookup([*words, head])
    if found is not None:
        return _key(found[0].split("_")), (found[1],)
    parts = [p for p in _split_compound(words) if not set(p) <= _GENERIC_HEADS]
    if len(parts) > 1 or (parts and len(parts[0]) < len(words)):
        read = [meanings(" ".join(p)) for p in parts]
        if all(m for _, m in read):
            return _key(words), tuple(m for _, ms in read for m in ms)
    key = _key(words)
    for i in range(
        1, len(words) if guess else 0
    ):  # English names are head-last: "Used Car Dealer" is a dealer
        if set(words[i:]) <= _GENERIC_HEADS:
            break
        head = _lookup(words[i:])
        if head and head[1].kind == "concept" and head[1].concept.startswith(_BUSINESS_KEYS):
            return key, (Meaning("concept", head[1].concept, (*head[1].refine, f"label={key}")),)
    return key, ()


def _split_compound(words: list[str]) -> list[list[str]]:
    """'bars_and_pubs' -> [['bars'], ['pubs']]; a heading of two categories."""
    parts, current = [], []
    for w in words:
        if w in ("and", "or"):
            parts.append(current)
            current = []
        else:
            current.append(w)
    parts.append(current)
    return [p for p in parts if p]


def _key(words: list[str]) -> str:
    """One key for one word however it is written: a plural (`doctors`, `doctor` are both in
    the vocabulary), CamelCase or snake_case."""
    return "".join(_plain_singular(w) for w in words)


def _plain_singular(word: str) -> str:
    """A key for words no vocabulary knows, so that 'Widgets' and 'widget' still compare equal."""
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
    return word[:-1] if plural else word


def split_terms(raw: str) -> list[str]:
    """'Dentist; Orthodontist' -> ['Dentist', 'Orthodontist'] (also ',', '|', a JSON-ish list)."""
    raw = raw.strip().strip("[]")
    terms = (t.strip().strip("\"'").strip() for t in _SEPARATORS.split(raw))
    return list(dict.fromkeys(t for t in terms if t))


def read_term(text: str) -> list[dict]:
    """One term -> its meanings as JSON-able dicts; a Foursquare path is read leaf first, and its
    parents give the groups (and the concept, when the leaf is unknown)."""
    path = [p.strip() for p in text.split(">") if p.strip()] or [text]
    parents: list[str] = []
    for part in path[:-1]:
        parents += [m.concept for m in meanings(part)[1] if m.kind == "group"]
    key, found = meanings(path[-1], guess=len(path) == 1)
    if not found:  # an unknown leaf is a kind of its nearest known parent concept: the
        # source's own hierarchy says more than a guess from the leaf's head word
        ancestor = next((m for p in reversed(path[:-1]) for m in meanings(p)[1]), None)
        if ancestor and ancestor.kind == "concept":
            found = [Meaning("concept", ancestor.concept, (*ancestor.refine, f"label={key}"))]
        elif len(path) > 1:
            found = meanings(path[-1])[1]
    if not found:
        return [{"text": text, "key": key, "kind": "unknown", "groups": sorted(set(parents))}]
    return [_as_dict(text, key, m, parents) for m in dict.fromkeys(found)]


def _as_dict(text: str, key: str, m: Meaning, parents: list[str]) -> dict:
    """A concept: its tag, refinements and groups; a group: its id in `group` (and `groups`)."""
    if m.kind == "group":
        return {"text": text, "key": key, "kind": "group", "group": m.concept,
                "groups": sorted({m.concept, *parents})}  # fmt: skip
    own = list(_groups_of(m.concept))
    return {"text": text, "key": key, "kind": m.kind, "concept": m.concept,
            "refine": list(m.refine), "groups": sorted(set(own + parents))}  # fmt: skip


@lru_cache(maxsize=4096)
def _groups_of(concept: str) -> tuple[str, ...]:
    whole_key = concept.split("=", 1)[0] + "=*"
    return tuple(g.id for g in groups().values() if {concept, whole_key} & set(g.members))


def normalize_categories(raw: str) -> list[dict]:
    """The categories of a record or a listing, each read onto its concept (JSON-able)."""
    out: list[dict] = []
    for term in split_terms(raw or ""):
        out += read_term(term)
    return out
