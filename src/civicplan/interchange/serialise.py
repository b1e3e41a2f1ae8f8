"""JSON (de)serialisation of the interchange dataclasses: to_dict/to_json, from_dict/from_json.

Reading is strict about types (a clear error naming the path, e.g. `chapters[2].goals[0].seq`) and lenient
about missing optional keys. Unknown keys are kept out (a later format version may add them).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing

from civicplan.interchange import model
from civicplan.interchange.model import FORMAT, PlanDocument


class FormatError(ValueError):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


def _plain(value, compact: bool):
    """A dataclass as JSON-ready data; with `compact`, optional fields left at an empty default are left out
    (they come back on reading). Required fields are always written, even when empty (a target's raw "")."""
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if compact and f.default is not dataclasses.MISSING and item == f.default:
                continue
            if compact and f.default_factory is not dataclasses.MISSING and item == f.default_factory():
                continue
            out[f.name] = _plain(item, compact)
        return out
    if isinstance(value, list):
        return [_plain(v, compact) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, compact) for k, v in value.items()}
    return value


def to_dict(document: PlanDocument, *, compact: bool = True) -> dict:
    data = _plain(document, compact)
    data = {"format": data.pop("format", FORMAT), **data}
    data.setdefault("chapters", [])
    return data


def to_json(document: PlanDocument, *, indent: int | None = 1) -> str:
    return json.dumps(to_dict(document), ensure_ascii=False, indent=indent)


_HINTS: dict[type, dict] = {}


def _hints(cls) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(model))
    return _HINTS[cls]


def _build(tp, value, where: str):
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _build(options[0], value, where)
    if origin is list:
        if not isinstance(value, list):
            raise FormatError(where, f"expected a list, found {type(value).__name__}")
        (item,) = typing.get_args(tp) or (typing.Any,)
        return [_build(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            raise FormatError(where, f"expected an object, found {type(value).__name__}")
        return dict(value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise FormatError(where, f"expected an object, found {type(value).__name__}")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in value:
                kwargs[f.name] = _build(hints[f.name], value[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FormatError(f"{where}.{f.name}", "missing")
        return tp(**kwargs)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormatError(where, f"expected a number, found {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormatError(where, f"expected an integer, found {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise FormatError(where, f"expected text, found {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise FormatError(where, f"expected true or false, found {value!r}")
        return value
    return value


def from_dict(data: dict) -> PlanDocument:
    if not isinstance(data, dict):
        raise FormatError("document", "expected an object")
    if data.get("format") != FORMAT:
        raise FormatError("document.format", f"expected {FORMAT}, found {data.get('format')!r}")
    document = _build(PlanDocument, data, "document")
    return document


def from_json(text: str) -> PlanDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"line {error.lineno} column {error.colno}", f"not JSON: {error.msg}") from None
    return from_dict(data)
