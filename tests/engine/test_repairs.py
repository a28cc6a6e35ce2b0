"""An unknown place in a decision is replaced by "here" and counted, apart from model fallbacks,
so a test of a real model can fail on exactly that repair."""

from __future__ import annotations

from dataclasses import replace

from engine.agent_api import HERE
from tests.engine.sim_helpers import WrappedMind, routine_session


class _LostMind(WrappedMind):
    """A routine mind that sends every action it starts to a place the map does not have."""

    def decide(self, percept):
        decision = self.inner.decide(percept)
        if decision.action is None:
            return replace(decision, fallbacks=1)
        lost = replace(decision.action, address="the Ville:Atlantis:hall:throne")
        return replace(decision, action=lost)


def test_unknown_places_are_repaired_and_counted_apart_from_fallbacks(tmp_path):
    session = routine_session(tmp_path, "lost")
    sim = session.sim
    sim.minds["Klaus Mueller"] = _LostMind(sim.minds["Klaus Mueller"], lambda: None)
    sim.run(200)
    klaus = sim.bodies["Klaus Mueller"]
    assert sim.world.repaired_places > 0
    assert sim.errors >= sim.world.repaired_places
    assert klaus.action is not None and klaus.action.address == HERE
    session.close()
