"""Prefix reuse on the bundled model: an agent's later calls skip its evaluated head."""

from __future__ import annotations

import numpy as np
import pytest

from cognition.llm.prefix_cache import common_prefix


def test_common_prefix():
    a = np.array([1, 2, 3, 4], dtype=np.intc)
    assert common_prefix(a, np.array([1, 2, 9], dtype=np.intc)) == 2
    assert common_prefix(a, a[:3]) == 3
    assert common_prefix(a, np.array([], dtype=np.intc)) == 0
    assert common_prefix(a, np.array([7], dtype=np.intc)) == 0


@pytest.mark.llm
def test_agents_taking_turns_reuse_their_own_heads():
    from cognition.llm import LlamaCppModel, Request, bundled_model_path

    heads = {
        "Klaus Mueller": "Klaus Mueller is a sociologist who studies gentrification. " * 4,
        "Maria Lopez": "Maria Lopez is a physics student who streams games. " * 4,
    }
    model = LlamaCppModel(bundled_model_path(), n_threads=1)
    try:
        seen = []
        for hour in (8, 9, 10):
            for agent, head in heads.items():
                request = Request(prompt=f"{head}\nIt is {hour}:00. What next? Five words.",
                                  purpose="p", prompt_id="p", agent=agent, system="Be brief.",
                                  max_tokens=8, seed=1)  # fmt: skip
                done = model.complete(request)
                seen.append((agent, hour, done.prompt_tokens, done.cached_tokens))
        first_round = [c for _, h, _, c in seen if h == 8]
        later = [(p, c) for _, h, p, c in seen if h > 8]
        # Later calls skip at least the agent's whole head, though the other agent spoke last.
        assert all(c >= 0.6 * p for p, c in later), seen
        assert all(c < 0.5 * p for (_, h, p, c) in seen if h == 8), first_round
        assert model.prefix_cache is not None and model.prefix_cache.restores >= 4
    finally:
        model.close()
