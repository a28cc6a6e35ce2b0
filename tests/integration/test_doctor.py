"""`simulacra doctor`: one line per finding, one line per problem, exit status 0 or 2."""

from __future__ import annotations

import socket

import pytest

from game.cli import main
from game.commands.doctor import Report, check_data_folder, check_display, check_server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unwritable_data_folder_is_a_problem(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    report = Report(out=lambda line: None)
    check_data_folder(report, blocker / "home")
    assert len(report.problems) == 1 and "not writable" in report.problems[0]
    check_data_folder(report, tmp_path / "ok")
    assert len(report.problems) == 1


def test_a_server_that_does_not_answer_is_a_problem():
    report = Report(out=lambda line: None)
    check_server(report, "model server", f"http://127.0.0.1:{free_port()}/v1", "/models")
    assert len(report.problems) == 1 and "does not answer" in report.problems[0]


@pytest.mark.parametrize("env, platform, seen", [
    ({"SDL_VIDEODRIVER": "dummy"}, "linux", "none"),
    ({}, "linux", "none"),
    ({"DISPLAY": ":0"}, "linux", "available"),
    ({}, "win32", "available"),
])
def test_the_display_is_reported_never_a_problem(env, platform, seen):
    lines: list[str] = []
    report = Report(out=lines.append)
    check_display(report, env, platform)
    assert seen in lines[0] and report.problems == []


@pytest.mark.llm
def test_doctor_passes_here_and_names_cpu_library_model_and_folder(simulacra_home, capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for label in ("CPU:", "CPU features:", "llama.cpp options:", "llama-cpp-python:",
                  "model self-test:", "tokens/s", "llama.cpp build:", "chromadb:",
                  "data folder:", "display:"):
        assert label in out, label
    assert "everything needed works" in out


@pytest.mark.llm
def test_doctor_lists_each_problem_in_one_line_and_exits_2(simulacra_home, capsys):
    url = f"http://127.0.0.1:{free_port()}/v1"
    assert main(["doctor", "--server", url, "--model", "/nonexistent.gguf"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(err) == 2 and all(line.startswith("simulacra: problem: ") for line in err)
    assert any("nonexistent.gguf" in line for line in err) and any(url in line for line in err)
