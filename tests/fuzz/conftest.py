"""Fixtures for the fuzzers: one routine-mind save made once per session, and a cached Ville map.

Loading the Ville's .tmx costs about half a second; the fuzzers that are not about maps share one
loaded `TownMap` (it is immutable) so a thousand examples fit in seconds.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

N3 = "base_the_ville_isabella_maria_klaus"


@pytest.fixture(scope="session")
def ville():
    from engine import paths
    from engine.tmx_loader import load_town_map

    return load_town_map(paths.maps_dir() / "the_ville" / "the_ville.tmx", name="the_ville")


@pytest.fixture(scope="session")
def template_home(tmp_path_factory) -> Path:
    """A data folder with save `keep` (20 routine steps, with a run log) and a history CSV."""
    from engine.persistence import SaveStore
    from engine.session import open_session
    from game.wiring import MindOptions, build_dispatcher, build_minds

    home = tmp_path_factory.mktemp("fuzz") / "home"
    options = MindOptions(mind="routine", workers=0)
    store = SaveStore(saves_root=home / "saves", user_bases_root=home / "bases")
    session = open_session(store, fork=N3, load=None, name="keep",
                           factory=build_minds(options, 7).factory,
                           dispatcher=build_dispatcher(options))
    session.sim.run(20)
    session.save()
    session.close()
    shutil.copy(home / "saves" / "keep" / "history.csv", home / "history.csv")
    return home


@pytest.fixture
def cached_maps(monkeypatch, ville):
    """Serve the shipped Ville from memory wherever a session loads it."""
    import engine.session as session_module
    from engine import paths

    real = session_module.load_town_map
    shipped = os.path.realpath(paths.maps_dir() / "the_ville" / "the_ville.tmx")

    @functools.wraps(real)
    def load(path, name=None):
        if os.path.realpath(path) == shipped:
            return ville
        return real(path, name=name)

    monkeypatch.setattr(session_module, "load_town_map", load)
    return _Quiet(ville)


class _Quiet:
    """Holds the cached map with a short repr (hypothesis prints fixtures of a failing case)."""

    def __init__(self, town) -> None:
        self.town = town

    def __repr__(self) -> str:
        return "<the Ville, cached>"
