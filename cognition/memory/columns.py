"""Growable numpy columns that sit beside the node list so retrieval scores in vectorised passes.

Row i belongs to node id i + 1. Capacity grows by half when full, so appending is amortised O(1),
at most a third of the rows are spare, and the live views (`embeddings`, `last_accessed_h`, ...)
never copy. Embeddings are held as float16 (`EMBEDDING_DTYPE`): half the memory of float32, which
for a 384-dimension embedder is most of what a memory costs; scoring converts the rows it scores
to float32, and unit vectors lose about 1e-3 of cosine, far below what changes a ranking.
"""

from __future__ import annotations


import numpy as np

from cognition.memory.node import NodeKind

KIND_CODES: dict[NodeKind, int] = {NodeKind.EVENT: 0, NodeKind.THOUGHT: 1, NodeKind.CHAT: 2}
EMBEDDING_DTYPE = np.float16


class Columns:
    """Per-node arrays: embedding, last access (game hours since epoch), importance, kind, idle."""

    def __init__(self, dimension: int, capacity: int = 256) -> None:
        self.dimension = int(dimension)
        self.size = 0
        self._emb = np.zeros((capacity, self.dimension), dtype=EMBEDDING_DTYPE)
        self._access = np.zeros(capacity, dtype=np.float64)
        self._importance = np.zeros(capacity, dtype=np.float64)
        self._kind = np.zeros(capacity, dtype=np.int8)
        self._retrievable = np.zeros(capacity, dtype=bool)

    def _grow(self, needed: int) -> None:
        capacity = len(self._access)
        if needed <= capacity:
            return
        new_capacity = max(needed, capacity + capacity // 2)
        for attr in ("_emb", "_access", "_importance", "_kind", "_retrievable"):
            old = getattr(self, attr)
            new = np.zeros((new_capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, attr, new)

    def append(
        self,
        embedding: np.ndarray,
        accessed_h: float,
        importance: float,
        kind: NodeKind,
        retrievable: bool,
    ) -> None:
        """Add one row."""
        self._grow(self.size + 1)
        i = self.size
        self._emb[i] = embedding
        self._access[i] = accessed_h
        self._importance[i] = importance
        self._kind[i] = KIND_CODES[kind]
        self._retrievable[i] = retrievable
        self.size += 1

    @property
    def embeddings(self) -> np.ndarray:
        """(size, dimension) float16 view (rows never change once appended)."""
        return self._emb[: self.size]

    @property
    def last_accessed_h(self) -> np.ndarray:
        """(size,) float64 view; writable, retrieval updates it in place."""
        return self._access[: self.size]

    @property
    def importance(self) -> np.ndarray:
        """(size,) float64 view of the 1-10 ratings."""
        return self._importance[: self.size]

    def allowed(self, kinds: tuple[NodeKind, ...]) -> np.ndarray:
        """Boolean mask of rows that are retrieval candidates: of `kinds` and not idle."""
        codes = [KIND_CODES[NodeKind(k)] for k in kinds]
        kind_ok = np.isin(self._kind[: self.size], codes)
        return kind_ok & self._retrievable[: self.size]
