"""The package installs like one: a wheel carries the map, tilesets, sprites and bases, and an
installed `simulacra` runs from any directory without the source tree.

The wheel is built from a copy of the sources (so no build/ folder is left in, or reused from, the
checkout) and installed into a fresh virtual environment. Its dependencies are the ones already
installed for the running interpreter, made visible through a .pth file that names that
site-packages folder: a plain path line, so the .pth files in it (the editable install's finder
among them) are not run and the checkout stays off the path. The first test installs with
--no-deps; the second lets pip resolve every dependency the wheel declares (with --no-index:
nothing is downloaded, so each must be satisfied by what is installed, llama-cpp-python's pin
included) and runs the bundled model for 10 steps.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from engine import paths

ROOT = paths.repo_root()
SOURCES = ("engine", "cognition", "game", "assets", "saves", "setup.py", "pyproject.toml",
           "README.md")
SHIPPED = (
    "simulacra_assets/the_ville/the_ville.tmx",
    "simulacra_assets/the_ville/tilesets/ville_terrain.png",
    "simulacra_assets/characters/klaus_mueller.png",
    "simulacra_assets/characters/portraits/klaus_mueller.png",
    "simulacra_bases/base_the_ville_isabella_maria_klaus/meta.json",
    "simulacra_bases/base_the_ville_isabella_maria_klaus/history.csv",
    "simulacra_bases/base_the_ville_n25/personas/sam_moore.json",
    "cognition/generative/data/importance_labels.json",
)


def _build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, source / name)
    offline = all(importlib.util.find_spec(m) for m in ("setuptools", "wheel"))
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q",
               "-w", str(tmp / "dist"), *(["--no-build-isolation"] if offline else [])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp / "dist").glob("simulacra-*.whl")
    return wheel


def _fresh_venv(tmp: Path, wheel: Path, resolve: bool = False) -> Path:
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        "\n".join(sorted(dependencies)) + "\n", encoding="utf-8")
    deps = [] if resolve else ["--no-deps"]
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           *deps, "--no-index", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return env_dir


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SIMULACRA_BASES")}
    env["SIMULACRA_HOME"] = str(tmp / "home")
    return env


def test_wheel_carries_the_data_and_runs_from_another_directory(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in SHIPPED if name not in names]
    assert not missing, missing
    assert not any(name.startswith(("tests/", "assets/generator")) for name in names)

    env_dir = _fresh_venv(tmp_path, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _clean_env(tmp_path)
    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c",
         "import game, engine.paths as p; print(game.__file__); print(p.maps_dir()); "
         "print(p.bases_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to(env_dir.resolve()), line  # not the checkout
    run = subprocess.run(
        [str(env_dir / "bin" / "simulacra"), "run", "--fork",
         "base_the_ville_isabella_maria_klaus", "--name", "installed", "--steps", "10",
         "--mind", "routine", "--quiet"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ran 10 steps" in run.stdout
    assert (tmp_path / "home" / "saves" / "installed" / "world.json").is_file()


@pytest.mark.llm
def test_wheel_installs_with_its_dependencies_resolved_and_runs_the_bundled_model(tmp_path):
    wheel = _build_wheel(tmp_path)
    env_dir = _fresh_venv(tmp_path, wheel, resolve=True)  # pip checks every declared pin
    check = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "check"],
                           capture_output=True, text=True, timeout=120)
    assert "simulacra" not in check.stdout, check.stdout  # no requirement of ours unmet
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [str(env_dir / "bin" / "simulacra"), "run", "--fork",
         "base_the_ville_isabella_maria_klaus", "--name", "model", "--steps", "10", "--quiet"],
        capture_output=True, text=True, cwd=elsewhere, env=_clean_env(tmp_path), timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ran 10 steps" in run.stdout and "SmolLM2" in run.stdout
