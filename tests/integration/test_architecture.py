"""The layers hold: engine and cognition run without pygame; engine never pulls in cognition,
llama_cpp or chromadb."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine import paths

ROOT = paths.repo_root()

BLOCK_PYGAME = textwrap.dedent("""
    import sys
    from importlib.abc import MetaPathFinder

    class Block(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "pygame" or name.startswith("pygame."):
                raise ImportError("pygame is blocked in this test")

    sys.meta_path.insert(0, Block())
""")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=180)


def _modules(package: str) -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / package).rglob("*.py")
        if p.name != "__init__.py" or p.parent != ROOT / package
    )


def test_engine_and_cognition_import_and_step_with_pygame_blocked():
    code = BLOCK_PYGAME + textwrap.dedent(f"""
        import importlib
        for name in {_modules("engine") + _modules("cognition")!r}:
            importlib.import_module(name.removesuffix(".__init__"))
        from cognition.routine import RoutineMindFactory
        from engine.agent_api import Persona
        from engine.clock import GameClock, parse_time
        from engine.simulation import Simulation
        from engine.tmx_loader import load_town_map
        town = load_town_map("tests/fixtures/tiny_town.tmx")
        bed = "the Ville:Klaus Mueller's house:main room:bed"
        persona = Persona(
            name="Klaus Mueller", first_name="Klaus", last_name="Mueller", age=20,
            innate="kind", learned="student", currently="studying", lifestyle="early riser",
            occupation="student", living_area="the Ville:Klaus Mueller's house:main room",
            bed=bed, workplace="the Ville:Hobbs Cafe:cafe:cafe customer seating",
            spawn="Klaus Mueller", sprite="klaus_mueller",
            routine=({{"start": "00:00", "activity": "sleeping", "place": bed, "emoji": "z"}},
                     {{"start": "00:05", "activity": "reading at the cafe",
                      "place": "the Ville:Hobbs Cafe:cafe:cafe customer seating",
                      "emoji": "b"}}),
            known_places=("the Ville:Hobbs Cafe:cafe",))
        sim = Simulation(town, [persona], RoutineMindFactory(1),
                         GameClock(parse_time("2023-02-13T00:00:00")))
        sim.run(120)
        assert town.object_at(sim.bodies["Klaus Mueller"].tile) is not None
        assert "pygame" not in sys.modules
        print("ok", sim.bodies["Klaus Mueller"].tile)
    """)
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


def test_engine_never_loads_cognition_or_model_libraries():
    code = textwrap.dedent(f"""
        import importlib, sys
        for name in {_modules("engine")!r}:
            importlib.import_module(name.removesuffix(".__init__"))
        bad = [m for m in sys.modules
               if m.split(".")[0] in ("cognition", "game", "llama_cpp", "chromadb", "pygame")]
        print(bad)
    """)
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_import_linter_contracts_hold():
    linter = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(linter).exists():
        pytest.skip("import-linter is not installed")
    done = subprocess.run([linter], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
