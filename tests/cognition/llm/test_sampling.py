"""Sampling with the grammar checked on the top-k candidates only: the same greedy choice as
grammar-first sampling, a fallback to the whole vocabulary, seeded draws, top-p and min-p."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cognition.llm.sampling import Sampling, choose


def forbid(*tokens: int):
    """An `allowed` filter forbidding the given token ids, recording how many it was shown."""
    seen: list[int] = []

    def allowed(ids: np.ndarray, logits: np.ndarray) -> np.ndarray:
        seen.append(len(ids))
        out = logits.copy()
        out[np.isin(ids, tokens)] = -np.inf
        return out

    allowed.seen = seen  # type: ignore[attr-defined]
    return allowed


def grammar_first_greedy(logits: np.ndarray, forbidden: set[int]) -> int:
    masked = logits.copy()
    masked[list(forbidden)] = -np.inf
    return int(np.argmax(masked))


def test_greedy_is_the_best_allowed_token():
    logits = np.array([0.0, 5.0, 4.0, 3.0, 1.0], dtype=np.float32)
    params = Sampling(temperature=0.0, top_k=3)
    rng = np.random.default_rng(0)
    assert choose(logits, params, rng) == 1
    assert choose(logits, params, rng, forbid(1)) == 2
    assert choose(logits, params, rng, forbid(1, 2)) == 3


def test_top_k_all_forbidden_falls_back_to_the_whole_vocabulary():
    logits = np.array([0.0, 5.0, 4.0, 3.0, 1.0], dtype=np.float32)
    allowed = forbid(1, 2, 3)
    assert choose(logits, Sampling(temperature=0.0, top_k=3), np.random.default_rng(0),
                  allowed) == 4  # fmt: skip
    assert allowed.seen == [3, 5]  # the top 3 first, then everything


def test_nothing_allowed_is_an_error():
    logits = np.zeros(4, dtype=np.float32)
    with pytest.raises(RuntimeError, match="allows no token"):
        choose(logits, Sampling(top_k=2), np.random.default_rng(0), forbid(0, 1, 2, 3))


def test_greedy_matches_grammar_first_on_random_rows():
    rng = np.random.default_rng(7)
    for _ in range(200):
        logits = rng.normal(size=300).astype(np.float32)
        forbidden = set(rng.choice(300, size=int(rng.integers(0, 299)), replace=False).tolist())
        got = choose(logits, Sampling(temperature=0.0, top_k=40), rng, forbid(*forbidden))
        assert got == grammar_first_greedy(logits, forbidden)


def test_draws_are_reproducible_and_stay_inside_top_p_and_min_p():
    logits = np.log(np.array([0.5, 0.3, 0.15, 0.04, 0.01], dtype=np.float64)).astype(np.float32)
    params = Sampling(temperature=1.0, top_k=5, top_p=0.95, min_p=0.05)
    a = [choose(logits, params, np.random.default_rng(s)) for s in range(300)]
    b = [choose(logits, params, np.random.default_rng(s)) for s in range(300)]
    assert a == b
    assert set(a) == {0, 1, 2}  # top-p stops at 0.5 + 0.3 + 0.15 = 0.95
    assert a.count(0) > a.count(1) > a.count(2)


def test_min_p_cuts_tokens_far_below_the_best():
    logits = np.log(np.array([0.90, 0.06, 0.04], dtype=np.float64)).astype(np.float32)
    params = Sampling(temperature=1.0, top_k=3, top_p=1.0, min_p=0.05)
    drawn = {choose(logits, params, np.random.default_rng(s)) for s in range(300)}
    assert drawn == {0, 1}  # 0.04 < 0.05 * 0.90


@pytest.mark.llm
def test_real_model_greedy_equals_llama_cpp_python_and_answers_parse():
    from cognition.llm import LlamaCppModel, Request, bundled_model_path, object_schema, string

    schema = object_schema({"utterance": string(120), "end": {"type": "boolean"}})
    model = LlamaCppModel(bundled_model_path(), n_threads=1)
    try:
        for i, name in enumerate(("Isabella", "Klaus", "Maria")):
            prompt = (f"{name} runs a shop in town and likes to chat.\nWhat does {name} say "
                      f"to a neighbour about item {i}? Answer JSON with the keys "
                      '"utterance" and "end".')  # fmt: skip
            greedy = Request(prompt=prompt, purpose="t", prompt_id="t", agent=name,
                             schema=schema, max_tokens=48, temperature=0.0)  # fmt: skip
            mine = model.complete(greedy).text
            llm = model._llm
            llm.reset()
            reference = llm.create_chat_completion(
                messages=[{"role": "user", "content": prompt}], temperature=0.0,
                max_tokens=48, grammar=model.grammar_for(schema),
            )["choices"][0]["message"]["content"]  # fmt: skip
            assert mine == reference
            for seed in range(3):
                # room for the grammar's longest answer (120 characters of utterance), so a
                # rambling draw is never cut off before the JSON closes
                warm = Request(prompt=prompt, purpose="t", prompt_id="t", agent=name,
                               schema=schema, max_tokens=160, temperature=0.7, seed=seed)
                text = model.complete(warm).text
                assert set(json.loads(text)) == {"utterance", "end"}
                assert model.complete(warm).text == text  # the same seed, the same draw
    finally:
        model.close()
