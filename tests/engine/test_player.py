"""The player: a body without a mind, walked and voiced by user commands at step boundaries,
seen by the agents, in the step records, saved with the town, and left out on request."""

from __future__ import annotations

import json

import pytest

from cognition.routine import RoutineMindFactory
from engine.dispatcher import InlineDispatcher
from engine.errors import UserError
from engine.persistence import SaveStore
from engine.player import GIVE_UP, PLAYER_TURN_STEPS, Player
from engine.session import open_session
from engine.simulation import SimSettings
from tests.engine.sim_helpers import N3

ME = Player("Alex Visitor", "visitor_teal")
KLAUS = "Klaus Mueller"


def _session(root, name="p", load=False, player=ME, no_player=False):
    store = SaveStore(saves_root=root / "saves")
    seed = store.read_base(N3).meta.seed
    return open_session(store, fork=None if load else N3, load=name if load else None,
                        name=name, factory=RoutineMindFactory(seed), dispatcher=InlineDispatcher(),
                        settings=SimSettings(), player=player, no_player=no_player)


def _beside(sim, agent):
    """Put the player on a free walkable tile next to `agent` (a test's teleport)."""
    body = sim.bodies[ME.name]
    x, y = sim.bodies[agent].tile
    taken = {b.tile for b in sim.bodies.values()}
    for tile in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
        if sim.town.is_walkable(tile) and tile not in taken:
            body.tile = tile
            return tile
    raise AssertionError("no free tile beside the agent")


def test_the_player_walks_one_tile_per_step_and_is_in_the_records(tmp_path):
    session = _session(tmp_path)
    sim = session.sim
    assert ME.name in sim.bodies and ME.name not in sim.minds  # a body without a mind
    start = sim.bodies[ME.name].tile
    dx = 1 if sim.town.is_walkable((start[0] + 1, start[1])) else -1
    sim.player_desk.move(dx, 0)
    sim.player_desk.move(dx, 0)
    sim.run(1)
    assert sim.bodies[ME.name].tile == (start[0] + dx, start[1])  # one queued move a step
    record = sim.last_record
    me = record.agent(ME.name)
    assert me.tile_xy == sim.bodies[ME.name].tile and me.action == "visiting the town"
    assert me.action_by.via == "engine.player"
    session.close()


def test_agents_perceive_the_player_as_they_perceive_each_other(tmp_path):
    from engine import perception

    session = _session(tmp_path)
    sim = session.sim
    sim.run(1)
    _beside(sim, KLAUS)
    seen = perception.nearby_agents(sim.town, sim.bodies[KLAUS], sim.personas[KLAUS], sim.bodies)
    assert ME.name in [v.name for v in seen]
    events = perception.perceive(sim.town, sim.bodies[KLAUS], sim.personas[KLAUS], sim.bodies, {})
    assert any(e.subject == ME.name and e.is_agent for e in events)
    session.close()


def test_a_typed_line_opens_a_talk_and_the_partner_gives_up_politely(tmp_path):
    session = _session(tmp_path)
    sim = session.sim
    sim.run(400)  # everyone awake and about
    _beside(sim, KLAUS)
    sim.bodies[KLAUS].path = []
    sim.player_desk.say("Hello Klaus!", to=KLAUS)
    records = []
    sim.add_listener(records.append)
    sim.run(1)
    talk = [c for c in records[-1].conversations if ME.name in c.participants]
    if not talk:  # Klaus could not talk now (busy): the engine says so, nothing breaks
        pytest.skip(f"Klaus was not free: {sim.last_error}")
    assert talk[0].lines[0].text == "Hello Klaus!" and talk[0].lines[0].by.via == "player"
    sim.run(PLAYER_TURN_STEPS + 40)  # Klaus answers, then waits for the player in vain
    ended = [e for r in records for e in r.events if e.kind == "conversation_ended"
             and ME.name in e.agents]
    assert ended, "the talk never ended"
    assert sim.bodies[ME.name].conversation_id is None
    assert sim.bodies[ME.name].action.description == "visiting the town"
    assert ended[0].text == GIVE_UP  # the player did not answer for 3 game minutes
    said = [r.agent(KLAUS) for r in records if r.agent(KLAUS).said == GIVE_UP]
    assert said and said[0].said_by.via == "engine.player_timeout"
    session.close()


def test_the_player_round_trips_with_the_save_and_meta(tmp_path):
    session = _session(tmp_path)
    session.sim.player_desk.move(0, 1)
    session.sim.run(5)
    before = session.sim.world_hash()
    path = session.save()
    session.close()
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert meta["extra"]["player"] == ME.to_state()
    world = json.loads((path / "world.json").read_text(encoding="utf-8"))
    assert world["player"]["name"] == ME.name
    again = _session(tmp_path, load=True, player=None)  # the saved player comes back
    assert again.sim.world.player == ME and again.sim.world_hash() == before
    again.close()
    left = _session(tmp_path, load=True, no_player=True)  # --no-player leaves it out
    assert left.sim.world.player is None and ME.name not in left.sim.bodies
    left.close()


def test_a_bad_player_entry_is_one_user_error(tmp_path):
    session = _session(tmp_path)
    path = session.save()
    session.close()
    world = json.loads((path / "world.json").read_text(encoding="utf-8"))
    world["player"]["name"] = 7
    (path / "world.json").write_text(json.dumps(world), encoding="utf-8")
    with pytest.raises(UserError) as err:
        _session(tmp_path, load=True, player=None)
    assert "player" in str(err.value) and "\n" not in str(err.value)


def test_a_player_named_like_an_agent_is_refused(tmp_path):
    with pytest.raises(UserError, match="player"):
        _session(tmp_path, player=Player(KLAUS, "abigail_chen"))


def test_no_player_by_default_headless(tmp_path):
    session = _session(tmp_path, player=None)
    assert session.sim.world.player is None and set(session.sim.bodies) == set(session.sim.order)
    session.close()


def test_the_default_sprite_is_a_visitor_look_no_agent_wears(monkeypatch):
    from engine import player

    monkeypatch.setattr(player, "sheets", lambda: ["abigail_chen", "klaus_mueller",
                                                   "visitor_rose", "visitor_teal"])
    assert player.choose_sprite("", {"klaus_mueller"}) == "visitor_teal"
    assert player.choose_sprite("", {"visitor_teal"}) == "visitor_rose"
    assert player.choose_sprite("", {"visitor_teal", "visitor_rose"}) == "abigail_chen"
    assert player.choose_sprite("klaus_mueller", {"klaus_mueller"}) == "klaus_mueller"  # asked
    with pytest.raises(UserError, match="no sprite sheet 'x'"):
        player.choose_sprite("x", set())
