"""Every field is declared once (auditor/fields.py), and everything reads the declaration: a
comparator can only return a level its field declares, the record model, the store's columns,
the input readers, extraction's output and the report's schema all follow the list."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

from napaudit.auditor import fields as declared
from napaudit.auditor.fields import FIELDS, JUDGED
from napaudit.auditor.models import Record
from napaudit.auditor.records import _ALIASES
from napaudit.auditor.store import Store
from napaudit.reports.schema import report_schema
from napaudit.spiders.extract.model import Business

COMMON = {"exact", "missing", "extra"}
LEVEL_NAME = re.compile(
    r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
)  # decided by judge_field, before any comparator runs


def _levels_returned(func) -> set[str]:
    """The level names a comparator can return: every ("level", reason) pair built in its body
    or in the module's functions it calls, read from the source (not from a run, which could
    miss a branch)."""
    module = inspect.getmodule(func)
    tree = ast.parse(textwrap.dedent(inspect.getsource(module)))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    seen, todo, levels = set(), [func.__name__], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Name) and node.id in functions:
                todo.append(node.id)
            if (isinstance(node, ast.Tuple) and len(node.elts) == 2
                    and isinstance(node.elts[0], ast.Constant)
                    and isinstance(node.elts[0].value, str)
                    and LEVEL_NAME.fullmatch(node.elts[0].value)
                    and _reason_like(node.elts[1])):  # fmt: skip
                levels.add(node.elts[0].value)
    return levels


def _reason_like(node: ast.AST) -> bool:
    """A reason is a sentence: an f-string, a string built by + or a call, or words."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and " " in node.value
    return isinstance(node, ast.JoinedStr | ast.BinOp | ast.Call)


def test_every_level_a_comparator_can_return_is_declared():
    for spec in JUDGED:
        returned = _levels_returned(spec.compare)
        assert returned, f"{spec.name}: no level found in {spec.compare.__name__}"
        undeclared = returned - set(spec.levels)
        assert not undeclared, f"{spec.name} can return {undeclared}, not declared"
        assert COMMON <= set(spec.levels) | {"missing"}, spec.name


def test_every_declared_level_is_a_status_and_severity():
    for spec in JUDGED:
        for level, (status, severity) in spec.levels.items():
            assert isinstance(status, declared.Status) and isinstance(severity, declared.Severity)
            assert LEVEL_NAME.fullmatch(level), level


def test_the_record_model_the_store_the_readers_extraction_and_schema_follow_the_list(tmp_path):
    names = [f.name for f in FIELDS]
    record = Record(id="x")
    assert all(hasattr(record, name) for name in names)
    store = Store(tmp_path / "n.db")
    for table in ("businesses", "listings"):
        columns = set(store.db[table].columns_dict)
        assert set(names) <= columns, f"{table} lacks {set(names) - columns} (a migration?)"
    assert set(names) <= set(_ALIASES["canonical"])
    extracted = [f.name for f in FIELDS if f.extracted]
    assert list(Business().as_dict())[: len(extracted)] == extracted
    canonical = report_schema()["$defs"]["business"]["properties"]["canonical"]
    assert canonical["required"] == names


def test_migrations_never_read_the_live_field_list():
    """The first migration's columns are frozen: a new field is a migration of its own."""
    from napaudit.auditor import schema

    source = inspect.getsource(schema)
    assert "auditor.fields" not in source and "FIELDS" not in source.replace("V1_FIELDS", "")
