"""Persona files: the shipped bases load, and mistakes are refused with one clear line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from engine.errors import UserError
from engine.personas import (
    check_places,
    load_persona,
    load_personas,
    persona_from_json,
    persona_to_json,
)

ROOT = Path(__file__).resolve().parents[2]
BASES = ("base_the_ville_isabella_maria_klaus", "base_the_ville_n25")


def _places_module():
    path = ROOT / "assets" / "generator" / "places.py"
    spec = importlib.util.spec_from_file_location("ville_places", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _known_addresses() -> set[str]:
    places = _places_module()
    addresses = set()
    for sector, arenas in places.PLACES.items():
        for arena, objects in arenas.items():
            addresses.add(f"{places.WORLD}:{sector}:{arena}")
            addresses.update(f"{places.WORLD}:{sector}:{arena}:{obj}" for obj in objects)
    return addresses


def _meta(base: str) -> dict:
    return json.loads((ROOT / "saves" / base / "meta.json").read_text(encoding="utf-8"))


def _shipped(base: str):
    return load_personas(ROOT / "saves" / base / "personas", _meta(base)["personas"])


@pytest.mark.parametrize("base", BASES)
def test_shipped_personas_load_and_match_the_map(base):
    meta = _meta(base)
    assert meta["name"] == base and meta["format_version"] == 1 and meta["step"] == 0
    personas = _shipped(base)
    assert [p.name for p in personas] == meta["personas"]
    files = sorted(p.stem for p in (ROOT / "saves" / base / "personas").glob("*.json"))
    assert files == sorted(p.sprite for p in personas)
    known = _known_addresses()
    residents = _places_module().RESIDENTS
    for persona in personas:
        check_places(persona, known)
        sector, arena = residents[persona.name]
        assert persona.living_area == f"the Ville:{sector}:{arena}"
        assert persona.bed == persona.living_area + ":bed"
        assert persona.spawn == persona.name
        assert 10 <= len(persona.routine) <= 16
        places = [block["place"] for block in persona.routine]
        assert persona.workplace in places
        assert persona.bed in places
        assert any(p.endswith((":shower", ":bathroom sink", ":toilet")) for p in places)


def test_reflection_thresholds_follow_the_reference():
    assert {p.reflection_threshold for p in _shipped(BASES[0])} == {150}
    assert {p.reflection_threshold for p in _shipped(BASES[1])} == {250}


def test_round_trip_through_json():
    persona = _shipped(BASES[0])[0]
    assert persona_from_json(persona_to_json(persona), "memory") == persona


def _klaus_doc() -> dict:
    path = ROOT / "saves" / BASES[0] / "personas" / "klaus_mueller.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "klaus_mueller.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_missing_field_names_file_and_field(tmp_path):
    doc = _klaus_doc()
    del doc["age"]
    path = _write(tmp_path, doc)
    with pytest.raises(UserError) as info:
        load_persona(path)
    message = str(info.value)
    assert str(path) in message and "missing field 'age'" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(age="twenty"), "'age' must be an integer"),
        (lambda d: d["routine"][0].update(start="0:00"), "not an HH:MM time"),
        (lambda d: d["routine"][0].update(start="01:00"), "must start at '00:00'"),
        (lambda d: d.update(routine=[]), "non-empty"),
        (lambda d: d["routine"].reverse(), "00:00"),
        (lambda d: d.update(bed="the Ville:bed"), "bed must be an address"),
        (lambda d: d["known_places"].append(""), "known_places entry"),
        (lambda d: d.update(colour="blue"), "unknown field 'colour'"),
        (lambda d: d["routine"][1].pop("emoji"), "missing 'emoji'"),
    ],
)
def test_bad_fields_are_refused(tmp_path, change, expected):
    doc = _klaus_doc()
    change(doc)
    path = _write(tmp_path, doc)
    with pytest.raises(UserError, match=expected) as info:
        load_persona(path)
    assert str(path) in str(info.value)


def test_invalid_json_and_missing_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="invalid JSON"):
        load_persona(path)
    with pytest.raises(UserError, match="not found"):
        load_persona(tmp_path / "nobody.json")


def test_load_personas_checks_the_name(tmp_path):
    _write(tmp_path, _klaus_doc())
    with pytest.raises(UserError, match="not found"):
        load_personas(tmp_path, ["Maria Lopez"])
    (tmp_path / "maria_lopez.json").write_text(json.dumps(_klaus_doc()), encoding="utf-8")
    with pytest.raises(UserError, match="expected 'Maria Lopez'"):
        load_personas(tmp_path, ["Maria Lopez"])


def test_check_places_names_persona_and_place():
    persona = _shipped(BASES[0])[2]
    known = _known_addresses() - {persona.workplace}
    with pytest.raises(UserError) as info:
        check_places(persona, known)
    assert persona.name in str(info.value) and persona.workplace in str(info.value)
