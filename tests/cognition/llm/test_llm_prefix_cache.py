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


@pytest.mark.llm
def test_a_kept_part_is_reused_by_the_agents_next_call():
    """With `keep`, the head saved is the prompt up to there (a conversation so far), not just
    what the agent's last two prompts shared: the next turn skips all of it."""
    from cognition.llm import LlamaCppModel, Request, bundled_model_path

    head = "Klaus Mueller is a sociologist who studies gentrification. " * 4
    model = LlamaCppModel(bundled_model_path(), n_threads=1)
    try:
        lines = ["Klaus: Hello Maria.", "Maria: Hi Klaus, how are you?"]
        done = []
        for turn in range(3):
            kept = f"{head}\nConversation so far:\n" + "\n".join(lines)
            prompt = f"{kept}\nKlaus wants to say something new ({turn}). What does he say?"
            request = Request(prompt=prompt, purpose="t", prompt_id="t", agent="Klaus",
                              max_tokens=4, seed=1, keep=len(kept))  # fmt: skip
            done.append(model.complete(request))
            # someone else's call in between, then the partner's line
            model.complete(Request(prompt="Maria Lopez streams games. " * 8 + f"Say {turn}.",
                                   purpose="t", prompt_id="t", agent="Maria", max_tokens=4))
            lines += [f"Klaus: line {turn}.", f"Maria: answer {turn}."]
        kept_tokens = [model._kept_tokens(r, model.prompt_tokens(
            [{"role": "user", "content": r.prompt}])) for r in [request]]
        assert kept_tokens[0] > 0
        # turns 2 and 3 skip the whole previous conversation, not just the head before it
        for earlier, later in zip(done, done[1:]):
            assert later.cached_tokens >= earlier.prompt_tokens - 40, (earlier, later)
    finally:
        model.close()
