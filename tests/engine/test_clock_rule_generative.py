"""The clock rule with generative minds: a scripted model that answers at once, inline, gives
the same town as one that sleeps a random time per call on 8 threads."""

from __future__ import annotations

import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cognition" / "generative"))

from generative_helpers import brain_routes  # noqa: E402

from cognition.generative import GenerativeMindFactory  # noqa: E402
from cognition.llm.fakes import HashEmbedder, RoutedModel  # noqa: E402
from cognition.memory.chroma_index import make_client  # noqa: E402
from engine.agent_api import MessageKind  # noqa: E402
from engine.dispatcher import InlineDispatcher, ThreadPoolDispatcher  # noqa: E402
from engine.persistence import SaveStore  # noqa: E402
from engine.session import open_session  # noqa: E402

N3 = "base_the_ville_isabella_maria_klaus"


class SleepyModel:
    """Answers like the wrapped model after a random pause (unseeded: timing must not matter)."""

    def __init__(self, inner):
        self.inner, self._rng, self._lock = inner, random.Random(), threading.Lock()

    def complete(self, request):
        with self._lock:
            delay = self._rng.uniform(0.0, 0.003)
        time.sleep(delay)
        return self.inner.complete(request)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _town(root: Path, model, dispatcher):
    store = SaveStore(saves_root=root / "saves")
    factory = GenerativeMindFactory(model, HashEmbedder(64), seed=7, chroma_client=make_client())
    return open_session(store, fork=N3, load=None, name="town", factory=factory,
                        dispatcher=dispatcher)


def test_instant_inline_and_sleepy_pooled_generative_towns_match(tmp_path):
    fast = _town(tmp_path / "fast", RoutedModel(brain_routes()), InlineDispatcher())
    slow = _town(tmp_path / "slow", SleepyModel(RoutedModel(brain_routes())),
                 ThreadPoolDispatcher(8))
    for session in (fast, slow):
        session.sim.submit_message("Maria Lopez", MessageKind.CHAT, "What are you up to?")
        session.sim.run(200)
    assert fast.sim.replies and fast.sim.replies == slow.sim.replies
    assert fast.sim.world_hash() == slow.sim.world_hash()
    fast.close()
    slow.close()
