"""Builders for the small JSON-schema subset our prompts use, and a checker for it.

The subset (object / array / string / integer / number / boolean, `enum`, `required`,
`minimum`/`maximum`, `minItems`/`maxItems`, `minLength`/`maxLength`) is what llama.cpp's
schema-to-grammar converter and OpenAI-style `response_format` both understand. Grammars do
not always enforce numeric ranges or lengths, so parsers call `check_schema` (or do their own
checks) on what comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Schema = dict[str, Any]


def string_enum(values: Iterable[str]) -> Schema:
    """A string that must be one of `values` (order kept, duplicates dropped)."""
    unique = list(dict.fromkeys(values))
    if not unique:
        raise ValueError("string_enum needs at least one value")
    return {"type": "string", "enum": unique}


def integer_range(minimum: int, maximum: int) -> Schema:
    """An integer in [minimum, maximum]."""
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def string(max_length: int | None = None, min_length: int = 1) -> Schema:
    """A string of bounded length."""
    schema: Schema = {"type": "string", "minLength": min_length}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def object_schema(props: dict[str, Schema], required: Iterable[str] | None = None) -> Schema:
    """An object with exactly `props`; every property is required unless `required` says
    otherwise. Extra properties are forbidden."""
    names = list(props) if required is None else list(required)
    unknown = set(names) - set(props)
    if unknown:
        raise ValueError(f"required names not in props: {sorted(unknown)}")
    return {
        "type": "object",
        "properties": dict(props),
        "required": names,
        "additionalProperties": False,
    }


def array_of(item: Schema, min_items: int = 0, max_items: int | None = None) -> Schema:
    """An array of `item` with a length in [min_items, max_items]."""
    schema: Schema = {"type": "array", "items": item, "minItems": min_items}
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def check_schema(value: Any, schema: Schema, where: str = "$") -> None:
    """Raise `ValueError` naming the first place where `value` breaks `schema` (subset above)."""
    kind = schema.get("type")
    if kind is not None:
        allowed = _TYPES.get(kind)
        is_bool = isinstance(value, bool)
        if allowed is None:
            raise ValueError(f"{where}: unsupported schema type {kind!r}")
        if not isinstance(value, allowed) or (is_bool and kind in ("integer", "number")):
            raise ValueError(f"{where}: expected {kind}, got {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValueError(f"{where}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ValueError(f"{where}: {value} > maximum {schema['maximum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise ValueError(f"{where}: string shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise ValueError(f"{where}: string longer than {schema['maxLength']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise ValueError(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise ValueError(f"{where}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                check_schema(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                raise ValueError(f"{where}: missing {name!r}")
        if schema.get("additionalProperties") is False:
            extra = sorted(set(value) - set(props))
            if extra:
                raise ValueError(f"{where}: unexpected {extra}")
        for name, sub in props.items():
            if name in value:
                check_schema(value[name], sub, f"{where}.{name}")
