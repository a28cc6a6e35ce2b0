"""Prefix reuse for the in-process llama.cpp model: repeated calls pay only for new tokens.

Every prompt of an agent starts with the same head (chat template, system line, the agent's
identity), and only the end changes from call to call. llama-cpp-python already keeps the
evaluated tokens of the *last* call and skips the prefix a new prompt shares with them, but
with many agents taking turns the last call is nearly always someone else's. `PrefixCache`
keeps one saved context state per agent holding just that agent's head, and restores it before
the agent's next call when it shares more with the new prompt than what is in the context.

The head is learned, not declared: it is the longest token prefix an agent's last two prompts
share (after an agent's first call, its whole first prompt is kept until then). States are raw `llama_state_get_data` bytes (a few MB for a few hundred tokens on the
bundled model); llama-cpp-python's own `LlamaRAMCache` also copies a logits matrix of
n_batch x n_vocab floats (~100 MB on SmolLM2) per state, which is why it is not used here.
At most `capacity_bytes` are kept (least recently used first out).

Reuse is exact in what is computed (the same tokens at the same positions); floating-point
results can differ in the last bits from evaluating everything at once, exactly as with
llama-cpp-python's built-in reuse of the previous call.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_HEAD_TOKENS = 32


def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    """Length of the longest common prefix of two token arrays."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    diff = np.flatnonzero(a[:n] != b[:n])
    return int(diff[0]) if diff.size else n


@dataclass(frozen=True, slots=True)
class SavedHead:
    """One agent's evaluated head: its tokens and the context state holding them."""

    tokens: np.ndarray
    state: bytes


def save_context(llm: Any) -> bytes:
    """The context state (KV cache of the evaluated tokens) of a `llama_cpp.Llama`."""
    import llama_cpp

    size = int(llama_cpp.llama_state_get_size(llm._ctx.ctx))
    buffer = (ctypes.c_uint8 * size)()
    written = int(llama_cpp.llama_state_get_data(llm._ctx.ctx, buffer, size))
    return ctypes.string_at(buffer, written)  # slicing a c_uint8 array builds a list of ints


def load_context(llm: Any, head: SavedHead) -> None:
    """Put a saved head back into `llm`'s context, as if its tokens had just been evaluated."""
    import llama_cpp

    size = len(head.state)
    buffer = (ctypes.c_uint8 * size).from_buffer_copy(head.state)
    if int(llama_cpp.llama_state_set_data(llm._ctx.ctx, buffer, size)) != size:
        raise RuntimeError("llama.cpp refused a saved state")
    n = len(head.tokens)
    llm.input_ids[:n] = head.tokens
    llm.n_tokens = n
    llm._requires_eval = True  # logits are stale: the suffix decode refreshes them


class PrefixCache:
    """Saved heads per agent, restored before that agent's (or anyone's) matching prompt.

    Not thread-safe on its own: the model calls it with its lock held.
    """

    def __init__(self, capacity_bytes: int = 256 << 20, min_tokens: int = MIN_HEAD_TOKENS):
        self.capacity_bytes = capacity_bytes
        self.min_tokens = min_tokens
        self._heads: OrderedDict[str, SavedHead] = OrderedDict()
        self._last_prompt: dict[str, np.ndarray] = {}
        self.restores = 0

    @property
    def size_bytes(self) -> int:
        """Bytes of saved state held."""
        return sum(len(h.state) for h in self._heads.values())

    def prepare(self, llm: Any, tokens: np.ndarray) -> int:
        """Restore the saved head sharing the most with `tokens`, if it beats the context.

        Returns how many leading prompt tokens are already evaluated (what the call will skip).
        """
        in_context = common_prefix(np.asarray(llm.input_ids[: llm.n_tokens]), tokens)
        best_name, best = None, in_context
        for name, head in self._heads.items():
            shared = common_prefix(head.tokens, tokens)
            if shared > best:
                best_name, best = name, shared
        if best_name is not None:
            load_context(llm, self._heads[best_name])
            self._heads.move_to_end(best_name)
            self.restores += 1
        # llama-cpp-python re-evaluates the last token when the whole prompt is cached.
        return min(best, len(tokens) - 1) if len(tokens) else 0

    def remember(self, llm: Any, agent: str, tokens: np.ndarray, keep: int = 0) -> None:
        """After `agent`'s call on `tokens`: save its head if its last two prompts share one,
        or its first `keep` tokens if the caller says its next prompt starts with them.

        Trims the context to the head first (the rest is this call's own tail, which the next
        prompt will not share), so the saved state is only as large as the head.
        """
        if not agent:
            return
        previous = self._last_prompt.get(agent)
        self._last_prompt[agent] = tokens
        # The first time, keep the whole prompt (its head is not known yet); after that, the
        # part the agent's last two prompts share.
        head_len = len(tokens) if previous is None else common_prefix(previous, tokens)
        head_len = max(head_len, min(keep, len(tokens)))
        if head_len < self.min_tokens:
            return
        saved = self._heads.get(agent)
        if saved is not None and common_prefix(saved.tokens, tokens) >= head_len:
            self._heads.move_to_end(agent)
            return  # what is saved already covers this head
        if common_prefix(np.asarray(llm.input_ids[: llm.n_tokens]), tokens) < head_len:
            return  # the context no longer holds this prompt (should not happen)
        llm._ctx.kv_cache_seq_rm(-1, head_len, -1)
        llm.n_tokens = head_len
        llm._requires_eval = True
        self._heads[agent] = SavedHead(tokens[:head_len].copy(), save_context(llm))
        self._heads.move_to_end(agent)
        while self.size_bytes > self.capacity_bytes and len(self._heads) > 1:
            self._heads.popitem(last=False)
