"""`simulacra evaluate SAVE` end to end: the report it writes, a save left byte for byte as it
was, one-line errors, and (llm mark) the bundled model beating the random one."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from game.cli import main

N3 = "base_the_ville_isabella_maria_klaus"


def tree_hash(folder: Path, skip: str = "evaluation") -> dict[str, str]:
    out = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != skip]
        for name in files:
            path = Path(root) / name
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def save(simulacra_home) -> Path:
    assert main(["run", "--fork", N3, "--name", "ev", "--steps", "60", "--model", "random",
                 "--quiet"]) == 0
    return simulacra_home / "saves" / "ev"


def test_evaluate_writes_the_report_and_leaves_the_save_unchanged(save, capsys):
    before = tree_hash(save)
    assert main(["evaluate", "ev", "--model", "random", "--agents", "Klaus Mueller",
                 "--quiet"]) == 0
    assert tree_hash(save) == before
    data = json.loads((save / "evaluation" / "report.json").read_text(encoding="utf-8"))
    assert list(data["conditions"]) == ["full", "no_reflection", "no_reflection_no_planning",
                                        "no_memory", "random_model"]
    for row in data["conditions"].values():
        assert 0 <= row["overall"] <= 1 and row["questions"] == 25
        assert set(row["categories"]) == {"self-knowledge", "memory", "plans", "reactions",
                                          "reflections"}
    assert len(data["results"]) == 125
    assert all(r["answer"] and r["by"] for r in data["results"])
    assert (save / "evaluation" / "scores.png").read_bytes()[:4] == b"\x89PNG"
    assert "| full |" in (save / "evaluation" / "report.md").read_text(encoding="utf-8")
    assert "simulacra: full:" in capsys.readouterr().out
    # a second run replaces the report, leaving no temporary file behind
    assert main(["evaluate", "ev", "--model", "random", "--agents", "Klaus Mueller",
                 "--conditions", "no_memory", "--quiet"]) == 0
    assert sorted(os.listdir(save / "evaluation")) == ["report.json", "report.md", "scores.png"]
    assert tree_hash(save) == before


@pytest.mark.parametrize("args, message", [
    (["--questions", "missing.json"], "--questions: cannot read"),
    (["--agents", "Nobody Here"], "--agents: no agent named 'Nobody Here'"),
    (["--conditions", "best"], "--conditions: unknown condition 'best'"),
    (["--mind", "routine"], "evaluate interviews generative minds"),
])
def test_mistakes_are_one_line_and_exit_2(save, capsys, args, message):
    before = tree_hash(save, skip="")
    assert main(["evaluate", "ev", "--model", "random", "--quiet", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert tree_hash(save, skip="") == before


def test_a_questions_file_replaces_the_bank(save, tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"questions": [
        {"agent": "Maria Lopez", "category": "self-knowledge", "question": "Who are you?",
         "expect_any": ["Maria"]},
        {"agent": "Maria Lopez", "category": "memory", "question": "Who is Wolfgang Schulz?",
         "expect_none": ["my friend"]}]}), encoding="utf-8")
    assert main(["evaluate", "ev", "--model", "random", "--questions", str(path),
                 "--conditions", "full", "--quiet"]) == 0
    data = json.loads((save / "evaluation" / "report.json").read_text(encoding="utf-8"))
    assert [r["question"] for r in data["results"]] == ["Who are you?", "Who is Wolfgang Schulz?"]
    assert data["conditions"]["full"]["questions"] == 2


@pytest.mark.llm
def test_bundled_model_answers_better_than_the_random_model(simulacra_home, tmp_path):
    """What the model contributes: the same architecture and options, the bundled model's
    choices against uniformly random ones, on a small bank written from the personas."""
    # the town lived on the random model (fast, and it never waits on a loaded machine): the
    # bank asks what the persona and the stranger settle, whatever the memories hold
    assert main(["run", "--fork", N3, "--name", "llm", "--steps", "90", "--model", "random",
                 "--quiet"]) == 0
    questions = [
        ("self-knowledge", "What's your occupation?", {
            "Isabella Rodriguez": ["cafe"], "Klaus Mueller": ["student", "sociology"],
            "Maria Lopez": ["student", "physics"]}),
        ("memory", "Who is Wolfgang Schulz?", None),
        ("self-knowledge", "Give an introduction of yourself.", {
            "Isabella Rodriguez": ["Isabella"], "Klaus Mueller": ["Klaus"],
            "Maria Lopez": ["Maria"]}),
        ("reactions", "The bathroom is occupied. What would you do?", None),
    ]
    rows = []
    for agent in ("Isabella Rodriguez", "Klaus Mueller", "Maria Lopez"):
        for category, text, expect in questions:
            row = {"agent": agent, "category": category, "question": text}
            if expect:
                row["expect_any"] = expect[agent]
            elif "Wolfgang" in text:
                row["expect_any"] = ["don't know", "not sure", "never heard"]
            else:
                row["expect_any"] = ["wait", "later", "knock"]
            rows.append(row)
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"questions": rows}), encoding="utf-8")
    assert main(["evaluate", "llm", "--questions", str(path), "--conditions",
                 "full,random_model", "--quiet"]) == 0
    data = json.loads((simulacra_home / "saves" / "llm" / "evaluation" / "report.json")
                      .read_text(encoding="utf-8"))
    full, rand = data["conditions"]["full"]["overall"], data["conditions"]["random_model"]["overall"]
    assert full > rand, (full, rand)


def test_judge_server_rates_answers_and_ranks_conditions(save):
    from cognition.llm.fake_server import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    try:
        assert main(["evaluate", "ev", "--model", "random", "--agents", "Maria Lopez",
                     "--conditions", "full,no_memory", "--judge-server", server.url,
                     "--quiet"]) == 0
    finally:
        server.stop()
    data = json.loads((save / "evaluation" / "report.json").read_text(encoding="utf-8"))
    assert set(data["judge"]["conditions"]) == {"full", "no_memory"}
    assert all(1 <= r["rating"] <= 7 for r in data["results"])
    assert "TrueSkill" in (save / "evaluation" / "report.md").read_text(encoding="utf-8")


def test_an_unreachable_judge_is_one_line(save, capsys):
    assert main(["evaluate", "ev", "--model", "random", "--judge-server",
                 "http://127.0.0.1:9/v1", "--quiet"]) == 2
    assert "\n" not in capsys.readouterr().err.strip()
