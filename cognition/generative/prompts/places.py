"""Place-choice templates: one per stage (sector, arena, object), each answering from an enum.

The example shows only the answer's shape ("<one name from the list>"), never a name, so copying
it cannot pick a place; the enum in the schema keeps the answer a listed name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognition.generative.prompts.base import Template
from cognition.llm.schema import object_schema, string_enum

STAGE_TEXT = """{identity}
It is {time}. {first} is going to be {activity}.{inside}
Which {level} should {first} go to? Choose one:
{options}
Answer JSON like {{"{key}": "<one name from the list>"}}"""


def inside_text(where: list[str]) -> str:
    """ " (in Hobbs Cafe, cafe)" for the stages already chosen ("the Ville" left out)."""
    inner = [w for w in where[1:] if w]
    return f" ({first_inside(inner)})" if inner else ""


def first_inside(parts: list[str]) -> str:
    return "in " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Stage:
    level: str  # "area", "room", "object"
    key: str
    template: Template


def stage_schema(stage: Stage, names: list[str]) -> dict[str, Any]:
    return object_schema({stage.key: string_enum(names)})


def parse_stage(value: Any, *, stage: Stage, names: list[str]) -> str:
    """The chosen name; raises `ValueError` for anything not in `names`."""
    answer = value.get(stage.key) if isinstance(value, dict) else value
    if isinstance(answer, str):
        text = answer.strip()
        for name in names:
            if text == name or text.lower() == name.lower():
                return name
    raise ValueError(f"not a listed {stage.level}: {answer!r}")


def _stage(level: str, key: str, prompt_id: str) -> Stage:
    text = STAGE_TEXT.replace("{level}", level).replace("{key}", key)
    return Stage(level, key, Template(prompt_id, f"place.{key}", text, None, lambda v: v))


SECTOR = _stage("area", "area", "place.sector.v1")
ARENA = _stage("room", "room", "place.arena.v1")
OBJECT = _stage("spot", "spot", "place.object.v1")
