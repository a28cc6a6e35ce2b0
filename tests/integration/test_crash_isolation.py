"""A native crash in a real-model test fails that test, not the whole suite (tests/conftest.py
runs every `llm` test in a forked child)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

CRASHING = '''
import ctypes
import pytest

@pytest.mark.llm
def test_a_model_call_that_segfaults():
    ctypes.string_at(0)

def test_the_next_test_still_runs():
    assert True
'''


def test_a_segfaulting_llm_test_is_one_failure_and_the_run_goes_on(tmp_path):
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_crash.py").write_text(CRASHING, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "markers=llm",
         "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300)
    out = done.stdout + done.stderr
    assert "1 failed, 1 passed" in out, out[-2000:]
    assert "crashed (SIGSEGV)" in out, out[-2000:]
