"""Memory templates: batched importance scores, reflection questions and insights."""

from __future__ import annotations

from typing import Any

from cognition.generative.prompts.base import Template, as_int, clamp, clean
from cognition.llm.schema import array_of, integer_range, object_schema, string
from cognition.llm.structured import Repaired

IMPORTANCE_FALLBACK = 4  # the original's fail-safe poignancy

IMPORTANCE_TEXT = """{identity}
Rate how important each memory is to {first}, from 1 (mundane, like brushing teeth) to 10 (life-changing, like a break-up).
{items}
Answer JSON: a list of {count} integers from 1 to 10, one per memory, in order."""


def importance_schema(count: int) -> dict[str, Any]:
    """An array of exactly `count` integers in 1..10."""
    return array_of(integer_range(1, 10), count, count)


def parse_importance(value: Any, *, count: int) -> Any:
    """`count` integers clamped to 1..10; a short list is padded (repaired), garbage raises."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    if not isinstance(value, list) or not value:
        raise ValueError("importance must be a non-empty list")
    scores = [clamp(as_int(v), 1, 10) for v in value[:count]]
    repaired = len(value) != count or scores != value[:count]
    scores += [IMPORTANCE_FALLBACK] * (count - len(scores))
    return Repaired(scores) if repaired else scores


def fallback_importance(count: int) -> list[int]:
    return [IMPORTANCE_FALLBACK] * count


IMPORTANCE = Template("importance.batch.v1", "importance", IMPORTANCE_TEXT, None, parse_importance)


QUESTIONS_TEXT = """Statements about {name}:
{statements}
Given only these statements, what are the {count} most salient high-level questions we can answer about {first}?
Answer JSON like {{"questions": ["<question about {first}>"]}}"""


def questions_schema(count: int) -> dict[str, Any]:
    return object_schema({"questions": array_of(string(120), 1, count)})


def parse_questions(value: Any, *, count: int) -> list[str]:
    """Up to `count` non-empty questions."""
    items = value.get("questions") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise ValueError("questions must be a list")  # noqa: TRY004 (parser contract)
    out = [q for q in (clean(v, 120) for v in items if isinstance(v, str)) if q and "<" not in q]
    if not out:
        raise ValueError("no questions")
    return list(dict.fromkeys(out))[:count]


def fallback_questions(first: str) -> list[str]:
    return [f"What matters most to {first} lately?"]


QUESTIONS = Template(
    "reflect.questions.v2", "reflect.questions", QUESTIONS_TEXT, None, parse_questions,
    example={"questions": ["<question about {first}>"]},
)


INSIGHTS_TEXT = """Statements about {name}:
{statements}
What {count} high-level insights about {first} can you infer from these statements? Cite the numbers of the statements each insight is based on.
Answer JSON like {{"insights": [{{"insight": "<insight about {first}>", "evidence": [<statement numbers>]}}]}}"""


def insights_schema(count: int, statements: int) -> dict[str, Any]:
    item = object_schema(
        {"insight": string(160), "evidence": array_of(integer_range(1, statements), 1, 5)}
    )
    return object_schema({"insights": array_of(item, 1, count)})


def parse_insights(value: Any, *, count: int, statements: int) -> Any:
    """(insight, 0-based evidence indexes) pairs; out-of-range indexes are dropped (repaired)."""
    items = value.get("insights") if isinstance(value, dict) else None
    if not isinstance(items, list):
        raise ValueError("insights must be a list")  # noqa: TRY004 (parser contract)
    out: list[tuple[str, tuple[int, ...]]] = []
    repaired = False
    for item in items[:count]:
        if not isinstance(item, dict) or not isinstance(item.get("insight"), str):
            repaired = True
            continue
        text = clean(item["insight"], 160)
        raw = item.get("evidence") if isinstance(item.get("evidence"), list) else []
        indexes = []
        for v in raw:
            try:
                index = as_int(v)
            except ValueError:
                continue
            if 1 <= index <= statements:
                indexes.append(index - 1)
        repaired |= len(indexes) != len(raw)
        if text and "<" not in text:
            out.append((text, tuple(dict.fromkeys(indexes))))
    if not out:
        raise ValueError("no insights")
    return Repaired(out) if repaired else out


def fallback_insights() -> list[tuple[str, tuple[int, ...]]]:
    """No insights: reflection stores nothing and still resets its counter."""
    return []


INSIGHTS = Template(
    "reflect.insights.v2", "reflect.insights", INSIGHTS_TEXT, None, parse_insights,
    example={"insights": [{"insight": "<insight about {first}>"}]},
)
