"""Persona files: load, validate and write the JSON that describes who an agent is.

A persona file holds exactly the fields of `engine.agent_api.Persona`. Every problem a user can
make in one (a missing field, a wrong type, a bad `HH:MM` time, a routine that does not start at
midnight, a malformed address) is reported as a one-line `UserError` naming the file and the
problem. Whether the addresses exist on the map is checked separately by `check_places`, because
only the engine knows the loaded map.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from engine import safe_io, safe_json
from engine.agent_api import Persona
from engine.errors import UserError
from engine.safe_write import replace_text

ROUTINE_KEYS = ("start", "activity", "place", "emoji")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TEXT_FIELDS = (
    "name", "first_name", "last_name", "innate", "learned", "currently", "lifestyle",
    "occupation", "spawn", "sprite",
)  # fmt: skip
_PLACE_FIELDS = ("living_area", "bed", "workplace")
_POSITIVE_INT_FIELDS = ("vision_radius", "attention_bandwidth", "retention", "reflection_threshold")


_UNSAFE_RE = re.compile(r"[^\w\-]+")
MAX_SLUG = 100
PERSONA_FILE_LIMIT = 1 << 20


def persona_slug(name: str) -> str:
    """The file stem and sprite name of a persona: lower case, spaces as underscores.

    Only letters, digits, `_` and `-` survive, so a name can never act as a path (`../x`,
    `/etc/x`, `a:b`); a name with nothing usable in it is refused.
    """
    slug = "_".join(_UNSAFE_RE.sub(" ", name.lower()).split())
    if not slug or len(slug) > MAX_SLUG or slug.startswith("-"):
        raise UserError(
            f"persona name {name!r:.80} cannot be used: it needs letters or digits "
            f"(at most {MAX_SLUG})"
        )
    return slug


def minute_of_day(hhmm: str) -> int:
    """Minutes since midnight of an `HH:MM` string (assumed valid)."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def is_hhmm(value: object) -> bool:
    """True for a 24-hour `HH:MM` string such as "07:30"."""
    return isinstance(value, str) and _TIME_RE.match(value) is not None


def is_place(value: object) -> bool:
    """True for an address with at least `world:sector:arena`, every part non-empty."""
    if not isinstance(value, str) or not value.strip():
        return False
    parts = value.split(":")
    return len(parts) >= 3 and all(part.strip() for part in parts)


class _Checker:
    """Validates one decoded persona document; every failure names the file."""

    def __init__(self, source: str, data: Any) -> None:
        self.source = source
        self.data = data

    def fail(self, problem: str) -> UserError:
        return UserError(f"persona file {self.source}: {problem}")

    def run(self) -> Persona:
        if not isinstance(self.data, dict):
            raise self.fail("top level must be a JSON object")
        fields = {f.name: f for f in dataclasses.fields(Persona)}
        unknown = sorted(set(self.data) - set(fields))
        if unknown:
            raise self.fail(f"unknown field '{unknown[0]}'")
        for name, spec in fields.items():
            has_default = spec.default is not dataclasses.MISSING
            if name not in self.data and not has_default:
                raise self.fail(f"missing field '{name}'")
        values = {name: self.data[name] for name in fields if name in self.data}
        for name in _TEXT_FIELDS:
            self.text(name, values[name])
        self.integer("age", values["age"], minimum=0)
        for name in _PLACE_FIELDS:
            self.place(name, values[name])
        for name in _POSITIVE_INT_FIELDS:
            if name in values:
                self.integer(name, values[name], minimum=1)
        if "recency_decay" in values:
            self.decay(values["recency_decay"])
        values["routine"] = self.routine(values["routine"])
        values["known_places"] = self.known_places(values["known_places"])
        return Persona(**values)

    def text(self, name: str, value: Any) -> None:
        if not isinstance(value, str):
            raise self.fail(f"field '{name}' must be a string, got {type(value).__name__}")
        if name in ("name", "first_name", "spawn", "sprite") and not value.strip():
            raise self.fail(f"field '{name}' must not be empty")
        if name == "sprite" and not re.fullmatch(r"[\w\-]{1,100}", value):
            raise self.fail(f"field 'sprite' {value!r:.60} must be a plain name (letters, _, -)")
        if name == "name":
            try:
                persona_slug(value)
            except UserError as exc:
                raise self.fail(str(exc)) from None

    def integer(self, name: str, value: Any, minimum: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"field '{name}' must be an integer, got {value!r}")
        if value < minimum:
            raise self.fail(f"field '{name}' must be at least {minimum}, got {value}")

    def decay(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"field 'recency_decay' must be a number, got {value!r}")
        if not 0.0 < value <= 1.0:
            raise self.fail(f"field 'recency_decay' must be in (0, 1], got {value}")

    def place(self, where: str, value: Any) -> None:
        if not is_place(value):
            raise self.fail(
                f"{where} must be an address 'world:sector:arena[:object]', got {value!r}"
            )

    def routine(self, value: Any) -> tuple[dict[str, str], ...]:
        if not isinstance(value, list) or not value:
            raise self.fail("field 'routine' must be a non-empty list of blocks")
        blocks: list[dict[str, str]] = []
        previous = -1
        for index, block in enumerate(value):
            where = f"routine block {index + 1}"
            if not isinstance(block, dict):
                raise self.fail(f"{where} must be an object")
            for key in ROUTINE_KEYS:
                if key not in block:
                    raise self.fail(f"{where} is missing '{key}'")
                if not isinstance(block[key], str):
                    raise self.fail(f"{where} field '{key}' must be a string")
            extra = sorted(set(block) - set(ROUTINE_KEYS))
            if extra:
                raise self.fail(f"{where} has unknown field '{extra[0]}'")
            if not is_hhmm(block["start"]):
                raise self.fail(f"{where} start {block['start']!r} is not an HH:MM time")
            start = minute_of_day(block["start"])
            if index == 0 and start != 0:
                raise self.fail("routine must start at '00:00'")
            if start <= previous:
                raise self.fail(f"{where} starts at {block['start']}, not after the block before")
            if not block["activity"].strip():
                raise self.fail(f"{where} has an empty activity")
            self.place(f"{where} place", block["place"])
            previous = start
            blocks.append({key: block[key] for key in ROUTINE_KEYS})
        return tuple(blocks)

    def known_places(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail("field 'known_places' must be a list of addresses")
        for index, place in enumerate(value):
            self.place(f"known_places entry {index + 1}", place)
        return tuple(value)


def persona_from_json(data: Any, source: str) -> Persona:
    """Validate a decoded persona document; `source` names it in error messages."""
    return _Checker(source, data).run()


def load_persona(path: str | Path) -> Persona:
    """Read and validate one persona JSON file (UTF-8)."""
    source = str(path)
    path = Path(path)
    try:
        text = safe_io.read_text(
            path.parent, path.name, f"persona file {path.parent}", PERSONA_FILE_LIMIT
        )
    except OSError as exc:
        raise UserError(f"persona file {source}: cannot read ({exc.strerror})") from None
    try:
        data = safe_json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"persona file {source}: invalid JSON at line {exc.lineno}: {exc.msg}"
        ) from None
    except ValueError as exc:  # safe_json.JSONFault: a huge number, NaN, too deep
        raise UserError(f"persona file {source}: refused: {exc}") from None
    return persona_from_json(data, source)


def persona_to_json(persona: Persona) -> dict[str, Any]:
    """The JSON document for a persona (the inverse of `load_persona`)."""
    data = dataclasses.asdict(persona)
    data["routine"] = [dict(block) for block in persona.routine]
    data["known_places"] = list(persona.known_places)
    return data


def save_persona(persona: Persona, path: str | Path) -> None:
    """Write a persona file as indented UTF-8 JSON."""
    text = json.dumps(persona_to_json(persona), ensure_ascii=False, indent=2)
    replace_text(Path(path), text + "\n")  # a fresh file renamed into place


def load_personas(directory: str | Path, names: list[str] | tuple[str, ...]) -> list[Persona]:
    """Load `<directory>/<slug>.json` for each name, in order; the file must name that persona."""
    personas = []
    for name in names:
        path = Path(directory) / f"{persona_slug(name)}.json"
        persona = load_persona(path)
        if persona.name != name:
            raise UserError(f"persona file {path}: names '{persona.name}', expected '{name}'")
        personas.append(persona)
    return personas


def persona_places(persona: Persona) -> list[tuple[str, str]]:
    """Every (where, address) a persona refers to, for map checks."""
    places = [("living_area", persona.living_area), ("bed", persona.bed)]
    places.append(("workplace", persona.workplace))
    places += [(f"routine {b['start']}", b["place"]) for b in persona.routine]
    places += [("known_places", place) for place in persona.known_places]
    return places


def check_places(persona: Persona, known_addresses: set[str]) -> None:
    """Raise UserError naming the persona and the first address not in `known_addresses`.

    `known_addresses` must hold both arena addresses (`world:sector:arena`) and object
    addresses (`world:sector:arena:object`) of the map.
    """
    for where, address in persona_places(persona):
        if address not in known_addresses:
            raise UserError(f"persona {persona.name}: unknown place '{address}' ({where})")
