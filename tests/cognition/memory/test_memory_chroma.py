"""ChromaIndex: our embeddings only, cosine similarities, rebuild, unique names."""

from __future__ import annotations

import numpy as np
import pytest

from cognition.memory.chroma_index import ChromaIndex, collection_stem


def unit(rows):
    arr = np.asarray(rows, dtype=np.float32)
    return arr / np.linalg.norm(arr, axis=1, keepdims=True)


def test_collection_names_are_sanitised_and_unique(chroma_client):
    assert collection_stem("Klaus Mueller") == "mem-klaus_mueller"
    assert collection_stem("Émile!!") == "mem-mile"
    assert collection_stem("") == "mem-agent"
    first = ChromaIndex(chroma_client, "Isabella Rodriguez")
    second = ChromaIndex(chroma_client, "Isabella Rodriguez")
    assert first.name != second.name
    assert first.name.startswith("mem-isabella_rodriguez-")
    first.close()
    second.close()
    first.close()  # closing twice is harmless


def test_query_returns_ids_with_cosine_similarity(chroma_client):
    index = ChromaIndex(chroma_client, "A")
    vectors = unit([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    index.add([1, 2, 3], vectors, [{"kind": "event"}, {"kind": "chat"}, {"kind": "event"}])
    assert index.count() == 3
    hits = index.query(unit([[1, 0, 0]])[0], 3)
    assert [node_id for node_id, _ in hits] == [1, 2, 3]
    np.testing.assert_allclose([sim for _, sim in hits], [1.0, 2**-0.5, 0.0], atol=1e-5)
    assert [i for i, _ in index.query(unit([[1, 0, 0]])[0], 10)] == [1, 2, 3]  # n > count is fine
    only_events = index.query(unit([[1, 1, 0]])[0], 3, where={"kind": "event"})
    assert sorted(i for i, _ in only_events) == [1, 3]
    assert index.query(unit([[1, 0, 0]])[0], 0) == []
    index.close()


def test_query_many_and_empty_index(chroma_client):
    index = ChromaIndex(chroma_client, "B")
    assert index.query_many(unit([[1, 0], [0, 1]]), 5) == [[], []]
    index.add([7, 8], unit([[1, 0], [0, 1]]))
    results = index.query_many(unit([[1, 0], [0, 1]]), 1)
    assert [r[0][0] for r in results] == [7, 8]
    index.close()


def test_rebuild_replaces_contents(chroma_client):
    index = ChromaIndex(chroma_client, "C")
    index.add([1, 2], unit([[1, 0], [0, 1]]))
    index.rebuild([5], unit([[0, 1]]), [{"kind": "thought"}])
    assert index.count() == 1
    assert index.query(unit([[1, 0]])[0], 5)[0][0] == 5
    index.rebuild([], np.zeros((0, 2), np.float32))
    assert index.count() == 0
    index.close()


def test_large_batches_are_split(chroma_client):
    index = ChromaIndex(chroma_client, "D")
    n = chroma_client.get_max_batch_size() + 10
    rng = np.random.default_rng(0)
    index.add(list(range(1, n + 1)), unit(rng.normal(size=(n, 8))))
    assert index.count() == n
    index.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_default_embedding_function(chroma_client):
    index = ChromaIndex(chroma_client, "E")
    config = index._collection.configuration
    assert config.get("embedding_function") is None
    assert config["hnsw"]["space"] == "cosine"
    with pytest.raises(Exception):  # noqa: B017 - Chroma must refuse to embed documents itself
        index._collection.add(ids=["1"], documents=["text without an embedding"])
    index.close()
