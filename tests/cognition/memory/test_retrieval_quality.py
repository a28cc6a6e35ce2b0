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


def test_content_words_fold_plurals_and_drop_stopwords():
    assert content_words("The parties of Isabella's friends") == {"party", "isabella", "friend"}
