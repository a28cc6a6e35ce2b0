"""State round-trip without re-embedding, and retrieval through a Chroma index."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest
from memory_helpers import EPOCH, WordEmbedder

from cognition.memory import ChromaIndex, MemoryStream
from engine.sealed import SealedFile


def hours(h: float):
    return EPOCH + timedelta(hours=h)


def build(index=None, n=120):
    stream = MemoryStream("Klaus Mueller", WordEmbedder(), index)
    for i in range(n):
        kind = ("event", "chat", "event", "thought")[i % 4]
        evidence = [i] if kind == "thought" and i else []
        filling = [("Klaus Mueller", f"line {i}"), ("Maria Lopez", "ok")] if kind == "chat" else []
        stream.add(
            kind,
            f"Klaus thinks about topic {i % 9} with Maria {i % 5}",
            hours(i / 3),
            1 + i % 10,
            triple=("Klaus Mueller", "thinks", f"topic {i % 9}"),
            keywords=[f"topic{i % 9}"],
            evidence=evidence,
            filling=filling,
        )
    stream.add("event", "bed is idle", hours(50), 1, triple=("bed", "is", "idle"))
    return stream


def assert_states_equal(a: dict, b: dict) -> None:
    np.testing.assert_array_equal(a["last_accessed"], b["last_accessed"])
    strip = {key: value for key, value in a.items() if key != "last_accessed"}
    assert strip == {key: value for key, value in b.items() if key != "last_accessed"}
    for seg_a, seg_b in zip(a["segments"], b["segments"], strict=True):
        assert seg_a["nodes"].produce() == seg_b["nodes"].produce()
        assert seg_a["vectors"].produce() == seg_b["vectors"].produce()


def _plain(value):
    if isinstance(value, SealedFile):
        return value.name
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(type(value))


def test_state_is_json_able_except_arrays_and_sealed_files():
    stream = build()
    stream.retrieve(["topic 3"], hours(60), 5)
    state = stream.to_state()
    assert state["last_accessed"].shape == (len(stream),)
    assert [(s["first"], s["count"]) for s in state["segments"]] == [(1, 64), (65, 57)]
    text = json.dumps(state, ensure_ascii=False, default=_plain)
    assert json.loads(text)["last_accessed"] == state["last_accessed"].tolist()


def test_round_trip_without_reembedding_gives_equal_state_and_retrieval():
    stream = build()
    stream.retrieve(["topic 3", "Maria 2"], hours(60), 8)
    state = stream.to_state()
    fresh_embedder = WordEmbedder()
    restored = MemoryStream.from_state("Klaus Mueller", state, fresh_embedder)
    assert fresh_embedder.calls == []  # nothing re-embedded
    assert_states_equal(stream.to_state(), restored.to_state())
    assert restored.nodes == stream.nodes
    assert restored.importance_since_reflection == stream.importance_since_reflection
    for step in range(3):
        queries = ["topic 4", "Klaus Maria 1"]
        now = hours(70 + step)
        assert restored.retrieve(queries, now, 6) == stream.retrieve(queries, now, 6)
    assert_states_equal(stream.to_state(), restored.to_state())


def test_empty_stream_round_trips():
    stream = MemoryStream("A", WordEmbedder())
    restored = MemoryStream.from_state("A", stream.to_state(), WordEmbedder())
    assert len(restored) == 0
    assert_states_equal(stream.to_state(), restored.to_state())


def test_from_state_rejects_bad_states():
    state = build(n=70).to_state()
    wrong = WordEmbedder(dimension=32)
    wrong.name = state["embedder"]  # says it is the save's embedder, but its vectors differ
    with pytest.raises(ValueError):
        MemoryStream.from_state("A", state, wrong)
    # another embedder (another name) embeds the memories again instead (test_reembed.py)
    assert len(MemoryStream.from_state("A", state, WordEmbedder(dimension=32)).nodes) == state["count"]
    broken = dict(state, last_accessed=state["last_accessed"][:-1])
    with pytest.raises(ValueError):
        MemoryStream.from_state("A", broken, WordEmbedder())
    shuffled = dict(state, segments=list(reversed(state["segments"])))
    with pytest.raises(ValueError):
        MemoryStream.from_state("A", shuffled, WordEmbedder())


def test_index_backed_retrieval_matches_brute_force(chroma_client):
    # With few memories the index candidates cover every node, so both paths must agree.
    indexed = build(ChromaIndex(chroma_client, "Klaus Mueller"), n=80)
    plain = build(None, n=80)
    for step in range(4):
        queries = [f"topic {step}", f"Maria {step}"]
        now = hours(40 + step)
        assert indexed.retrieve(queries, now, 5) == plain.retrieve(queries, now, 5)
    assert indexed.index.count() == 80  # the idle event is never indexed


def test_from_state_rebuilds_the_index(chroma_client):
    stream = build(ChromaIndex(chroma_client, "Klaus Mueller"), n=40)
    stream.retrieve(["topic 1"], hours(20), 3)
    index = ChromaIndex(chroma_client, "Klaus Mueller")
    index.add([999], np.eye(1, 64, dtype=np.float32))  # stale content must disappear
    restored = MemoryStream.from_state("Klaus Mueller", stream.to_state(), WordEmbedder(), index)
    assert index.count() == 40
    queries = ["topic 2", "Maria 3"]
    assert restored.retrieve(queries, hours(30), 4) == stream.retrieve(queries, hours(30), 4)
