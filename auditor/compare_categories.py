"""Categories compared: what a listing says the business is, against what the owner says.

Both sides are read onto concepts first (`auditor.normalize.categories`). Then each of the
owner's categories looks for its best match among the listing's (the same concept, a narrower or
a broader one), and each of the listing's categories for the owner's. An owner with several
categories and a listing that shows some of them is not wrong ("partly"); a listing category
unlike any of the owner's is ("also_listed", or "differs" when nothing matches). Generic types
(`point_of_interest`, `LocalBusiness`) are set aside, and a category napaudit cannot read is
never a mismatch: with nothing else to go on, the verdict is "unknown".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from napaudit.auditor.normalize.categories import group_label, groups

if TYPE_CHECKING:
    from napaudit.auditor.normalize.record import Normalized

Level = tuple[str, str]
Term = dict

# How a listing's term stands to one of the owner's, best first.
_RELATIONS = ("same", "narrower", "broader", "specialty", "related", "unknown", "none")
_COVERED = ("same", "narrower", "broader")
# Most serious first: the first level found is the verdict.
_ORDER = (
    "differs", "also_listed", "specialty", "related", "partly", "broader", "narrower", "unknown",
    "same_concept", "format",
)  # fmt: skip


def compare_categories(c: Normalized, f: Normalized) -> Level:
    mine = [t for t in c.values.get("categories") or [] if t["kind"] != "generic"]
    theirs = [t for t in f.values.get("categories") or [] if t["kind"] != "generic"]
    if not theirs:
        return (
            "unknown",
            f"the listing shows only generic types ({_quote_all(f)}): nothing to check",
        )
    if not mine:
        return "unknown", f"your categories ({_quote_all(c)}) are too generic to check against"
    findings = _findings(mine, theirs)
    findings.sort(key=lambda lv: _ORDER.index(lv[0]))
    reasons = list(dict.fromkeys(reason for _, reason in findings))
    return findings[0][0], "; ".join(reasons[:3])


def _findings(mine: list[Term], theirs: list[Term]) -> list[Level]:
    best_mine = [_best(theirs, m, lambda t, m=m: relation(t, m)) for m in mine]
    best_theirs = [_best(mine, t, lambda m, t=t: relation(t, m)) for t in theirs]
    covered = [(m, rel, t) for m, (rel, t) in zip(mine, best_mine, strict=True) if rel in _COVERED]
    if not covered:
        return _nothing_in_common(mine, theirs, best_theirs)
    out: list[Level] = []
    for t, (rel, _) in zip(theirs, best_theirs, strict=True):
        if rel == "none":
            out.append(("also_listed", f"also listed as '{t['text']}', unlike your {_quote(mine)}"))
    for m, (rel, t) in zip(mine, best_mine, strict=True):
        if rel == "specialty":
            out.append(("specialty", _specialty(t, m)))
        elif rel not in _COVERED:
            shown = _quote([x for x, _, _ in covered])
            out.append(("partly", f"the listing shows your {shown} but not '{m['text']}'"))
    for m, rel, t in covered:
        out.append(_covered(m, rel, t))
    return out


def _nothing_in_common(
    mine: list[Term], theirs: list[Term], best_theirs: list[tuple[str, Term]]
) -> list[Level]:
    """No category of the owner's is shown: how far off the listing is."""
    yours = _quote(mine)
    out: list[Level] = []
    for t, (rel, m) in zip(theirs, best_theirs, strict=True):
        if rel == "none":
            out.append(("differs", f"listed as '{t['text']}'; you are {yours}"))
        elif rel == "specialty":
            out.append(("specialty", _specialty(t, m)))
        elif rel == "related":
            kin = _kin_groups(t, m)
            out.append(("related", f"listed as '{t['text']}'; you are '{m['text']}' (both {kin})"))
    if not out:
        out.append(("unknown", _could_not_tell(mine, theirs)))
    return out


def _could_not_tell(mine: list[Term], theirs: list[Term]) -> str:
    unread = [t for t in theirs if t["kind"] == "unknown"]
    if unread:
        return f"could not tell: napaudit does not know the listing's {_quote(unread)}"
    unread = [m for m in mine if m["kind"] == "unknown"]
    if unread:
        return f"could not tell: napaudit does not know your {_quote(unread)}"
    return f"could not tell whether {_quote(theirs)} matches your {_quote(mine)}"


def _covered(m: Term, rel: str, t: Term) -> Level:
    if rel == "narrower":
        return "narrower", f"listed as '{t['text']}', more specific than your '{m['text']}'"
    if rel == "broader":
        return "broader", f"listed as '{t['text']}', broader than your '{m['text']}'"
    if t["key"] == m["key"]:
        return "format", f"same category, written differently: '{t['text']}' = '{m['text']}'"
    return "same_concept", f"'{t['text']}' and '{m['text']}' name the same category"


def _specialty(t: Term, m: Term) -> str:
    return f"listed as '{t['text']}'; you are '{m['text']}' (the same kind of business)"


def _best(others: list[Term], term: Term, rel) -> tuple[str, Term]:
    """The best relation and the term it holds with; the same words first among equals, so that
    the verdict never depends on the order the categories were written in."""
    pairs = [(rel(o), o) for o in others]
    best = min(
        pairs, key=lambda p: (_RELATIONS.index(p[0]), p[1]["key"] != term["key"]), default=None
    )
    return best or ("none", term)


def relation(t: Term, m: Term) -> str:
    """How the listing's term `t` stands to the owner's term `m`."""
    if "unknown" in (t["kind"], m["kind"]):
        if t["key"] == m["key"]:  # a category napaudit does not know, written the same way
            return "same"
        # Parents' groups can still tell a restaurant from a plumber.
        apart = t["groups"] and m["groups"] and not set(t["groups"]) & set(m["groups"])
        return "none" if apart else "unknown"
    if t["kind"] == "group" or m["kind"] == "group":
        return _group_relation(t, m)
    if t["concept"] != m["concept"]:
        return "related" if _kin_groups(t, m) else "none"
    mine, theirs = _tags(m["refine"]), _tags(t["refine"])
    if any(theirs[k] != mine[k] for k in theirs.keys() & mine.keys()):
        return "specialty"
    if theirs.keys() == mine.keys():
        return "same"
    if theirs.keys() < mine.keys():
        return "broader"
    if theirs.keys() > mine.keys():
        return "narrower"
    return "unknown"  # narrowed in two ways that cannot be compared


def _group_relation(t: Term, m: Term) -> str:
    if t["kind"] == "group" and m["kind"] == "group":
        return "same" if t["group"] == m["group"] else "none"
    if t["kind"] == "group":
        return "broader" if t["group"] in m["groups"] else "none"
    return "narrower" if m["group"] in t["groups"] else "none"


def _kin_groups(t: Term, m: Term) -> str:
    """The groups two concepts share that make them related ('food and drink'), or ''."""
    shared = [g for g in sorted(set(t["groups"]) & set(m["groups"])) if _kin(g)]
    return " and ".join(group_label(g) for g in shared)


def _kin(group: str) -> bool:
    return groups()[group].kin if group in groups() else False


def _tags(refine: list[str]) -> dict[str, str]:
    return dict(tag.split("=", 1) for tag in refine)


def _quote(terms: list[Term]) -> str:
    return ", ".join(f"'{t}'" for t in dict.fromkeys(x["text"] for x in terms))


def _quote_all(n: Normalized) -> str:
    return ", ".join(f"'{t['text']}'" for t in n.values.get("categories") or [])
