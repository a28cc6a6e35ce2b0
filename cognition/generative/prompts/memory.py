"""Memory templates: batched importance scores, reflection questions and insights."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from cognition.generative.actions import contained, similar_lines
from cognition.generative.prompts.base import Template, as_int, clamp, clean
from cognition.llm.schema import array_of, integer_range, object_schema, string, string_enum
from cognition.llm.structured import Repaired
from cognition.memory.stream import content_words

IMPORTANCE_FALLBACK = 4  # the original's fail-safe poignancy

# The paper's poignancy scale (1 mundane ... 10 extremely poignant) as named levels: the grammar
# makes the model choose one level per memory, and the names carry the meaning a bare integer
# list does not (asked for integers, SmolLM2-135M counted "[1, 2, 3, ...]" in 39 of 41 batches).
IMPORTANCE_LEVELS: dict[str, int] = {
    "routine": 1, "minor": 3, "notable": 5, "important": 7, "life-changing": 10,
}
LEVEL_ORDER = tuple(IMPORTANCE_LEVELS)  # the order the prompt lists them in

IMPORTANCE_TEXT = """{identity}
How much does each memory matter to {first}? Choose one level for each:
routine: everyday things like brushing teeth or eating a meal
minor: a little out of the ordinary
notable: worth remembering for a while
important: it changes plans or a friendship
life-changing: a break-up, a death, a new job
{items}
Answer JSON: a list of {count} levels, one per memory, in order."""


def importance_schema(count: int) -> dict[str, Any]:
    """An array of exactly `count` level names."""
    return array_of(string_enum(LEVEL_ORDER), count, count)


def _items(value: Any) -> list[Any]:
    """The answers: the list itself, or the list inside a one-key object; [] otherwise."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return value if isinstance(value, list) else []


def _level(v: Any) -> str | None:
    name = v.strip().lower() if isinstance(v, str) else None
    return name if name in IMPORTANCE_LEVELS else None


def follows_the_listing(value: Any) -> bool:
    """Whether an answer walks an order instead of rating: three or more answers that only
    ever go one way on the scale and change level at least twice ("routine", "minor",
    "notable"; "notable", "important", "life-changing", "life-changing"; 1, 2, 3 as the
    memories are numbered). A constant answer (a quiet batch) or a single jump is a rating.

    Measured on SmolLM2-135M: asked for integers it counted 1, 2, 3, ... in 39 of 41 batches;
    asked for level names it answered them in the order the prompt lists them. This is the
    importance template's copy of what its prompt shows: counted as such, refused by the parser.
    """
    items = _items(value)
    if len(items) < 3:
        return False
    if all(_level(v) for v in items):
        places = [LEVEL_ORDER.index(_level(v)) for v in items]
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        places = list(items)
    else:
        return False
    steps = [b - a for a, b in pairwise(places) if b != a]
    return len(steps) >= 2 and (all(s > 0 for s in steps) or all(s < 0 for s in steps))


def _score(v: Any) -> int:
    """A level's score; a number is read on the paper's 1-10 scale (a model without grammar)."""
    level = _level(v)
    return IMPORTANCE_LEVELS[level] if level else clamp(as_int(v), 1, 10)


def parse_importance(value: Any, *, count: int) -> Any:
    """`count` scores 1-10 from level names (numbers 1-10 are read as scores, clamped); a short
    list is padded with the fallback (repaired). Garbage, and an answer that follows the
    prompt's listing (`follows_the_listing`), raise: the call failed, and the original's
    fail-safe score answers (`GenerativeSettings.importance_retries`: no retry by default)."""
    items = _items(value)
    if not items:
        raise ValueError("importance must be a non-empty list")
    if follows_the_listing(value):
        raise ValueError(f"follows the prompt's order, not a rating: {items[:4]}")
    scores = [_score(v) for v in items[:count]]
    exact = len(items) == count and all(
        _level(v) or (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 10)
        for v in items
    )
    scores += [IMPORTANCE_FALLBACK] * (count - len(scores))
    return scores if exact else Repaired(scores)


def fallback_importance(count: int) -> list[int]:
    return [IMPORTANCE_FALLBACK] * count


# v1 asked for "a list of integers from 1 to 10": SmolLM2-135M counted 1, 2, 3, ... (39 of 41
# batches of 3+ memories measured), so every memory's score was its place in the list.
IMPORTANCE = Template(
    "importance.batch.v2", "importance", IMPORTANCE_TEXT, None, parse_importance,
    copied=follows_the_listing,
)


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
Answer JSON with the key "insight" and the key "because" (the numbers of the statements it rests on)."""

MIN_INSIGHT_WORDS = 5


def insight_schema(count: int) -> dict[str, Any]:
    """An insight and the 1-based numbers (1..count) of the statements it rests on."""
    return object_schema({"insight": string(160),
                          "because": array_of(integer_range(1, max(1, count)), 1, 3)})


def parse_insight(
    value: Any, *, first: str, statements: list[str], judge: Any = None
) -> tuple[str, tuple[int, ...], bool]:
    """(insight, 0-based indexes of the statements it rests on, whether the model cited them).

    The insight must name the person, have at least five words and not copy a statement or a
    placeholder; `judge(text)` (the truth check, `truth.py`) names what is wrong with it, or
    None. Its evidence is the statements the model cites ("because") that share a content word
    with it; without such a citation, every statement sharing two content words with it (at
    least the one sharing most), and an insight sharing none rests on nothing and is refused.
    """
    raw = value.get("insight") if isinstance(value, dict) else value
    text = clean(raw, 160)
    if not text or "<" in text or "?" in text or len(text.split()) < MIN_INSIGHT_WORDS:
        raise ValueError(f"not an insight: {text!r}")
    if isinstance(raw, str) and len(raw.strip()) >= 155 and raw.strip()[-1] not in ".!":
        raise ValueError("an insight cut at the length limit")
    if contained(text, f"what do these statements tell us about {first} as a person: "
                       f"what matters to {first}"):
        raise ValueError("echoes the instruction")
    if first.lower() not in text.lower():
        raise ValueError("an insight names the person")
    if any(similar_lines(text, s) for s in statements):
        raise ValueError("copies a statement")
    words = content_words(text) - content_words(first)
    shared = [len(words & (content_words(s) - content_words(first))) for s in statements]
    if not shared or max(shared) == 0:
        raise ValueError("rests on no statement")
    wrong = judge(text) if judge is not None else None
    if wrong:
        raise ValueError(wrong)
    cited = value.get("because") if isinstance(value, dict) else None
    picked = sorted({int(c) - 1 for c in cited if isinstance(c, int) and not isinstance(c, bool)
                     and 1 <= c <= len(statements) and shared[int(c) - 1] > 0}
                    ) if isinstance(cited, list) else []  # fmt: skip
    if picked:
        return text, tuple(picked), True
    evidence = [i for i, n in enumerate(shared) if n >= 2] or [shared.index(max(shared))]
    return text, tuple(evidence), False


def fallback_insight() -> None:
    """No insight: nothing is stored."""
    return None


# v2 asked for 5 insights citing statement numbers, shown {"insights": [{"insight": "<insight
# about {first}>"}]}: SmolLM2-135M copied the placeholder or a statement and cited nothing. v3
# asked one sentence per focal point and derived the evidence from shared words. v4 asks the
# model to cite the statements by number again (the grammar keeps the numbers in range), and
# refuses an insight the agent's persona and memories do not bear out (`truth.py`).
INSIGHT = Template(
    "reflect.insight.v4", "reflect.insights", INSIGHT_TEXT, None, parse_insight,
)


CHOOSE_TEXT = """Statements about {name}:
{statements}
Which statement matters most to {first} as a person? Answer with its number."""

# Where no insight of the model's own holds up, the model chooses which statement matters most
# (a choice among numbers) and a template writes the insight around it (`reflection.py`).
CHOOSE = Template("reflect.choose.v1", "reflect.choose", CHOOSE_TEXT, None, lambda v: v)
