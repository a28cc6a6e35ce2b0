"""The bundled GGUF is found; bad model files are one-line user errors; the real model (marked
`llm`) answers schema-constrained questions and embeds to unit vectors."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from cognition.llm import (
    CallStats,
    LlamaCppEmbedder,
    LlamaCppModel,
    Request,
    ask,
    bundled_model_path,
    check_schema,
    integer_range,
    object_schema,
    string,
    string_enum,
)
from cognition.llm.llama_cpp_model import ranges_as_enums, schema_grammar
from engine.errors import UserError


def test_bundled_model_path_finds_the_gguf():
    path = bundled_model_path()
    assert path.is_absolute() and path.suffix == ".gguf"
    assert path.read_bytes()[:4] == b"GGUF"


def test_bundled_model_path_missing_distribution_is_user_error():
    with pytest.raises(UserError, match="not installed"):
        bundled_model_path("no-such-distribution-simulacra")


def test_missing_or_non_gguf_files_are_user_errors(tmp_path: Path):
    with pytest.raises(UserError, match=r"^model file .*nope\.gguf: not found$"):
        LlamaCppModel(tmp_path / "nope.gguf")
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(UserError, match=r"^model file .*fake\.gguf: not a GGUF file$"):
        LlamaCppModel(fake)
    with pytest.raises(UserError, match="not found"):
        LlamaCppEmbedder(tmp_path)  # a directory is not a model file


def test_integer_ranges_become_enums_for_the_grammar():
    schema = object_schema({"n": integer_range(1, 3), "big": integer_range(0, 1000)})
    out = ranges_as_enums(schema)
    assert out["properties"]["n"] == {"enum": [1, 2, 3]}
    assert out["properties"]["big"] == integer_range(0, 1000)


SCHEMA = object_schema(
    {
        "importance": integer_range(1, 10),
        "mood": string_enum(["happy", "sad", "neutral", "excited"]),
    }
)


@pytest.mark.llm
@pytest.mark.timeout(60)
def test_real_bundled_model_answers_to_schema_and_embeds():
    model = LlamaCppModel(bundled_model_path(), n_ctx=1024)
    request = Request(
        prompt=(
            "Isabella Rodriguez is planning a Valentine's Day party at Hobbs Cafe tomorrow. "
            "On a scale of 1 to 10, how important is this for her, and how does she feel? "
            "Answer in JSON with the keys importance and mood."
        ),
        purpose="perceive.importance",
        prompt_id="test.importance.v1",
        agent="Isabella Rodriguez",
        schema=SCHEMA,
        max_tokens=40,
        seed=1,
    )
    done = model.complete(request)
    value = json.loads(done.text)
    check_schema(value, SCHEMA)
    assert done.prompt_tokens > 20 and done.completion_tokens > 0 and done.latency_s > 0

    stats = CallStats()
    parsed = ask(model, request, lambda v: (check_schema(v, SCHEMA), v)[1], lambda: None, stats)
    assert parsed is not None and stats.counts()["ok"] == 1

    # One context, many callers: the lock serialises them instead of corrupting the KV cache.
    short = Request(prompt="Say hi.", purpose="p", prompt_id="p", max_tokens=8)
    with ThreadPoolExecutor(3) as pool:
        texts = list(pool.map(lambda _: model.complete(short).text, range(3)))
    assert len(set(texts)) == 1  # greedy decoding: same request, same answer

    embedder = LlamaCppEmbedder(bundled_model_path())
    rows = embedder.embed(["Isabella plans a party", "Klaus writes a paper", ""])
    assert rows.shape == (3, embedder.dimension) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(embedder.embed(["Klaus writes a paper"])[0], rows[1])
    assert embedder.cache.hits == 1
    embedder.close()
    model.close()


def test_grammar_strings_exclude_raw_control_characters():
    gbnf = schema_grammar(object_schema({"note": string(max_length=5)}))
    assert 'char ::= [^"\\\\\\x7F\\x00-\\x1F]' in gbnf
