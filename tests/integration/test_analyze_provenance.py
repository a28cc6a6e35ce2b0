"""`analyze` says who made what a run showed, per kind and per prompt, and judges shown text
with rules of its own: the shares match hand-counted runs, agree with the run log read step by
step, and cut text the mind's own filter lets through is flagged."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from cognition.analysis import analyze, judge
from cognition.analysis.believability import check
from cognition.analysis.data import Memory, RunData, Said, Span
from cognition.analysis.shares import shares
from cognition.generative.actions import valid_activity

T = datetime(2023, 2, 13, 7, 0)
CUT = ("running for mayor of the Ville, and is telling",
       "reading Shakespeare. She's reading it. She's",
       "writing her senior thesis on how Shakespeare&")


@pytest.mark.parametrize("text", CUT)
def test_cut_text_the_minds_filter_accepts_is_judged_cut(text):
    assert valid_activity(text, max_chars=200) == text  # the mind's filter lets it through
    assert judge.cut_text(text, activity=True)


@pytest.mark.parametrize("text", ["making coffee", "reading a book at the library",
                                  "having breakfast at Hobbs Cafe", "sleeping",
                                  "brushing teeth and getting dressed"])
def test_whole_activities_are_not_judged_cut(text):
    assert judge.cut_text(text, activity=True) == ""


def test_lines_cut_off_and_said_again():
    assert judge.cut_text("I am going to the") and judge.cut_text("Do you know why?") == ""
    assert judge.near_repeat("I am fine, I just finished my work",
                             ["I am fine, I just finished my work for today."])
    assert not judge.near_repeat("Have you tried the pastries?", ["The weather is lovely."])


def _memory(agent, node_id, keywords=(), by="rule:perceive", importance_by="rule:x"):
    return Memory(agent, node_id, "thought", T, "text", "", "", keywords, (), by, importance_by)


def _run() -> RunData:
    spans = [Span("A B", T, 60, "making coffee", "x", "model:plan.decompose.v3"),
             Span("A B", T, 30, CUT[1], "x", "model:plan.decompose.v3"),
             Span("A B", T, 40, "sleeping", "x", "rule:sleep"),
             Span("C D", T, 70, "reading", "x", "repaired:plan.decompose.v3")]
    memories = {"A B": [_memory("A B", 1, importance_by="choice:importance.batch.v2"),
                        _memory("A B", 2, ("reflection",), "model:reflect.insight.v3",
                                "rule:fallback.importance")],
                "C D": [_memory("C D", 1, importance_by="choice:importance.batch.v2")]}
    minds = {"A B": {"mind": {"made": {"place": {"rule:place.rank": 3,
                                                 "choice:place.arena.v1": 1}}}},
             "C D": {"mind": {"made": {"plan_hours": {"choice:plan.day.v4": 2}}}}}
    lines = [Said("A B", 5, "I am baking bread today.", "rule:statement"),
             Said("C D", 6, "That sounds lovely to me.", "model:dialogue.turn.v4"),
             Said("A B", 7, "Come by the cafe later.", "rule:statement")]
    replies = [Said("A B", 9, "Sorry, I'm a bit lost in thought right now.",
                    "rule:fallback.interview")]
    return RunData("x", ("A B", "C D"), T, T + timedelta(hours=1), memories, minds, spans,
                   lines, replies, step_s=10)


def test_shares_per_kind_are_counted_as_by_hand():
    table = shares(_run())
    actions = table["actions"]
    assert actions.total == 20 and actions.counts["model:plan.decompose.v3"] == 9
    assert actions.model_share == pytest.approx(9 / 20)
    assert actions.share("repaired") == pytest.approx(7 / 20)
    assert actions.share("rule") == pytest.approx(4 / 20)
    assert table["places"].model_share == pytest.approx(1 / 4)
    assert table["plan_hours"].share("choice") == 1.0
    assert table["lines"].model_share == pytest.approx(1 / 3)
    assert table["lines"].counts["rule:statement"] == 2
    assert table["chat_answers"].model_share == 0.0 and table["chat_answers"].total == 1
    assert table["importance"].model_share == pytest.approx(2 / 3)
    assert table["reflections"].counts == Counter({"model:reflect.insight.v3": 1})
    rows = {(r["kind"], r["by"]): r for r in table.per_prompt()}
    assert rows[("actions", "rule:sleep")]["count"] == 4
    assert rows[("lines", "rule:statement")]["share"] == pytest.approx(2 / 3, abs=1e-4)


def test_the_judge_weighs_cut_actions_by_the_steps_shown():
    result = check(_run())
    assert [(a, n) for a, _, n in result.cut] == [(CUT[1], 3)]
    assert result.action_steps == 20 and result.cut_step_share == pytest.approx(3 / 20)
    assert result.junk_share == 0  # the mind's own filter sees nothing wrong


def test_a_saved_run_reports_the_shares_the_run_log_shows(tmp_path):
    """Shares from `analyze` agree with counting each logged step's record directly."""
    from cognition.generative import GenerativeMindFactory
    from cognition.llm.hashed import HashEmbedder
    from cognition.llm.random_model import RandomModel
    from cognition.memory.chroma_index import make_client
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore
    from engine.runlog import open_runlog
    from engine.session import open_session

    factory = GenerativeMindFactory(RandomModel(3), HashEmbedder(256), seed=3,
                                    chroma_client=make_client())
    session = open_session(SaveStore(saves_root=tmp_path / "saves"),
                           fork="base_the_ville_isabella_maria_klaus", load=None, name="p",
                           factory=factory, dispatcher=InlineDispatcher(), model_name="random")
    session.sim.run(360)
    path = session.save()
    session.close()
    report = analyze(path)
    counted: Counter = Counter()
    with open_runlog(path / "runlog.jsonl") as log:
        steps = [s for s in log.steps() if s < 360]  # 360: the save's boundary, not a step run
        for record in log.iter_records(steps[0], steps[-1]):
            counted.update(str(a.action_by) for a in record.agents if a.action)
        # steps after the last logged change show the last record's actions
        counted.update(str(a.action_by) for a in record.agents if a.action
                       for _ in range(360 - 1 - steps[-1]))
    got = report.provenance["actions"].counts
    shown = sum(counted.values())  # agent-steps with an action shown
    assert "rule:unknown" not in got and 3 * 350 <= sum(got.values()) == shown <= 3 * 360
    assert got == counted
    assert report.to_json()["provenance"]["kinds"]["actions"]["total"] == shown
