"""Conversations at the mind level: turns, forced endings, summaries, and news spreading."""

from __future__ import annotations

import json
import re

from generative_helpers import (
    ISABELLA,
    KLAUS,
    MARIA,
    SMALL_TALK,
    brain,
    conversation,
    factory,
    percept,
    said_so_far,
)

from engine.agent_api import MessageKind, Reason, UserMessage
from engine.provenance import rule

T = "2023-02-13T12:00:00"
STATEMENT = rule("statement")  # a line the rules picked, said word for word


def talk(a, b, cid, step, max_lines=4, makers=None):
    """Alternate turns between minds `a` (initiator) and `b`; then end it for both (`makers`
    collects who made each line)."""
    lines = []
    speakers = [a, b]
    closing = {}
    for i in range(max_lines):
        mind = speakers[i % 2]
        view = conversation(cid, a.name, b.name, lines)
        d = mind.decide(
            percept(mind.name, T, (Reason.CONVERSATION_TURN,), step=step + i, conversation=view)
        )
        if d.say:
            lines.append((mind.name, d.say))
            if makers is not None:
                makers.append(d.say_by)
        if d.end_conversation:
            closing[mind.name] = d
            break
    done = conversation(cid, a.name, b.name, lines, ended=True)
    decisions = [
        m.decide(
            percept(
                m.name, T, (Reason.CONVERSATION_ENDED,), step=step + 20, finished_conversation=done
            )
        )
        for m in (a, b)
    ]
    # whoever closed the conversation re-planned on that turn; the other on the ENDED percept
    decisions = [closing.get(m.name) if d.action is None else d for m, d in zip((a, b), decisions)]
    return lines, [d for d in decisions if d is not None]


def mentions_party(mind) -> bool:
    return any("Valentine" in n.description for n in mind.memory.nodes)


def test_plumbing_news_spreads_as_the_rule_picked_statements():
    """Plumbing, not the model: the fake says back the statement the mind picked (see
    `turn_reply`), so this checks that the statement picker chooses the news, retells it with
    the right host, and the lines and memories carry it on; `rule:statement` says so."""
    model = brain()
    fac = factory(model)
    isabella, maria, klaus = fac.create(ISABELLA), fac.create(MARIA), fac.create(KLAUS)
    whisper = UserMessage(
        MessageKind.WHISPER,
        "You are hosting a Valentine's Day party at Hobbs Cafe on February 14th from 5pm",
        1,
    )
    isabella.decide(percept(ISABELLA.name, T, (Reason.USER,), user_messages=(whisper,)))
    assert mentions_party(isabella) and not mentions_party(maria)

    makers: list = []
    lines, decisions = talk(isabella, maria, cid=1, step=100, makers=makers)
    speaker, opening = lines[0]
    assert speaker == ISABELLA.name and "Valentine" in opening and makers[0] == STATEMENT
    assert re.search(r"\bI(?:'m| am) (?:hosting|throwing)", opening), opening  # her own party
    assert len(decisions) == 2 and all(d.action is not None for d in decisions)  # both re-plan
    assert mentions_party(maria) and not mentions_party(klaus)
    chat = next(n for n in maria.memory.nodes if n.kind == "chat")
    assert chat.filling[0] == (ISABELLA.name, opening)
    assert ISABELLA.name in maria.inspect()["relationships"]

    makers = []
    lines, _ = talk(maria, klaus, cid=2, step=300, makers=makers)
    speaker, retold = lines[0]
    assert speaker == MARIA.name and "Valentine" in retold and makers[0] == STATEMENT
    assert "Isabella" in retold, retold  # retold as Isabella's party ...
    assert not re.search(r"\bI(?:'m| am) (?:hosting|throwing)", retold), retold  # ... not Maria's
    assert mentions_party(klaus)


def test_forced_end_at_line_limit_and_summary_once():
    model = brain()
    fac = factory(model, max_conversation_lines=3)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=5, step=0, max_lines=10)
    assert len(lines) == 3
    # the one who ended it summarised on its own turn; the ENDED percept adds nothing new
    summaries = [r for r in model.calls if r.prompt_id == "dialogue.summary.v2"]
    assert sorted(r.agent for r in summaries) == sorted([ISABELLA.name, MARIA.name])
    assert a.state.chat_cooldown[MARIA.name] >= 800 and b.state.chat_cooldown[ISABELLA.name] >= 800
    assert len([n for n in a.memory.nodes if n.kind == "chat"]) == 1
    over = conversation(6, MARIA.name, ISABELLA.name, [(MARIA.name, "x")] * 3)
    d = a.decide(percept(ISABELLA.name, T, (Reason.CONVERSATION_TURN,), step=50, conversation=over))
    assert d.say is None and d.end_conversation


def test_turn_prompt_carries_relationship_after_first_meeting():
    model = brain()
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    talk(a, b, cid=1, step=0)
    talk(a, b, cid=2, step=900)
    turns = [
        r for r in model.calls if r.prompt_id == "dialogue.turn.v4" and r.agent == ISABELLA.name
    ]
    assert "Relationship with Maria Lopez: friendly acquaintances" in turns[-1].prompt
    assert "Relationship" not in turns[0].prompt


def test_a_secret_stays_out_of_the_turn_prompt():
    model = brain()
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    b.whisper("Maria Lopez secretly has a crush on Isabella Rodriguez", T)
    b.whisper("Maria Lopez is studying physics with Isabella Rodriguez", T)
    talk(a, b, cid=3, step=0)
    turns = [r for r in model.calls if r.prompt_id == "dialogue.turn.v4" and r.agent == MARIA.name]
    assert turns and all("crush" not in r.prompt for r in turns)
    assert "studying physics" in turns[0].prompt


def test_a_repeated_line_is_retried_once_then_the_speaker_says_its_statement():
    same = '{"utterance": "Hi Tom, how is your day going?", "end": false}'
    model = brain(**{"dialogue.turn.v4": same})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    b.whisper("You are studying physics for an exam on Friday", T)
    lines, _ = talk(a, b, cid=9, step=0, max_lines=6)
    # Maria's repeat is asked again once, then she says what she wanted to say; Isabella has
    # nothing to say (no memories), so her repeat, asked again once, closes the conversation
    assert lines == [(ISABELLA.name, "Hi Tom, how is your day going?"),
                     (MARIA.name, "I am studying physics for an exam on Friday")]
    turns = [r for r in model.calls if r.prompt_id == "dialogue.turn.v4"]
    assert [r.agent for r in turns] == [ISABELLA.name] + [MARIA.name] * 2 + [ISABELLA.name] * 2
    assert "do not repeat" in turns[-1].prompt and "do not repeat" not in turns[0].prompt
    assert 'Maria wants to say to Isabella: "I am studying physics' in turns[1].prompt
    for mind in (a, b):
        chats = [n for n in mind.memory.nodes if n.kind == "chat"]
        assert [len(c.filling) for c in chats] == [2]
    assert b.state.prompt_counts["dialogue.turn.v4"][2] == 1  # the statement counts as a fallback


def test_a_line_is_put_in_the_first_person_and_loses_a_speaker_prefix():
    model = brain(**{"dialogue.turn.v4": json.dumps(
        {"utterance": "Isabella Rodriguez: Isabella is baking scones for Isabella's cafe",
         "end": True})})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=8, step=0, max_lines=1)
    assert lines == [(ISABELLA.name, "I am baking scones for my cafe")]


def test_the_models_end_counts_from_the_second_line():
    model = brain(**{"dialogue.turn.v4": lambda r: json.dumps(
        {"utterance": SMALL_TALK[len(said_so_far(r))], "end": True})})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper("You are baking scones today", T)
    b.whisper("You are studying physics today", T)
    lines, _ = talk(a, b, cid=7, step=0, max_lines=6)
    assert [s for s, _ in lines] == [ISABELLA.name, MARIA.name]


def test_conversation_topic_comes_from_the_speakers_memories():
    model = brain()
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper("You are hosting a Valentine's Day party at Hobbs Cafe", T)
    talk(a, b, cid=3, step=0, max_lines=2)
    first = next(r for r in model.calls if r.prompt_id == "dialogue.turn.v4")
    statement = first.prompt.split("wants to say to Maria: ", 1)[1].splitlines()[0]
    assert statement == '"I am hosting a Valentine\'s Day party at Hobbs Cafe"'
    memories = first.prompt.split("remembers:\n", 1)[1]
    assert memories.startswith("- Isabella Rodriguez is hosting a Valentine's Day party")


def test_news_heard_in_a_conversation_is_passed_on_as_what_was_told():
    def say_statement(request):
        wants = request.prompt.split(" wants to say to ", 1)[-1]
        line = wants.split(': "', 1)[1].split('"')[0] if ': "' in wants else "Nice to see you."
        return json.dumps({"utterance": line, "end": False})

    model = brain(**{"dialogue.turn.v4": say_statement})
    fac = factory(model)
    isabella, maria, klaus = fac.create(ISABELLA), fac.create(MARIA), fac.create(KLAUS)
    isabella.whisper("You are hosting a Valentine's Day party at Hobbs Cafe", T)
    talk(isabella, maria, cid=1, step=0, max_lines=2)
    lines, _ = talk(maria, klaus, cid=2, step=900, max_lines=1)
    assert lines == [(MARIA.name, "Isabella is hosting a Valentine's Day party at Hobbs Cafe")]


def test_a_line_that_copies_the_instructions_is_never_said():
    def parrot(request):
        instruction = request.prompt.splitlines()[-2]
        return '{"utterance": "%s", "end": false}' % instruction.replace('"', "'")

    fac = factory(brain(**{"dialogue.turn.v4": parrot}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=4, step=0, max_lines=4)
    assert lines == []
    assert not [n for n in a.memory.nodes if n.kind == "chat" and n.filling]


def test_a_speaker_does_not_tell_the_same_partner_the_same_news_twice():
    def say_statement(request):
        wants = request.prompt.split(" wants to say to ", 1)[-1]
        line = wants.split(': "', 1)[1].split('"')[0] if ': "' in wants else "Nice to see you."
        return json.dumps({"utterance": line, "end": True})

    model = brain(**{"dialogue.turn.v4": say_statement})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper("You are hosting a Valentine's Day party at Hobbs Cafe", T)
    a.whisper("You are baking scones for the cafe", T)
    first, _ = talk(a, b, cid=1, step=0, max_lines=1)
    second, _ = talk(a, b, cid=2, step=900, max_lines=1)
    assert first[0][1] != second[0][1]
    assert {first[0][1], second[0][1]} == {
        "I am hosting a Valentine's Day party at Hobbs Cafe", "I am baking scones for the cafe"}
