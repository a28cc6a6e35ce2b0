"""Small deterministic embedders for the memory-stream tests (no model, no network).

A local stand-in until `cognition.llm.fakes.HashEmbedder` is settled; same contract as `Embedder`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import numpy as np

EPOCH = datetime(2023, 2, 13)
_WORD = re.compile(r"[a-z0-9]+")


class WordEmbedder:
    """Bag of words hashed (blake2b) into `dimension` signed slots; unit rows; counts calls."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.name = f"test-words-{dimension}"
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                value = int.from_bytes(
                    hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little"
                )
                out[row, value % self.dimension] += 1.0 if value >> 63 else -1.0
            norm = np.linalg.norm(out[row])
            if norm == 0:
                out[row, 0], norm = 1.0, 1.0
            out[row] /= norm
        return out


class TableEmbedder:
    """Looks texts up in a fixed table of vectors (normalised); unknown texts map to the first axis."""

    def __init__(self, table: dict[str, list[float]], dimension: int) -> None:
        self.dimension = dimension
        self.name = "test-table"
        self.table = table

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            vec = np.asarray(
                self.table.get(text, [1.0] + [0.0] * (self.dimension - 1)), dtype=np.float64
            )
            out[row] = vec / np.linalg.norm(vec)
        return out
