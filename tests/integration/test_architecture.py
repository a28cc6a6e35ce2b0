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


# ---------------------------------------------------------------------------- house rules (§9)

PACKAGES = ("engine", "cognition", "game")
MAX_MODULE_LINES = 400


def _import_graph():
    grimp = pytest.importorskip("grimp")
    return grimp.build_graph(*PACKAGES, "assets")  # every import: module level, in functions, TYPE_CHECKING


def import_cycles(imports: dict[str, set[str]]) -> list[frozenset[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan's SCC)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(start: str) -> None:  # iterative, so deep import chains cannot overflow
        work = [(start, iter(sorted(imports.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    if len(group) > 1 or module in imports.get(module, ()):
                        found.append(frozenset(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_cycle_finder_sees_loops_of_any_length():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        frozenset({"a", "b", "c"})]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_project_modules():
    graph = _import_graph()
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    cycles = [sorted(group) for group in import_cycles(imports)]
    assert not cycles, f"import cycles: {cycles}"


def test_commands_never_import_the_root_cli_module():
    graph = _import_graph()
    importers = graph.find_modules_that_directly_import("game.cli")
    assert not importers, sorted(importers)


def test_no_module_is_longer_than_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in (*PACKAGES, "assets", "tests")
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, too_long


def _declared() -> tuple[set[str], set[str]]:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs):
        return {re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower().replace("_", "-")
                for spec in specs}

    extras = set().union(*map(names, project.get("optional-dependencies", {}).values()))
    return names(project["dependencies"]), extras


def _third_party_imports(folders) -> dict[str, str]:
    import ast

    first_party = {*PACKAGES, "assets", "saves", "tests",
                   *(path.stem for path in (ROOT / "tests").rglob("*.py"))}  # test helpers
    found: dict[str, str] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in first_party:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_imported_third_party_package_is_declared():
    """Code needs a [project] dependency; tests and the asset generator at least an extra."""
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    required, extras = _declared()

    def undeclared(folders, allowed):
        missing = []
        for module, where in sorted(_third_party_imports(folders).items()):
            owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            if not owners & allowed:
                missing.append(f"{module} ({where}; distribution {', '.join(sorted(owners))})")
        return missing

    assert not undeclared(PACKAGES, required), "imported but not in [project] dependencies"
    assert not undeclared(("tests", "assets"), required | extras), "imported, not declared"
