"""Same seed, same world: inline vs thread pool, and save/load vs an uninterrupted run."""

from __future__ import annotations

import pytest
from sim_helpers import N25, routine_session

from engine.dispatcher import ThreadPoolDispatcher


@pytest.mark.slow
def test_inline_and_thread_pool_give_the_same_world_after_2000_steps(tmp_path):
    inline = routine_session(tmp_path / "a", "inline", base=N25)
    pooled = routine_session(tmp_path / "b", "pooled", base=N25,
                             dispatcher=ThreadPoolDispatcher(4))
    # Start mid-morning of the routine so agents walk, use objects and meet.
    inline.sim.run(2000)
    pooled.sim.run(2000)
    assert inline.sim.world_hash() == pooled.sim.world_hash()
    inline.close()
    pooled.close()


def test_two_inline_runs_with_the_same_seed_match(tmp_path):
    one = routine_session(tmp_path / "a", "one")
    two = routine_session(tmp_path / "b", "two")
    one.sim.run(300)
    two.sim.run(300)
    assert one.sim.world_hash() == two.sim.world_hash()


@pytest.mark.slow
def test_save_at_1000_then_load_and_continue_equals_2000_uninterrupted(tmp_path):
    straight = routine_session(tmp_path / "a", "straight", base=N25)
    straight.sim.run(2000)

    first = routine_session(tmp_path / "b", "halves", base=N25)
    first.sim.run(1000)
    first.save()
    first.close()
    second = routine_session(tmp_path / "b", "halves", base=N25, load=True)
    assert second.sim.step == 1000
    second.sim.run(1000)
    assert second.sim.world_hash() == straight.sim.world_hash()
    second.close()
    straight.close()


def test_world_hash_changes_as_the_town_moves(tmp_path):
    session = routine_session(tmp_path, "moving")
    before = session.sim.world_hash()
    session.sim.run(10)
    assert session.sim.world_hash() != before
