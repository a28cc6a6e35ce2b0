"""The random baseline (`--model random`): every answer valid for its schema, strings taken from
the prompt's own listed lines, the same answer for the same seed and request, different answers
across seeds, and a whole generative town run on it with every call answered validly."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest

from cognition.generative.prompts import memory, places, planning, social
from cognition.generative.prompts.base import Template
from cognition.llm.base import Request
from cognition.llm.random_model import RandomModel, listed_lines, random_value, sentences
from cognition.llm.schema import check_schema

PROMPT = """Klaus Mueller is a student.
What Klaus remembers:
- Isabella is planning a party at Hobbs Cafe. It starts at 5pm.
- Maria studies physics at the college
2. the library is quiet
Answer JSON."""


def _templates() -> list[Template]:
    found = []
    for module in (memory, places, planning, social):
        for value in vars(module).values():
            if isinstance(value, Template):
                found.append(value)
            elif isinstance(value, places.Stage):
                found.append(value.template)
    return found


def _dynamic_schemas() -> list[dict]:
    """The schemas the mind builds per call, over the sizes it uses."""
    out = [memory.importance_schema(n) for n in (1, 2, 5, 10)]
    out += [memory.questions_schema(n) for n in (1, 3)]
    out += [planning.decompose_schema(n) for n in (1, 4, 8)]
    out += [planning.day_schema(["sleeping"], 7, plans) for plans in ([], ["a"], ["a", "b", "c"])]
    out += [places.stage_schema(places.SECTOR, ["Hobbs Cafe", "Johnson Park", "the college"])]
    return out


def _request(schema, seed=1, prompt=PROMPT, prompt_id="p.v1") -> Request:
    return Request(prompt=prompt, purpose="p", prompt_id=prompt_id, agent="Klaus Mueller",
                   schema=schema, seed=seed, step=3)


def test_every_schema_the_prompts_use_gets_a_valid_answer():
    schemas = [t.schema for t in _templates() if t.schema is not None] + _dynamic_schemas()
    assert len(schemas) >= 15
    model = RandomModel(seed=5)
    for schema in schemas:
        for seed in range(40):
            answer = json.loads(model.complete(_request(schema, seed)).text)
            check_schema(answer, schema)  # raises naming the broken place


def test_answers_are_uniform_over_enums_and_ranges():
    model = RandomModel()
    enum = {"type": "object", "properties": {"talk": {"type": "string", "enum": ["yes", "no"]}},
            "required": ["talk"]}
    talks = Counter(json.loads(model.answer(_request(enum, s)))["talk"] for s in range(400))
    assert 150 < talks["yes"] < 250, talks  # a fair coin, not "always yes"
    level = {"type": "array", "items": {"type": "string", "enum": list("abcde")},
             "minItems": 1, "maxItems": 1}
    levels = Counter(json.loads(model.answer(_request(level, s)))[0] for s in range(300))
    assert len(levels) == 5 and min(levels.values()) > 30, levels  # every level, evenly


def test_strings_are_sentences_from_the_prompts_own_lines():
    assert listed_lines(PROMPT) == [
        "Isabella is planning a party at Hobbs Cafe. It starts at 5pm.",
        "Maria studies physics at the college", "the library is quiet"]
    pool = set(sentences(PROMPT))
    assert "It starts at 5pm." in pool
    model = RandomModel()
    texts = {model.answer(_request(None, s)) for s in range(60)}
    assert texts <= pool and len(texts) >= 3
    write = social.WRITE_SCHEMA
    lines = {json.loads(model.answer(_request(write, s)))["line"] for s in range(60)}
    assert lines <= pool


def test_a_prompt_without_listed_lines_still_gets_text():
    text = RandomModel().answer(_request(None, prompt="Say something."))
    assert text == "Say something."
    assert RandomModel().answer(_request(None, prompt="")) == "nothing comes to mind"


def test_same_seed_same_answer_other_seeds_differ():
    schema = planning.decompose_schema(6)
    a, b = RandomModel(seed=1), RandomModel(seed=1)
    assert all(a.answer(_request(schema, s)) == b.answer(_request(schema, s)) for s in range(20))
    other = RandomModel(seed=2)
    differ = sum(a.answer(_request(schema, s)) != other.answer(_request(schema, s))
                 for s in range(20))
    assert differ >= 15
    assert len({a.answer(_request(schema, s)) for s in range(20)}) >= 15


def test_answers_do_not_depend_on_thread_order():
    model = RandomModel(seed=3)
    schema = social.WRITE_SCHEMA
    expected = [model.answer(_request(schema, s)) for s in range(50)]
    got: dict[int, str] = {}

    def work(seeds):
        for s in seeds:
            got[s] = model.answer(_request(schema, s))

    threads = [threading.Thread(target=work, args=(range(i, 50, 4),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[s] for s in range(50)] == expected


def test_string_limits_are_kept():
    import random

    schema = {"type": "string", "minLength": 30, "maxLength": 40}
    for s in range(50):
        value = random_value(schema, random.Random(s), ["short.", "a much longer sentence " * 4])
        check_schema(value, schema)


class _Checking:
    """Wraps the random model and checks every answer against the request's schema."""

    name = "checking-random"

    def __init__(self, inner):
        self.inner, self.bad, self.calls = inner, [], Counter()

    def complete(self, request):
        done = self.inner.complete(request)
        self.calls[request.prompt_id] += 1
        if request.schema is not None:
            try:
                check_schema(json.loads(done.text), request.schema)
            except ValueError as error:
                self.bad.append((request.prompt_id, str(error)))
        return done


@pytest.mark.slow
def test_a_town_on_the_random_model_gets_only_valid_answers(tmp_path):
    from cognition.generative import GenerativeMindFactory
    from cognition.llm.hashed import HashEmbedder
    from cognition.memory.chroma_index import make_client
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore
    from engine.session import open_session

    model = _Checking(RandomModel(seed=7))
    factory = GenerativeMindFactory(model, HashEmbedder(256), seed=7, chroma_client=make_client())
    session = open_session(SaveStore(saves_root=tmp_path / "saves"),
                           fork="base_the_ville_isabella_maria_klaus", load=None, name="rnd",
                           factory=factory, dispatcher=InlineDispatcher(), model_name="random")
    session.sim.run(540)  # 90 game minutes from 07:00
    session.close()
    assert not model.bad, model.bad[:5]
    asked = {pid.split(".")[0] for pid in model.calls}
    assert {"plan", "place", "importance"} <= asked, model.calls
