"""Memory templates: batched importance scores, reflection questions and insights."""

from __future__ import annotations

from typing import Any

from cognition.generative.actions import similar_lines
from cognition.generative.prompts.base import Template, as_int, clamp, clean
from cognition.llm.schema import array_of, integer_range, object_schema, string
from cognition.llm.structured import Repaired
from cognition.memory.stream import content_words

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
Answer JSON with the key "questions" (a list of questions)."""

QUESTIONS_INSTRUCTION = "what are the most salient high-level questions we can answer about"
COPY_OVERLAP = 0.5  # word overlap with the instructions (or a statement) that makes a copy


def questions_schema(count: int) -> dict[str, Any]:
    return object_schema({"questions": array_of(string(120), 1, count)})


def parse_questions(value: Any, *, count: int, first: str = "") -> list[str]:
    """Up to `count` non-empty questions; questions echoing the instruction are dropped."""
    items = value.get("questions") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise ValueError("questions must be a list")  # noqa: TRY004 (parser contract)
    echo = f"{QUESTIONS_INSTRUCTION} {first}"
    out = [
        q for q in (clean(v, 120) for v in items if isinstance(v, str))
        if q and "<" not in q and not similar_lines(q, echo, COPY_OVERLAP)
    ]  # fmt: skip
    if not out:
        raise ValueError("no questions")
    return list(dict.fromkeys(out))[:count]


def fallback_questions(first: str, focal: list[str] | None = None) -> list[str]:
    """The focal points without the model: the most important recent statements themselves."""
    return list(focal or []) or [f"What matters most to {first} lately?"]


# v2 showed {"questions": ["<question about {first}>"]}; SmolLM2-135M answered the instruction
# back ("What is the most salient high-level question we can answer about Klaus Mueller?").
QUESTIONS = Template(
    "reflect.questions.v3", "reflect.questions", QUESTIONS_TEXT, None, parse_questions,
)


INSIGHT_TEXT = """Statements about {name}:
{statements}
In one sentence, what do these statements tell us about {first} as a person: what matters to {first}?
Answer JSON with the key "insight"."""

INSIGHT_SCHEMA = object_schema({"insight": string(160)})
MIN_INSIGHT_WORDS = 5


def parse_insight(value: Any, *, first: str, statements: list[str]) -> tuple[str, tuple[int, ...]]:
    """(insight, 0-based indexes of the statements it rests on).

    The insight must name the person, have at least five words and not copy a statement or a
    placeholder. Its evidence is every statement sharing two content words with it (at least the
    one sharing most); an insight sharing none rests on nothing and is rejected.
    """
    text = clean(value.get("insight") if isinstance(value, dict) else value, 160)
    if not text or "<" in text or len(text.split()) < MIN_INSIGHT_WORDS:
        raise ValueError(f"not an insight: {text!r}")
    if first.lower() not in text.lower():
        raise ValueError("an insight names the person")
    if any(similar_lines(text, s) for s in statements):
        raise ValueError("copies a statement")
    words = content_words(text) - content_words(first)
    shared = [len(words & (content_words(s) - content_words(first))) for s in statements]
    if not shared or max(shared) == 0:
        raise ValueError("rests on no statement")
    evidence = [i for i, n in enumerate(shared) if n >= 2] or [shared.index(max(shared))]
    return text, tuple(evidence)


def fallback_insight() -> None:
    """No insight: nothing is stored."""
    return None


# v2 asked for 5 insights citing statement numbers, shown {"insights": [{"insight": "<insight
# about {first}>"}]}: SmolLM2-135M copied the placeholder or a statement and cited nothing. v3
# asks one sentence per focal point (measured: "Klaus Mueller is a good friend of Maria Lopez")
# and derives the evidence from the statements it shares words with.
INSIGHT = Template(
    "reflect.insight.v3", "reflect.insights", INSIGHT_TEXT, INSIGHT_SCHEMA, parse_insight,
)
