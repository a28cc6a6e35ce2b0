"""The load browser's list: every save with its game time and agent count (meta only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from engine.persistence import read_meta
from game.window.menus import SaveEntry


def list_saves(store) -> list[SaveEntry]:
    out = []
    for name in store.save_names():
        path = store.save_path(name)
        try:
            meta = read_meta(path, name)
        except Exception:  # a broken save is listed by name only; loading it says why
            out.append(SaveEntry(name, "unreadable", 0))
            continue
        out.append(SaveEntry(name, _game_time(meta), len(meta.personas)))
    return out


def _game_time(meta) -> str:
    try:
        start = datetime.fromisoformat(meta.start_time)
        return (start + timedelta(seconds=meta.step * meta.step_s)).strftime("%a %b %d %H:%M")
    except (AttributeError, TypeError, ValueError):
        return f"step {getattr(meta, 'step', '?')}"
