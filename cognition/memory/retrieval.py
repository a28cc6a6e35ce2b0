"""Pure retrieval scoring: the paper's recency x importance x relevance formula.

score_i = w_rec * norm(decay ** hours_since_last_access_i)
        + w_imp * norm(importance_i)
        + w_rel * norm(cosine(query, memory_i))

where `norm` min-max normalises one component over the candidate set to [0, 1] (all-equal values
become 0.5, as in the original's `normalize_dict_floats`). The original code instead ranked nodes by
last access and used hard-coded global weights [0.5, 3, 2]; we follow the paper (see README.md).
Everything here is a function of its arguments: no clocks, no state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_DECAY = 0.995


@dataclass(frozen=True, slots=True)
class RetrievalWeights:
    """Weights of the three normalised components (the paper uses 1, 1, 1)."""

    recency: float = 1.0
    importance: float = 1.0
    relevance: float = 1.0


DEFAULT_WEIGHTS = RetrievalWeights()


def min_max(values: np.ndarray) -> np.ndarray:
    """Scale `values` to [0, 1]; when they are all equal (or empty) every entry becomes 0.5."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        return arr
    low = arr.min()
    span = arr.max() - low
    if span <= 0.0:
        return np.full_like(arr, 0.5)
    return (arr - low) / span


def recency(hours_since_access: np.ndarray, decay: float = DEFAULT_DECAY) -> np.ndarray:
    """The paper's recency: `decay ** hours` since last access (negative hours clamp to 0)."""
    hours = np.maximum(np.asarray(hours_since_access, dtype=np.float64), 0.0)
    return np.power(decay, hours)


def score(
    recency_hours_since_access: np.ndarray,
    importance: np.ndarray,
    relevance: np.ndarray,
    weights: RetrievalWeights = DEFAULT_WEIGHTS,
    decay: float = DEFAULT_DECAY,
) -> np.ndarray:
    """Weighted sum of the three min-max-normalised components, one score per candidate.

    `recency_hours_since_access` are game hours since each memory was last accessed,
    `importance` the raw 1-10 ratings and `relevance` cosine similarities to the query.
    """
    base = query_independent(recency_hours_since_access, importance, weights, decay)
    rel = min_max(relevance)
    if rel.shape != base.shape:
        raise ValueError(f"relevance shape {rel.shape} differs from {base.shape}")
    return base + weights.relevance * rel


def query_independent(
    recency_hours_since_access: np.ndarray,
    importance: np.ndarray,
    weights: RetrievalWeights = DEFAULT_WEIGHTS,
    decay: float = DEFAULT_DECAY,
) -> np.ndarray:
    """The recency and importance part of `score`, shared by every query over the same candidates."""
    rec = min_max(recency(recency_hours_since_access, decay))
    imp = min_max(importance)
    if rec.shape != imp.shape:
        raise ValueError(f"component shapes differ: {rec.shape}, {imp.shape}")
    return weights.recency * rec + weights.importance * imp


def top_k(scores: np.ndarray, k: int, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Indices of the `k` highest scores, best first, deterministic under ties.

    Equal scores are ordered by ascending `tiebreak` (pass node ids; default: the index itself).
    Uses a partial partition so selecting a few from many stays O(n).
    """
    values = np.asarray(scores, dtype=np.float64)
    n = values.size
    keys = np.arange(n) if tiebreak is None else np.asarray(tiebreak)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    if k < n:
        # Everything strictly above the k-th largest value is in; ties at the cut are settled below.
        kth = np.partition(values, n - k)[n - k]
        pool = np.flatnonzero(values >= kth)
    else:
        pool = np.arange(n)
    order = np.lexsort((keys[pool], -values[pool]))
    return pool[order[:k]]
