"""The model self-test in a child process: a native crash becomes one line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from cognition.llm import llama_cpp_model
from cognition.llm.selftest import CRASH_LOG, ensure_model_works, run_child, self_test
from engine.errors import UserError

CRASHER = Path(__file__).with_name("crashing_child.py")


@pytest.fixture
def gguf(tmp_path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF" + bytes(64))
    return path


@pytest.fixture(autouse=True)
def keep_load_options():
    saved = list(llama_cpp_model._OPTIONS)
    yield
    llama_cpp_model._OPTIONS[:] = saved


def works(path, extra):
    return {"load_s": 0.2, "prompt_tps": 100.0, "gen_tps": 40.0, "text": "hi"}


def crashes_with_extra(path, extra):
    return {"error": "llama.cpp crashed (SIGSEGV)", "crash": True} if extra else works(path, extra)


def crashes_always(path, extra):
    return {"error": "llama.cpp crashed (SIGSEGV)", "crash": True}


def test_a_passing_verdict_is_cached_per_file_version_and_cpu(gguf, tmp_path):
    cache, calls = tmp_path / "selftest.json", []

    def counting(path, extra):
        calls.append(extra)
        return works(path, extra)

    kw = dict(use_extra_bufts=True, runner=counting)
    first = self_test(gguf, cache, version="0.3.36", cpu_key="cpu A", **kw)
    again = self_test(gguf, cache, version="0.3.36", cpu_key="cpu A", **kw)
    assert first.ok and not first.cached and again.cached and len(calls) == 1
    self_test(gguf, cache, version="0.3.37", cpu_key="cpu A", **kw)  # another library
    self_test(gguf, cache, version="0.3.36", cpu_key="cpu B", **kw)  # another CPU
    gguf.write_bytes(gguf.read_bytes() + b"x")  # another file
    self_test(gguf, cache, version="0.3.36", cpu_key="cpu A", **kw)
    assert len(calls) == 4


def test_a_crash_with_extra_buffers_is_retried_without_them(gguf, tmp_path):
    result = self_test(gguf, tmp_path / "c.json", use_extra_bufts=True, version="v",
                       cpu_key="k", runner=crashes_with_extra)
    assert result.ok and result.use_extra_bufts is False and "SIGSEGV" in result.note


def test_failures_are_not_cached(gguf, tmp_path):
    cache = tmp_path / "c.json"
    for _ in range(2):
        result = self_test(gguf, cache, use_extra_bufts=True, version="v", cpu_key="k",
                           runner=crashes_always)
        assert not result.ok and "SIGSEGV" in result.problem and not result.cached
    assert not cache.exists()


def test_a_real_segfault_in_the_child_is_reported_with_its_stack_in_logs(gguf, tmp_path):
    logs = tmp_path / "logs"
    report = run_child(gguf, True, log_dir=logs, script=CRASHER)
    assert report["crash"] and "SIGSEGV" in report["error"]
    stack = (logs / CRASH_LOG).read_text(encoding="utf-8")
    assert "Segmentation fault" in stack and "crashing_child.py" in stack
    assert run_child(gguf, False, log_dir=logs, script=CRASHER)["text"] == "ok"


def test_ensure_model_works_names_problem_and_remedy_in_one_line(gguf, simulacra_home):
    with pytest.raises(UserError) as caught:
        ensure_model_works(gguf, runner=crashes_always)
    message = str(caught.value)
    assert "\n" not in message and "SIGSEGV" in message and "model.gguf" in message
    assert "remedy" in message and "simulacra doctor" in message


def test_ensure_model_works_makes_later_loads_use_what_passed(gguf, simulacra_home):
    result = ensure_model_works(gguf, runner=crashes_with_extra)
    assert result.ok and not result.use_extra_bufts
    assert llama_cpp_model.load_options().use_extra_bufts is False


@pytest.mark.llm
def test_the_bundled_model_passes_its_self_test_in_a_child(simulacra_home):
    from cognition.llm import bundled_model_path

    result = ensure_model_works(bundled_model_path(), use_cache=False)
    assert result.ok and result.load_s > 0 and result.gen_tps > 0 and "CPU" in result.system


def test_a_broken_gguf_is_one_line_exit_2_and_no_save_is_made(simulacra_home, tmp_path, capsys):
    """Through the command line and a real child: a file with GGUF's magic and garbage after it
    fails the self-test before any save is forked."""
    from game.cli import main

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + bytes(range(256)) * 64)
    code = main(["run", "--fork", "base_the_ville_isabella_maria_klaus", "--name", "never",
                 "--model", str(bad), "--steps", "1", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0, err
    assert "broken.gguf failed its self-test" in err and "remedy" in err
    assert not (simulacra_home / "saves" / "never").exists()
