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
    assert json.loads(lines[-1])["step"] == 50  # the log reaches the saved step


def test_list_shows_bases_and_saves(simulacra_home, capsys):
    main(["run", "--fork", N3, "--name", "listed", "--steps", "1", "--mind", "routine",
          "--quiet"])
    capsys.readouterr()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "base_the_ville_n25" in out and N3 in out and "listed" in out


def test_list_names_a_folder_of_bases_that_is_no_base(simulacra_home, capsys):
    (simulacra_home / "bases" / "half-made").mkdir(parents=True)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "half-made" in out and "broken: base 'half-made': meta.json not found" in out


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


def test_make_base_then_list_and_fork_it(simulacra_home, capsys):
    assert main(["run", "--fork", N3, "--name", "mine", "--steps", "12", "--mind", "routine",
                 "--quiet"]) == 0
    assert main(["make-base", "mine", "base_my_town"]) == 0
    base = simulacra_home / "bases" / "base_my_town"
    assert json.loads((base / "meta.json").read_text(encoding="utf-8"))["step"] == 12
    assert not (base / "runlog.jsonl").exists()  # the run log stays with the save
    capsys.readouterr()
    assert main(["list"]) == 0
    assert "base_my_town" in capsys.readouterr().out.split("Saves in")[0]
    assert main(["run", "--fork", "base_my_town", "--name", "child", "--steps", "3",
                 "--mind", "routine", "--quiet"]) == 0
    child = json.loads((simulacra_home / "saves" / "child" / "meta.json")
                       .read_text(encoding="utf-8"))
    assert (child["step"], child["fork_source"]) == (15, "base_my_town")
    assert not (base / "history.csv").exists()  # the world holds it; a fork would plant it twice

    def party_memories(save):
        mind = simulacra_home / "saves" / save / "minds" / "isabella_rodriguez.json"
        return mind.read_text(encoding="utf-8").count("Valentine's Day party at Hobbs Cafe")

    assert party_memories("child") == party_memories("mine") >= 1
    capsys.readouterr()
    assert main(["make-base", "mine", N3]) == 2  # names a shipped base: refused, nothing touched
    assert main(["make-base", "nope", "base_x"]) == 2
    assert main(["make-base", "mine", "../escape"]) == 2
    assert not (simulacra_home / "escape").exists()


def test_no_arguments_continue_the_most_recent_save(simulacra_home, monkeypatch, capsys):
    from game.commands import play

    opened = []
    monkeypatch.setattr(play, "handle", lambda args: opened.append((args.fork, args.load)) or 0)
    assert main([]) == 0
    assert opened == [(None, None)]  # the first time: a new fork of the 3-agent base
    for name in ("older", "newer"):
        main(["run", "--fork", N3, "--name", name, "--steps", "1", "--mind", "routine",
              "--quiet"])
    main(["run", "--load", "older", "--steps", "1", "--mind", "routine", "--quiet"])
    assert main([]) == 0
    assert opened[-1] == (None, "older")
    assert "continuing 'older'" in capsys.readouterr().out
    import shutil

    saves = simulacra_home / "saves"
    shutil.copytree(saves / "newer", saves / "newer-quicksave")  # a quicksave slot is no save
    (saves / "newer-quicksave" / "meta.json").touch()  # ... even when it is the newest
    assert main([]) == 0 and opened[-1] == (None, "older")
