"""Shared fixtures: every test gets its own empty user data dir, and headless SDL."""

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
