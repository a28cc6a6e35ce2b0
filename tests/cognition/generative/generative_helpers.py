"""Shared fixtures for the generative mind tests: personas, a scripted 'brain', percepts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from cognition.generative import GenerativeMindFactory, GenerativeSettings
from cognition.llm.base import Request
from cognition.llm.fakes import HashEmbedder, RoutedModel
from engine.agent_api import (
    AgentView,
    ConversationView,
    PerceivedEvent,
    Percept,
    Persona,
    Reason,
    Utterance,
)

W = "the Ville"
CAFE = f"{W}:Hobbs Cafe:cafe"
PARK = f"{W}:Johnson Park:park"
DORM = f"{W}:Dorm for Oak Hill College"


def make_persona(name: str, home: str, bed: str, work: str, threshold: int = 150) -> Persona:
    first, last = name.split()
    routine = (
        {"start": "00:00", "activity": "sleeping", "place": bed, "emoji": "😴"},
        {"start": "07:00", "activity": "morning routine", "place": home, "emoji": "🚿"},
        {"start": "09:00", "activity": "working", "place": work, "emoji": "💼"},
        {"start": "17:00", "activity": "relaxing at the park", "place": PARK, "emoji": "🌳"},
        {
            "start": "19:00",
            "activity": "dinner at the cafe",
            "place": f"{CAFE}:cafe customer seating",
            "emoji": "🍝",
        },
        {"start": "22:00", "activity": "sleeping", "place": bed, "emoji": "😴"},
    )
    return Persona(
        name=name, first_name=first, last_name=last, age=30,
        innate="friendly, curious", learned=f"{first} is a resident of the Ville.",
        currently=f"{first} is living an ordinary life.", lifestyle="goes to bed around 10pm",
        occupation="resident", living_area=home, bed=bed, workplace=work,
        spawn=f"sp-{first}", sprite=first.lower(), routine=routine,
        known_places=(CAFE, PARK, home), reflection_threshold=threshold,
    )  # fmt: skip


ISABELLA = make_persona(
    "Isabella Rodriguez",
    f"{W}:Isabella Rodriguez's apartment:main room",
    f"{W}:Isabella Rodriguez's apartment:main room:bed",
    f"{CAFE}:behind the cafe counter",
)
MARIA = make_persona(
    "Maria Lopez",
    f"{DORM}:Maria Lopez's room",
    f"{DORM}:Maria Lopez's room:bed",
    f"{DORM}:common room:common room table",
)
KLAUS = make_persona(
    "Klaus Mueller",
    f"{DORM}:Klaus Mueller's room",
    f"{DORM}:Klaus Mueller's room:bed",
    f"{W}:Oak Hill College:library:library table",
)

def _count(request: Request) -> int:
    return int((request.schema or {}).get("minItems", 1))


def stage_options(request: Request) -> list[str]:
    """The names a place stage offers (its schema's enum), best-ranked first."""
    (prop,) = request.schema["properties"].values()  # type: ignore[index]
    return prop["enum"]


def first_option(request: Request) -> str:
    (key,) = request.schema["properties"]  # type: ignore[index]
    return json.dumps({key: stage_options(request)[0]})


def day_plan_json(wake: str = "07:00") -> str:
    """A plan.day answer in the v3 form (every hour's activity), which the parser still reads."""
    hourly = {
        f"{h:02d}:00": "sleeping" if h < 7 or h >= 22 else "working on projects"
        for h in range(int(wake[:2]) - 1, 24)
    }
    return json.dumps({"wake_up_hour": int(wake[:2]), "hourly": hourly})


def decompose_json(request: Request) -> str:
    subtasks = [
        {"task": "getting started", "minutes": 10, "emoji": "📝"},
        {"task": "working with focus", "minutes": 15, "emoji": "💻"},
        {"task": "taking a short break", "minutes": 5, "emoji": "☕"},
    ]
    return json.dumps({"subtasks": subtasks})


def act_reply(request: Request) -> str:
    """dialogue.act: the first act offered (invitations and news come first, goodbye last);
    to an invitation, accept."""
    return json.dumps({"act": stage_options(request)[0]})


def summary_reply(request: Request) -> str:
    party = "Valentine" in request.prompt
    summary = "We talked about the Valentine's Day party at Hobbs Cafe" if party else "We chatted about our day"
    return json.dumps(
        {"summary": summary, "relationship": "friendly acquaintances", "importance": 6}
    )


def insight_reply(request: Request) -> str:
    """An insight resting on the first statement shown ("1. ...")."""
    first = request.prompt.split("what matters to ", 1)[-1].split("?", 1)[0]
    statement = request.prompt.split("\n1. ", 1)[-1].splitlines()[0]
    return json.dumps({"insight": f"{first} keeps thinking about how {statement}"})


def brain_routes(**overrides: Any) -> dict[str, str | Callable[[Request], str]]:
    """Valid answers for every template; override any route by prompt id."""
    routes: dict[str, str | Callable[[Request], str]] = {
        "importance.batch.v2": lambda r: json.dumps(["minor"] * _count(r)),
        "plan.day.v4": day_plan_json(),
        "plan.revise.v1": lambda r: json.dumps(
            {"currently": f"{r.agent.split()[0]} is looking forward to a new day"}
        ),
        "plan.decompose.v3": decompose_json,
        "place.sector.v1": first_option,
        "place.arena.v1": first_option,
        "place.object.v1": first_option,
        "react.decide.v4": json.dumps({"talk": "yes"}),
        "dialogue.act.v1": act_reply,
        "dialogue.summary.v2": summary_reply,
        "reflect.questions.v3": json.dumps({"questions": ["What does she care about?"]}),
        "reflect.insight.v4": insight_reply,
        "interview.choice.v1": json.dumps({"answer": 1}),
        "interview.reply.v3": json.dumps({"reply": "I am doing well, thanks."}),
    }
    routes.update(overrides)
    return routes


def brain(**overrides: Any) -> RoutedModel:
    return RoutedModel(brain_routes(**overrides))


def factory(model: Any, seed: int = 7, **settings: Any) -> GenerativeMindFactory:
    # Plumbing fakes answer importance by route: no per-model calibration check (importance.py).
    settings.setdefault("importance_check", False)
    return GenerativeMindFactory(
        model, HashEmbedder(64), seed=seed, settings=GenerativeSettings(**settings)
    )


def percept(
    agent: str,
    time_iso: str,
    reasons: tuple[Reason, ...],
    step: int = 0,
    **fields: Any,
) -> Percept:
    return Percept(
        agent=agent, step=step, time_iso=time_iso, tile_xy=(0, 0), arena=CAFE,
        reasons=reasons, current_action=fields.pop("current_action", None),
        action_done=Reason.ACTION_DONE in reasons, **fields,
    )  # fmt: skip


def event(subject: str, description: str, obj: str = "") -> PerceivedEvent:
    _, _, rest = description.partition(" is ")
    return PerceivedEvent(subject, "is", obj or rest, description, 1.0, ":" not in subject)


def view(name: str, action: str = "reading a book", sleeping: bool = False) -> AgentView:
    return AgentView(name=name, action=action, address=CAFE, in_conversation=False,
                     sleeping=sleeping, distance=2.0)  # fmt: skip


def conversation(cid: int, a: str, b: str, lines: list[tuple[str, str]], ended=False):
    return ConversationView(
        conversation_id=cid, participants=(a, b),
        lines=tuple(Utterance(s, t) for s, t in lines), place=CAFE, ended=ended,
    )  # fmt: skip
