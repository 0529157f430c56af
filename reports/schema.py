"""The JSON report's schema: the shape in report.schema.json, with the parts that depend on the
declared fields (auditor.fields) filled in from the declarations, so a new field is in the schema
without an edit here."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib.resources import files

from napaudit.auditor.fields import FIELDS, JUDGED


@cache
def _shape() -> dict:
    return json.loads((files("napaudit.reports") / "report.schema.json").read_text("utf-8"))


def report_schema() -> dict:
    """The JSON Schema (draft 2020-12) every report.json validates against."""
    schema = copy.deepcopy(_shape())
    canonical = schema["$defs"]["business"]["properties"]["canonical"]
    canonical["required"] = [f.name for f in FIELDS]
    canonical["properties"] = {f.name: {"type": "string"} for f in FIELDS}
    judged = [f.name for f in JUDGED]
    for where in (
        schema["$defs"]["business"]["properties"]["root_causes"]["items"]["properties"],
        schema["$defs"]["listing"]["properties"]["fields"]["items"]["properties"],
    ):
        where["field"] = {"type": "string", "enum": judged}
    return schema
