"""Plumbing: news can travel through the town — generative minds on an echo fake, the real map,
the real engine (walking, perception, reactions, turn-by-turn conversations), real retrieval.

Plumbing: the model has no idea what the party is. It lives each persona's usual day (read from
the prompt), agrees to talk, and chooses the first dialogue act offered (an invitation when the
speaker knows of an event, accepting one when invited); templates write the words. Isabella knows
of the party only because the base's history.csv is planted at fork; whoever hears it keeps it as
a commitment and may invite the next person. No keyword triggers anywhere.

The control: the random model,
which agrees to talk half the time and says random sentences of its memories, spreads it
later — in these 9 hours (seed 7) to nobody, though over a whole day (`simulacra run --model
random`, 3-agent base, seed 7) it reached both others by 17:11 against 12:14 on the bundled
model. So spread is largely the architecture's; a claim that a model spreads news must beat
the random control on the same save (`simulacra analyze --topic` on both runs).
"""

from __future__ import annotations

import json
import re

from cognition.generative import GenerativeMindFactory, GenerativeSettings
from cognition.llm.base import Request
from cognition.llm.fakes import HashEmbedder, RoutedModel
from cognition.memory.chroma_index import make_client
from engine.dispatcher import InlineDispatcher, ThreadPoolDispatcher
from engine.persistence import SaveStore
from engine.provenance import Source, model_choice, rule
from engine.session import open_session

N3 = "base_the_ville_isabella_maria_klaus"
HOURS = 9  # 07:00 to 16:00: breakfast, lunch and the afternoon at Hobbs Cafe (nobody talks
# again for an hour after a conversation, so Maria meets a free Isabella only after lunch)
STEPS = HOURS * 360


def _section(prompt: str, header: str) -> list[str]:
    block = prompt.split(header, 1)[-1]
    rows = []
    for line in block.splitlines()[1:]:
        if not line.startswith("- "):
            break
        rows.append(line[2:])
    return rows


def usual_day(request: Request) -> str:
    """plan.day.v4: the usual wake-up hour and no time given to plans (the routine's day)."""
    props = request.schema["properties"]
    wake = (props["wake_up_hour"]["minimum"] + props["wake_up_hour"]["maximum"]) // 2
    return json.dumps({"wake_up_hour": wake, "plans": []})


def one_step(request: Request) -> str:
    found = re.search(r"\((\d+) minutes\) \S+ is (.*?)\.", request.prompt)
    minutes, activity = int(found.group(1)), found.group(2)
    return json.dumps({"subtasks": [{"task": activity, "minutes": minutes, "emoji": "🙂"}]})


def first_option(request: Request) -> str:
    ((key, prop),) = request.schema["properties"].items()
    return json.dumps({key: prop["enum"][0]})


def first_line(request: Request) -> str:
    said = request.prompt.split(" just talked with ", 1)[-1].splitlines()[1:]
    text = said[0].split(": ", 1)[-1] if said and ": " in said[0] else "We talked."
    return json.dumps({"summary": text, "relationship": "they know each other", "importance": 6})


def echo_model() -> RoutedModel:
    count = lambda r: int(r.schema.get("minItems", 1))  # noqa: E731
    return RoutedModel({
        "importance": lambda r: json.dumps([4] * count(r)),
        "plan.day": usual_day,
        "plan.revise": lambda r: json.dumps({"currently": f"{r.agent} is starting a new day"}),
        "plan.decompose": one_step,
        "place": first_option,
        "react": json.dumps({"talk": "yes"}),
        "react.wait": json.dumps({"answer": "no"}), "react.event": json.dumps({"answer": "no"}),
        "dialogue.turn": first_option,  # the first act offered: invitations come first
        "dialogue.write": lambda r: json.dumps(  # the template's line copied: words not its own
            {"line": r.prompt.split('would say: "', 1)[1].split('"\n', 1)[0]}),
        "plan.commit": first_option,
        "dialogue.summary": first_line,
        "reflect.questions": lambda r: json.dumps(
            {"questions": _section(r.prompt, "about")[:1] or ["What happened?"]}),
        "reflect.insights": lambda r: json.dumps({"insight": "{} keeps thinking about how {}".format(
            r.prompt.split("what matters to ", 1)[-1].split("?")[0],
            r.prompt.split("\n1. ", 1)[-1].splitlines()[0])}),
        "interview": lambda r: json.dumps(
            {"reply": (_section(r.prompt, " remembers:") or ["I do not know."])[0]}),
    })  # fmt: skip


def town(tmp_path, name: str, dispatcher=None):
    store = SaveStore(saves_root=tmp_path / "saves")
    factory = GenerativeMindFactory(
        echo_model(), HashEmbedder(64), seed=7, chroma_client=make_client(),
        settings=GenerativeSettings(importance_check=False),  # plumbing: importance by route
    )
    return open_session(store, fork=N3, load=None, name=name, factory=factory,
                        dispatcher=dispatcher or InlineDispatcher())  # fmt: skip


ACT = model_choice("dialogue.act.v1")  # the act the model chose; a template wrote its words
RULE_LINES = (rule("dialogue.only_option"), rule("dialogue.wrap_up"))
WHISPER = "You are hosting a Valentine's Day party at Hobbs Cafe on February 14th from 5pm"


def scripted_town(tmp_path, name: str, dispatcher=None):
    """(session, {}) — the echo-model town, for the save/load tests that share it."""
    return town(tmp_path, name, dispatcher), {}


def heard_of_party(sim, agent: str) -> bool:
    """Whether the agent heard of the party in a conversation (not from its own history)."""
    return any(n.kind == "chat" and "party" in n.description for n in sim.minds[agent].memory.nodes)


def test_plumbing_party_news_spreads_from_isabella_to_both_others(tmp_path):
    session = town(tmp_path, "spread")
    sim = session.sim
    planted = {name: " ".join(body.history) for name, body in sim.bodies.items()}
    assert "party" in planted["Isabella Rodriguez"]  # the fork's history, told with the 1st plan
    assert not any("party" in planted[agent] for agent in ("Maria Lopez", "Klaus Mueller"))
    said: list = []  # the steps' records, to see who made each line said
    sim.add_listener(said.append)
    sim.run(sim.settings.decision_latency_steps.start + 1)
    assert any("party" in n.description for n in sim.minds["Isabella Rodriguez"].memory.nodes)
    reached: list[str] = []
    for _ in range(STEPS):
        sim.run(1)
        reached = [a for a in ("Maria Lopez", "Klaus Mueller") if heard_of_party(sim, a)]
        if len(reached) == 2:
            break
    assert sorted(reached) == ["Klaus Mueller", "Maria Lopez"], f"only {reached} heard of it"
    party = [(a.said_by, a.said) for r in said for a in r.agents if "party" in (a.said or "")]
    assert party and all(by in (ACT, *RULE_LINES) for by, _ in party), party  # template words
    assert any(by == ACT and "Would you like to come" in text for by, text in party)
    for agent in reached:  # every line they heard was a line someone said: nothing repeated
        chats = [n for n in sim.minds[agent].memory.nodes if n.kind == "chat"]
        for chat in chats:
            texts = [text for _, text in chat.filling]
            assert len(texts) == len(set(texts)), texts
    assert not sim.errors, sim.last_error
    session.close()


def test_random_control_decides_by_choice_and_writes_nothing(tmp_path):
    """The same town on the random model: the party may spread (the invitation is one of the
    acts offered, and a random model picks it now and then), but every line naming it was
    chosen (or left as the only option) and written by a template, never the model's text: the
    random model fails the wording check. Decisions on invitations are its choices."""
    from cognition.llm.random_model import RandomModel

    store = SaveStore(saves_root=tmp_path / "saves")
    factory = GenerativeMindFactory(RandomModel(7), HashEmbedder(64), seed=7,
                                    chroma_client=make_client())
    session = open_session(store, fork=N3, load=None, name="control", factory=factory,
                           dispatcher=InlineDispatcher())
    said: list = []
    session.sim.add_listener(said.append)
    session.sim.run(STEPS)
    lines = [(a.said_by, a.said) for r in said for a in r.agents if a.said]
    assert lines, "nobody talked: the control would show nothing"
    written = [x for x in lines if x[0].source is Source.MODEL_TEXT]
    assert not written, written
    decided = [c for m in session.sim.minds.values() for c in m.state.commitments if c.source]
    assert all(c.by.source in (Source.MODEL_CHOICE, Source.RULE) for c in decided)
    session.close()


def test_generative_town_is_deterministic_inline_or_on_a_thread_pool(tmp_path):
    one = town(tmp_path / "a", "one")
    two = town(tmp_path / "b", "two", dispatcher=ThreadPoolDispatcher(3))
    for session in (one, two):
        session.sim.run(400)
    assert one.sim.world_hash() == two.sim.world_hash()
    one.close()
    two.close()


def test_the_bases_start_as_the_paper_did():
    """Only Isabella knows of the party, and (of the 25) only Sam of his candidacy: the paper's
    4 % starting awareness, read with the memory test `simulacra analyze` uses."""
    import csv

    from cognition.analysis.diffusion import mentions, topic_words
    from cognition.generative.common import third_person
    from engine.paths import repo_root

    def aware(base: str, topic: str) -> list[str]:
        with open(repo_root() / "saves" / base / "history.csv", encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        return [name for name, text in rows if any(
            mentions(third_person(s.strip(), name), topic_words(topic)) for s in text.split(";"))]

    assert aware("base_the_ville_n25", "Valentine's Day party") == ["Isabella Rodriguez"]
    assert aware("base_the_ville_n25", "Sam Moore running for mayor") == ["Sam Moore"]
    assert aware(N3, "Valentine's Day party") == ["Isabella Rodriguez"]
