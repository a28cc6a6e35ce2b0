"""Smoke test on the real bundled model: 60 steps of the 3-agent base, no network."""

from __future__ import annotations

import pytest

from engine.dispatcher import ThreadPoolDispatcher
from engine.persistence import SaveStore
from engine.session import open_session
from game.wiring import MindOptions, build_minds

N3 = "base_the_ville_isabella_maria_klaus"


@pytest.mark.llm
def test_sixty_steps_on_the_bundled_model_plan_move_and_remember(tmp_path):
    store = SaveStore(saves_root=tmp_path / "saves")
    minds = build_minds(MindOptions(mind="generative", workers=3), seed=7)
    session = open_session(store, fork=N3, load=None, name="smoke", factory=minds.factory,
                           dispatcher=ThreadPoolDispatcher(3), model_name=minds.description)
    sim, town = session.sim, session.town
    places_chosen = set()
    for _ in range(60):
        sim.run(1)
        for body in sim.bodies.values():
            if body.action is not None:
                places_chosen.add(body.action.address)
    assert minds.call_log.records(), "the model was never called"
    for name, mind in sim.minds.items():
        view = mind.inspect()
        assert view["schedule"], f"{name} has no schedule"
        assert len(mind.memory) > 0, f"{name} wrote no memories"
    for address in places_chosen:
        assert address == "<here>" or town.has_address(address), address
    assert session.save().is_dir()
    session.close()
