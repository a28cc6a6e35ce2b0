"""`simulacra doctor`: what this machine offers Simulacra, and what stands in its way.

It prints the CPU's features and the llama.cpp options chosen for them, llama-cpp-python's
version and build, a fresh self-test of the model (in a child process: load time, tokens per
second), chromadb, the data folder (writable, free space), whether a window can open, and
whether each model or Chroma server named (`--server`, `--chroma-url`, or remembered by a save)
answers. Exit status 0 when everything needed is usable; otherwise one line per problem on
stderr and exit status 2. A missing display is a note, not a problem: headless commands work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from engine import paths

MIN_FREE_MB = 500
TIMEOUT_S = 5.0


class Report:
    """Lines to print, and the problems found (each one line)."""

    def __init__(self, out: Callable[[str], None] = print):
        self.out = out
        self.problems: list[str] = []

    def line(self, label: str, text: str) -> None:
        self.out(f"{label + ':':<18} {text}")

    def problem(self, label: str, text: str) -> None:
        self.line(label, f"PROBLEM: {text}")
        self.problems.append(f"{label}: {text}")


def register(sub) -> None:
    parser = sub.add_parser(
        "doctor", help="check this machine: CPU, llama.cpp, the model, chromadb, data folder, "
        "display, servers",
        description="Check what Simulacra needs here and say what is wrong: CPU features and "
        "the llama.cpp options chosen for them, llama-cpp-python's version and build, a "
        "self-test of the model in a child process (load time, tokens per second), chromadb, "
        "the data folder, the display, and each model or Chroma server named here or "
        "remembered by a save. Exit status 0 when all that is needed works, else 2 with one "
        "line per problem.",
    )
    parser.add_argument("--model", metavar="GGUF", help="self-test this GGUF instead of the "
                        "bundled model's working copy")
    parser.add_argument("--weights", choices=("q8_0", "shipped"), default="q8_0",
                        help="which file of the bundled model to self-test (default q8_0, "
                        "what the simulation loads)")
    parser.add_argument("--server", action="append", default=[], metavar="URL",
                        help="an OpenAI-compatible server to check (repeatable)")
    parser.add_argument("--chroma-url", action="append", default=[], metavar="URL",
                        help="a Chroma server to check (repeatable)")
    parser.set_defaults(handler=handle)


def check_cpu(report: Report):
    from cognition.llm.cpu import choose_options, read_cpu

    cpu = read_cpu()
    options = choose_options(cpu)
    flags = ", ".join(cpu.simd()) if cpu.flags is not None else "unknown (no /proc/cpuinfo)"
    report.line("CPU", f"{cpu.model} ({cpu.machine}, {os.cpu_count()} cores)")
    report.line("CPU features", flags + ("; AMX present" if cpu.has_amx else "; no AMX"))
    state = "on" if options.use_extra_bufts else "off"
    report.line("llama.cpp options", f"extra buffer types {state} ({options.reason})")
    return cpu


def check_library(report: Report) -> bool:
    from cognition.llm.llama_compat import TESTED, in_tested_range
    from cognition.llm.selftest import library_version

    version = library_version()
    if not version:
        report.problem("llama-cpp-python", f"not installed (pip install "
                       f"'llama-cpp-python{TESTED}')")
        return False
    if not in_tested_range(version):
        report.problem("llama-cpp-python", f"{version} is outside the tested range {TESTED} "
                       f"(pip install 'llama-cpp-python{TESTED}')")
        return True
    report.line("llama-cpp-python", f"{version} (tested range {TESTED})")
    return True


def model_file(args: argparse.Namespace, report: Report) -> Path | None:
    from cognition.llm import bundled_model_path, check_gguf, working_copy
    from engine.errors import UserError

    try:
        if args.model:
            return check_gguf(args.model)
        return working_copy(bundled_model_path(), paths.models_dir(), args.weights,
                            warn=lambda line: report.line("model", line))
    except UserError as exc:
        report.problem("model", str(exc))
        return None


def check_model(args: argparse.Namespace, report: Report) -> None:
    from cognition.llm.selftest import ensure_model_works
    from engine.errors import UserError

    path = model_file(args, report)
    if path is None:
        return
    report.line("model", str(path))
    try:
        result = ensure_model_works(path, use_cache=False)
    except UserError as exc:
        report.problem("model self-test", str(exc))
        return
    report.line("model self-test", f"works: loads in {result.load_s:.2f} s, prompt "
                f"{result.prompt_tps:.0f} tokens/s, generation {result.gen_tps:.0f} tokens/s "
                f"(one thread, extra buffers {'on' if result.use_extra_bufts else 'off'})"
                + (f"; {result.note}" if result.note else ""))
    if result.system:
        report.line("llama.cpp build", result.system.replace("\n", " "))


def check_chromadb(report: Report) -> None:
    try:
        import chromadb

        from cognition.memory.chroma_index import make_client

        client = make_client()
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001 - any failure here is the finding
        report.problem("chromadb", f"does not work ({type(exc).__name__}: {exc})"[:300])
        return
    report.line("chromadb", f"{chromadb.__version__}, in-process client works")


def check_data_folder(report: Report, folder: Path | None = None) -> None:
    folder = folder or paths.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        report.problem("data folder", f"{folder} is not writable ({exc.strerror or exc}); "
                       "set SIMULACRA_HOME to a folder you can write")
        return
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    if free_mb < MIN_FREE_MB:
        report.problem("data folder", f"{folder}: only {free_mb} MB free (saves and the "
                       f"model copy need {MIN_FREE_MB} MB)")
        return
    report.line("data folder", f"{folder} (writable, {free_mb / 1024:.1f} GB free)")


def check_display(report: Report, env: dict[str, str] | None = None,
                  platform: str = sys.platform) -> None:
    env = os.environ if env is None else env
    driver = env.get("SDL_VIDEODRIVER", "")
    if driver in ("dummy", "offscreen"):
        report.line("display", f"none (SDL_VIDEODRIVER={driver}): the window cannot open; "
                    "run, render, interview and replay --headless work")
    elif platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        report.line("display", "none (no DISPLAY or WAYLAND_DISPLAY): the window cannot open; "
                    "run, render and interview work")
    else:
        report.line("display", "available" + (f" ({driver})" if driver else ""))


def check_server(report: Report, label: str, url: str, path: str) -> None:
    import httpx

    target = url.rstrip("/") + path
    try:
        response = httpx.get(target, timeout=TIMEOUT_S)
    except (httpx.HTTPError, ValueError) as exc:
        report.problem(label, f"{url} does not answer ({type(exc).__name__}: {exc})"[:300])
        return
    report.line(label, f"{url} answers (HTTP {response.status_code} for {path})")


def remembered_servers() -> list[str]:
    """Model servers that saves were made with (`made_with` in meta.json)."""
    from engine.made_with import made_with
    from engine.persistence import SaveStore, read_meta

    servers: list[str] = []
    store = SaveStore()
    for name in store.save_names():
        try:
            recorded = made_with(read_meta(store.save_path(name), f"save '{name}'"))
        except Exception:  # noqa: BLE001 - a broken save is `simulacra list`'s business
            continue
        if recorded.get("server") and recorded["server"] not in servers:
            servers.append(recorded["server"])
    return servers


def handle(args: argparse.Namespace) -> int:
    report = Report()
    check_cpu(report)
    if check_library(report):
        check_model(args, report)
    check_chromadb(report)
    check_data_folder(report)
    check_display(report)
    for url in dict.fromkeys([*args.server, *remembered_servers()]):
        check_server(report, "model server", url, "/models")
    for url in dict.fromkeys(args.chroma_url):
        check_server(report, "Chroma server", url, "/api/v2/heartbeat")
    if not report.problems:
        print("simulacra doctor: everything needed works")
        return 0
    for problem in report.problems:
        print(f"simulacra: problem: {problem}", file=sys.stderr)
    return 2
