"""The README says what the code does: its table of sources is `napaudit sources`' coverage."""

from __future__ import annotations

import re

from conftest import ROOT
from napaudit.auditor.catalog import load_catalog
from napaudit.spiders.sources import spider_classes

START, END = "<!-- sources:start -->", "<!-- sources:end -->"
ORDER = ("verified", "assumed", "not searchable yet", "not checkable")


def sources_table() -> str:
    """The table the README shows, from the catalog (python tests/test_readme.py prints it)."""
    catalog, spiders = load_catalog(), spider_classes()
    groups: dict[str, list[str]] = {label: [] for label in ORDER}
    for source in catalog.values():
        coverage, _ = source.coverage(source.id in spiders)
        found = source.find + (f" ({source.through})" if source.through else "")
        groups[coverage].append(f"{source.name} (`{source.id}`, {found})")
    lines = ["| checked | sources |", "|---|---|"]
    lines += [f"| {label} | {', '.join(names)} |" for label, names in groups.items() if names]
    return "\n".join(lines)


def test_the_readme_source_table_is_the_catalog():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(f"{re.escape(START)}\n(.*?)\n{re.escape(END)}", readme, re.S)
    assert shown, "the README has no sources table between its markers"
    assert shown.group(1).strip() == sources_table()


if __name__ == "__main__":
    print(sources_table())
