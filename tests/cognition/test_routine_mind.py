"""The rule-based mind: follows the routine, talks briefly, answers chats, round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cognition.routine import RoutineMindFactory, routine_action
from engine.agent_api import (
    AgentView,
    ConversationView,
    MessageKind,
    Mind,
    Percept,
    Reason,
    UserMessage,
    Utterance,
)
from engine.personas import load_personas

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "saves" / "base_the_ville_isabella_maria_klaus"


@pytest.fixture(scope="module")
def personas():
    names = json.loads((BASE / "meta.json").read_text(encoding="utf-8"))["personas"]
    return {p.name: p for p in load_personas(BASE / "personas", names)}


@pytest.fixture
def klaus(personas):
    return personas["Klaus Mueller"]


def percept(name, time, reasons, step=0, **extra) -> Percept:
    return Percept(
        agent=name, step=step, time_iso=f"2023-02-13T{time}", tile_xy=(0, 0), arena="the Ville",
        reasons=tuple(reasons), current_action=None, action_done=False, **extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("time", "activity", "place_end", "duration", "state"),
    [
        ("00:00:00", "sleeping", "Klaus Mueller's room:bed", 120, "being slept in"),
        ("05:30:00", "sleeping", "Klaus Mueller's room:bed", 90, "being slept in"),
        ("07:10:00", "taking a shower", "man's bathroom:shower", 20, "running"),
        (
            "09:00:00",
            "researching gentrification for his paper",
            "library:library table",
            120,
            "being used",
        ),
        ("18:15:00", "taking a walk in Johnson Park", "park:park garden", 45, ""),
        ("23:59:50", "sleeping", "Klaus Mueller's room:bed", 1, "being slept in"),
    ],
)
def test_actions_follow_the_routine(klaus, time, activity, place_end, duration, state):
    mind = RoutineMindFactory(seed=7).create(klaus)
    decision = mind.decide(percept(klaus.name, time, [Reason.ACTION_DONE]))
    action = decision.action
    assert action.description == activity
    assert action.address.endswith(place_end)
    assert action.duration_min == duration
    assert action.object_state == state
    assert action.event == ("Klaus Mueller", "is", activity)
    assert action == routine_action(klaus, f"2023-02-13T{time}", 0)


def test_mind_satisfies_the_protocol(klaus):
    assert isinstance(RoutineMindFactory(seed=1).create(klaus), Mind)
    assert RoutineMindFactory(seed=1).kind == "routine"


def test_start_issues_an_action_and_inspect_marks_the_block(klaus):
    mind = RoutineMindFactory(seed=7).create(klaus)
    mind.decide(percept(klaus.name, "08:30:00", [Reason.START]))
    view = mind.inspect()
    assert set(view) >= {"schedule", "memories", "reflections", "relationships"}
    current = [b for b in view["schedule"] if b["current"]]
    assert len(current) == 1 and current[0]["start"] == "08:00"


def conversation_run(personas, seed: int) -> list[tuple[str, str, bool]]:
    """Play a conversation between Klaus and Maria until someone ends it."""
    factory = RoutineMindFactory(seed=seed)
    minds = {name: factory.create(personas[name]) for name in ("Klaus Mueller", "Maria Lopez")}
    lines: list[Utterance] = []
    transcript = []
    speaker, partner = "Klaus Mueller", "Maria Lopez"
    for turn in range(8):
        view = ConversationView(
            17, ("Klaus Mueller", "Maria Lopez"), tuple(lines), "the Ville:Hobbs Cafe:cafe"
        )
        other = AgentView(partner, "having lunch at Hobbs Cafe", "", True, False, 1.0)
        decision = minds[speaker].decide(
            percept(speaker, "12:10:00", [Reason.CONVERSATION_TURN], step=100 + turn,
                    conversation=view, nearby_agents=(other,))
        )  # fmt: skip
        assert decision.say
        lines.append(Utterance(speaker, decision.say))
        transcript.append((speaker, decision.say, decision.end_conversation))
        if decision.end_conversation:
            break
        speaker, partner = partner, speaker
    return transcript


@pytest.mark.parametrize("seed", range(12))
def test_conversations_end_within_four_lines(personas, seed):
    transcript = conversation_run(personas, seed)
    assert 2 <= len(transcript) <= 4
    assert transcript[-1][2] and not any(end for _, _, end in transcript[:-1])


def test_determinism(personas):
    assert conversation_run(personas, 3) == conversation_run(personas, 3)
    lines = {tuple(conversation_run(personas, s)) for s in range(12)}
    assert len(lines) > 1  # the canned lines vary with the seed


def test_chat_reply_mentions_the_activity_and_whisper_is_noted(klaus):
    mind = RoutineMindFactory(seed=7).create(klaus)
    messages = (
        UserMessage(MessageKind.CHAT, "What are you doing?", 1),
        UserMessage(MessageKind.WHISPER, "Maria seems to like you.", 2),
    )
    decision = mind.decide(percept(klaus.name, "09:00:00", [Reason.USER], user_messages=messages))
    assert len(decision.replies) == 1
    message_id, reply = decision.replies[0]
    assert message_id == 1 and "researching gentrification for his paper" in reply
    assert mind.to_state()["notes"] == ["Maria seems to like you."]
    assert any("Maria seems to like you." in m for m in mind.inspect()["memories"])


def _perceive(mind, name, time, step, others):
    views = tuple(AgentView(o, "walking", "", False, False, 2.0) for o in others)
    return mind.decide(percept(name, time, [Reason.PERCEIVED], step=step, nearby_agents=views))


def test_talk_to_is_rare(klaus):
    fresh = RoutineMindFactory(seed=7).create(klaus).to_state()
    hits = 0
    for step in range(400):  # a fresh mind each time: no cooldown in the way
        mind = RoutineMindFactory(seed=7).restore(klaus, fresh)
        hits += bool(_perceive(mind, klaus.name, "10:00:00", step, ["Maria Lopez"]).talk_to)
    assert 20 < hits < 120  # a small probability per perception


def test_talk_to_cooldown_is_three_game_hours(klaus):
    mind = RoutineMindFactory(seed=7).create(klaus)
    asked = [
        s for s in range(400) if _perceive(mind, klaus.name, "10:00:00", s, ["Maria Lopez"]).talk_to
    ]
    assert len(asked) == 1
    assert not any(
        _perceive(mind, klaus.name, "12:59:00", s, ["Maria Lopez"]).talk_to for s in range(400, 800)
    )
    assert any(
        _perceive(mind, klaus.name, "13:00:00", s, ["Maria Lopez"]).talk_to
        for s in range(800, 1200)
    )


def test_never_talks_while_sleeping_or_to_busy_agents(klaus):
    mind = RoutineMindFactory(seed=7).create(klaus)
    assert not any(
        _perceive(mind, klaus.name, "03:00:00", s, ["Maria Lopez"]).talk_to for s in range(300)
    )
    busy = (AgentView("Maria Lopez", "chatting", "", True, False, 1.0),
            AgentView("Isabella Rodriguez", "sleeping", "", False, True, 1.0))  # fmt: skip
    assert not any(
        mind.decide(
            percept(klaus.name, "10:00:00", [Reason.PERCEIVED], step=s, nearby_agents=busy)
        ).talk_to
        for s in range(300)
    )


def test_state_round_trip(personas, klaus):
    factory = RoutineMindFactory(seed=7)
    mind = factory.create(klaus)
    mind.decide(percept(klaus.name, "09:00:00", [Reason.USER], user_messages=(
        UserMessage(MessageKind.WHISPER, "Remember the party.", 1),)))  # fmt: skip
    ended = ConversationView(
        4, ("Maria Lopez", "Klaus Mueller"), (Utterance("Maria Lopez", "Hi"),), "x", True
    )
    decision = mind.decide(
        percept(
            klaus.name, "12:20:00", [Reason.CONVERSATION_ENDED], step=5, finished_conversation=ended
        )
    )
    assert decision.action is not None  # resumes the routine after talking
    assert mind.inspect()["relationships"] == {"Maria Lopez": "talked 1 time"}
    state = json.loads(json.dumps(mind.to_state()))
    restored = factory.restore(klaus, state)
    assert restored == mind and restored.to_state() == mind.to_state()
    later = percept(klaus.name, "14:00:00", [Reason.ACTION_DONE, Reason.PERCEIVED], step=9)
    assert restored.decide(later) == mind.decide(later)


def test_every_shipped_routine_gives_actions_all_day():
    base = ROOT / "saves" / "base_the_ville_n25"
    names = json.loads((base / "meta.json").read_text(encoding="utf-8"))["personas"]
    for persona in load_personas(base / "personas", names):
        places = {block["place"] for block in persona.routine}
        for minute in range(0, 24 * 60, 10):
            time_iso = f"2023-02-13T{minute // 60:02d}:{minute % 60:02d}:00"
            action = routine_action(persona, time_iso, minute * 6)
            assert action.address in places and 1 <= action.duration_min <= 120


def test_routine_package_imports_only_engine_and_stdlib():
    import ast
    import sys

    for path in (ROOT / "cognition" / "routine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert (
                    top in sys.stdlib_module_names
                    or module.startswith(("engine", "cognition.routine"))
                    or top == "__future__"
                ), f"{path.name} imports {module}"
