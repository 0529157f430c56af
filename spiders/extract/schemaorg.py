"""schema.org entities (from JSON-LD, microdata or RDFa, all as JSON-LD-like dicts) to businesses.

Which types are businesses is decided by a rule, not by a complete list: the roots
(LocalBusiness, Organization, Place), the common LocalBusiness subtypes, any type whose name ends
the way schema.org names LocalBusiness subtypes ("...Store", "...Restaurant", "...Clinic"), and
any entity, whatever its type, that carries both an address and a telephone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from napaudit.auditor.fields import FIELDS
from napaudit.auditor.normalize.text import squash
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.extract.links import is_social
from napaudit.spiders.extract.model import Business

_ROOTS = {"LocalBusiness", "Organization", "Place"}
# Common LocalBusiness/Organization/Place subtypes whose names the suffix rule below misses.
_SUBTYPES = set(
    """
    AnimalShelter ArchiveOrganization AutoBodyShop AutoDealer AutoRental AutoRepair AutoWash
    Attorney BankOrCreditUnion BarOrPub BeautySalon BedAndBreakfast Bakery Brewery Campground
    CafeOrCoffeeShop Casino Church ChildCare CollegeOrUniversity Corporation Dentist
    DryCleaningOrLaundry Electrician EmergencyService EmploymentAgency ExerciseGym
    FastFoodRestaurant
    FireStation FoodEstablishment GasStation GeneralContractor GolfCourse GovernmentOffice
    HairSalon HealthClub Hospital Hostel Hotel HousePainter HVACBusiness IceCreamShop
    InsuranceAgency InternetCafe LegalService Library Locksmith LodgingBusiness MedicalClinic
    Motel MovieTheater MovingCompany Museum NailSalon NGO NightClub Notary Optician Park Pharmacy
    Physician Plumber PoliceStation PostOffice ProfessionalService RealEstateAgent RecyclingCenter
    Resort RoofingContractor School SelfStorage ShoppingCenter SkiResort SportsActivityLocation
    StadiumOrArena Store TattooParlor TouristAttraction TouristInformationCenter TravelAgency
    VeterinaryCare Winery Distillery Zoo Aquarium AmusementPark ArtGallery BowlingAlley DaySpa
    """.split()
)
_SUFFIXES = tuple(
    "Business Store Shop Restaurant Clinic Agency Office Organization Dealer Contractor Center "
    "Salon Repair Station".split()
)
_NOT_BUSINESS = {"PostalAddress", "ContactPoint", "GeoCoordinates", "Person", "WebSite", "WebPage"}
# Types that say nothing about what a business does: never a category.
_NO_CATEGORY = {"Thing", "Place", "Organization", "LocalBusiness"}
_CATEGORY_KEYS = ("servesCuisine", "category", "additionalType")


def type_names(node: dict) -> list[str]:
    """'http://schema.org/Restaurant', 'schema:Restaurant', ['Restaurant'] -> ['Restaurant']."""
    raw = node.get("@type") or node.get("type") or []
    names = []
    for value in raw if isinstance(raw, list) else [raw]:
        if isinstance(value, str) and value:
            names.append(value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].split(":")[-1])
    return names


def is_business_type(names: list[str]) -> bool:
    if any(name in _NOT_BUSINESS for name in names):
        return False
    return any(n in _ROOTS or n in _SUBTYPES or n.endswith(_SUFFIXES) for n in names)


def text(value: Any) -> str:
    """The first text in a schema.org value: a string, a number, a list, or {"@value"|"name"}."""
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return next((t for t in map(text, value) if t), "")
    if isinstance(value, dict):
        for key in ("@value", "name", "value", "@id"):
            if key in value:
                return text(value[key])
    return ""


def _first_dict(value: Any) -> dict | None:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, dict)), None)
    return value if isinstance(value, dict) else None


def _has_nap(node: dict) -> bool:
    return bool(node.get("address") or node.get("telephone") or _location_address(node))


def _location_address(node: dict) -> dict | None:
    location = _first_dict(node.get("location"))
    if location:
        return _first_dict(location.get("address"))
    return None


def to_business(node: dict, method: str) -> Business:
    business = Business()
    business.set("name", text(node.get("name")) or text(node.get("legalName")), method)
    address = node.get("address")
    postal = _first_dict(address) or _location_address(node)
    if postal:
        street = postal.get("streetAddress")
        if isinstance(street, list):  # several lines of one street address
            street = ", ".join(t for t in map(text, street) if t)
        business.set("address", text(street), method)
        business.set("city", text(postal.get("addressLocality")), method)
        business.set("state", text(postal.get("addressRegion")), method)
        business.set("zip", text(postal.get("postalCode")), method)
        business.set("country", text(postal.get("addressCountry")), method)
    elif isinstance(address, str):  # schema.org allows the address as one line of text
        for key, value in split_address(address).items():
            business.set(key, value, method)
    contact = _first_dict(node.get("contactPoint")) or {}
    business.set("phone", text(node.get("telephone")) or text(contact.get("telephone")), method)
    business.set("website", _website(node), method)
    hours = node.get("openingHours") or node.get("openingHoursSpecification")
    business.set("hours", hours if isinstance(hours, (list, dict)) else text(hours), method)
    business.add_categories(categories(node), method)
    for declared in _OTHER_FIELDS:  # fields declared since, read from their schema.org names
        for prop in declared.schemaorg:
            business.set(declared.name, text(node.get(prop)) or text(contact.get(prop)), method)
    return business


# Read above, each in its own way (the postal address, contact points, hours, categories).
_READ_ABOVE = frozenset({"name", "address", "city", "state", "zip", "country", "phone",
                         "website", "hours", "categories"})  # fmt: skip
_OTHER_FIELDS = tuple(f for f in FIELDS if f.schemaorg and f.name not in _READ_ABOVE)


def categories(node: dict) -> list[str]:
    """What the node says the business is: its types past LocalBusiness/Organization
    ("Dentist"), then its servesCuisine, category and additionalType values, as shown."""
    found = [name for name in type_names(node) if name not in _NO_CATEGORY | _NOT_BUSINESS]
    for key in _CATEGORY_KEYS:
        value = node.get(key)
        for item in value if isinstance(value, list) else [value]:
            shown = text(item)
            if shown.startswith(("http://", "https://")):
                # additionalType is a URL; its last segment names the kind ("…/id/Locksmith")
                tail = shown.rstrip("/").rsplit("/", 1)[-1].replace("_", " ")
                shown = tail if re.fullmatch(r"[A-Za-z][A-Za-z ]+", tail) else ""
            found.append(shown)
    return found


def _website(node: dict) -> str:
    url = text(node.get("url"))
    if url:
        return url
    same = node.get("sameAs")
    links = [same] if isinstance(same, str) else same if isinstance(same, list) else []
    own = [link for link in links if isinstance(link, str) and not is_social(link)]
    return own[0] if len(own) == 1 else ""


def businesses(items: list[Any], method: str) -> Iterator[Business]:
    """Every business in a list of extracted top-level items, in document order."""
    for node, nested in _entities(items):
        names = type_names(node)
        if nested:
            wanted = _has_nap(node) and not _NOT_BUSINESS.intersection(names)
        else:
            wanted = is_business_type(names) or bool(node.get("address") and node.get("telephone"))
        if wanted:
            business = to_business(node, method)
            if business.name or business.phone or business.address:
                yield business


def _entities(items: list[Any]) -> Iterator[tuple[dict, bool]]:
    """(entity, nested) for each typed dict: top-level items, @graph members and ItemList
    elements count as top level; values of other properties are nested."""
    index = _ids(items)
    stack: list[tuple[Any, bool, int]] = [(item, False, 0) for item in reversed(items)]
    seen: set[int] = set()
    while stack:
        value, nested, depth = stack.pop()
        if isinstance(value, list):
            stack.extend((v, nested, depth) for v in reversed(value))
            continue
        if not isinstance(value, dict) or id(value) in seen or depth > 12:
            continue
        seen.add(id(value))
        if set(value) == {"@id"} and value["@id"] in index:
            stack.append((index[value["@id"]], nested, depth + 1))
            continue
        if "@graph" in value:
            stack.append((value["@graph"], nested, depth + 1))
        if type_names(value):
            yield _resolved(value, index), nested
        listed = "ItemList" in type_names(value) or "ListItem" in type_names(value)
        for key, child in value.items():
            if key in ("@graph", "@context") or key == "address":
                continue
            # a list's items and a page's main entity are what the markup is about
            top = (listed and key in ("itemListElement", "item")) or key == "mainEntity"
            stack.append((child, nested or not top, depth + 1))


def _ids(items: list[Any]) -> dict[str, dict]:
    """@id -> node, for nodes that carry properties besides their @id (@graph references)."""
    index: dict[str, dict] = {}
    stack = list(items)
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            if isinstance(value.get("@id"), str) and len(value) > 1:
                index.setdefault(value["@id"], value)
            stack.extend(value.values())
    return index


def _resolved(node: dict, index: dict[str, dict]) -> dict:
    """The node with its address and location given by reference replaced by the nodes."""
    out = dict(node)
    for key in ("address", "location"):
        value = out.get(key)
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in index:
            out[key] = index[value["@id"]]
    return out


def rdfa_items(nodes: list[dict]) -> list[dict]:
    """extruct's RDFa output (flat, expanded JSON-LD) as nested dicts with short keys."""
    index = {n["@id"]: n for n in nodes if isinstance(n, dict) and "@id" in n}
    referenced = {
        ref["@id"]
        for n in nodes
        for key, values in n.items()
        if not key.startswith("@") and isinstance(values, list)
        for ref in values
        if isinstance(ref, dict) and "@id" in ref
    }
    roots = [n for n in nodes if n.get("@type") and n.get("@id") not in referenced]
    return [_compact(n, index, set()) for n in roots]


def _compact(node: dict, index: dict[str, dict], path: set[str]) -> dict:
    out: dict[str, Any] = {"@type": node.get("@type", [])}
    path = path | {node.get("@id", "")}
    for key, values in node.items():
        if key.startswith("@") or not isinstance(values, list):
            continue
        short = key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        converted = []
        for value in values:
            ref = value.get("@id") if isinstance(value, dict) else None
            if ref in index and ref not in path:
                converted.append(_compact(index[ref], index, path))
            elif isinstance(value, dict):
                converted.append(value.get("@value", ref or ""))
        out[short] = converted[0] if len(converted) == 1 else converted
    return out
