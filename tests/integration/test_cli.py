"""The command line end to end (routine minds, so no model is loaded): run, continue, list,
interview, load-history."""

from __future__ import annotations

import json

from game.cli import main

N3 = "base_the_ville_isabella_maria_klaus"


def test_run_saves_under_the_data_dir_and_continues(simulacra_home, capsys):
    assert main(["run", "--fork", N3, "--name", "town", "--steps", "30", "--mind", "routine",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    save = simulacra_home / "saves" / "town"
    assert f"saved to {save}" in out
    assert json.loads((save / "meta.json").read_text(encoding="utf-8"))["step"] == 30
    assert main(["run", "--load", "town", "--steps", "20", "--mind", "routine", "--quiet"]) == 0
    assert json.loads((save / "meta.json").read_text(encoding="utf-8"))["step"] == 50
    lines = (save / "runlog.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["step"] <= 49


def test_list_shows_bases_and_saves(simulacra_home, capsys):
    main(["run", "--fork", N3, "--name", "listed", "--steps", "1", "--mind", "routine",
          "--quiet"])
    capsys.readouterr()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "base_the_ville_n25" in out and N3 in out and "listed" in out


def test_interview_answers_in_character_and_load_history_plants_memories(
        simulacra_home, tmp_path, capsys):
    main(["run", "--fork", N3, "--name", "chat", "--steps", "5", "--mind", "routine",
          "--quiet"])
    csv = tmp_path / "history.csv"
    csv.write_text('Name,Whisper\n"Klaus Mueller","You love the library ;  You are '
                   'writing about ""gentrification"";"\n', encoding="utf-8")
    assert main(["load-history", "chat", str(csv), "--mind", "routine"]) == 0
    mind = json.loads((simulacra_home / "saves" / "chat" / "minds" / "klaus_mueller.json")
                      .read_text(encoding="utf-8"))
    assert "gentrification" in json.dumps(mind) and "library" in json.dumps(mind)
    capsys.readouterr()
    assert main(["interview", "chat", "Isabella Rodriguez", "--ask", "What are you doing?",
                 "--mind", "routine"]) == 0
    reply = capsys.readouterr().out.strip()
    assert reply.startswith("Isabella Rodriguez: ") and len(reply) > 25
