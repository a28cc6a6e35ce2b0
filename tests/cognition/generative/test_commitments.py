"""Dated commitments: the month-day-time reader over varied phrasings, the plan offering an
event on its day (the model deciding, through a scripted fake: plumbing), the host hosting at
the right hour, and the mind state's round trip."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from generative_helpers import ISABELLA, KLAUS, brain, factory, percept

from cognition.generative import dated
from cognition.generative.dated import Commitment
from cognition.generative.state import MindState
from engine.agent_api import Reason
from engine.provenance import Source, model_choice

SAID = datetime(2023, 2, 13, 9, 30)  # a Monday


@pytest.mark.parametrize(("text", "expect"), [
    ("Isabella Rodriguez is planning a Valentine's Day party at Hobbs Cafe on February 14th from "
     "5 pm to 7 pm and wants as many people as possible to come.",
     ("2023-02-14", 1020, 1140, "the Valentine's Day party", "Hobbs Cafe", "Isabella Rodriguez")),
    ("You are throwing a Valentine's Day party at Hobbs Cafe on February 14th, starting at 5pm",
     ("2023-02-14", 1020, 1140, "the Valentine's Day party", "Hobbs Cafe", "Isabella")),
    ("I'm hosting a dinner tomorrow at 7:30pm at the Rose and Crown Pub",
     ("2023-02-14", 1170, 1290, "the dinner", "Rose and Crown Pub", "Isabella")),
    ("Sam is holding a rally on Friday between 2 and 4 pm in Johnson Park",
     ("2023-02-17", 840, 960, "the rally", "Johnson Park", "Sam")),
    ("There is a meeting on 3rd March, 10am-11:30am.",
     ("2023-03-03", 600, 690, "the meeting", "", "")),
    ("the party is on Feb 14 at 17:00", ("2023-02-14", 1020, 1140, "the party", "", "")),
    ("a game night today from 8 to 10 pm", ("2023-02-13", 1200, 1320, "the game night", "", "")),
    ("Klaus wants a birthday celebration on the 20th of February in the evening",
     ("2023-02-20", 1020, 1140, "the birthday celebration", "", "")),
])
def test_dated_event_phrasings(text, expect):
    found = dated.parse(text, SAID, speaker="Isabella", about="Isabella")
    assert found is not None
    assert (found.date, found.start_min, found.end_min, found.what, found.place,
            found.host) == expect


@pytest.mark.parametrize("text", [
    "Klaus is eating lunch at Hobbs Cafe at noon",  # no date
    "Maria likes February in Paris",  # a month without a day
    "Isabella is 34 years old and has run Hobbs Cafe since 2015",
    "I will see you on the 14th",  # a day without a month
])
def test_text_without_a_dated_event_is_none(text):
    assert dated.parse(text, SAID) is None


def test_commitment_round_trip_and_bad_state():
    item = Commitment("2023-02-14", 1020, 1140, "the party", "Hobbs Cafe", "Isabella", "Maria",
                      "yes", model_choice("plan.commit.v1"))
    assert Commitment.from_state(item.to_state()) == item
    state = MindState(commitments=[item], commitments_seen=7)
    back = MindState.from_state(json.loads(json.dumps(state.to_state())))
    assert back.commitments == [item] and back.commitments_seen == 7
    with pytest.raises(ValueError):
        Commitment.from_state({**item.to_state(), "date": "Feb 14"})
    with pytest.raises(ValueError):
        Commitment.from_state({**item.to_state(), "going": "maybe"})


def _live(mind, time_iso, step):
    return mind.decide(percept(mind.name, time_iso, (Reason.ACTION_DONE,), step=step))


def test_plan_offers_the_commitment_on_its_day_and_the_model_decides():
    model = brain(**{"plan.commit.v1": json.dumps({"go": "yes"})})
    klaus = factory(model).create(KLAUS)
    klaus.whisper("Maria told you that Isabella is hosting a Valentine's Day party at Hobbs Cafe "
                  "on February 14th from 5 pm to 7 pm", "2023-02-13T09:00:00")
    _live(klaus, "2023-02-13T10:00:00", 100)
    assert not [r for r in model.calls if r.prompt_id == "plan.commit.v1"]  # not its day
    assert not any("party" in h for h in klaus.state.plan.hourly)
    _live(klaus, "2023-02-14T10:00:00", 10000)
    (asked,) = [r for r in model.calls if r.prompt_id == "plan.commit.v1"]
    assert "There is the Valentine's Day party at Hobbs Cafe" in asked.prompt
    assert "from 17:00 to 19:00" in asked.prompt
    hourly = klaus.state.plan.hourly
    assert hourly[17] == hourly[18] == "at the Valentine's Day party at Hobbs Cafe"
    assert "party" not in hourly[16] and "party" not in hourly[19]
    d = _live(klaus, "2023-02-14T17:00:00", 12000)
    assert d.action.description == "at the Valentine's Day party at Hobbs Cafe"
    assert ":Hobbs Cafe:" in d.action.address
    assert d.action.by.source is Source.MODEL_CHOICE and d.action.by.via == "plan.commit.v1"


def test_plan_leaves_the_commitment_out_when_the_model_says_no():
    model = brain(**{"plan.commit.v1": json.dumps({"go": "no"})})
    klaus = factory(model).create(KLAUS)
    klaus.whisper("Isabella is hosting a Valentine's Day party at Hobbs Cafe on February 14th "
                  "from 5 pm to 7 pm", "2023-02-13T09:00:00")
    _live(klaus, "2023-02-14T10:00:00", 10000)
    assert not any("party" in h for h in klaus.state.plan.hourly)
    assert klaus.state.commitments[0].going == "no"


def test_the_host_hosts_on_the_right_day_at_the_right_hour():
    model = brain()
    isabella = factory(model).create(ISABELLA)
    isabella.whisper("You are hosting a Valentine's Day party at Hobbs Cafe on February 14th "
                     "from 5 pm to 7 pm", "2023-02-13T06:00:00")
    _live(isabella, "2023-02-13T07:00:00", 0)
    assert not any("party" in h for h in isabella.state.plan.hourly)  # not on the 13th
    _live(isabella, "2023-02-14T07:00:00", 8640)
    hourly = isabella.state.plan.hourly
    assert [h for h in range(24) if "party" in hourly[h]] == [17, 18]
    assert hourly[17] == "hosting the Valentine's Day party at Hobbs Cafe"
    assert not [r for r in model.calls if r.prompt_id == "plan.commit.v1"]  # the host's own
    d = _live(isabella, "2023-02-14T17:00:00", 12240)
    assert d.action.description.startswith("hosting the Valentine's Day party")
    assert d.action.by.source is Source.RULE and d.action.by.via == "commitment.host"


def test_who_hosts_and_who_told_are_read_from_a_retold_statement():
    found = dated.parse("Isabella told Klaus Mueller that she is hosting a party at Hobbs Cafe on "
                        "February 14th at 5pm", SAID, speaker="Klaus Mueller",
                        about="Klaus Mueller")
    assert (found.host, found.source) == ("Isabella", "Isabella")
    found = dated.parse("Maria Lopez told me that Isabella is hosting a party on February 14th "
                        "at 5pm", SAID, speaker="Klaus Mueller")
    assert (found.host, found.source) == ("Isabella", "Maria Lopez")


def test_the_event_is_read_in_the_sentence_that_names_the_date():
    found = dated.parse("At 13:00 I'm attending a sociology class. And on February 14th, from 5 pm "
                        "to 7 pm, I'm going to the Valentine's Day party at Hobbs Cafe.", SAID)
    assert (found.what, found.place, found.start_min) == ("the Valentine's Day party",
                                                          "Hobbs Cafe", 1020)
