"""Conversations at the mind level: turns, forced endings, summaries, and news spreading."""

from __future__ import annotations

from generative_helpers import (
    ISABELLA,
    KLAUS,
    MARIA,
    PARTY_LINE,
    brain,
    conversation,
    factory,
    percept,
)

from engine.agent_api import MessageKind, Reason, UserMessage

T = "2023-02-13T12:00:00"


def talk(a, b, cid, step, max_lines=4):
    """Alternate turns between minds `a` (initiator) and `b`; then end it for both."""
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


def test_information_spreads_through_conversations():
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

    lines, decisions = talk(isabella, maria, cid=1, step=100)
    assert lines[0] == (ISABELLA.name, PARTY_LINE)
    assert len(decisions) == 2 and all(d.action is not None for d in decisions)  # both re-plan
    assert mentions_party(maria) and not mentions_party(klaus)
    chat = next(n for n in maria.memory.nodes if n.kind == "chat")
    assert chat.filling[0] == (ISABELLA.name, PARTY_LINE)
    assert ISABELLA.name in maria.inspect()["relationships"]

    lines, _ = talk(maria, klaus, cid=2, step=300)
    assert lines[0] == (MARIA.name, PARTY_LINE)
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
        r for r in model.calls if r.prompt_id == "dialogue.turn.v2" and r.agent == ISABELLA.name
    ]
    assert "Relationship with Maria Lopez: friendly acquaintances" in turns[-1].prompt
    assert "Relationship" not in turns[0].prompt


def test_a_repeated_line_is_retried_once_then_the_conversation_closes_unsaid():
    same = '{"utterance": "Hi Tom, how is your day going?", "end": false}'
    model = brain(**{"dialogue.turn.v2": same})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=9, step=0, max_lines=6)
    assert lines == [(ISABELLA.name, "Hi Tom, how is your day going?")]
    turns = [r for r in model.calls if r.prompt_id == "dialogue.turn.v2"]
    assert [r.agent for r in turns] == [ISABELLA.name, MARIA.name, MARIA.name]  # one retry
    assert "do not repeat" in turns[-1].prompt
    for mind in (a, b):
        chats = [n for n in mind.memory.nodes if n.kind == "chat"]
        assert [len(c.filling) for c in chats] == [1]


def test_conversation_topic_comes_from_the_speakers_memories():
    model = brain()
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper("You are hosting a Valentine's Day party at Hobbs Cafe", T)
    talk(a, b, cid=3, step=0, max_lines=2)
    first = next(r for r in model.calls if r.prompt_id == "dialogue.turn.v2")
    topic = first.prompt.split("wants to talk about: ", 1)[1].splitlines()[0]
    assert "Valentine's Day party" in topic
    memories = first.prompt.split("remembers:\n", 1)[1]
    assert memories.startswith(f"- {topic}")  # the topic memory is listed first


def test_a_line_that_copies_the_instructions_is_never_said():
    def parrot(request):
        instruction = request.prompt.splitlines()[-2]
        return '{"utterance": "%s", "end": false}' % instruction.replace('"', "'")

    fac = factory(brain(**{"dialogue.turn.v2": parrot}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=4, step=0, max_lines=4)
    assert lines == []
    assert not [n for n in a.memory.nodes if n.kind == "chat" and n.filling]
