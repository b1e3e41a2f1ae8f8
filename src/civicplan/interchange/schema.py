"""The JSON Schema of the plan interchange format, derived from the dataclasses (one source of truth).

`python -m civicplan.interchange.schema > docs/interchange.schema.json` writes it; a test keeps the file current.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing

from civicplan.interchange import model
from civicplan.interchange.model import FORMAT, PlanDocument

ENUMS = {
    ("PlanDocument", "kind"): ["medium-term", "annual", "strategy-map"],
    ("Goal", "kind"): ["key", "common"],
    ("Owner", "role"): ["lead", "co"],
}
DESCRIPTIONS = {
    ("PlanDocument", "period"): "ROC years: {\"start\": 109, \"end\": 112}",
    ("Source", "lines"): "[first, last] line numbers in the source text, 1-based",
    ("Target", "year"): "ROC year",
    ("Target", "raw"): "the target as printed, internal line breaks joined",
    ("Indicator", "eval_system"): "評估體制 code as printed (\"1\"–\"5\")",
    ("Goal", "name"): "without the （業務成果） perspective tag",
}


def _type(tp, owner: str, name: str, defs: dict) -> dict:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _type(options[0], owner, name, defs)
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        (item,) = typing.get_args(tp)
        return {"type": "array", "items": _type(item, owner, name, defs)}
    if origin is dict or tp is dict:
        if (owner, name) == ("PlanDocument", "period"):
            return {"type": "object", "required": ["start", "end"],
                    "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}}
        return {"type": "object", "additionalProperties": {"type": "integer"}}
    if dataclasses.is_dataclass(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    return {int: {"type": "integer"}, float: {"type": "number"}, str: {"type": "string"},
            bool: {"type": "boolean"}}[tp]


def _define(cls, defs: dict) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}
    hints = typing.get_type_hints(cls, vars(model))
    properties, required = {}, []
    for f in dataclasses.fields(cls):
        schema = _type(hints[f.name], cls.__name__, f.name, defs)
        if (cls.__name__, f.name) in ENUMS:
            schema = {"enum": ENUMS[(cls.__name__, f.name)]}
        if (cls.__name__, f.name) in DESCRIPTIONS:
            schema = {**schema, "description": DESCRIPTIONS[(cls.__name__, f.name)]}
        properties[f.name] = schema
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    doc = (cls.__doc__ or "").strip().split("\n")[0]
    described = {"description": doc} if doc and not doc.startswith(f"{cls.__name__}(") else {}
    defs[cls.__name__] = {"type": "object", **described, "properties": properties, "required": required}


def json_schema() -> dict:
    defs: dict = {}
    _define(PlanDocument, defs)
    root = defs.pop("PlanDocument")
    root["properties"]["format"] = {"const": FORMAT}
    root["required"] = ["format", *root["required"]]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"urn:{FORMAT}",
            "title": "civicplan plan document", **root, "$defs": dict(sorted(defs.items()))}


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
