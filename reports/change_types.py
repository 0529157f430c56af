"""What a change between two runs is (plain dataclasses of strings and numbers, so the CLI, the
alerts and the HTML report say the same thing) and the sentence an owner reads for each."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class FieldChange:
    """One field of one listing that went wrong, or right, between the two runs."""

    kind: str  # new_problem | fixed | regression | still_wrong
    source: str
    source_name: str
    listing_key: str
    url: str | None
    field: str
    field_label: str
    before: str | None  # its status in the earlier run (None: the listing was not checked)
    now: str
    canonical: str  # values as a person reads them (hours in words)
    found: str  # what the listing shows now
    found_before: str
    severity: str
    broke_again: bool = False  # wrong in an earlier run, then fixed, and wrong again now
    wrong_in: int | None = None  # the last earlier run where it was wrong
    fixed_in: int | None = None  # the run where that was seen fixed
    same_wrong_value: bool = False  # it shows the very value it showed when it was wrong
    text: str = ""


@dataclass
class SourceChange:
    """A source as a whole: a new duplicate, a listing gone, unreachable or reachable again."""

    kind: str  # new_duplicate | gone | back | unreachable | reachable_again
    source: str
    source_name: str
    listing_keys: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    outcome: str = ""
    reason: str = ""
    text: str = ""


@dataclass
class BusinessChanges:
    business_id: str
    name: str
    old_run: int
    new_run: int
    regressions: list[FieldChange] = field(default_factory=list)
    new_problems: list[FieldChange] = field(default_factory=list)
    fixed: list[FieldChange] = field(default_factory=list)
    still_wrong: list[FieldChange] = field(default_factory=list)  # another wrong value now
    new_duplicates: list[SourceChange] = field(default_factory=list)
    gone: list[SourceChange] = field(default_factory=list)
    back: list[SourceChange] = field(default_factory=list)  # a listing gone before, found now
    unreachable: list[SourceChange] = field(default_factory=list)
    reachable_again: list[SourceChange] = field(default_factory=list)

    @property
    def broke_again(self) -> list[FieldChange]:
        return [c for c in self.regressions if c.broke_again]

    @property
    def changed(self) -> bool:
        return any(self.counts().values())

    def items(self) -> list[FieldChange | SourceChange]:
        """Everything, the worst news first: what an owner reads top to bottom."""
        return [*self.broke_again, *(c for c in self.regressions if not c.broke_again),
                *self.new_problems, *self.still_wrong, *self.new_duplicates, *self.gone,
                *self.unreachable, *self.fixed, *self.back, *self.reachable_again]  # fmt: skip

    def counts(self) -> dict[str, int]:
        return {
            "regressions": len(self.regressions),
            "broke_again": len(self.broke_again),
            "new_problems": len(self.new_problems),
            "fixed": len(self.fixed),
            "still_wrong": len(self.still_wrong),
            "new_duplicates": len(self.new_duplicates),
            "gone": len(self.gone),
            "back": len(self.back),
            "unreachable": len(self.unreachable),
            "reachable_again": len(self.reachable_again),
        }

    def as_dict(self) -> dict:
        return {**asdict(self), "counts": self.counts(), "changed": self.changed}


@dataclass
class Changes:
    """Per business of the newer run: what changed since its earlier run."""

    database: str
    new_run: int
    businesses: list[BusinessChanges] = field(default_factory=list)
    first_check: list[str] = field(default_factory=list)  # no earlier run to compare with

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for b in self.businesses:
            for key, n in b.counts().items():
                total[key] = total.get(key, 0) + n
        return total

    def as_dict(self) -> dict:
        return {
            "database": self.database,
            "new_run": self.new_run,
            "counts": self.counts(),
            "businesses": [b.as_dict() for b in self.businesses],
            "first_check": list(self.first_check),
        }


# --- words ---------------------------------------------------------------------------------


def field_text(c: FieldChange, old_run: int) -> str:
    """One sentence an owner understands."""
    where, label = c.source_name, c.field_label.lower()
    if c.kind == "fixed":
        was = f"it showed \u201c{c.found_before}\u201d" if c.found_before else "it was missing"
        return f"Fixed: {where} now shows your {label} correctly ({was})."
    shows = (
        f"no longer shows your {label}" if c.now == "missing" and c.kind == "regression"
        else f"does not show your {label}" if c.now == "missing"
        else f"shows your {label} as \u201c{c.found}\u201d instead of \u201c{c.canonical}\u201d"
    )  # fmt: skip
    if c.kind == "new_problem":
        return f"New problem: {where} {shows}."
    if c.kind == "still_wrong":
        return (f"Still wrong, changed: {where} now shows your {label} as \u201c{c.found}\u201d "
                f"instead of \u201c{c.canonical}\u201d; in run {old_run} it showed "
                f"\u201c{c.found_before}\u201d.")  # fmt: skip
    if not c.broke_again:
        return f"Regression: {where} {shows}; it was right in run {old_run}."
    if c.same_wrong_value:
        return (f"Broke again: {where} {shows}, the same wrong value it showed in run "
                f"{c.wrong_in}; it was fixed by run {c.fixed_in} and is wrong again.")  # fmt: skip
    return (f"Broke again: {where} {shows}; it was wrong in run {c.wrong_in} too, was fixed by "
            f"run {c.fixed_in}, and is wrong again.")  # fmt: skip


def source_text(c: SourceChange, old_run: int) -> str:
    where = c.source_name
    if c.kind == "new_duplicate":
        return (f"New duplicate: {where} now shows this business {len(c.listing_keys)} times; "
                "ask it to merge them.")  # fmt: skip
    if c.kind == "gone":
        why = f" ({c.reason})" if c.reason else ""
        return f"Listing gone: {where} no longer has the listing it had in run {old_run}{why}."
    if c.kind == "back":
        why = f" ({c.reason})" if c.reason else ""
        return (f"Listing back: {where} shows this business again; it was not found in run "
                f"{old_run}{why}.")  # fmt: skip
    if c.kind == "unreachable":
        why = f": {c.reason}" if c.reason else ""
        return (f"Could not be checked: {where} was checked in run {old_run} but refused or "
                f"failed this time ({c.outcome}{why}).")  # fmt: skip
    return f"Reachable again: {where} could be checked again (it could not in run {old_run})."
