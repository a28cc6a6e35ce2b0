"""Shared fixtures: every test gets its own empty user data dir, and headless SDL.

Tests marked `llm` load the real model: each runs in a forked child process, so a native
crash in llama.cpp fails that one test, with its signal, instead of ending the suite. (Written
here rather than taken from pytest-forked: its 1.7.5 cannot serialise pytest 9's reports, whose
node ids are objects; pytest's own report hooks, which pytest-xdist uses, can.)
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile

import pytest
from _pytest.runner import runtestprotocol

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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Run an `llm` test (setup, call, teardown) in a forked child; report what it reported, or
    one failure naming the signal that killed it."""
    if not item.get_closest_marker("llm") or not hasattr(os, "fork"):
        return None
    hook = item.ihook
    hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    with tempfile.TemporaryFile() as out:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run, write the reports, leave without cleanup of the parent's
            code = 0
            try:
                reports = runtestprotocol(item, log=False, nextitem=None)
                data = [item.config.hook.pytest_report_to_serializable(
                    config=item.config, report=r) for r in reports]
                out.write(json.dumps(data).encode("utf-8"))
                out.flush()
            except BaseException:  # noqa: BLE001 - anything: the parent reports a failure
                code = 3
            os._exit(code)
        try:
            _, status = os.waitpid(pid, 0)
        except BaseException:  # a timeout or Ctrl+C in the parent: leave no child behind
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        out.seek(0)
        raw = out.read()
    if raw:
        reports = [item.config.hook.pytest_report_from_serializable(config=item.config, data=d)
                   for d in json.loads(raw)]
    else:
        if os.WIFSIGNALED(status):
            why = f"the test process crashed ({signal.Signals(os.WTERMSIG(status)).name})"
        else:
            why = f"the test process exited with status {os.WEXITSTATUS(status)}"
        reports = [pytest.TestReport(item.nodeid, item.location, {}, "failed", why, "call",
                                     [], 0.0)]
    for report in reports:
        hook.pytest_runtest_logreport(report=report)
    item.session._setupstate.teardown_exact(nextitem)  # what earlier tests set up here
    hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
