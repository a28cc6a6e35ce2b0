"""`analyze` reports exactly what happened: one fact spread through three scripted
conversations gives a known awareness curve and network density; the CLI writes the report."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cognition" / "generative"))

from generative_helpers import brain, conversation, percept  # noqa: E402

from cognition.analysis import analyze, write_report  # noqa: E402
from cognition.generative import GenerativeMindFactory  # noqa: E402
from cognition.llm.fakes import HashEmbedder  # noqa: E402
from engine.agent_api import MessageKind, Reason  # noqa: E402
from engine.dispatcher import InlineDispatcher  # noqa: E402
from engine.persistence import SaveStore  # noqa: E402
from engine.session import open_session  # noqa: E402

N3 = "base_the_ville_isabella_maria_klaus"
ISABELLA, MARIA, KLAUS = "Isabella Rodriguez", "Maria Lopez", "Klaus Mueller"
PARTY = "Valentine's Day party"
ROOT = Path(__file__).resolve().parents[2]


def talk(sim, a: str, b: str, cid: int, time_iso: str, step: int) -> None:
    """Two lines between minds a and b at `time_iso`, then both wrap the conversation up."""
    lines: list[tuple[str, str]] = []
    for i, speaker in enumerate((a, b)):
        view = conversation(cid, a, b, lines)
        d = sim.minds[speaker].decide(
            percept(speaker, time_iso, (Reason.CONVERSATION_TURN,), step=step + i,
                    conversation=view))  # fmt: skip
        assert d.say, f"{speaker} said nothing"
        lines.append((speaker, d.say))
    done = conversation(cid, a, b, lines, ended=True)
    for name in (a, b):
        sim.minds[name].decide(percept(name, time_iso, (Reason.CONVERSATION_ENDED,),
                                       step=step + 5, finished_conversation=done))  # fmt: skip


def scripted_save(tmp_path: Path) -> Path:
    """A save in which Isabella (history: the party) tells Maria at 08:00, Maria tells Klaus at
    09:00 and Klaus talks with Isabella at 10:00; the run ends at 11:00."""
    store = SaveStore(saves_root=tmp_path / "saves")
    factory = GenerativeMindFactory(brain(), HashEmbedder(64), seed=7)
    session = open_session(store, fork=N3, load=None, name="scripted", factory=factory,
                           dispatcher=InlineDispatcher())  # fmt: skip
    sim = session.sim
    for name, body in sim.bodies.items():  # the fork's history, told now (no step is run here)
        told, body.history = body.history, []
        sim.ask(name, [(MessageKind.WHISPER, text) for text in told])
    talk(sim, ISABELLA, MARIA, 1, "2023-02-13T08:00:00", 360)
    talk(sim, MARIA, KLAUS, 2, "2023-02-13T09:00:00", 720)
    talk(sim, KLAUS, ISABELLA, 3, "2023-02-13T10:00:00", 1080)
    meta = replace(session.current_meta(), step=4 * 360)
    path = store.write("scripted", meta, sim.to_state(), session.loaded.path)
    session.close()
    return path


def test_three_conversations_give_the_exact_awareness_curve_and_density(tmp_path):
    report = analyze(scripted_save(tmp_path), [PARTY])
    data = report.to_json()
    curve = data["topics"][PARTY]["share_over_time"]
    assert [(t[11:16], share) for t, share in curve] == [
        ("07:00", round(1 / 3, 4)), ("08:00", round(2 / 3, 4)), ("09:00", 1.0),
        ("10:00", 1.0), ("11:00", 1.0),
    ]  # fmt: skip
    since = data["topics"][PARTY]["since"]
    assert since == {ISABELLA: "2023-02-13T07:00:00", MARIA: "2023-02-13T08:00:00",
                     KLAUS: "2023-02-13T09:00:00"}  # fmt: skip
    density = [(t[11:16], d) for t, d in data["network"]["density_over_time"]]
    assert density == [("07:00", 0.0), ("08:00", round(1 / 3, 4)), ("09:00", round(2 / 3, 4)),
                       ("10:00", 1.0), ("11:00", 1.0)]  # fmt: skip
    assert data["network"]["conversations_per_agent"] == {ISABELLA: 2, MARIA: 2, KLAUS: 2}
    b = data["believability"]
    assert b["dialogue_lines"] == 6 and b["repeated_line_share"] == 0.0
    assert b["conversations_per_agent_per_day"][MARIA] == 2 / (4 / 24)
    assert report.topics[0].since[MARIA] == datetime(2023, 2, 13, 8)


def test_interviews_are_listed_next_to_the_memory_search(tmp_path):
    asked = []

    def ask(agent, question):
        asked.append((agent, question))
        return "Yes, Isabella told me" if agent != KLAUS else "No idea"

    report = analyze(scripted_save(tmp_path), [PARTY], ask=ask)
    answers = report.to_json()["topics"][PARTY]["interviews"]
    assert answers[KLAUS] == "No idea" and len(asked) == 3
    assert all(PARTY in q for _, q in asked)


def test_report_files_and_the_command(tmp_path):
    save = scripted_save(tmp_path)
    written = write_report(analyze(save, [PARTY]), tmp_path / "out")
    assert {p.name for p in written} >= {"report.md", "report.json", "awareness.png",
                                         "density.png", "conversations.png", "places.png"}
    assert all(p.stat().st_size > 0 for p in written)
    assert "Believability check" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    env = {"SIMULACRA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, "-m", "game.cli", "analyze", "scripted", "--topic", PARTY],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Valentine's Day party: 3 of 3 agents aware" in run.stdout
    report = json.loads((save / "analysis" / "report.json").read_text(encoding="utf-8"))
    assert report["topics"][PARTY]["aware_at_end"] == 3
    missing = subprocess.run([sys.executable, "-m", "game.cli", "analyze", "nope"],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_both_sides_of_one_conversation_count_once_even_a_minute_apart():
    from datetime import datetime, timedelta

    from cognition.analysis.data import Memory, RunData, conversations

    t = datetime(2023, 2, 13, 7, 43, 40)
    lines = (("A B", "Hello there, friend."), ("C D", "Hi, how are you?"))

    def chat(agent, other, when, filling, node_id=1):
        return Memory(agent, node_id, "chat", when, "conversation", "chat with", other, (),
                      filling)

    data = RunData("x", ("A B", "C D"), t, t + timedelta(hours=3), {
        "A B": [chat("A B", "C D", t, lines),
                chat("A B", "C D", t + timedelta(hours=2), lines[1:], 2)],
        "C D": [chat("C D", "A B", t + timedelta(seconds=20), lines + (("C D", "Bye!"),))],
    }, {}, [])  # fmt: skip
    talks = conversations(data)
    assert [(when, len(said)) for when, _, said in talks] == [(t, 3), (t + timedelta(hours=2), 1)]
