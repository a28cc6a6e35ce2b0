"""A save made with another embedder (the old default: the bundled model's pooled states) loads
with today's: its memories are embedded again; a save naming today's embedder is read as is."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from cognition.llm.hashed import HashEmbedder
from cognition.memory.node import NodeKind
from cognition.memory.stream import MemoryStream

T = datetime(2023, 2, 13, 8, 0)


def stream_with(embedder) -> MemoryStream:
    stream = MemoryStream("Isabella Rodriguez", embedder, None)
    stream.add(NodeKind.THOUGHT, "Isabella is planning a Valentine's Day party", T, 8)
    stream.add(NodeKind.EVENT, "the coffee machine is brewing", T, 2)
    return stream


def test_a_save_of_another_embedder_is_embedded_again():
    old = HashEmbedder(64)
    state = stream_with(old).to_state()
    assert state["embedder"] == "hash-embedder-64" and state["dimension"] == 64
    new = HashEmbedder(256)
    loaded = MemoryStream.from_state("Isabella Rodriguez", state, new, None)
    assert [n.description for n in loaded.nodes] == [n.description for n in stream_with(old).nodes]
    expected = new.embed([n.embedding_key for n in loaded.nodes])
    assert np.allclose(loaded._cols.embeddings[: len(loaded.nodes)], expected, atol=1e-3)
    found = loaded.retrieve(["Valentine's Day party"], T, 1)
    assert found[0].description.startswith("Isabella is planning")
    again = MemoryStream.from_state("Isabella Rodriguez", loaded.to_state(), new, None)
    assert again.to_state()["embedder"] == "hash-embedder-256"


def test_a_save_of_this_embedder_keeps_its_vectors():
    emb = HashEmbedder(256)
    state = stream_with(emb).to_state()
    calls = []

    class Counting(HashEmbedder):
        def embed(self, texts):
            calls.append(list(texts))
            return super().embed(texts)

    MemoryStream.from_state("Isabella Rodriguez", state, Counting(256), None)
    assert calls == []  # nothing embedded again


@pytest.mark.parametrize("dimension", [0, -3, "64", 10**9, True, None])
def test_an_absurd_saved_dimension_is_a_clear_error(dimension):
    state = stream_with(HashEmbedder(64)).to_state()
    state["dimension"] = dimension
    with pytest.raises(ValueError, match="dimension"):
        MemoryStream.from_state("Isabella Rodriguez", state, HashEmbedder(256), None)
