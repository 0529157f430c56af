"""The words a report uses with an owner: source and field names, verdicts, values as a person
reads them (hours in words), and the one sentence that says what to change and where. HTML,
PDF, CSV and JSON share these sentences, so a fix reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from napaudit.auditor.catalog import Source
from napaudit.auditor.fields import BY_NAME
from napaudit.auditor.normalize.hours import hours_in_words, normalize_hours
from napaudit.auditor.normalize.hours_words import days_in_words, times_in_words
from napaudit.auditor.normalize.status import CLOSED, OPEN, TEMPORARILY_CLOSED, normalize_status
from napaudit.reports.priority import GAP, OPTIONAL, ROOT_CAUSE, Fix, is_search_key

STATUS_LABELS = {
    "match": "Correct",
    "variant": "Correct, written differently",
    "mismatch": "Wrong",
    "missing": "Missing",
    "extra": "Not in your record",
}
SEVERITY_LABELS = {"high": "Urgent", "medium": "Important", "low": "Minor", "none": ""}
OUTCOME_LABELS = {
    "not_found": "Not listed",
    "blocked": "The site refused the check",
    "error": "The check failed",
    "skipped": "Not searched",
}


class Part(NamedTuple):
    """A piece of a fix sentence: role "" plain, "old" wrong value, "new" right value, "url" a
    link (text is what shows, href where it goes)."""

    text: str
    role: str = ""
    href: str = ""


def source_name(source_id: str, catalog: dict[str, Source]) -> str:
    """'Yellow Pages (yellowpages.com)' -> 'Yellow Pages': the name people use."""
    known = catalog.get(source_id)
    if known and known.kind == "website":
        return "your own website"
    if not known:
        return source_id or "an unnamed source"
    return re.sub(r"\s*\(.*\)\s*$", "", known.name) or known.name


def field_label(field: str) -> str:
    return BY_NAME[field].label if field in BY_NAME else field


def shown(field: str, value: str) -> str:
    """A value as a person reads it: hours in words, anything else as the source wrote it."""
    if field == "hours" and value and value.strip():
        return hours_in_words(value)
    return value


def hours_reason(canonical: str, found: str) -> str:
    """Why two weeks of hours differ, in words: 'Saturday: the listing says 11 am to 11 pm;
    you say 11 am to 10 pm'. Empty when either cannot be read or they do not differ."""
    mine, theirs = normalize_hours(canonical), normalize_hours(found)
    if mine.week is None or theirs.week is None:
        return ""
    by_pair: dict[tuple, list[int]] = {}
    for day in range(7):
        if mine.week[day] != theirs.week[day]:
            by_pair.setdefault((theirs.week[day], mine.week[day]), []).append(day)
    return "; ".join(
        f"{days_in_words(frozenset(days))}: the listing says {_day_hours(listing)}, "
        f"you say {_day_hours(yours)}"
        for (listing, yours), days in by_pair.items()
    )


def _day_hours(intervals) -> str:
    return times_in_words(intervals) if intervals else "closed"


def is_link(url: str) -> bool:
    """Only web addresses become links: a scraped 'javascript:' URL must never be clickable."""
    return bool(re.match(r"https?://[^\s<>\"']+$", url or "", re.I))


def link_label(url: str) -> str:
    """What a link shows: the site's name without 'www.' ('https://www.bbb.org/get-listed' ->
    'bbb.org'); the full address stays in the link."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def page_label(url: str) -> str:
    """A page of a site as a person names it: 'home page', or 'the “contact” page'."""
    path = [p for p in urlsplit(url).path.split("/") if p]
    if not path or re.fullmatch(r"index\.\w+", path[-1]):
        return "home page"
    name = re.sub(r"\.\w+$", "", path[-1]).replace("-", " ").replace("_", " ")
    return f"\u201c{name}\u201d page"


def day(stamp: str) -> str:
    """'2026-11-24T02:40:54+00:00' -> 'Nov 24, 2026'."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{moment:%b} {moment.day}, {moment.year}"


def fix_parts(fix: Fix, catalog: dict[str, Source], labels: dict | None = None) -> list[Part]:
    """The fix as one sentence, split where the HTML styles a value or links an address.
    `labels` names a listing where a source shows several ((source, key) -> 'listing 2 of 2')."""
    where = source_name(fix.source, catalog)
    label = (labels or {}).get((fix.source, fix.listing_key))
    if fix.kind == ROOT_CAUSE:
        return _root_parts(fix, where)
    if fix.kind == GAP:
        return _gap_parts(fix, where, catalog)
    place = [Part(f"On {where}")]
    if label:
        place += [Part(" ("), Part(label, "url" if is_link(fix.listing_url) else "",
                                   fix.listing_url), Part(")")]  # fmt: skip
    if fix.page_url:
        place += [Part(", its "), Part(page_label(fix.page_url), "url" if is_link(fix.page_url)
                                       else "", fix.page_url)]  # fmt: skip
    if fix.field == "status":
        parts = _status_parts(fix, where, place)
    elif fix.kind == OPTIONAL:
        parts = [*place, Part(f", you could tidy the {field_label(fix.field)}: it shows "),
                 Part(shown(fix.field, fix.found), "old"), Part("; yours is "),
                 Part(shown(fix.field, fix.canonical), "new")]  # fmt: skip
    else:
        parts = [*place, Part(", "), *_change(fix)]
    parts += _where_parts(fix.fix_url)
    if fix.root_cause:
        parts.append(Part(f". Same wrong {field_label(fix.field)} as at the likely origin, "
                          f"{source_name(fix.root_cause, catalog)}"))  # fmt: skip
    return parts


def _change(fix: Fix) -> list[Part]:
    label = field_label(fix.field)
    if fix.action == "add":
        return [Part(f"add the {label} "), Part(shown(fix.field, fix.canonical), "new")]
    if fix.field == "hours":  # hours in words hold "to" themselves: "from X to Y" would blur
        return [
            Part(f"change the {label} to "),
            Part(shown(fix.field, fix.canonical), "new"),
            Part(" (it shows "),
            Part(shown(fix.field, fix.found), "old"),
            Part(")"),
        ]
    return [Part(f"change the {label} from "), Part(shown(fix.field, fix.found), "old"),
            Part(" to "), Part(shown(fix.field, fix.canonical), "new")]  # fmt: skip


def _status_parts(fix: Fix, where: str, place: list[Part]) -> list[Part]:
    """'Yelp says you are permanently closed: ...' — the worst thing a listing can say."""
    says = normalize_status(fix.found)
    mine = normalize_status(fix.canonical) or OPEN
    subject = where[:1].upper() + where[1:]
    if says in (CLOSED, TEMPORARILY_CLOSED) and mine == OPEN:
        closed = "permanently closed" if says == CLOSED else "temporarily closed"
        return [Part(f"{subject} says you are {closed}: have it show the business as open "
                     "(it shows "), Part(fix.found, "old"), Part(")")]  # fmt: skip
    if says:
        return [Part(f"{subject} says you are {says}; your record says {mine}: have it show "),
                Part(mine, "new")]  # fmt: skip
    return [*place, Part(", check what it says about being open: it shows "),
            Part(fix.found, "old")]  # fmt: skip


def _root_parts(fix: Fix, where: str) -> list[Part]:
    parts = [Part(f"Likely origin: {where}"), Part(" — ")]
    if fix.field == "status":
        parts += [Part("have it show the business as open (it shows "), Part(fix.found, "old"),
                  Part(")")]  # fmt: skip
    else:
        parts += _change(fix)
    if fix.fix_url and is_link(fix.fix_url):
        parts += [Part(" at "), Part(link_label(fix.fix_url), "url", fix.fix_url)]
    return parts


def evidence_text(fix: Fix, catalog: dict[str, Source]) -> str:
    """Why napaudit thinks a root cause comes from its origin, from what it saw."""
    ev = fix.evidence
    if ev is None:
        return ""
    label = field_label(fix.field)
    origin = source_name(fix.source, catalog)
    names = _names([s for s in ev.sources if s != fix.source], catalog)
    if fix.source in ev.sources:
        seen = f"{origin} shows this wrong {label}, and so do {names}"
    else:
        seen = f"{names} show the same wrong {label}"
    if fix.basis == "feeds":
        supplied = _names(list(ev.supplied), catalog)
        count = "it" if len(ev.supplied) == 1 else f"all {len(ev.supplied)}"
        if len(ev.supplied) < len([s for s in ev.sources if s != fix.source]):
            count = f"{len(ev.supplied)} of them ({supplied})"
        why = f"{origin} supplies {count}, as listing services publish"
    else:
        why = f"no source napaudit knows supplies two of them; {origin} showed it first"
    known = catalog.get(fix.source)
    unseen = (f"; napaudit cannot see {origin}'s own record"
              if known and not known.checkable else "")  # fmt: skip
    first = (f"First seen {day(ev.first_at)} (run {ev.first_run}) on "
             f"{_names(list(ev.first_on), catalog)}.")  # fmt: skip
    return f"Why likely: {seen}; {why}{unseen}. {first}"


def _names(ids: list[str], catalog: dict[str, Source]) -> str:
    names = [source_name(s, catalog) for s in ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _gap_parts(fix: Fix, where: str, catalog: dict[str, Source]) -> list[Part]:
    known = catalog.get(fix.source)
    if known and known.kind == "website":
        parts = [Part("Show your name, address and phone on your own website: no page of it "
                      "shows the business")]  # fmt: skip
    elif is_search_key(fix.listing_key) or not fix.listing_key:
        parts = [Part(f"Get listed on {where}: searched, not found")]
    else:
        parts = [Part(f"Get listed again on {where}: the listing page is gone")]
    if fix.fix_url and is_link(fix.fix_url):
        return parts + [Part(" — add the business at "),
                        Part(link_label(fix.fix_url), "url", fix.fix_url)]  # fmt: skip
    return parts + _where_parts(fix.fix_url)


def _where_parts(fix_url: str) -> list[Part]:
    if not fix_url:
        return []
    if is_link(fix_url):
        return [Part(" — fix it at "), Part(link_label(fix_url), "url", fix_url)]
    return [Part(f" — fix it in {fix_url.strip('()')}")]


def sentence(parts: list[Part]) -> str:
    return "".join(p.text for p in parts)
