"""Calls the generative mind saves where nothing is lost: decompositions a model cannot make,
sightings scored in batches, a fork's history scored with the first sightings."""

from __future__ import annotations

import json

from generative_helpers import ISABELLA, KLAUS, brain, event, factory, percept
from test_generative_mind import ids, run_day

from engine.agent_api import MessageKind, Reason, UserMessage

NAME = ISABELLA.name


def test_unusable_decompositions_stop_for_the_day_and_resume_the_next():
    """A model whose steps are all junk (replaced by the block's activity) is asked for two
    decompositions, then the blocks run undecomposed until the next day, which gives it one
    more try."""
    junk = json.dumps({"subtasks": [{"task": "1. 10:00:00", "minutes": 10}]})
    model = brain(**{"plan.decompose.v3": junk})
    mind = factory(model, decompose_probe=2).create(ISABELLA)
    run_day(mind, hours=14)
    asked = ids(model).count("plan.decompose.v3")
    assert asked == 2
    assert mind.state.decompositions == [2, 0]
    assert all(s.task != "1. 10:00:00" for s in mind.state.subtasks)
    restored = factory(model, decompose_probe=2).restore(ISABELLA, mind.to_state())
    assert restored.state.decompositions == [2, 0]
    # the next morning's plan lets the model try once more, then stops again
    mind.decide(percept(NAME, "2023-02-14T08:00:00", (Reason.ACTION_DONE,), step=20000))
    assert ids(model).count("plan.decompose.v3") == 3
    assert mind.state.decompositions == [2, 0]
    mind.decide(percept(NAME, "2023-02-14T09:00:00", (Reason.ACTION_DONE,), step=20360))
    assert ids(model).count("plan.decompose.v3") == 3


def test_useful_decompositions_keep_being_asked():
    model = brain()
    mind = factory(model).create(ISABELLA)
    run_day(mind, hours=14)
    asked, useful = mind.state.decompositions
    assert asked > 2 and useful == asked


def test_history_whispers_and_first_events_share_one_importance_call():
    """A fork's history comes with the first decision, next to what the agent first sees: both
    are scored in one batched call, and each stored memory has its own score."""
    def scores(request):
        return json.dumps([2, 6, 3, 5, 1, 7, 4, 8][: _items(request)])

    model = brain(**{"importance.batch.v2": scores})
    mind = factory(model).create(ISABELLA)
    history = (
        UserMessage(MessageKind.WHISPER, "You are planning a Valentine's Day party", 1),
        UserMessage(MessageKind.WHISPER, "You like Klaus", 2),
    )
    evs = (event(KLAUS.name, "Klaus Mueller is reading a book"),)
    mind.decide(percept(NAME, "2023-02-13T08:00:00", (Reason.START, Reason.USER),
                        events=evs, user_messages=history))  # fmt: skip
    assert [r.prompt_id for r in model.calls].count("importance.batch.v2") == 1
    stored = {n.description: n.importance for n in mind.memory.nodes}
    assert stored["Klaus Mueller is reading a book"] == 2
    assert stored["Isabella Rodriguez is planning a Valentine's Day party"] == 6
    assert stored["Isabella Rodriguez likes Klaus"] == 3


def _items(request) -> int:
    return sum(1 for line in request.prompt.splitlines() if line[:1].isdigit() and ". " in line)


def test_sightings_wait_for_a_batch_or_a_decision_that_needs_them():
    """Sightings wait until six unscored ones make a batch; a decision that recalls them (a
    conversation turn, a new day's plan) stores what is pending at once; they survive a save."""
    model = brain()
    fac = factory(model, importance_batch=6)
    mind = fac.create(ISABELLA)
    names = ["Klaus Mueller", "Maria Lopez", "Tom Moreno", "Sam Moore", "Eddy Lin", "Mei Lin"]
    for i, who in enumerate(names[:5]):
        evs = (event(who, f"{who} is reading"),)
        mind.decide(percept(NAME, f"2023-02-13T10:0{i}:00", (Reason.PERCEIVED,), step=6 * i,
                            events=evs))  # fmt: skip
    assert ids(model) == [] and not any(n.kind == "event" for n in mind.memory.nodes)
    restored = fac.restore(ISABELLA, mind.to_state())
    assert restored.state.pending_events == mind.state.pending_events
    evs = (event(names[5], f"{names[5]} is reading"),)
    mind.decide(percept(NAME, "2023-02-13T10:05:00", (Reason.PERCEIVED,), step=30, events=evs))
    assert ids(model) == ["importance.batch.v2"]
    stored = [n for n in mind.memory.nodes if n.kind == "event"]
    assert [n.description for n in stored] == [f"{who} is reading" for who in names]
    assert stored[0].created.isoformat() == "2023-02-13T10:00:00"
    # the day's first plan takes in what is pending without waiting
    restored.decide(percept(NAME, "2023-02-13T10:06:00", (Reason.START,), step=36))
    assert not restored.state.pending_events
    assert sum(n.kind == "event" for n in restored.memory.nodes) == 5


def test_by_default_one_unusable_decomposition_a_day_decides():
    junk = json.dumps({"subtasks": [{"task": "1. 10:00:00", "minutes": 10}]})
    model = brain(**{"plan.decompose.v3": junk})
    mind = factory(model).create(ISABELLA)
    run_day(mind, hours=14)
    assert ids(model).count("plan.decompose.v3") == 1
    mind.decide(percept(NAME, "2023-02-14T08:00:00", (Reason.ACTION_DONE,), step=20000))
    mind.decide(percept(NAME, "2023-02-14T09:00:00", (Reason.ACTION_DONE,), step=20360))
    assert ids(model).count("plan.decompose.v3") == 2  # one fresh try on the new day


def test_a_conversation_keeps_its_head_the_same_from_turn_to_turn():
    """dialogue.act.v1: the time the conversation began and the memories brought into it stay
    the same in every turn of the speaker's, the lines so far follow them, and the request says
    how much of the prompt (through the lines) the next turn starts with."""
    from generative_helpers import MARIA, conversation

    model = brain()
    fac = factory(model)
    isabella = fac.create(ISABELLA)
    lines: list[tuple[str, str]] = []
    for i, time in enumerate(("2023-02-13T12:00:00", "2023-02-13T12:00:20",
                              "2023-02-13T12:00:40")):  # fmt: skip
        view = conversation(7, NAME, MARIA.name, lines)
        decision = isabella.decide(percept(NAME, time, (Reason.CONVERSATION_TURN,),
                                           step=100 + 2 * i, conversation=view))  # fmt: skip
        lines += [(NAME, decision.say or "..."), (MARIA.name, f"Maria's answer {i}.")]
    turns = [r for r in model.calls if r.prompt_id == "dialogue.act.v1"]
    assert len(turns) >= 3
    assert all(r.keep > 0 for r in turns)
    # the first turn shows "(nobody has spoken yet ...)"; from the second on, each turn's
    # prompt starts with the previous one's kept part
    for earlier, later in zip(turns[1:], turns[2:]):
        assert later.prompt.startswith(earlier.prompt[: earlier.keep])
        assert earlier.prompt[: earlier.keep].endswith("Maria's answer 0.")  # the lines so far
    assert all("It is Monday February 13, 12:00." in r.prompt for r in turns)
    shown = {r.prompt.split("What Isabella remembers:")[1].split("Conversation so far:")[0]
             for r in turns}  # fmt: skip
    assert len(shown) == 1
    restored = fac.restore(ISABELLA, isabella.to_state())
    assert restored.state.conversation["memories"] == isabella.state.conversation["memories"]
