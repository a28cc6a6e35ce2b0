"""Pure scoring: the paper's formula, normalisation, deterministic top-k."""

from __future__ import annotations

import numpy as np
import pytest

from cognition.memory.retrieval import RetrievalWeights, min_max, recency, score, top_k


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 2.0, 3.0], [0.0, 0.5, 1.0]),
        ([5.0, 5.0], [0.5, 0.5]),  # all equal -> 0.5, as in the original helper
        ([7.0], [0.5]),
        ([-1.0, 1.0, 0.0], [0.0, 1.0, 0.5]),
        ([], []),
    ],
)
def test_min_max(values, expected):
    np.testing.assert_allclose(min_max(np.array(values)), expected)


def test_recency_is_decay_to_the_hours():
    np.testing.assert_allclose(
        recency(np.array([0.0, 1.0, 2.0, 10.0]), 0.5), [1, 0.5, 0.25, 0.5**10]
    )
    assert recency(np.array([-3.0]), 0.9)[0] == 1.0  # access "in the future" counts as now


# hours, importance, relevance, weights, decay, expected scores (hand-computed)
CASES = [
    # recency: 1, .5, .25 -> norm 1, 1/3, 0; importance 1,10,4 -> 0, 1, 1/3; relevance .2,.2,.8 -> 0,0,1
    ([0, 1, 2], [1, 10, 4], [0.2, 0.2, 0.8], RetrievalWeights(), 0.5, [1.0, 4 / 3, 4 / 3]),
    # same with weights 0.5 / 3 / 2 (the original code's global weights)
    (
        [0, 1, 2],
        [1, 10, 4],
        [0.2, 0.2, 0.8],
        RetrievalWeights(recency=0.5, importance=2, relevance=3),
        0.5,
        [0.5, 0.5 / 3 + 2, 2 / 3 + 3],
    ),
    # only recency varies: the other components are all-equal -> 0.5 each
    ([0, 10], [3, 3], [0.1, 0.1], RetrievalWeights(), 0.995, [2.0, 1.0]),
    # single candidate: every component 0.5
    ([4], [9], [0.9], RetrievalWeights(), 0.995, [1.5]),
    # relevance only
    ([1, 1, 1], [2, 2, 2], [0.0, 0.5, 1.0], RetrievalWeights(0, 0, 1), 0.995, [0.0, 0.5, 1.0]),
]


@pytest.mark.parametrize(("hours", "imp", "rel", "weights", "decay", "expected"), CASES)
def test_score_table(hours, imp, rel, weights, decay, expected):
    got = score(np.array(hours, float), np.array(imp, float), np.array(rel, float), weights, decay)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_recency_uses_paper_decay_not_rank():
    # 0.995 per hour: 1 h vs 100 h apart; normalised over [0, 1, 100] hours
    got = score(np.array([0.0, 1.0, 100.0]), np.ones(3), np.ones(3), RetrievalWeights(1, 0, 0))
    expected = (0.995 ** np.array([0, 1, 100]) - 0.995**100) / (1 - 0.995**100)
    np.testing.assert_allclose(got, expected)


def test_score_rejects_misaligned_components():
    with pytest.raises(ValueError):
        score(np.zeros(2), np.zeros(3), np.zeros(2))


@pytest.mark.parametrize(
    ("scores", "k", "tiebreak", "expected"),
    [
        ([0.1, 0.9, 0.5], 2, None, [1, 2]),
        ([0.5, 0.5, 0.5, 0.1], 2, None, [0, 1]),  # ties: lowest index first
        ([0.5, 0.5, 0.5, 0.1], 2, [30, 20, 10, 5], [2, 1]),  # ties: lowest node id first
        ([0.2, 0.7], 5, None, [1, 0]),  # k larger than n
        ([0.2, 0.7], 0, None, []),
        ([], 3, None, []),
    ],
)
def test_top_k_stable(scores, k, tiebreak, expected):
    tb = None if tiebreak is None else np.array(tiebreak)
    assert top_k(np.array(scores, float), k, tb).tolist() == expected


def test_top_k_ties_at_the_cut_are_deterministic():
    scores = np.array([1.0] * 50 + [2.0] * 3 + [1.0] * 50)
    assert top_k(scores, 5).tolist() == [50, 51, 52, 0, 1]
