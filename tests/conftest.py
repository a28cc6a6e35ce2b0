"""Shared fixtures: every test gets its own empty user data dir, and headless SDL.

Tests marked `llm` load the real model: each runs in a child pytest process of its own, so a
native crash in llama.cpp fails that one test, with its signal, instead of ending the suite. The
child is a fresh interpreter, not a fork: a fork of a process whose earlier tests started
chromadb's Rust runtime (or any threads) can hang on a lock no thread of the child will release.
The child hands its reports back through pytest's own report serialisation (what pytest-xdist
uses; pytest-forked 1.7.5 cannot serialise pytest 9's reports).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def simulacra_home(tmp_path, monkeypatch):
    """Point the user data dir at a temporary folder."""
    home = tmp_path / "simulacra-home"
    monkeypatch.setenv("SIMULACRA_HOME", str(home))
    return home


CHILD_REPORTS = "SIMULACRA_TEST_REPORTS"  # set in a child: where it writes its reports
_config = None


def pytest_configure(config):
    global _config
    _config = config


def pytest_runtest_logreport(report):
    path = os.environ.get(CHILD_REPORTS)
    if path and _config is not None:  # the child: hand every report to the parent
        data = _config.hook.pytest_report_to_serializable(config=_config, report=report)
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(data) + "\n")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Run an `llm` test in a child pytest of its own; report what it reported, or one failure
    naming the signal that killed it."""
    if not item.get_closest_marker("llm") or os.environ.get(CHILD_REPORTS):
        return None
    hook = item.ihook
    hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "reports.jsonl")
        env = {**os.environ, CHILD_REPORTS: path}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header",
             "-o", "addopts=", item.nodeid],
            cwd=str(item.config.rootpath), env=env, capture_output=True, text=True,
        )  # fmt: skip
        lines = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
    reports = [item.config.hook.pytest_report_from_serializable(config=item.config,
                                                                data=json.loads(line))
               for line in lines]  # fmt: skip
    if not any(r.when == "call" or r.outcome != "passed" for r in reports):
        if done.returncode < 0:
            why = f"the test process crashed ({signal.Signals(-done.returncode).name})"
        else:
            why = f"the test process exited with status {done.returncode}"
        tail = (done.stdout + done.stderr)[-2000:]
        reports = [pytest.TestReport(item.nodeid, item.location, {}, "failed",
                                     f"{why}\n{tail}", "call", [], 0.0)]
    for report in reports:
        hook.pytest_runtest_logreport(report=report)
    item.session._setupstate.teardown_exact(nextitem)  # what earlier tests set up here
    hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
