"""A bounded, thread-safe text → vector cache and row normalisation, shared by the embedders."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np


def normalise_rows(rows: np.ndarray) -> np.ndarray:
    """Float32 copy with each row scaled to unit L2 length (all-zero rows stay zero)."""
    out = np.asarray(rows, dtype=np.float32)
    if out.ndim == 1:
        out = out[None, :]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return (out / norms).astype(np.float32)


class EmbeddingCache:
    """Least-recently-used cache of unit vectors by exact text, at most `max_entries` long."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._vectors)

    def embed_through(
        self, texts: list[str], dimension: int, compute: Callable[[list[str]], np.ndarray]
    ) -> np.ndarray:
        """Rows for `texts`, calling `compute` once for the distinct texts not yet cached.

        `compute` must return unit rows of width `dimension`, one per text it was given.
        """
        out = np.zeros((len(texts), dimension), dtype=np.float32)
        missing: list[str] = []
        with self._lock:
            for row, text in enumerate(texts):
                vec = self._vectors.get(text)
                if vec is None:
                    if text not in missing:
                        missing.append(text)
                    continue
                self._vectors.move_to_end(text)
                out[row] = vec
                self.hits += 1
        if missing:
            fresh = compute(missing)
            by_text = dict(zip(missing, fresh))
            with self._lock:
                self.misses += len(missing)
                for text, vec in by_text.items():
                    self._vectors[text] = vec
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
            for row, text in enumerate(texts):
                if text in by_text:
                    out[row] = by_text[text]
        return out
