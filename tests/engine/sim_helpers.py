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
