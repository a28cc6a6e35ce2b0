"""Conversations at the mind level, with scripted models (plumbing: the fake chooses the acts):
the act structure, forced endings, summaries, invitations becoming commitments, news passed on
with its source, secrets kept out of the prompt."""

from __future__ import annotations

import json

from generative_helpers import ISABELLA, KLAUS, MARIA, brain, conversation, factory, percept

from engine.agent_api import Reason
from engine.provenance import Source

T = "2023-02-13T12:00:00"
PARTY = "You are hosting a Valentine's Day party at Hobbs Cafe on February 14th from 5pm to 7pm"


def talk(a, b, cid, step, max_lines=8, time=T):
    """Alternate turns between minds `a` (initiator) and `b`; then end it for both."""
    lines, closing, provenance = [], {}, []
    speakers = [a, b]
    for i in range(max_lines):
        mind = speakers[i % 2]
        view = conversation(cid, a.name, b.name, lines)
        d = mind.decide(percept(mind.name, time, (Reason.CONVERSATION_TURN,), step=step + i,
                                conversation=view))  # fmt: skip
        if d.say:
            lines.append((mind.name, d.say))
            provenance.append(mind.state.line_by)
        if d.end_conversation:
            closing[mind.name] = d
            break
    done = conversation(cid, a.name, b.name, lines, ended=True)
    decisions = [m.decide(percept(m.name, time, (Reason.CONVERSATION_ENDED,), step=step + 20,
                                  finished_conversation=done)) for m in (a, b)]  # fmt: skip
    decisions = [closing.get(m.name) if d.action is None else d for m, d in zip((a, b), decisions)]
    talk.provenance = provenance
    return lines, [d for d in decisions if d is not None]


def choose(*kinds):
    """A fake that picks the first offered act starting with one of `kinds` (else the first)."""
    def reply(request):
        offered = request.schema["properties"]["act"]["enum"]
        pick = next((o for k in kinds for o in offered if o.startswith(k)), offered[0])
        return json.dumps({"act": pick})
    return reply


def test_dialogue_plumbing_opens_with_a_greeting_and_answers_questions():
    fac = factory(brain(**{"dialogue.act.v1": choose("ask what", "ask about", "say goodbye")}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, decisions = talk(a, b, cid=1, step=100)
    assert lines[0] == (ISABELLA.name,
                        "Good afternoon, Maria! What are you up to right now?")
    assert lines[1][1].startswith("Hi Isabella! Right now I'm ")  # the answer, from her plan
    assert lines[1][1].endswith("What are you up to right now?")
    assert "Right now I'm" in lines[2][1] and "What are your plans for later?" in lines[2][1]
    assert len(decisions) == 2 and all(d.action is not None for d in decisions)  # both re-plan
    assert all(p.source is Source.MODEL_CHOICE and p.via == "dialogue.act.v1"
               for p in talk.provenance[:3])
    said = [text for _, text in lines]
    assert not any("I am a" in s or "Lifestyle" in s for s in said)  # no persona read out


def test_dialogue_plumbing_goodbye_ends_it():
    fac = factory(brain(**{"dialogue.act.v1": choose("say goodbye")}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=2, step=0)
    # no goodbye is offered before two lines were said
    assert [s for s, _ in lines] == [ISABELLA.name, MARIA.name, ISABELLA.name]
    assert lines[-1][1].endswith("It was nice talking to you, Maria. See you!")


def test_dialogue_plumbing_wraps_up_at_the_line_limit_and_summarises_once():
    model = brain(**{"dialogue.act.v1": choose("ask")})
    fac = factory(model, max_conversation_lines=3)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=5, step=0, max_lines=10)
    assert len(lines) == 3 and "See you" in lines[-1][1]  # the last line says goodbye
    assert talk.provenance[-1].source is Source.RULE
    assert talk.provenance[-1].via == "dialogue.wrap_up"
    summaries = [r for r in model.calls if r.prompt_id == "dialogue.summary.v2"]
    assert sorted(r.agent for r in summaries) == sorted([ISABELLA.name, MARIA.name])
    assert a.state.chat_cooldown[MARIA.name] >= 800 and b.state.chat_cooldown[ISABELLA.name] >= 800
    over = conversation(6, MARIA.name, ISABELLA.name, [(MARIA.name, "x")] * 3)
    d = a.decide(percept(ISABELLA.name, T, (Reason.CONVERSATION_TURN,), step=50, conversation=over))
    assert d.say is None and d.end_conversation


def test_dialogue_plumbing_an_invitation_is_accepted_and_kept_as_a_commitment():
    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "accept", "say goodbye")}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper(PARTY, T)
    lines, _ = talk(a, b, cid=3, step=0)
    assert lines[0][1] == ("Good afternoon, Maria! I'm hosting the Valentine's Day party at Hobbs "
                           "Cafe on February 14th, from 5 pm to 7 pm. Would you like to come?")
    assert lines[1][1] == ("Hi Isabella! I'd love to come to the Valentine's Day party! "
                           "See you there.")
    (kept,) = b.state.commitments
    assert (kept.date, kept.start_min, kept.end_min, kept.place) == ("2023-02-14", 1020, 1140,
                                                                     "Hobbs Cafe")
    assert kept.going == "yes" and kept.by.source is Source.MODEL_CHOICE
    assert kept.host == "Isabella Rodriguez" or kept.host == "Isabella"


def test_dialogue_plumbing_a_declined_invitation_is_kept_as_no():
    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "decline", "say goodbye")}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper(PARTY, T)
    lines, _ = talk(a, b, cid=3, step=0)
    assert "can't make it to the Valentine's Day party" in lines[1][1]
    assert b.state.commitments[0].going == "no"


def test_dialogue_plumbing_news_is_passed_on_with_its_source():
    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "accept", "say goodbye")}))
    isabella, maria, klaus = fac.create(ISABELLA), fac.create(MARIA), fac.create(KLAUS)
    isabella.whisper(PARTY, T)
    talk(isabella, maria, cid=1, step=0)
    lines, _ = talk(maria, klaus, cid=2, step=900, time="2023-02-13T13:00:00")
    assert lines[0][1].startswith("Good afternoon, Klaus! Isabella is hosting the Valentine's Day "
                                  "party at Hobbs Cafe on February 14th")
    assert klaus.state.commitments[0].going == "yes"
    assert klaus.state.commitments[0].source == MARIA.name
    # Maria does not invite Klaus again in their next conversation
    again, _ = talk(maria, klaus, cid=4, step=1900, time="2023-02-13T14:00:00")
    assert "Valentine" not in again[0][1]


def test_dialogue_plumbing_a_secret_stays_out_of_the_prompt():
    model = brain(**{"dialogue.act.v1": choose("ask")})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    b.whisper("Maria Lopez secretly has a crush on Isabella Rodriguez", T)
    b.whisper("Maria Lopez is studying physics with Isabella Rodriguez", T)
    lines, _ = talk(a, b, cid=3, step=0)
    turns = [r for r in model.calls if r.prompt_id == "dialogue.act.v1" and r.agent == MARIA.name]
    assert turns and all("crush" not in r.prompt for r in turns)
    assert "studying physics" in turns[0].prompt
    assert not any("crush" in text for _, text in lines)


def test_dialogue_plumbing_prompt_carries_relationship_after_first_meeting():
    model = brain()
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    talk(a, b, cid=1, step=0)
    talk(a, b, cid=2, step=900)
    turns = [r for r in model.calls
             if r.prompt_id == "dialogue.act.v1" and r.agent == ISABELLA.name]
    assert "Relationship with Maria Lopez: friendly acquaintances" in turns[-1].prompt
    assert "Relationship" not in turns[0].prompt


def test_dialogue_plumbing_an_unreadable_choice_falls_back_to_a_rule():
    fac = factory(brain(**{"dialogue.act.v1": json.dumps({"act": "dance"})}))
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=3, step=0)
    assert lines and talk.provenance[0].source is Source.RULE
    assert talk.provenance[0].via == "fallback.dialogue"


def test_dialogue_plumbing_a_model_that_keeps_the_facts_writes_its_own_lines():
    def rewrite(request):  # a scripted "capable" model: the same facts, other words
        line = request.prompt.split('would say: "', 1)[1].split('"\n', 1)[0]
        return json.dumps({"line": "Oh, it is lovely to see you here today. " + line})

    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "accept", "say goodbye"),
                           "dialogue.write.v1": rewrite}))  # fmt: skip
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    a.whisper(PARTY, T)
    lines, _ = talk(a, b, cid=3, step=0)
    assert lines[0][1].startswith("Oh, it is lovely to see you here today. Good afternoon, Maria!")
    assert talk.provenance[0].source is Source.MODEL_TEXT
    assert a.state.writing[1] >= 1  # (its same opening sentence each time is a repeat later)
    assert b.state.commitments[0].going == "yes"  # the written invitation still reads as one


def test_dialogue_plumbing_a_model_that_drops_facts_is_not_asked_after_its_probe():
    model = brain(**{"dialogue.act.v1": choose("ask"),
                     "dialogue.write.v1": json.dumps({"line": "Hello there, how are you?"})})
    fac = factory(model)
    a, b = fac.create(ISABELLA), fac.create(MARIA)
    lines, _ = talk(a, b, cid=3, step=0)
    assert lines[0][1] == "Good afternoon, Maria! What are you up to right now?"
    writes = [r for r in model.calls if r.prompt_id == "dialogue.write.v1"]
    assert sum(r.agent == ISABELLA.name for r in writes) == 3  # the probe, then no more
    assert a.state.writing == [3, 0]
    assert all(p.source is not Source.MODEL_TEXT for p in talk.provenance)


def test_dialogue_plumbing_what_someone_said_they_do_is_quoted_with_its_source():
    fac = factory(brain(**{"dialogue.act.v1": choose("tell", "ask", "say goodbye")}))
    isabella, maria, klaus = fac.create(ISABELLA), fac.create(MARIA), fac.create(KLAUS)
    talk(klaus, isabella, cid=1, step=0)  # Klaus answers what he is doing, in the first person
    klaus_said = [t for n in isabella.memory.nodes if n.kind == "chat"
                  for s, t in n.filling if s == KLAUS.name]
    assert any("I'm" in t for t in klaus_said)
    lines, _ = talk(isabella, maria, cid=2, step=900, time="2023-02-13T13:00:00")
    told = [t for s, t in lines if s == ISABELLA.name and 'Klaus told me: "I' in t]
    assert told, lines
    assert not any("didn" in t for t in told)


def test_news_in_a_line_is_what_its_speaker_does_or_quotes_someone_saying():
    from datetime import datetime

    from cognition.generative.talk import heard

    when = datetime(2023, 2, 13, 12, 0)
    assert heard("Lately I've been writing a research paper. See you!", KLAUS.name, when) == [
        ("Klaus", "I've been writing a research paper.")]
    second_hand = 'Oh, really? Maria told me: "I\'ve been keeping up with my physics coursework."'
    assert heard(second_hand, KLAUS.name, when) == [
        ("Maria", "I've been keeping up with my physics coursework.")]
    assert heard("I'm hosting a party at Hobbs Cafe on February 14th from 5 pm to 7 pm.",
                 ISABELLA.name, when) == []  # a dated event: the invitation carries it
    assert heard("Right now I'm serving customers at the counter.", ISABELLA.name, when) == []


def test_dialogue_plumbing_news_the_listener_heard_first_hand_is_met_as_known():
    fac = factory(brain(**{"dialogue.act.v1": choose("tell", "ask", "say goodbye")}))
    isabella, maria, klaus = fac.create(ISABELLA), fac.create(MARIA), fac.create(KLAUS)
    talk(klaus, isabella, cid=1, step=0)  # both hear what Klaus says he does, first-hand
    talk(klaus, maria, cid=2, step=400)
    lines, _ = talk(isabella, maria, cid=3, step=900, time="2023-02-13T13:00:00")
    told = next(i for i, (s, t) in enumerate(lines) if 'Klaus told me: "' in t)
    assert "Yes, I heard about that too." in lines[told + 1][1], lines


def test_lately_says_a_currently_with_no_activity_in_the_first_person_and_it_is_news():
    from datetime import datetime

    from cognition.generative.talk import heard, lately

    said = lately("Sam Moore has decided to run for mayor of the Ville and is telling his "
                  "neighbours about his ideas.", "Sam Moore")
    assert said == ("Lately I have decided to run for mayor of the Ville and am telling my "
                    "neighbours about my ideas.")
    assert heard(said, "Sam Moore", datetime(2023, 2, 13, 9)) == [("Sam", said[7:])]
    assert lately("The Ville is a quiet town.", "Sam Moore") == ""


def test_dialogue_plumbing_the_answer_names_the_action_the_talk_paused_not_an_older_one():
    from engine.agent_api import Action

    fac = factory(brain(**{"dialogue.act.v1": choose("say goodbye", "ask")}))
    maria = fac.create(MARIA)
    maria.state.action = Action("taking a shower", "", "the Ville:Dorm:bathroom:shower", 15,
                                (MARIA.name, "is", "showering"))  # decided before; now stale
    asked = [(ISABELLA.name, "Good morning, Maria! What are you up to right now?")]
    d = maria.decide(percept(MARIA.name, T, (Reason.CONVERSATION_TURN,), step=5,
                             conversation=conversation(4, ISABELLA.name, MARIA.name, asked),
                             talk_paused="having breakfast at Hobbs Cafe"))  # fmt: skip
    assert d.say.startswith("Hi Isabella! Right now I'm having breakfast at Hobbs Cafe."), d.say


def test_dialogue_plumbing_an_invitation_already_answered_is_not_decided_again():
    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "accept", "say goodbye")}))
    isabella, maria = fac.create(ISABELLA), fac.create(MARIA)
    isabella.whisper(PARTY, T)
    talk(isabella, maria, cid=1, step=0)
    (party,) = maria.state.commitments
    assert party.going == "yes"
    # at the party, Klaus invites her again; a model that would now decline is not asked to
    fac2 = factory(brain(**{"dialogue.act.v1": choose("decline", "ask")}))
    again = fac2.restore(MARIA, maria.to_state())
    asked = [(KLAUS.name, "Good evening, Maria! Isabella is hosting the Valentine's Day party at "
              "Hobbs Cafe on February 14th, from 5 pm to 7 pm. Would you like to come too?")]
    d = again.decide(percept(MARIA.name, "2023-02-14T17:20:00", (Reason.CONVERSATION_TURN,),
                             step=5000, conversation=conversation(7, KLAUS.name, MARIA.name,
                                                                  asked)))  # fmt: skip
    assert d.say.startswith("Hi Klaus! Thanks, I'm already going!"), d.say
    assert [c.going for c in again.state.commitments] == ["yes"]


def test_news_just_quoted_by_the_partner_is_not_quoted_back():
    from datetime import datetime

    from cognition.generative import talk as acts
    from cognition.memory.node import NodeKind

    maria = factory(brain()).create(MARIA)
    when = datetime(2023, 2, 13, 12, 0)
    quote = '"I\'ve been studying mathematical patterns in plants."'
    maria.ctx.memory.add(NodeKind.CHAT, "conversation with Rajiv", when, 3,
                         triple=(MARIA.name, "chat with", "Rajiv Patel"),
                         filling=[("Rajiv Patel", f"Hi Maria! Giorgio told me: {quote}")])
    fresh = acts.options(maria.ctx, KLAUS.name, when, [], None)
    assert [o.text for o in fresh if o.kind == "tell"] == [
        f"Rajiv told me that Giorgio said: {quote}"]
    lines = [(KLAUS.name, f"Good afternoon, Maria! Hailey told me that Giorgio said: {quote}")]
    assert not [o for o in acts.options(maria.ctx, KLAUS.name, when, lines, None)
                if o.kind == "tell"]


def test_plumbing_while_thinking_an_agent_shows_the_commitment_not_its_routine():
    fac = factory(brain(**{"dialogue.act.v1": choose("invite", "accept", "say goodbye"),
                           "plan.commit.v1": json.dumps({"go": "yes"})}))
    isabella, maria = fac.create(ISABELLA), fac.create(MARIA)
    isabella.whisper(PARTY, T)
    talk(isabella, maria, cid=1, step=0)
    maria.decide(percept(MARIA.name, "2023-02-14T07:00:00", (Reason.START,), step=6000))
    stand_in = maria.interim(percept(MARIA.name, "2023-02-14T17:20:00", (Reason.ACTION_DONE,),
                                     step=9000))  # fmt: skip
    assert "Valentine's Day party" in stand_in.description, stand_in
    assert "Hobbs Cafe" in stand_in.address
    morning = maria.interim(percept(MARIA.name, "2023-02-14T10:20:00", (Reason.ACTION_DONE,),
                                    step=7000))  # fmt: skip
    assert "party" not in morning.description  # outside the party's hours: the routine
