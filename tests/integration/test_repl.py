"""`simulacra repl`: the original's console, driven by scripted standard input (routine minds)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from engine import paths
from game.cli import main

N3 = "base_the_ville_isabella_maria_klaus"


def _repl(monkeypatch, capsys, script: str, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    status = main(["repl", *args, "--mind", "routine"])
    return status, capsys.readouterr().out


def _meta(home, name):
    return json.loads((home / "saves" / name / "meta.json").read_text(encoding="utf-8"))


def test_scripted_run_then_fin_on_real_stdin_leaves_a_save_that_loads(simulacra_home):
    env = {**os.environ, "PYTHONPATH": str(paths.repo_root())}
    done = subprocess.run(
        [sys.executable, "-m", "game.cli", "repl", "--fork", N3, "--name", "town",
         "--mind", "routine"],
        input="run 30\nfin\n", capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ran 30 steps" in done.stdout and "saved to" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert _meta(simulacra_home, "town")["step"] == 30
    assert main(["run", "--load", "town", "--steps", "5", "--mind", "routine", "--quiet"]) == 0
    assert _meta(simulacra_home, "town")["step"] == 35


def test_unknown_and_malformed_lines_get_a_message_and_the_console_goes_on(
        simulacra_home, monkeypatch, capsys):
    script = ("dance\nrun\nrun -3\nrun many\ncall -- analysis\ncall -- analysis Nobody Here\n"
              "call -- load history /no/such/file.csv\ncall -- load history\nhelp\nrun 2\n"
              "print persona schedule Maria Lopez\nprint persona current tile klaus mueller\n"
              "print persona associative memory (event) Isabella Rodriguez\nprint tile event 1, 2\n"
              "print persona schedule Nobody\nfin\n")
    status, out = _repl(monkeypatch, capsys, script, "--fork", N3, "--name", "oops")
    assert status == 0
    assert "unknown option 'dance'" in out
    assert out.count("run needs a number of steps") == 3
    assert "no agent named 'Nobody Here'" in out
    assert "/no/such/file.csv: not found" in out and "needs a CSV file" in out
    assert "loaded 9 memories" not in out
    assert "call -- load history <csv>" in out  # help lists the options
    assert "Traceback" not in out
    assert _meta(simulacra_home, "oops")["step"] == 2
    assert "Maria Lopez:" in out and " || " in out and "*" in out  # her day, now marked
    assert "recent memories, newest first" in out
    assert "unknown option 'print tile event 1, 2'" in out


def test_exit_and_end_of_input_leave_without_saving(simulacra_home, monkeypatch, capsys):
    status, out = _repl(monkeypatch, capsys, "run 10\nexit\nrun 10\n", "--fork", N3,
                        "--name", "gone")
    assert status == 0 and "left without saving" in out
    assert not (simulacra_home / "saves" / "gone").exists()  # a fresh fork is removed, as before
    _repl(monkeypatch, capsys, "run 4\nsave\nrun 6\n", "--fork", N3, "--name", "kept")
    assert _meta(simulacra_home, "kept")["step"] == 4  # end of input: the last save stands
    status, out = _repl(monkeypatch, capsys, "run 3\nexit\n", "--load", "kept")
    assert _meta(simulacra_home, "kept")["step"] == 4 and "as it was last saved" in out


def test_load_history_in_the_originals_form_and_analysis_stores_nothing(
        simulacra_home, monkeypatch, capsys, tmp_path):
    history = tmp_path / "mine.csv"
    history.write_bytes("\ufeffName,Whisper\r\nKlaus Mueller,You like jazz, mostly bebop; "
                        "You collect stamps\r\n".encode("utf-8"))
    script = ("call -- load history the_ville/agent_history_init_n3.csv\n"
              f"call -- load history {history}\n"
              "call -- analysis klaus mueller\nWhat do you like?\nWhere are you?\nend_convo\n"
              "fin\n")
    status, out = _repl(monkeypatch, capsys, script, "--fork", N3, "--name", "hist")
    assert status == 0, out
    assert "already started with when it was forked; nothing loaded" in out
    assert "Klaus Mueller: 2 memories" in out
    assert out.count("Klaus Mueller: ") >= 3  # two replies in character
    mind = (simulacra_home / "saves" / "hist" / "minds" / "klaus_mueller.json").read_text(
        encoding="utf-8")
    assert "You like jazz, mostly bebop" in mind and "You collect stamps" in mind
    assert "Where are you?" not in mind  # the original's analysis remembered nothing


def test_history_naming_absent_agents_is_refused_in_one_line(
        simulacra_home, monkeypatch, capsys, tmp_path):
    history = tmp_path / "n25.csv"
    history.write_text("Name,Whisper\nKlaus Mueller,a\nSam Moore,b\n", encoding="utf-8")
    status, out = _repl(monkeypatch, capsys, f"call -- load history {history}\nfin\n",
                        "--fork", N3, "--name", "absent")
    assert status == 0
    (line,) = [ln for ln in out.splitlines() if ln.startswith("error:")]
    assert "'Sam Moore' (line 3)" in line
    mind = (simulacra_home / "saves" / "absent" / "minds" / "klaus_mueller.json")
    assert '"a"' not in mind.read_text(encoding="utf-8")  # nothing of a refused file is stored


def test_the_originals_example_path_loads_the_bases_history_into_another_town(
        simulacra_home, monkeypatch, capsys):
    script = "call -- load history the_ville/agent_history_init_n3.csv\nfin\n"
    status, out = _repl(monkeypatch, capsys, script, "--fork", "base_the_ville_n25",
                        "--name", "big")
    assert status == 0 and "loaded 9 memories" in out, out
