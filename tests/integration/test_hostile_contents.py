"""Hostile save contents and inputs of issue 23, each a regression test: one line naming the
problem (exit 2), or bounded work; never a traceback, never a save damaged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_helpers import assert_refused, cli, copy_home, fingerprint, make_template
from test_import_original import write_original

from engine.errors import MAX_LINE

ROOT = Path(__file__).resolve().parents[2]
RUN = ("--mind", "routine", "--quiet", "--autosave-min", "0")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("hostile"))


def _edit_meta(save: Path, **changes) -> None:
    meta = json.loads((save / "meta.json").read_text(encoding="utf-8"))
    meta.update(changes)
    (save / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def test_a_huge_offset_in_the_run_log_index_is_ignored(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    save = home / "saves" / "keep"
    (save / "runlog.idx").write_text("0 9" + "9" * 5000 + " 0\n60 99999999999999 3\n")
    done = cli(home, "run", "--load", "keep", "--steps", "3", *RUN)
    assert done.code == 0, done.err


def test_a_5000_digit_integer_in_meta_is_one_line_and_list_goes_on(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    assert cli(home, "run", "--fork", "base_the_ville_isabella_maria_klaus", "--name", "good",
               "--steps", "1", *RUN).code == 0
    save = home / "saves" / "keep"
    (save / "meta.json").write_text((save / "meta.json").read_text().replace(
        '"seed": ', '"seed": 1' + "0" * 5000 + ", \"x\": "), encoding="utf-8")
    before = fingerprint(save)
    assert_refused(cli(home, "run", "--load", "keep", "--steps", "1", *RUN),
                   "meta.json", "integer of 5001 digits")
    listing = cli(home, "list")
    assert listing.code == 0, listing.err
    assert "keep" in listing.out and "broken" in listing.out and "good" in listing.out
    assert fingerprint(save) == before


def test_a_5000_digit_integer_in_a_persona_is_one_line(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    persona = home / "saves" / "keep" / "personas" / "klaus_mueller.json"
    data = json.loads(persona.read_text(encoding="utf-8"))
    text = json.dumps(data).replace('"age": ', '"age": 9' + "9" * 5000 + ', "_": ', 1)
    persona.write_text(text, encoding="utf-8")
    assert_refused(cli(home, "run", "--load", "keep", "--steps", "1", *RUN), "klaus_mueller")


@pytest.mark.parametrize("start", ["9999-12-31T23:59:59", "0001-01-01T00:00:00"])
def test_a_start_time_at_the_end_of_the_calendar_is_one_line(template, tmp_path, start):
    home = copy_home(template, tmp_path / "home")
    _edit_meta(home / "saves" / "keep", start_time=start)
    assert_refused(cli(home, "run", "--load", "keep", "--steps", "1", *RUN), "start_time")
    listing = cli(home, "list")
    assert listing.code == 0 and "broken" in listing.out, listing


@pytest.mark.parametrize("line", [
    b'{"step": 99, "time": "x", "agents": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
    b'{"step": 1' + b"0" * 5000 + b', "time": "x", "agents": {}}\n',
    b'{"step": 99, "time": "x", "agents": {}, "world": {"errors": Infinity}}\n',
], ids=["deep", "huge-int", "infinity"])
@pytest.mark.parametrize("command", ["render", "analyze"])
def test_hostile_run_log_lines_are_one_line_for_readers(template, tmp_path, line, command):
    home = copy_home(template, tmp_path / "home")
    save = home / "saves" / "keep"
    with open(save / "runlog.jsonl", "ab") as log:
        log.write(line)
    before = fingerprint(save)
    argv = ("render", "keep", "-o", str(tmp_path / "x.mp4"), "--size", "320x240",
            "--quiet") if command == "render" else ("analyze", "keep")
    assert_refused(cli(home, *argv), "run log")
    assert fingerprint(save) == before
    assert not (tmp_path / "x.mp4").exists()


def test_a_saved_step_far_past_the_log_plans_only_what_the_log_can_hold(template, tmp_path):
    from engine.persistence import SaveStore
    from game.replay.source import open_recorded_run

    home = copy_home(template, tmp_path / "home")
    _edit_meta(home / "saves" / "keep", step=10**9)
    run = open_recorded_run("keep", SaveStore(home / "saves", user_bases_root=home / "bases"))
    try:
        assert len(run.reader.steps()) < 20 + 3600 + 2
    finally:
        run.close()


def test_render_stops_on_sigterm_leaving_no_partial_file(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    out = tmp_path / "video"
    out.mkdir()
    env = {**os.environ, "SIMULACRA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    render = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "render", "keep", "-o", str(out / "v.mp4"),
         "--speed", "0.05", "--size", "320x240", "--quiet"],  # 20 steps at 0.05/s: 400 s
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(600):  # until it has started encoding
        if any(out.iterdir()) or render.poll() is not None:
            break
        time.sleep(0.1)
    time.sleep(1.0)
    render.send_signal(signal.SIGTERM)
    _, err = render.communicate(timeout=120)
    assert render.returncode == 130, err
    assert "Traceback" not in err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("argv, problem", [
    (("render", "keep", "-o", "x.mp4", "--size", "99999x99999"), "out of range"),
    (("run", "--load", "keep", "--steps", "10" + "0" * 30), "--steps must be from 0"),
])
def test_huge_sizes_and_step_counts_are_one_line(template, tmp_path, argv, problem):
    home = copy_home(template, tmp_path / "home")
    assert_refused(cli(home, *argv), problem)


def test_a_csv_with_many_unknown_names_gives_a_capped_line_also_in_the_log(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    csv = tmp_path / "many.csv"
    csv.write_text("Name,Whisper\n" + "".join(f"Nobody {i},hello\n" for i in range(200_000)),
                   encoding="utf-8")
    done = cli(home, "load-history", "keep", str(csv), "--mind", "routine")
    assert_refused(done, "and 199995 more")
    assert len(done.lines[0]) < MAX_LINE + 200
    log = (home / "logs" / "errors.log").read_text(encoding="utf-8")
    assert len(log) < 10_000 and "and 199995 more" in log


@pytest.mark.parametrize("planted", ["file", "folder", "dangling"])
def test_make_base_onto_something_already_in_bases_is_one_line(template, tmp_path, planted):
    home = copy_home(template, tmp_path / "home")
    bases = home / "bases"
    bases.mkdir(exist_ok=True)
    target = bases / "base_mine"
    if planted == "file":
        target.write_text("x")
    elif planted == "folder":
        (target / "junk").mkdir(parents=True)
    else:
        os.symlink(tmp_path / "nowhere", target)
    assert_refused(cli(home, "make-base", "keep", "base_mine"), "already exists")
    assert [p.name for p in bases.iterdir()] == ["base_mine"]


@pytest.mark.parametrize("change", ["nul-name", "superscript-evidence", "deep"])
def test_hostile_original_folders_are_one_line(tmp_path, simulacra_home, change):
    folder = write_original(tmp_path / "orig")
    if change == "deep":
        (folder / "reverie" / "meta.json").write_text("[" * 50_000 + "]" * 50_000)
    else:
        personas = sorted((folder / "personas").iterdir())
        nodes = personas[0] / "bootstrap_memory" / "associative_memory" / "nodes.json"
        data = json.loads(nodes.read_text(encoding="utf-8"))
        node = next(iter(data.values()))
        if change == "nul-name":
            node["subject"] = "Kla\x00us"
            node["description"] = "Kla\x00us is here"
        else:
            node["filling"] = ["node_²"]
        nodes.write_text(json.dumps(data), encoding="utf-8")
    done = cli(simulacra_home, "import-original", str(folder), "--name", "mine",
               "--mind", "routine")
    assert "Traceback" not in done.err
    assert done.code in (0, 2), done.err
    if done.code == 2:
        assert len(done.lines) == 1, done.err
    assert not [p for p in os.listdir(simulacra_home / "saves")
                if p.startswith(".")] if (simulacra_home / "saves").exists() else True
