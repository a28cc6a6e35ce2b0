"""Reactions beyond talking (issue 21): wait for someone using one's object, or stop and see to
an important event. The model's yes/no is scripted here, so these test the plumbing (who is
asked what, and what a yes does in the engine's terms), not the model's judgement."""

from __future__ import annotations

import json

from cognition.generative import perceive
from cognition.llm.options import OptionProbs
from engine.agent_api import HERE, Action, AgentView, PerceivedEvent, Reason
from engine.provenance import model_choice, rule
from generative_helpers import CAFE, ISABELLA, KLAUS, brain, factory, percept

NAME = ISABELLA.name
STOVE = "the Ville:Hobbs Cafe:cafe:kitchen stove"
SHOWER = "the Ville:Hobbs Cafe:cafe:shower"


def doing(description: str, address: str) -> Action:
    return Action(description, "", address, 30, (NAME, "is", description))


def klaus_at(address: str, action: str = "taking a shower") -> AgentView:
    return AgentView(KLAUS.name, action, address, False, False, 1.0, using=True)


def stove(state: str = "burning") -> PerceivedEvent:
    return PerceivedEvent(STOVE, "is", state, f"kitchen stove is {state}", 2.0, False)


def ids(model) -> list[str]:
    return [r.prompt_id for r in model.calls if not r.prompt_id.startswith("importance")]


def answer(word: str) -> str:
    return json.dumps({"answer": word})


def test_plumbing_a_yes_to_waiting_makes_the_agent_wait_where_it_stands():
    model = brain(**{"react.wait.v1": answer("yes")})
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,), step=10,
                current_action=doing("taking a shower", SHOWER),
                nearby_agents=(klaus_at(SHOWER),))  # fmt: skip
    decision = mind.decide(p)
    assert ids(model) == ["react.wait.v1"]
    assert "Should Isabella wait for Klaus to finish?" in model.calls[-1].prompt
    assert decision.talk_to is None and decision.action is not None
    assert decision.action.address == HERE and decision.action.duration_min == 5
    assert decision.action.description == "waiting for Klaus to finish taking a shower"
    assert decision.action.by == model_choice("react.wait.v1")
    mind.decide(p)
    assert ids(model) == ["react.wait.v1", "react.decide.v4"]  # asked once; then only talk


def test_plumbing_a_no_to_waiting_goes_on_to_the_talk_decision():
    model = brain(**{"react.wait.v1": answer("no")})
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("taking a shower", SHOWER),
                nearby_agents=(klaus_at(SHOWER),))  # fmt: skip
    decision = mind.decide(p)
    assert ids(model) == ["react.wait.v1", "react.decide.v4"] and decision.talk_to == KLAUS.name


def test_nobody_is_asked_to_wait_for_someone_elsewhere():
    model = brain()
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("taking a shower", SHOWER),
                nearby_agents=(klaus_at(CAFE, "reading"),))  # fmt: skip
    mind.decide(p)
    assert ids(model) == ["react.decide.v4"]


def test_plumbing_a_yes_to_an_important_event_replans_the_current_action():
    # importance by the (marked) keyword scorer: the scripted brain fails the model check
    model = brain(**{"react.event.v1": answer("yes"), "react.decide.v4": '{"talk": "no"}'})
    mind = factory(model, importance_check=True).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("serving coffee", CAFE), events=(stove(),))  # fmt: skip
    decision = mind.decide(p)
    assert ids(model) == ["react.event.v1"]
    assert "Isabella notices: kitchen stove is burning." in model.calls[-1].prompt
    action = decision.action
    assert action is not None and action.address == STOVE and action.duration_min == 15
    assert action.description == "seeing to the kitchen stove, which is burning"
    assert action.by == model_choice("react.event.v1")
    assert mind.state.action == action  # the engine starts it; the plan resumes after it
    perceive.flush(mind.ctx, 3)  # the sighting is stored with the rating the reaction used
    stored = next(n for n in mind.memory.nodes if "stove" in n.description)
    assert stored.importance_by == rule("importance.keywords")


def test_an_everyday_event_is_not_asked_about_and_a_no_changes_nothing():
    model = brain(**{"react.event.v1": answer("no")})
    mind = factory(model, importance_check=True).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("serving coffee", CAFE),
                events=(stove("being used"),))  # fmt: skip
    assert mind.decide(p).action is None and ids(model) == []
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,), step=2,
                current_action=doing("serving coffee", CAFE), events=(stove(),))  # fmt: skip
    assert mind.decide(p).action is None and ids(model) == ["react.event.v1"]


class ChoosingModel:
    """A fake option scorer that puts its probability on one word; generating is refused."""

    name = "choosing-fake"

    def __init__(self, word: str) -> None:
        self.word, self.passes = word, []

    def complete(self, request):
        from cognition.llm.base import ModelError

        raise ModelError("this fake only scores options")

    def option_probs(self, request, options):
        self.passes.append(request.prompt_id)
        probs = tuple(0.9 if o == self.word else 0.1 / (len(options) - 1) for o in options)
        return OptionProbs(tuple(options), probs, 0.8)


def test_plumbing_a_model_that_scores_options_chooses_in_one_pass():
    model = ChoosingModel("yes")
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("taking a shower", SHOWER),
                nearby_agents=(klaus_at(SHOWER),))  # fmt: skip
    decision = mind.decide(p)
    assert model.passes == ["react.wait.v1"]
    assert decision.action is not None and decision.action.by == model_choice("react.wait.v1")
    assert mind.state.prompt_counts["react.wait.v1"] == [1, 0, 0, 1]


def test_whoever_is_already_at_the_object_does_not_wait_for_a_newcomer():
    model = brain(**{"react.wait.v1": answer("yes")})
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,), arrived=True,
                current_action=doing("taking a shower", SHOWER),
                nearby_agents=(klaus_at(SHOWER),))  # fmt: skip
    mind.decide(p)
    assert "react.wait.v1" not in ids(model)


def test_nobody_waits_for_someone_who_is_still_on_the_way():
    model = brain(**{"react.wait.v1": answer("yes")})
    mind = factory(model).create(ISABELLA)
    walking = AgentView(KLAUS.name, "taking a shower", SHOWER, False, False, 3.0, using=False)
    p = percept(NAME, "2023-02-13T08:00:00", (Reason.PERCEIVED,),
                current_action=doing("taking a shower", SHOWER), nearby_agents=(walking,))
    mind.decide(p)
    assert "react.wait.v1" not in ids(model)
