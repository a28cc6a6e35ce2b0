"""A native crash of the program leaves its Python stack in logs/, and the next start says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from game import crashlog

ROOT = Path(__file__).resolve().parents[2]
CRASH = ("import sys; from pathlib import Path; from game import crashlog; "
         "crashlog.enable(['run'], Path(sys.argv[1])); import ctypes; ctypes.string_at(0)")
CLEAN = ("import sys; from pathlib import Path; from game import crashlog; "
         "crashlog.enable(['list'], Path(sys.argv[1]))")


def child(code: str, folder: Path) -> int:
    return subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT,
                          capture_output=True, timeout=120).returncode


def test_a_segfault_leaves_its_stack_and_the_next_start_moves_it_and_says_so(tmp_path):
    logs = tmp_path / "logs"
    assert child(CRASH, logs) < 0
    assert "Segmentation fault" in (logs / crashlog.LAST).read_text(encoding="utf-8")
    said: list[str] = []
    crashlog.enable(["list"], logs, say=said.append)
    try:
        kept = (logs / crashlog.KEPT).read_text(encoding="utf-8")
        assert "Segmentation fault" in kept and "simulacra run" in kept
        assert len(said) == 1 and "crashed in native code" in said[0]
    finally:
        crashlog._clean_exit(crashlog._handle[0])
        import faulthandler

        faulthandler.enable()  # back to pytest's own stderr handler


def test_a_clean_exit_leaves_nothing_to_report(tmp_path):
    logs = tmp_path / "logs"
    assert child(CLEAN, logs) == 0
    assert (logs / crashlog.LAST).read_text(encoding="utf-8") == ""
    assert child(CLEAN, logs) == 0
    assert not (logs / crashlog.KEPT).exists()
