"""Fuzzing the command line, 1,000 examples derived from valid command lines by replacing,
dropping and inserting arguments. `game.cli.main` runs in this process against a copy of a data
folder; each example must exit 0 or give exactly one error line with exit 2 and leave the saves
untouched, and nothing outside the data folder may change. Only commands that finish on their
own are drawn (no window, no benchmark, no video), always with the routine mind."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from mutations import FUZZ, INTERESTING_TEXT, snapshot

from engine import paths

N3 = "base_the_ville_isabella_maria_klaus"
MIND_COMMANDS = {"run", "interview", "load-history", "repl", "import-original"}
OPTIONS = ["--fork", "--load", "--name", "--steps", "--autosave-min", "--autosave-keep",
           "--quiet", "--mind", "--workers", "--seed", "--ask", "--remember", "--model",
           "--embed-model", "--server-model", "-h", "--help", "--", "-x"]


def templates(home: Path) -> list[list[str]]:
    csv = str(home / "history.csv")
    return [
        ["run", "--load", "keep", "--steps", "2", "--quiet", "--autosave-min", "0"],
        ["run", "--fork", N3, "--name", "fz", "--steps", "1", "--quiet", "--autosave-min", "1"],
        ["list"],
        ["interview", "keep", "Klaus Mueller", "--ask", "hello"],
        ["load-history", "keep", csv],
        ["make-base", "keep", "base_fz"],
        ["repl", "--load", "keep"],
        ["import-original", str(home / "no-such-original"), "--name", "imported"],
    ]


def values(home: Path) -> st.SearchStrategy[str]:
    files = [str(home / "history.csv"), str(home), str(home / "saves" / "keep" / "meta.json"),
             "/dev/null", "/nonexistent/file.csv", str(home.parent / "outside" / "x")]
    return st.one_of(
        st.sampled_from(INTERESTING_TEXT), st.sampled_from(OPTIONS), st.sampled_from(files),
        st.sampled_from(["keep", "nope", N3, "..", "a/b", "keep-quicksave", "Klaus Mueller",
                         "routine", "generative", "-5", "0", "3", "1.5", "1e3", "999999999999"]),
        st.text(max_size=12),
    )


@st.composite
def command_lines(draw, home: Path) -> list[str]:
    argv = list(draw(st.sampled_from(templates(home))))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):  # a third stay valid
        kind = draw(st.sampled_from(["replace", "drop", "insert"]))
        at = draw(st.integers(0, max(0, len(argv) - 1)))
        if kind == "replace" and argv:
            argv[at] = draw(values(home))
        elif kind == "drop" and argv:
            del argv[at]
        else:
            argv.insert(at, draw(values(home)))
    return _bounded(argv)


def _bounded(argv: list[str]) -> list[str]:
    """Keep each example short: few steps, the routine mind, no model files loaded; and real:
    a shell cannot pass a NUL inside an argument."""
    argv = [token.replace("\x00", "") for token in argv]
    for index, token in enumerate(argv[:-1]):
        if token in ("--steps", "--workers") and argv[index + 1].lstrip("-").isdigit():
            argv[index + 1] = str(max(-9, min(int(argv[index + 1]), 5)))
        if token in ("--model", "--embed-model") and not argv[index + 1].startswith("/"):
            argv[index + 1] = "/nonexistent/" + argv[index + 1]
        if token == "--mind" and argv[index + 1] == "generative":
            argv[index + 1] = "routine"  # the generative mind would load the bundled model
    if argv and argv[0] in MIND_COMMANDS:
        argv[1:1] = ["--mind", "routine"]
        if "--" not in argv:
            argv += ["--mind", "routine"]  # argparse keeps the last --mind
    return argv


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory, template_home):
    root = tmp_path_factory.mktemp("cli-fuzz")
    (root / "outside").mkdir()
    (root / "outside" / "keep.txt").write_text("untouched", encoding="utf-8")
    return root


def _fresh_home(template_home: Path, sandbox: Path) -> Path:
    home = sandbox / "home"
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template_home, home)
    return home


def _run(home: Path, argv: list[str]) -> tuple[int, str]:
    from game.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    old_home = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # --help and argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = stdin
        if old_home is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = old_home
    return int(code or 0), err.getvalue()


@FUZZ
@given(data=st.data())
def test_fuzzed_command_lines(template_home, sandbox, cached_maps, data):
    home = _fresh_home(template_home, sandbox)
    argv = data.draw(command_lines(home), label="argv")
    if argv and argv[0] in ("play", "replay", "render", "bench") or not argv:
        return  # window, video and benchmark commands do not end on their own
    before_saves, before_outside = snapshot(home / "saves"), snapshot(sandbox / "outside")
    code, err = _run(home, argv)
    lines = [line for line in err.split("\n") if line.strip()]  # what a terminal shows
    event(f"exit {code}")
    assert "Traceback" not in err, err
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        assert len(lines) == 1, (argv, err)
        assert snapshot(home / "saves") == before_saves, (argv, err)
    assert snapshot(sandbox / "outside") == before_outside, argv
