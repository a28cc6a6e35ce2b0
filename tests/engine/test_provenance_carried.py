"""Provenance travels with what a viewer sees: step records, conversation lines, replies, the
run log and saved bodies keep who made each action, line and answer; logs and saves written
before it was kept still read, as UNKNOWN."""

from __future__ import annotations

import pytest

from engine.agent_api import Action, Decision, Utterance
from engine.bodies import AgentBody, conversation_view_from_state, conversation_view_state
from engine.provenance import UNKNOWN, model_text, repaired, rule
from engine.records import AgentRecord, ConversationRecord, Reply, StepRecord
from engine.runlog import RunLog
from engine.runlog_reader import RunLogReader

MODEL = model_text("dialogue.turn.v4")


def _agent(**fields) -> AgentRecord:
    base = dict(name="Klaus Mueller", tile_xy=(1, 2), facing="down", action="reading",
                emoji="📖", address="the Ville:library", sleeping=False, said=None,
                thinking=False)
    return AgentRecord(**{**base, **fields})


def test_agent_records_keep_who_made_the_action_and_the_line():
    record = _agent(action_by=repaired("plan.decompose.v3"), said="Hello there, Maria.",
                    said_by=MODEL)
    assert AgentRecord.from_state(record.to_state()) == record
    silent = _agent(action_by=rule("sleep"))
    assert "say_by" not in silent.to_state()
    assert AgentRecord.from_state(silent.to_state()).said_by == UNKNOWN


def test_records_written_before_provenance_read_as_unknown():
    old = _agent().to_state()
    del old["by"]
    assert AgentRecord.from_state(old).action_by == UNKNOWN
    assert Reply.from_state(["Klaus Mueller", 3, "Fine.", 12]).by == UNKNOWN
    talk = ConversationRecord.from_state(
        {"id": 1, "participants": ["A B", "C D"], "lines": [["A B", "hi there you"]]})
    assert talk.lines[0].by == UNKNOWN


def test_replies_and_conversation_lines_round_trip_with_their_makers():
    reply = Reply("Klaus Mueller", 3, "I study sociology.", 12, MODEL)
    assert Reply.from_state(reply.to_state()) == reply
    lines = (Utterance("A B", "I am baking bread today.", rule("statement")),
             Utterance("C D", "That sounds lovely to me.", MODEL))
    talk = ConversationRecord(1, ("A B", "C D"), lines, "the Ville:Hobbs Cafe:cafe")
    assert ConversationRecord.from_state(talk.to_state()).lines == lines


@pytest.mark.parametrize("bad", [["only one"], ["a", "b", ["nonsense", "x"]], "text"])
def test_a_malformed_line_is_refused(bad):
    with pytest.raises(ValueError):
        Utterance.from_state(bad)


def test_decisions_and_bodies_keep_the_makers():
    decision = Decision(say="Hi there Maria.", say_by=MODEL, replies=((1, "Fine."), (2, "Yes.")),
                        reply_by=(MODEL, rule("fallback.interview")))
    back = Decision.from_state(decision.to_state())
    assert back == decision
    assert back.reply_provenance(1) == rule("fallback.interview")
    assert Decision(replies=((1, "x"),)).reply_provenance(0) == UNKNOWN
    body = AgentBody(name="A B", tile=(1, 1), said="Hi there Maria.", said_by=MODEL)
    assert AgentBody.from_state(body.to_state()).said_by == MODEL
    view = conversation_view_from_state({"id": 1, "participants": ["A B", "C D"], "place": "x",
                                         "lines": [["A B", "hello you two", list(MODEL.to_state())]]})
    assert conversation_view_from_state(conversation_view_state(view)) == view
    assert view.lines[0].by == MODEL


def test_the_run_log_keeps_provenance(tmp_path):
    path = tmp_path / "runlog.jsonl"
    log = RunLog(path)
    line = Utterance("Klaus Mueller", "Nice to meet you, Maria.", MODEL)
    steps = [
        StepRecord(0, "2023-02-13T07:00:00", (_agent(action_by=rule("interim")),)),
        StepRecord(1, "2023-02-13T07:00:10",
                   (_agent(action_by=rule("engine.chat"), said=line.text, said_by=MODEL),),
                   replies=(Reply("Klaus Mueller", 1, "I read.", 1, rule("fallback.x")),),
                   conversations=(ConversationRecord(4, ("Klaus Mueller", "Maria Lopez"),
                                                     (line,)),)),
        StepRecord(2, "2023-02-13T07:00:20", (_agent(action_by=rule("engine.chat")),)),
    ]
    for record in steps:
        log.append(record)
    log.close()
    with RunLogReader(path) as reader:
        back = list(reader.iter_records(0, 2))
    assert [r.agents[0].action_by for r in back] == [rule("interim"), rule("engine.chat"),
                                                     rule("engine.chat")]
    assert back[1].agents[0].said_by == MODEL and back[2].agents[0].said_by == UNKNOWN
    assert back[1].replies[0].by == rule("fallback.x")
    assert back[1].conversations[0].lines == (line,)


def test_engine_made_actions_say_so():
    from engine.world import idle_action

    assert idle_action("A B").by == rule("engine.idle")
    assert Action("x", "", "<here>", 1, ("a", "b", "c")).by == UNKNOWN
