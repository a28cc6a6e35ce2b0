"""Helpers for engine tests: build sessions on the shipped bases with the routine mind."""

from __future__ import annotations

from pathlib import Path

from cognition.routine import RoutineMindFactory
from engine.dispatcher import Dispatcher, InlineDispatcher
from engine.persistence import SaveStore
from engine.session import Session, open_session
from engine.simulation import SimSettings

N3 = "base_the_ville_isabella_maria_klaus"
N25 = "base_the_ville_n25"


def routine_session(
    root: Path,
    name: str,
    base: str = N3,
    dispatcher: Dispatcher | None = None,
    load: bool = False,
) -> Session:
    store = SaveStore(saves_root=root / "saves")
    seed = store.read_base(base).meta.seed
    return open_session(
        store,
        fork=None if load else base,
        load=name if load else None,
        name=name,
        factory=RoutineMindFactory(seed),
        dispatcher=dispatcher or InlineDispatcher(),
        settings=SimSettings(),
    )


class WrappedMind:
    """A routine mind whose every decision first calls `before()` (sleep, wait on a gate)."""

    def __init__(self, inner, before):
        self.inner, self.name, self.before = inner, inner.name, before

    def decide(self, percept):
        self.before()
        return self.inner.decide(percept)

    def interim(self, percept):
        return self.inner.interim(percept)

    def to_state(self):
        return self.inner.to_state()

    def inspect(self):
        return self.inner.inspect()


class WrappedFactory:
    """Routine minds with a hook before each decision: a stand-in for a slow model."""

    kind = "routine"

    def __init__(self, seed: int, before):
        self.inner, self.before = RoutineMindFactory(seed), before

    def create(self, persona):
        return WrappedMind(self.inner.create(persona), self.before)

    def restore(self, persona, state):
        return WrappedMind(self.inner.restore(persona, state), self.before)


def wrapped_session(root: Path, name: str, before, base: str = N3,
                    dispatcher: Dispatcher | None = None, load: bool = False,
                    settings: SimSettings = SimSettings()) -> Session:
    store = SaveStore(saves_root=root / "saves")
    seed = store.read_base(base).meta.seed
    return open_session(store, fork=None if load else base, load=name if load else None,
                        name=name, factory=WrappedFactory(seed, before),
                        dispatcher=dispatcher or InlineDispatcher(), settings=settings)
