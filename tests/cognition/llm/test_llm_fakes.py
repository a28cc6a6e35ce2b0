"""The shipped fakes: routing, scripts, failure, slowness and the hash embedder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cognition.llm import (
    Embedder,
    FailingModel,
    HashEmbedder,
    LanguageModel,
    ModelError,
    Request,
    RoutedModel,
    ScriptedModel,
    SlowModel,
)


def req(purpose: str = "plan.hourly", prompt_id: str = "plan.hourly.v1", prompt: str = "hi"):
    return Request(prompt=prompt, purpose=purpose, prompt_id=prompt_id)


def test_fakes_satisfy_the_ports():
    for model in (RoutedModel({}), ScriptedModel([]), FailingModel(), SlowModel(FailingModel(), 0)):
        assert isinstance(model, LanguageModel)
    assert isinstance(HashEmbedder(), Embedder)


def test_routed_model_prefers_exact_prompt_id_then_longest_purpose_prefix():
    model = RoutedModel(
        {
            "plan.hourly.v1": "exact",
            "plan": "short prefix",
            "plan.decompose": "long prefix",
            "dialogue": lambda r: f"echo {r.prompt}",
        }
    )
    assert model.complete(req()).text == "exact"
    assert model.complete(req("plan.decompose.task", "x")).text == "long prefix"
    assert model.complete(req("plan.wake", "x")).text == "short prefix"
    assert model.complete(req("dialogue.turn", "y", prompt="hello")).text == "echo hello"
    assert [c.prompt_id for c in model.calls] == ["plan.hourly.v1", "x", "x", "y"]


def test_routed_model_without_match_uses_default_or_raises():
    with pytest.raises(ModelError):
        RoutedModel({"plan": "x"}).complete(req("react", "r"))
    assert RoutedModel({}, default="{}").complete(req("react", "r")).text == "{}"


def test_fake_token_counts_are_approximate_lengths():
    done = RoutedModel({}, default="12345678").complete(req(prompt="abcd"))
    assert (done.prompt_tokens, done.completion_tokens) == (2, 3)


def test_scripted_model_pops_in_order_and_raises_when_used_up():
    model = ScriptedModel(["a", "b"])
    assert [model.complete(req()).text for _ in range(2)] == ["a", "b"]
    assert model.remaining == 0
    with pytest.raises(ModelError):
        model.complete(req())
    assert len(model.calls) == 3


def test_failing_model_always_raises():
    model = FailingModel()
    for _ in range(2):
        with pytest.raises(ModelError):
            model.complete(req())
    assert model.calls == 2


def test_slow_model_sleeps_then_delegates():
    slept: list[float] = []
    model = SlowModel(ScriptedModel(["ok"]), 0.5, sleep=slept.append)
    done = model.complete(req())
    assert (done.text, slept, done.latency_s) == ("ok", [0.5], 0.5)


def test_hash_embedder_rows_are_unit_float32_and_deterministic():
    emb = HashEmbedder(64)
    rows = emb.embed(["Isabella plans a party", "", "Isabella plans a party"])
    assert rows.shape == (3, 64) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(rows[0], rows[2])


def test_hash_embedder_similar_texts_score_higher():
    emb = HashEmbedder(128)
    a, b, c = emb.embed(
        [
            "Isabella is planning a Valentine's Day party at Hobbs Cafe",
            "Isabella plans the Valentine's Day party at the cafe",
            "Klaus is writing a research paper on gentrification",
        ]
    )
    assert float(a @ b) > 0.5
    assert float(a @ b) > float(a @ c) + 0.3


def test_hash_embedder_is_stable_across_processes():
    code = (
        "from cognition.llm import HashEmbedder;"
        "print(HashEmbedder(16).embed(['hello world'])[0].round(5).tolist())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
