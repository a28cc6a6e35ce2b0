"""One wiring module builds every running session; `play` without a display runs headless
through the same builder without rewriting its arguments."""

from __future__ import annotations

import argparse

from engine.persistence import SaveStore
from engine.session import DEFAULT_BASE
from game.commands import play
from game.wiring import MindOptions, build_session, start_session


def _args(**overrides) -> argparse.Namespace:
    values = dict(fork=None, load=None, name="wired", mind="routine", model=None, server=None,
                  server_model="default", embed_model=None, workers=0, seed=None,
                  size="960x540")
    values.update(overrides)
    return argparse.Namespace(**values)


def test_build_session_forks_the_default_base_with_routine_minds(tmp_path, simulacra_home):
    store = SaveStore(saves_root=tmp_path / "saves")
    session = build_session(MindOptions(mind="routine"), store=store, name="built",
                            autosave_min=30)
    assert session.meta.fork_source == DEFAULT_BASE
    assert session.minds.description == "routine (no model)"
    assert session.sim.factory is session.minds.factory
    assert session.sim.settings.autosave_every_min == 30
    session.sim.run(3)
    session.close()


def test_play_without_a_display_runs_headless_and_leaves_its_arguments_alone(
        monkeypatch, simulacra_home, capsys):
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(play, "HEADLESS_STEPS", 4)
    args = _args()
    before = dict(vars(args))
    assert play.handle(args) == 0
    assert vars(args) == before
    out = capsys.readouterr().out
    assert "running headless" in out and "ran 4 steps" in out
    session = start_session(_args(load="wired", name=None))
    assert session.sim.step == 4
    session.close()
