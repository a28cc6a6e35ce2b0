"""Shared helpers for the reliability tests: an in-process CLI, template saves, fingerprints.

The CLI runs in this process (`game.cli.main`), with `SIMULACRA_HOME` pointed at a temporary
data folder, so a test costs milliseconds rather than a Python start-up; a traceback would
escape `main` and fail the test, which is exactly what these tests look for.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from engine import paths

N3 = "base_the_ville_isabella_maria_klaus"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(home: Path, *argv: str, bases: Path | None = None) -> Result:
    """Run `simulacra ARGV` in-process against the data folder `home`."""
    from game.cli import main

    saved = {k: os.environ.get(k) for k in (paths.HOME_ENV, paths.BASES_ENV)}
    os.environ[paths.HOME_ENV] = str(home)
    if bases is not None:
        os.environ[paths.BASES_ENV] = str(bases)
    else:
        os.environ.pop(paths.BASES_ENV, None)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Result(int(code or 0), out.getvalue(), err.getvalue())


def fingerprint(root: Path) -> str:
    """A hash of every entry under root: names, kinds, link targets and file bytes."""
    digest = hashlib.sha256()
    if not os.path.lexists(root):
        return "absent"
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(folder) / name
            digest.update(str(path.relative_to(root)).encode())
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
            else:
                digest.update(b"other")
    return digest.hexdigest()


def make_template(root: Path, name: str = "keep", steps: int = 20) -> Path:
    """A data folder holding one routine-mind save that has run `steps` steps."""
    home = root / "template-home"
    if not (home / "saves" / name).is_dir():
        done = cli(home, "run", "--fork", N3, "--name", name, "--steps", str(steps),
                   "--mind", "routine", "--quiet", "--autosave-min", "0")
        assert done.code == 0, done.err
    return home


def copy_home(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


def dead_pid() -> int:
    """The id of a process that has just exited (and so is not running)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def assert_refused(result: Result, *expected: str) -> None:
    """One error line naming the problem, exit 2, no traceback."""
    assert result.code == 2, (result.code, result.out, result.err)
    assert len(result.lines) == 1, result.err
    assert "Traceback" not in result.err
    for text in expected:
        assert text in result.lines[0], result.lines[0]
