"""Every finished step yields a frozen record; the run log is written from those records."""

from __future__ import annotations

import dataclasses

import pytest
from sim_helpers import routine_session

from engine.agent_api import HERE, Action, MessageKind
from engine.bodies import AgentBody
from engine.perception import nearby_agents
from engine.records import ConversationRecord, EventKind, StepRecord
from engine.runlog import read_runlog


def test_action_sleeping_round_trips():
    action = Action("sleeping", "😴", HERE, 60, ("A", "is", "sleeping"), sleeping=True)
    assert Action.from_state(action.to_state()) == action
    assert Action.from_state({**action.to_state(), "sleeping": False}).sleeping is False
    legacy = {k: v for k, v in action.to_state().items() if k != "sleeping"}
    assert Action.from_state(legacy).sleeping is False


def test_each_step_yields_a_frozen_record_matching_the_world(tmp_path):
    session = routine_session(tmp_path, "records")
    sim = session.sim
    seen: list[StepRecord] = []
    sim.add_listener(seen.append)
    sim.submit_message(sim.order[0], MessageKind.WHISPER, "the party is at five")
    sim.run(40)
    assert [r.step for r in seen] == list(range(40))
    last = sim.last_record
    assert last is seen[-1] and last.step == sim.step - 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        last.step = 3  # type: ignore[misc]
    for name in sim.order:
        agent = last.agent(name)
        body = sim.bodies[name]
        assert agent.tile_xy == body.tile and agent.facing == body.facing
        assert agent.action == (body.action.description if body.action else "")
        assert agent.sleeping == body.is_sleeping()
    assert [a.name for a in last.agents] == sorted(sim.order)
    user_events = [e for r in seen for e in r.events if e.kind is EventKind.USER_MESSAGE]
    assert [(e.agents, e.text, e.detail) for e in user_events] == [
        ((sim.order[0],), "the party is at five", "whisper")
    ]
    for record in seen:
        assert StepRecord.from_state(record.to_state()) == record
    session.close()


def test_conversations_show_in_records_and_the_run_log_follows_them(tmp_path):
    session = routine_session(tmp_path, "talks")
    sim = session.sim
    seen: list[StepRecord] = []
    sim.add_listener(seen.append)
    sim.run(600)
    kinds = [e.kind for r in seen for e in r.events]
    assert EventKind.CONVERSATION_STARTED in kinds and EventKind.CONVERSATION_ENDED in kinds
    talking = [r for r in seen if r.conversations]
    assert talking and all(len(c.participants) == 2 for r in talking for c in r.conversations)
    held = [c for r in talking for c in r.conversations]  # where: for the window's Talk panel
    assert all(c.place.count(":") == 2 and ConversationRecord.from_state(c.to_state()) == c
               for c in held)
    older = {k: v for k, v in held[0].to_state().items() if k != "place"}  # older run logs
    assert ConversationRecord.from_state(older).place == ""
    ended = [(r.step, e) for r in seen for e in r.events if e.kind is EventKind.CONVERSATION_ENDED]
    step, last = ended[-1]  # both sides carry when they last talked, seen by the others
    assert all(sim.bodies[name].last_talk_step == step for name in last.agents)
    listener = next(n for n in sim.order if n not in last.agents)
    assert all(AgentBody.from_state(b.to_state()).last_talk_step == b.last_talk_step
               for b in sim.bodies.values())
    sim.bodies[listener].tile = sim.bodies[last.agents[0]].tile
    views = nearby_agents(sim.town, sim.bodies[listener], sim.personas[listener], sim.bodies)
    assert {v.name: v.last_talk_step for v in views}[last.agents[0]] == step
    spoken = {(a.name, a.said) for r in seen for a in r.agents if a.said}
    assert spoken
    sim.runlog.flush()
    logged = {(n, v["say"]) for line in read_runlog(session.loaded.runlog_path)
              for n, v in line["agents"].items() if v.get("say")}
    assert logged == spoken
    # the run log's latest view of each agent is that agent's latest record
    latest: dict[str, dict] = {}
    for line in read_runlog(session.loaded.runlog_path):
        for name, view in line["agents"].items():
            latest.setdefault(name, {}).update({k: v for k, v in view.items() if k != "say"})
    for agent in seen[-1].agents:
        assert latest[agent.name]["xy"] == list(agent.tile_xy)
        assert latest[agent.name]["action"] == agent.action
    session.close()
