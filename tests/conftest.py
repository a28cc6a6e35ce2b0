"""Shared fixtures: every test gets its own empty user data dir, and headless SDL.

Tests marked `llm` load the real model: each runs in a forked child (pytest-forked), so a
native crash in llama.cpp fails that one test, with its signal, instead of ending the suite.
"""

from __future__ import annotations

import os

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


def pytest_collection_modifyitems(config, items):
    """Run every real-model test (`llm` mark) in a child process of its own."""
    if not config.pluginmanager.hasplugin("pytest_forked"):
        return  # pytest-forked missing (pip install -e .[test] brings it)
    for item in items:
        if item.get_closest_marker("llm") and not item.get_closest_marker("forked"):
            item.add_marker(pytest.mark.forked)
