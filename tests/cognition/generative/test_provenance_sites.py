"""Each output of a mind says who made it: routine, interim and sleep are rules; a subtask the
model wrote is its text, one the parser replaced is repaired, the gated block is a skipped
call; a place is the ranker's or the model's choice; a line is the rule-picked statement or the
model's; a chat answer is the model's or the fallback; memories keep both makers."""

from __future__ import annotations

import json
import re

from generative_helpers import (
    ISABELLA,
    KLAUS,
    brain,
    conversation,
    event,
    factory,
    percept,
)

from cognition.generative import made
from cognition.llm.fakes import FailingModel
from cognition.routine import RoutineMindFactory
from engine.agent_api import MessageKind, Reason, UserMessage
from engine.provenance import Source, model_choice, model_text, repaired, rule

NAME = ISABELLA.name
DAY = "2023-02-13T"
CHAT = UserMessage(MessageKind.CHAT, "What are you doing today?", 1)


def test_the_routine_mind_marks_everything_a_rule():
    mind = RoutineMindFactory(3).create(ISABELLA)
    decision = mind.decide(percept(NAME, DAY + "09:00:00", (Reason.START, Reason.USER),
                                   user_messages=(CHAT,)))
    assert decision.action.by == rule("routine")
    assert decision.reply_by == (rule("routine.chat"),)
    turn = mind.decide(percept(NAME, DAY + "09:01:00", (Reason.CONVERSATION_TURN,), step=6,
                               conversation=conversation(1, NAME, KLAUS.name, [])))
    assert turn.say and turn.say_by == rule("routine.talk")


def test_interim_sleep_and_decomposed_subtasks():
    mind = factory(brain()).create(ISABELLA)
    stand_in = mind.interim(percept(NAME, DAY + "09:00:00", (Reason.START,)))
    assert stand_in.by == rule("interim")
    night = mind.decide(percept(NAME, DAY + "02:00:00", (Reason.START,)))
    assert night.action.by == rule("sleep")
    day = mind.decide(percept(NAME, DAY + "09:00:00", (Reason.ACTION_DONE,), step=10))
    assert day.action.by == model_text("plan.decompose.v3"), day.action
    assert set(mind.state.made[made.PLAN_HOURS]) == {str(model_choice("plan.day.v4"))}
    assert set(mind.state.made[made.PLAN_TEXT]) <= {"rule:routine", "rule:plan.intentions"}
    assert sum(mind.state.made[made.PLACE].values()) >= 1


def test_a_replaced_decomposition_is_repaired_then_skipped_by_the_gate():
    junk = json.dumps({"subtasks": [{"task": "Isabella Rodriguez", "minutes": 30},
                                    {"task": "1.1.1.1", "minutes": 30}]})
    mind = factory(brain(**{"plan.decompose.v3": junk})).create(ISABELLA)
    first = mind.decide(percept(NAME, DAY + "09:00:00", (Reason.START,)))
    assert first.action.by == repaired("plan.decompose.v3")
    later = mind.decide(percept(NAME, DAY + "13:00:00", (Reason.ACTION_DONE,), step=2000))
    assert later.action.by == rule("skipped.decompose")
    assert Source(later.action.by.source).by_model is False


def test_place_by_ranker_or_by_model_choice():
    mind = factory(brain()).create(ISABELLA)
    mind.decide(percept(NAME, DAY + "09:00:00", (Reason.START,)))
    mind.decide(percept(NAME, DAY + "19:00:00", (Reason.ACTION_DONE,), step=3600))
    places = mind.state.made[made.PLACE]
    assert set(places) <= {"rule:place.rank", "rule:place.fit", "choice:place.sector.v1",
                           "choice:place.arena.v1", "choice:place.object.v1"}, places
    asked = [r for r in mind.caller.model.calls if r.prompt_id.startswith("place.")]
    chosen = sum(n for k, n in places.items() if k.startswith("choice:"))
    assert chosen <= len(asked) and (chosen > 0) == bool(asked)


def _statement_echo(request) -> str:
    wanted = re.search(r'wants to say to \w+: "(.*)"', request.prompt)
    return json.dumps({"utterance": wanted.group(1) if wanted else "Hello, how is your day?",
                       "end": False})


def test_a_line_is_the_models_choice_its_text_or_a_rule():
    """dialogue.act.v1: the act the model chose (its choice), the line in its own words when it
    keeps the facts (dialogue.write.v1, its text), a failed choice covered by a rule."""
    def rewrite(request):
        line = request.prompt.split('would say: "', 1)[1].split('"\n', 1)[0]
        return json.dumps({"line": "Oh, it is lovely to see you here today. " + line})

    first = lambda r: json.dumps({"act": r.schema["properties"]["act"]["enum"][0]})  # noqa: E731
    cases = ((first, "", model_choice("dialogue.act.v1")),
             (first, rewrite, model_text("dialogue.write.v1")),
             (json.dumps({"act": "dance"}), "", rule("fallback.dialogue")))
    for act, write, expected in cases:
        routes = {"dialogue.act.v1": act} | ({"dialogue.write.v1": write} if write else {})
        mind = factory(brain(**routes)).create(ISABELLA)
        turn = mind.decide(percept(NAME, DAY + "12:00:10", (Reason.CONVERSATION_TURN,), step=2,
                                   conversation=conversation(1, NAME, KLAUS.name, [])))
        assert turn.say and turn.say_by == expected, (turn.say, turn.say_by)


def test_chat_answers_and_memories_say_who_made_them():
    mind = factory(brain()).create(ISABELLA)
    answered = mind.decide(percept(NAME, DAY + "10:00:00", (Reason.USER,), user_messages=(CHAT,),
                                   events=(event("the Ville:Hobbs Cafe:cafe:stove",
                                                 "stove is burning"),)))
    assert answered.reply_by == (model_choice("interview.choice.v1"),)
    nodes = mind.memory.nodes
    seen = next(n for n in nodes if n.kind == "event")
    assert seen.by == rule("perceive") and seen.importance_by == model_choice("importance.batch.v2")
    chat = next(n for n in nodes if n.kind == "chat")
    assert chat.by == model_choice("interview.choice.v1")
    failing = factory(FailingModel()).create(ISABELLA)
    lost = failing.decide(percept(NAME, DAY + "10:00:00", (Reason.USER,), user_messages=(CHAT,),
                                  events=(event("the Ville:Hobbs Cafe:cafe:stove",
                                                "stove is burning"),)))
    assert lost.reply_by == (rule("fallback.interview"),)
    seen = next(n for n in failing.memory.nodes if n.kind == "event")
    assert seen.importance_by == rule("importance.failsafe")


def test_the_tally_and_the_subtasks_makers_survive_a_save():
    from cognition.generative.state import MindState

    mind = factory(brain()).create(ISABELLA)
    mind.decide(percept(NAME, DAY + "09:00:00", (Reason.START,)))
    back = MindState.from_state(json.loads(json.dumps(mind.state.to_state())))
    assert back.made == mind.state.made and back.made
    assert back.subtasks == mind.state.subtasks
    assert {s.by for s in back.subtasks} == {model_text("plan.decompose.v3")}
