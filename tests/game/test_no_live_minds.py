"""The window draws only frozen records: no code under game/ reads a live mind (no
`.inspect()` call, no `sim.minds`), apart from the import command that fills minds before a
town runs. A mind's own `inspect` (a wrapper delegating to the one it wraps) is not a reader."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[2] / "game"
ALLOWED_MINDS = {"commands/import_original.py"}  # fills minds' memories before a run


def _readers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, inside_inspect=False):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside_inspect = node.name in ("inspect", "snapshot")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "inspect" and not inside_inspect):
            found.append(f"{path.name}:{node.lineno} calls .inspect()")
        if (isinstance(node, ast.Attribute) and node.attr == "minds"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "sim"
                or isinstance(node, ast.Attribute) and node.attr == "minds"
                and isinstance(node.value, ast.Name) and node.value.id == "sim"):
            found.append(f"{path.name}:{node.lineno} reads sim.minds")
        for child in ast.iter_child_nodes(node):
            visit(child, inside_inspect)

    visit(tree)
    return found


def test_no_game_module_reads_a_live_mind():
    readers = []
    for path in sorted(GAME.rglob("*.py")):
        if path.relative_to(GAME).as_posix() in ALLOWED_MINDS:
            continue
        readers += _readers(path)
    assert readers == []


def test_the_check_finds_a_reader(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def draw(app):\n    return app.sim.minds['A'].inspect()\n", encoding="utf-8")
    assert len(_readers(bad)) == 2
