"""An action names a place only where the agent is: every record says where each agent stands
and whether it is on its action's place, and the window shows the planned action (and its
place) only when it is; walking there it shows "going to <place>"."""

from __future__ import annotations

from sim_helpers import N25, routine_session

from engine.agent_api import HERE
from engine.records import AgentRecord
from game.scene import scene_from_record, shown_doing


def test_the_shown_action_and_place_agree_with_where_every_agent_stands(tmp_path):
    session = routine_session(tmp_path, "places", base=N25)
    sim, town = session.sim, session.sim.town
    records = []
    sim.add_listener(records.append)
    sim.run(720)  # 07:00 to 09:00: out of bed, to breakfast, to work
    kinds = set()
    for record in records:
        for agent, shown in zip(record.agents, scene_from_record(record).agents):
            assert agent.place == town.area_of(agent.tile_xy)
            kinds.add(agent.arrival)
            if shown.action == agent.action and agent.address not in (HERE, ""):
                assert agent.tile_xy in town.target_tiles(agent.address), (record.step, agent)
            else:
                assert shown.address in (agent.place, agent.address)
            if agent.arrival == "going":
                assert shown.action.startswith("going to ")
    assert {"going", "there"} <= kinds
    session.close()


def test_shown_doing_names_only_the_place_the_agent_is_in():
    cafe = "the Ville:Hobbs Cafe:cafe:cafe counter"
    bedroom = "the Ville:Abigail's apartment:bedroom"
    assert shown_doing("having lunch at Hobbs Cafe", cafe, bedroom, "going") == (
        "going to Hobbs Cafe", bedroom)
    assert shown_doing("serving customers", cafe, "the Ville:Hobbs Cafe:cafe", "going")[0] == (
        "going to cafe counter")
    assert shown_doing("serving customers", cafe, "the Ville:Hobbs Cafe:cafe", "near") == (
        "waiting for a free spot at cafe counter", "the Ville:Hobbs Cafe:cafe")
    assert shown_doing("having lunch", cafe, bedroom, "away") == (
        "cannot get to Hobbs Cafe", bedroom)
    assert shown_doing("serving customers", cafe, "the Ville:Hobbs Cafe:cafe", "there") == (
        "serving customers", cafe)
    assert shown_doing("chatting with Maria", HERE, bedroom, "") == ("chatting with Maria",
                                                                     bedroom)


def test_an_agent_record_keeps_its_place_and_arrival():
    record = AgentRecord("A", (1, 2), "down", "eating", "🍝", "w:s:a:o", False, None, False,
                         "w:s:a", "near")
    assert AgentRecord.from_state(record.to_state()) == record
    old = {k: v for k, v in record.to_state().items() if k not in ("place", "arrival")}
    assert AgentRecord.from_state(old).arrival == ""  # logs from before it was kept
