"""`ask` turns any model answer into a valid value or the fallback, and counts what happened."""

from __future__ import annotations

from typing import Any

import pytest

from cognition.llm import (
    CallStats,
    FailingModel,
    Repaired,
    Request,
    ScriptedModel,
    array_of,
    ask,
    check_schema,
    clean_text,
    extract_json,
    free_text,
    integer_range,
    object_schema,
    string,
    string_enum,
)

SCHEMA = object_schema(
    {"importance": integer_range(1, 10), "mood": string_enum(["happy", "sad", "neutral"])}
)
FALLBACK = {"importance": 5, "mood": "neutral"}
REQUEST = Request(
    prompt="rate", purpose="perceive.importance", prompt_id="imp.v1", schema=SCHEMA, seed=11
)


def parse(value: Any) -> dict[str, Any]:
    check_schema(value, SCHEMA)
    return value


@pytest.mark.parametrize(
    ("replies", "expected", "outcome"),
    [
        (['{"importance": 7, "mood": "happy"}'], {"importance": 7, "mood": "happy"}, "ok"),
        (
            ['```json\n{"importance": 3, "mood": "sad"}\n```'],
            {"importance": 3, "mood": "sad"},
            "repaired",
        ),
        (
            ['Sure! {"importance": 2, "mood": "sad"} Hope that helps {'],
            {"importance": 2, "mood": "sad"},
            "repaired",
        ),
        (['{"importance": 4, "mood": "sad",}'], {"importance": 4, "mood": "sad"}, "repaired"),
        (
            ['{"importance": 9, "mood": "furious"}', '{"importance": 9, "mood": "sad"}'],
            {"importance": 9, "mood": "sad"},
            "repaired",
        ),
        (["", ""], FALLBACK, "fallback"),
        (["no json here", '{"importance": 11, "mood": "sad"}'], FALLBACK, "fallback"),
        (["[1, 2]", '"just a string"'], FALLBACK, "fallback"),
        ([], FALLBACK, "model_error"),
    ],
    ids=[
        "clean",
        "fenced",
        "trailing-text",
        "trailing-comma",
        "wrong-enum-then-ok",
        "empty",
        "junk-then-out-of-range",
        "wrong-type",
        "model-error",
    ],
)
def test_malformed_answers(replies, expected, outcome):
    model = ScriptedModel(replies)
    stats = CallStats()
    assert ask(model, REQUEST, parse, lambda: dict(FALLBACK), stats) == expected
    assert stats.counts()[outcome] == 1 and sum(stats.counts().values()) == 1
    assert stats.by_purpose() == {"perceive.importance": {outcome: 1}}


def test_retry_uses_a_different_seed_and_some_temperature():
    model = ScriptedModel(["nope", '{"importance": 1, "mood": "sad"}'])
    ask(model, REQUEST, parse, lambda: FALLBACK)
    first, second = model.calls
    assert first.seed == 11 and second.seed != 11 and second.temperature > 0
    assert second.prompt == first.prompt and second.schema == first.schema


def test_model_error_is_not_retried_and_never_raises():
    model = FailingModel()
    assert ask(model, REQUEST, parse, lambda: FALLBACK, None) == FALLBACK
    assert model.calls == 1


def test_parser_repair_is_counted():
    def clamp(value: Any) -> Repaired[int]:
        return Repaired(min(10, max(1, int(value["importance"]))))

    stats = CallStats()
    assert ask(ScriptedModel(['{"importance": 40}']), REQUEST, clamp, lambda: 5, stats) == 10
    assert stats.counts()["repaired"] == 1


def test_parser_bugs_on_odd_shapes_fall_back():
    stats = CallStats()
    result = ask(ScriptedModel(["{}", "{}"]), REQUEST, lambda v: v["missing"], lambda: 0, stats)
    assert result == 0 and stats.counts()["fallback"] == 1


def test_extract_json_cases():
    assert extract_json('{"a": 1}') == ({"a": 1}, True)
    assert extract_json('x ["a", "b"] y') == (["a", "b"], False)
    assert extract_json('{"a": "}{"} trailing }') == ({"a": "}{"}, False)
    assert extract_json('{broken {"b": 2}') == ({"b": 2}, False)
    assert extract_json('{"a": "line\nbreak"}') == ({"a": "line\nbreak"}, True)


def test_extract_json_closes_answers_cut_off_by_max_tokens():
    assert extract_json('{"tasks": ["eat", "sleep", "wri') == ({"tasks": ["eat", "sleep"]}, False)
    assert extract_json('{"a": 1, "b": {"c": ') == ({"a": 1}, False)
    assert extract_json('["solo') == (["solo"], False)
    assert extract_json('{"mood": "happy"') == ({"mood": "happy"}, False)
    assert extract_json("{") == ({}, False)
    for bad in ("", "   ", "nothing", '{"a"', '{"a": }'):
        with pytest.raises(ValueError):
            extract_json(bad)


def test_free_text_cleans_or_falls_back():
    stats = CallStats()
    req = Request(prompt="say hi", purpose="dialogue.turn", prompt_id="d.v1")
    assert free_text(ScriptedModel(['  "Hi Klaus!"  ']), req, "...", stats) == "Hi Klaus!"
    assert free_text(ScriptedModel(["   \n"]), req, lambda: "...", stats) == "..."
    assert free_text(FailingModel(), req, "...", stats) == "..."
    assert stats.counts() == {"ok": 1, "repaired": 0, "fallback": 1, "model_error": 1}
    assert clean_text("```\nhello\n```") == "hello"
    assert clean_text("one two three", max_chars=8) == "one two"


def test_schema_helpers_and_checker():
    schema = object_schema(
        {"tasks": array_of(string(max_length=10), 1, 2), "when": integer_range(0, 23)},
        required=["tasks"],
    )
    assert schema["required"] == ["tasks"] and schema["additionalProperties"] is False
    check_schema({"tasks": ["eat"]}, schema)
    for bad in (
        {"tasks": []},
        {"tasks": ["a", "b", "c"]},
        {"tasks": ["x" * 11]},
        {"tasks": ["a"], "when": 24},
        {"tasks": ["a"], "other": 1},
        {"tasks": ["a"], "when": True},
        {"when": 3},
    ):
        with pytest.raises(ValueError):
            check_schema(bad, schema)
    assert string_enum(["a", "b", "a"]) == {"type": "string", "enum": ["a", "b"]}
    with pytest.raises(ValueError):
        string_enum([])
    with pytest.raises(ValueError):
        object_schema({"a": string()}, required=["b"])
