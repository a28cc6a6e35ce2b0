"""Fixtures for the memory-stream tests; the embedders live in memory_helpers.py."""

from __future__ import annotations

import pytest
from memory_helpers import WordEmbedder


@pytest.fixture
def embedder() -> WordEmbedder:
    return WordEmbedder()


@pytest.fixture(scope="module")
def chroma_client():
    from cognition.memory.chroma_index import make_client

    return make_client()
