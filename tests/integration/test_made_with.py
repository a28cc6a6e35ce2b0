"""A save remembers how it was made (meta.json extra.made_with) and commands use it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from engine.errors import UserError
from engine.made_with import changes, made_with, merge, remember
from engine.persistence import SaveStore
from engine.save_meta import SaveMeta
from game.cli import main
from game.wiring import MindOptions, settle_options

N3 = "base_the_ville_isabella_maria_klaus"


def meta_of(home, name):
    return json.loads((home / "saves" / name / "meta.json").read_text(encoding="utf-8"))


def test_load_history_on_a_routine_save_needs_no_mind_option(simulacra_home, tmp_path, capsys):
    """The issue's case: it failed with "world.json or minds/ has a bad shape (KeyError)"."""
    assert main(["run", "--fork", N3, "--name", "r", "--steps", "5", "--mind", "routine",
                 "--quiet"]) == 0
    assert meta_of(simulacra_home, "r")["extra"]["made_with"]["mind"] == "routine"
    csv = tmp_path / "h.csv"
    csv.write_text("Name,Whisper\nKlaus Mueller,I like tea;I read a lot\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["load-history", "r", str(csv)]) == 0
    assert "loaded 2 memories" in capsys.readouterr().out


def test_a_save_from_before_made_with_falls_back_to_its_mind_field(simulacra_home):
    assert main(["run", "--fork", N3, "--name", "old", "--steps", "3", "--mind", "routine",
                 "--quiet"]) == 0
    path = simulacra_home / "saves" / "old" / "meta.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["extra"].pop("made_with")
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["run", "--load", "old", "--steps", "2", "--quiet"]) == 0
    assert meta_of(simulacra_home, "old")["step"] == 5


def test_a_change_of_mind_kind_is_refused_in_one_line(simulacra_home, capsys):
    main(["run", "--fork", N3, "--name", "r", "--steps", "2", "--mind", "routine", "--quiet"])
    capsys.readouterr()
    assert main(["run", "--load", "r", "--steps", "1", "--mind", "generative"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "routine minds" in err and "Traceback" not in err


def saved(simulacra_home, recorded: dict[str, str]) -> SaveStore:
    main(["run", "--fork", N3, "--name", "g", "--steps", "1", "--mind", "routine", "--quiet"])
    path = simulacra_home / "saves" / "g" / "meta.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["extra"]["made_with"] = recorded
    path.write_text(json.dumps(data), encoding="utf-8")
    return SaveStore()


def test_remembered_options_are_used_and_a_given_one_is_said(simulacra_home, tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    store = saved(simulacra_home, {"mind": "routine", "model": str(model), "weights": "shipped",
                                   "embed_model": "hashed", "server": "", "server_model": ""})
    said: list[str] = []
    settled = settle_options(MindOptions(mind=None, weights=None, server_model=None), store,
                             "g", say=said.append)
    assert (settled.mind, settled.model, settled.weights, settled.embed_model) == (
        "routine", str(model), "shipped", "hashed")
    assert said == []
    settled = settle_options(MindOptions(mind=None, weights="q8_0", server_model=None), store,
                             "g", say=said.append)
    assert settled.weights == "q8_0" and said == [
        "save 'g': weights shipped -> q8_0 (as asked; the save remembers it from now on)"]


def test_a_remembered_model_file_that_is_gone_is_one_clear_error(simulacra_home, tmp_path):
    store = saved(simulacra_home, {"mind": "routine", "model": str(tmp_path / "gone.gguf")})
    with pytest.raises(UserError, match="gone.gguf, which is gone"):
        settle_options(MindOptions(mind=None, weights=None), store, "g")


def test_naming_a_server_drops_the_remembered_model():
    recorded = {"mind": "generative", "model": "/m.gguf", "weights": "shipped", "server": ""}
    merged = merge({"server": "http://h:8080/v1", "model": None, "weights": None,
                    "mind": None}, recorded)
    assert merged["server"] == "http://h:8080/v1" and merged["model"] is None
    assert merged["weights"] is None and merged["mind"] == "generative"
    assert changes({"server": "http://h:8080/v1"}, recorded) == [
        "server default -> http://h:8080/v1"]


def test_made_with_round_trips_and_refuses_a_malformed_entry():
    meta = SaveMeta(name="s", map="the_ville", start_time="2023-02-13T07:00:00", step_s=10,
                    seed=1, personas=("A B",))
    stored = remember(meta, {"mind": "generative", "weights": "q8_0"})
    assert made_with(SaveMeta.from_json(stored.to_json(), "s"))["weights"] == "q8_0"
    for bad in ({"mind": 3}, {"mind": "telepathic"}, "routine"):
        with pytest.raises(UserError, match="made_with"):
            made_with(replace(meta, extra={"made_with": bad}))


def test_the_same_model_given_again_by_a_relative_path_is_no_change(simulacra_home, tmp_path,
                                                                    monkeypatch):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    store = saved(simulacra_home, {"mind": "routine", "model": str(model)})
    monkeypatch.chdir(tmp_path)
    said: list[str] = []
    settled = settle_options(MindOptions(mind=None, model="m.gguf", weights=None), store, "g",
                             say=said.append)
    assert settled.model == str(model) and said == []
