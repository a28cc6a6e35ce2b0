"""Every mistake a user can make gives one clear line, exit status 2, no traceback, and no
existing save is touched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine import paths
from engine.state_hash import state_hash

N3 = "base_the_ville_isabella_maria_klaus"


def simulacra(*args: str, env_home: Path, bases: Path | None = None):
    env = {"SIMULACRA_HOME": str(env_home), "PATH": "/usr/bin:/bin",
           "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    if bases is not None:
        env["SIMULACRA_BASES"] = str(bases)
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True,
                          text=True, env=env, cwd=paths.repo_root(), timeout=120)


def tree_fingerprint(root: Path) -> str:
    """Every file and folder under root's saves (the error log under logs/ may grow)."""
    saves = root / "saves" if (root / "saves").is_dir() else root
    files = {str(p.relative_to(saves)): p.read_bytes().hex() if p.is_file() else "dir"
             for p in sorted(saves.rglob("*"))}
    return state_hash(files)


@pytest.fixture
def home_with_save(tmp_path):
    home = tmp_path / "home"
    done = simulacra("run", "--fork", N3, "--name", "keep", "--steps", "20", "--mind",
                     "routine", "--quiet", env_home=home)
    assert done.returncode == 0, done.stderr
    return home


def bad_base(tmp_path: Path, mutate) -> Path:
    bases = tmp_path / "bases"
    shutil.copytree(paths.bases_dir() / N3, bases / "broken")
    mutate(bases / "broken")
    return bases


def drop_sectors(base: Path) -> None:
    tmx = paths.repo_root() / "tests" / "fixtures" / "tiny_town_no_sectors.tmx"
    shutil.copy(tmx, base / "map.tmx")
    for png in tmx.parent.glob("*.png"):
        shutil.copy(png, base / png.name)
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    meta["map"] = "map.tmx"
    (base / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def drop_age(base: Path) -> None:
    path = base / "personas" / "klaus_mueller.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["age"]
    path.write_text(json.dumps(data), encoding="utf-8")


CASES = {
    "unknown base": (lambda tmp: None, ["run", "--fork", "no_such_base", "--steps", "1"],
                     "unknown base simulation 'no_such_base'"),
    "slash in name": (lambda tmp: None, ["run", "--fork", N3, "--name", "a/b", "--steps", "1"],
                      "bad save name 'a/b'"),
    "dots in name": (lambda tmp: None, ["run", "--fork", N3, "--name", "..", "--steps", "1"],
                     "bad save name '..'"),
    "map without Sectors": (lambda tmp: bad_base(tmp, drop_sectors),
                            ["run", "--fork", "broken", "--name", "b1", "--steps", "1"],
                            "missing required layer 'Sectors'"),
    "persona missing field": (lambda tmp: bad_base(tmp, drop_age),
                              ["run", "--fork", "broken", "--name", "b2", "--steps", "1"],
                              "missing field 'age'"),
    "history CSV bad row": (None, ["load-history", "keep", "BADCSV", "--mind", "routine"],
                            "line 3"),
    "unknown save": (lambda tmp: None, ["run", "--load", "nope", "--steps", "1"],
                     "no save named 'nope'"),
    "bad window size": (lambda tmp: None, ["play", "--size", "big", "--mind", "routine"],
                        "bad --size 'big'"),
    "unknown flag": (lambda tmp: None, ["run", "--steps", "1", "--stepz", "1"], "unrecognized arguments"),
    "missing model file": (lambda tmp: None,
                           ["run", "--fork", N3, "--name", "m", "--steps", "1", "--model",
                            "/nowhere/model.gguf"], "/nowhere/model.gguf"),
    "bad server url": (lambda tmp: None,
                       ["run", "--fork", N3, "--name", "s", "--steps", "1", "--server",
                        "htp:/nohost"], "htp:/nohost"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_user_mistake_gives_one_line_exit_2_and_leaves_saves_alone(case, tmp_path,
                                                                     home_with_save):
    make_bases, argv, expected = CASES[case]
    bases = make_bases(tmp_path) if make_bases else None
    if "BADCSV" in argv:
        csv = tmp_path / "bad.csv"
        csv.write_text('Name,Whisper\nKlaus Mueller,"You like books"\n'
                       'Nobody Atall,"You exist"\n', encoding="utf-8")
        argv = [str(csv) if a == "BADCSV" else a for a in argv]
    before = tree_fingerprint(home_with_save)
    done = simulacra(*argv, env_home=home_with_save, bases=bases)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert expected in lines[0]
    assert tree_fingerprint(home_with_save) == before
