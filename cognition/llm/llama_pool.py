"""Several llama.cpp contexts on one GGUF, so decisions of different agents run at once.

A llama.cpp context evaluates one thing at a time, and with one thread it uses one core. With
`instances` contexts (each with one thread, the weights mapped once and shared by the OS), as
many calls run at once; a call goes to the context that served its agent last (where that
agent's saved prompt head lives) when it is free, else to any free one. Every context holds the
same weights and gets the same tokens; as with prefix reuse in one context, evaluating a prompt
in one batch or after a restored head can round differently in the last bits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from cognition.llm.base import Completion, Request
from cognition.llm.llama_cpp_model import LlamaCppModel


def auto_instances(cores: int | None = None) -> tuple[int, int]:
    """(contexts, threads each) for this machine: two contexts where there are two cores or
    more, sharing the cores but one (measured on 2 cores, 25 agents: 17.7 vs 10.0 game hours
    per wall hour with one context of one thread)."""
    cores = cores or os.cpu_count() or 1
    if cores < 2:
        return 1, 1
    return 2, max(1, (cores - 1) // 2)


class LlamaCppPool:
    """A `LanguageModel` over `instances` `LlamaCppModel`s of one file (see the module doc)."""

    def __init__(
        self, path: str | os.PathLike[str], *, instances: int = 2, seed: int = 0,
        prefix_cache_mb: int = 256, make: Callable[..., Any] = LlamaCppModel, n_threads: int = 1,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        """`make(path, seed=, n_threads=1, prefix_cache_mb=, **kwargs)` builds one context
        (`LlamaCppModel`; tests pass a fake)."""
        if instances < 1:
            raise ValueError("instances must be 1 or more")
        share = max(1, prefix_cache_mb // instances) if prefix_cache_mb > 0 else 0
        self.models = [
            make(path, seed=seed, n_threads=n_threads, prefix_cache_mb=share, **kwargs)
            for _ in range(instances)
        ]
        self.name = f"{getattr(self.models[0], 'name', 'llama.cpp')} x{instances}"
        self._cond = threading.Condition()
        self._busy = [False] * instances
        self._home: dict[str, int] = {}

    def tokens_in_progress(self) -> int:
        """Completion tokens generated so far by the calls running now."""
        return sum(getattr(m, "tokens_in_progress", lambda: 0)() for m in self.models)

    def _take(self, agent: str) -> int:
        with self._cond:
            while all(self._busy):
                self._cond.wait()
            home = self._home.get(agent)
            index = home if home is not None and not self._busy[home] else self._busy.index(False)
            self._busy[index] = True
            return index

    def _give(self, index: int, agent: str) -> None:
        with self._cond:
            self._busy[index] = False
            self._home[agent] = index
            self._cond.notify()

    def complete(self, request: Request) -> Completion:
        index = self._take(request.agent)
        try:
            return self.models[index].complete(request)
        finally:
            self._give(index, request.agent)

    def option_probs(self, request: Request, options: Any) -> Any:
        """`LlamaCppModel.option_probs` on a free context (the agent's own when free)."""
        index = self._take(request.agent)
        try:
            return self.models[index].option_probs(request, options)
        finally:
            self._give(index, request.agent)

    @property
    def scores_options(self) -> bool:
        return all(getattr(m, "scores_options", hasattr(m, "option_probs")) for m in self.models)

    def close(self) -> None:
        for model in self.models:
            model.close()
