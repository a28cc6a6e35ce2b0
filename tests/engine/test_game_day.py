"""A whole headless game day with the routine mind: beds, workplaces, no walls."""

from __future__ import annotations

import pytest
from sim_helpers import N25, routine_session


@pytest.mark.slow
def test_every_agent_sleeps_in_their_bed_and_reaches_work_and_never_stands_on_a_wall(tmp_path):
    session = routine_session(tmp_path, "day", base=N25)
    sim, town = session.sim, session.town
    slept_in_bed: set[str] = set()
    reached_work: set[str] = set()
    day_steps = 86400 // sim.clock.step_s
    for _ in range(day_steps):
        assert sim.run(1) is None
        for name in sim.order:
            body = sim.bodies[name]
            persona = sim.personas[name]
            assert town.is_walkable(body.tile), f"{name} stands on a wall at {body.tile}"
            here = town.object_at(body.tile)
            action = body.action
            if action and not body.path and here == persona.bed and "sleep" in action.description:
                slept_in_bed.add(name)
            at_work = here == persona.workplace or town.area_of(body.tile) == persona.workplace
            if at_work and not body.path:
                reached_work.add(name)
    assert slept_in_bed == set(sim.order), f"never slept in own bed: {set(sim.order) - slept_in_bed}"
    assert reached_work == set(sim.order), f"never reached work: {set(sim.order) - reached_work}"
    assert sim.errors == 0, sim.last_error
    session.close()
