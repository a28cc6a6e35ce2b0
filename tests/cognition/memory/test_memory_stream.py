"""MemoryStream: adding, retrieval ordering, last access, reflection accumulator, helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from memory_helpers import EPOCH, TableEmbedder, WordEmbedder

from cognition.memory import MemoryStream, NodeKind, RetrievalWeights


def hours(h: float):
    return EPOCH + timedelta(hours=h)


def test_add_assigns_ids_depth_keywords_and_embeds_distinct_texts(embedder):
    stream = MemoryStream("Klaus Mueller", embedder)
    a = stream.add("event", "Klaus is reading", hours(0), 3, keywords=["Reading", "reading", " "])
    b = stream.add(NodeKind.EVENT, "Klaus is reading", hours(1), 3)
    t1 = stream.add("thought", "Klaus loves books", hours(2), 6, evidence=[a.node_id, b.node_id])
    t2 = stream.add("thought", "Klaus is a scholar", hours(3), 7, evidence=[t1.node_id])
    plan = stream.add("thought", "plan for today", hours(4), 5, keywords=["plan"])
    assert [n.node_id for n in stream.nodes] == [1, 2, 3, 4, 5]
    assert a.keywords == ("reading",) and a.embedding_key == "Klaus is reading"
    assert (a.depth, t1.depth, t2.depth, plan.depth) == (0, 1, 2, 1)
    assert t2.evidence == (3,)
    # the stream keeps no cache of its own (the embedder caches, once for every agent), but it
    # never sends the same text twice in one call
    embedded = [text for call in embedder.calls for text in call]
    assert embedded.count("Klaus is reading") == 2
    embedder.calls.clear()
    stream.embed(["a cat", "a dog", "a cat"])
    assert embedder.calls == [["a cat", "a dog"]]
    assert stream.by_id(3) is t1 and len(stream) == 5
    with pytest.raises(ValueError):
        stream.add("thought", "bad", hours(5), 5, evidence=[99])
    with pytest.raises(KeyError):
        stream.by_id(0)


def test_importance_is_clamped(embedder):
    stream = MemoryStream("A", embedder)
    assert stream.add("event", "x", hours(0), 42).importance == 10
    assert stream.add("event", "y", hours(0), -3).importance == 1


def test_reflection_accumulator_counts_events_and_chats_not_thoughts(embedder):
    stream = MemoryStream("A", embedder)
    assert not stream.should_reflect(1)  # empty stream never reflects
    stream.add("event", "an event", hours(0), 6)
    stream.add("chat", "a chat", hours(0), 4, filling=[("A", "hi"), ("B", "hello")])
    stream.add("thought", "a thought", hours(0), 9)
    assert stream.importance_since_reflection == 10
    assert stream.should_reflect(10) and not stream.should_reflect(11)
    stream.reset_reflection_counter()
    assert stream.importance_since_reflection == 0 and not stream.should_reflect(10)
    stream.add("event", "another", hours(1), 3)
    assert stream.importance_since_reflection == 3


def _axis_stream():
    """Three memories whose relevance to the query "q" is fixed by hand."""
    table = {"q": [1, 0, 0], "close": [1, 0, 0], "mid": [1, 1, 0], "far": [0, 0, 1]}
    return MemoryStream("A", TableEmbedder(table, 3))


def test_relevance_orders_when_other_components_are_equal():
    stream = _axis_stream()
    for text in ("far", "mid", "close"):
        stream.add("event", text, hours(0), 5)
    got = stream.retrieve(["q"], hours(1), 3)
    assert [n.description for n in got] == ["close", "mid", "far"]


def test_importance_orders_when_other_components_are_equal(embedder):
    stream = MemoryStream("A", embedder, weights=RetrievalWeights(0, 1, 0))
    for imp in (2, 9, 5):
        stream.add("event", f"memory of weight {imp}", hours(0), imp)
    got = stream.retrieve(["anything"], hours(1), 3)
    assert [n.importance for n in got] == [9, 5, 2]


def test_recency_decays_per_hour_since_last_access(embedder):
    stream = MemoryStream("A", embedder, weights=RetrievalWeights(1, 0, 0))
    old = stream.add("event", "old memory", hours(0), 5)
    new = stream.add("event", "new memory", hours(10), 5)
    assert stream.retrieve(["x"], hours(20), 1) == [new]
    # Retrieving the old one by relevance marks it accessed at hour 30: now it is the most recent.
    stream.weights = RetrievalWeights(0, 0, 1)
    assert stream.retrieve(["old memory"], hours(30), 1) == [old]
    assert stream.last_accessed(old.node_id) == hours(30)
    stream.weights = RetrievalWeights(1, 0, 0)
    assert stream.retrieve(["x"], hours(31), 1) == [old]


def test_last_access_updates_only_returned_nodes(embedder):
    stream = MemoryStream("A", embedder)
    nodes = [stream.add("event", f"item number {i}", hours(i), 5) for i in range(5)]
    got = stream.retrieve(["item number 2"], hours(100), 2)
    for node in nodes:
        expected = hours(100) if node in got else node.created
        assert stream.last_accessed(node.node_id) == expected


def test_idle_events_are_never_retrieved(embedder):
    stream = MemoryStream("A", embedder)
    stream.add("event", "bed is idle", hours(0), 10, triple=("bed", "is", "idle"))
    stream.add("event", "desk", hours(0), 1, triple=("desk", "is", "idle"))
    busy = stream.add("event", "bed is being slept on", hours(0), 1)
    assert stream.retrieve(["bed is idle"], hours(1), 5) == [busy]
    assert stream.importance_since_reflection == 12  # idle events still count towards reflection


def test_kinds_filter_and_union_across_queries(embedder):
    stream = MemoryStream("A", embedder)
    e = stream.add("event", "Maria is painting", hours(0), 5)
    c = stream.add("chat", "talked with Maria about the party", hours(0), 5)
    t = stream.add("thought", "the party will be fun", hours(0), 5)
    got = stream.retrieve(["Maria painting", "party fun"], hours(3), 1)
    assert got == [e, t]
    assert stream.retrieve(["Maria painting", "Maria painting"], hours(3), 1) == [e]
    assert stream.retrieve("Maria painting", hours(3), 1) == [e]  # a bare string is one query
    # (the retrievals above touched e and t only, so recency cannot have favoured c)
    assert stream.retrieve(["party"], hours(3), 5, kinds=["chat"]) == [c]
    assert stream.retrieve([], hours(3), 5) == [] and stream.retrieve(["x"], hours(3), 0) == []


def test_retrieval_is_deterministic():
    def build():
        stream = MemoryStream("A", WordEmbedder())
        for i in range(300):
            stream.add("event", f"thing {i % 7} happened near {i % 11}", hours(i / 4), 1 + i % 10)
        return stream

    first, second = build(), build()
    for step in range(3):
        now = hours(100 + step)
        assert first.retrieve(["thing 3", "near 5"], now, 10) == second.retrieve(
            ["thing 3", "near 5"], now, 10
        )


def test_recent_newest_first_by_kind(embedder):
    stream = MemoryStream("A", embedder)
    a = stream.add("event", "Maria Lopez is studying", hours(0), 3, keywords=["study"])
    b = stream.add("chat", "conversation about music", hours(1), 4, keywords=["Music"])
    c = stream.add("thought", "Maria Lopez likes music", hours(2), 6, keywords=["music", "maria"])
    stream.add("event", "Maria Lopez is idle", hours(3), 1)
    assert stream.recent(2)[1] == c and stream.recent(10, kinds=["event", "chat"])[1:] == [b, a]


def test_memory_package_imports_neither_pygame_nor_game():
    import subprocess
    import sys

    code = (
        "import sys, cognition.memory; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygame', 'game')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
