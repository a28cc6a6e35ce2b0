"""The original's retention rule: a perceived event is stored only when its (subject, predicate,
object) is not among the agent's `retention` latest stored events."""

from __future__ import annotations

from generative_helpers import CAFE, ISABELLA, brain, event, factory, percept

from engine.agent_api import Reason

NAME = ISABELLA.name  # retention 8 (the Persona default)


def _events(mind) -> list[str]:
    return [n.description for n in mind.memory.nodes if n.kind == "event"]


def test_repeated_scene_is_stored_once():
    mind = factory(brain(), importance_batch=1).create(ISABELLA)
    scene = (event(f"{CAFE}:piano", "piano is idle"),
             event("Klaus Mueller", "Klaus Mueller is reading"))
    for minute in range(5):
        mind.decide(percept(NAME, f"2023-02-13T10:0{minute}:00", (Reason.PERCEIVED,),
                            step=6 * minute, events=scene))
    assert _events(mind) == ["piano is idle", "Klaus Mueller is reading"]


def test_duplicates_within_one_percept_are_stored_once():
    mind = factory(brain(), importance_batch=1).create(ISABELLA)
    same = event("Klaus Mueller", "Klaus Mueller is reading")
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=(same, same)))
    assert _events(mind) == ["Klaus Mueller is reading"]


def test_event_is_new_again_once_out_of_the_latest_retained():
    mind = factory(brain(), importance_batch=1).create(ISABELLA)
    first = event("Klaus Mueller", "Klaus Mueller is reading")
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=(first,)))
    others = tuple(event(f"{CAFE}:thing {i}", f"thing {i} is idle") for i in range(8))
    mind.decide(percept(NAME, "2023-02-13T10:01:00", (Reason.PERCEIVED,), step=6, events=others))
    mind.decide(percept(NAME, "2023-02-13T10:02:00", (Reason.PERCEIVED,), step=12,
                        events=(first,)))
    assert _events(mind).count("Klaus Mueller is reading") == 2  # 8 newer events pushed it out
