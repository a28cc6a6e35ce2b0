"""A one-time self-test of a GGUF model in a child process, so a native crash is never the
user's first sight.

Before a model is loaded in this process, `ensure_model_works` checks that it loads and writes
a few tokens in a child process (`python -m cognition.llm.selftest`). A crash there (a
llama.cpp bug on this CPU, a broken or hostile GGUF, a CPU without the instructions the library
was built for) kills only the child: the user gets one line naming the problem and the remedy
(`UserError`, exit status 2), before any save is opened. When the options chosen for this CPU
(`cognition.llm.cpu`) crash, the test is tried once more without llama.cpp's extra buffer
types, and a success there is what the process then loads with.

A passing result is cached in `<data dir>/selftest.json`, keyed by the model file's identity
(real path, size, modification time), the llama-cpp-python version and the CPU (model name and
SIMD flags), so it costs a few seconds once per model, library and machine. Failures are not
cached (a fix must not wait on a stale verdict). The child writes the Python stack of a native
crash (`faulthandler`) to `<data dir>/logs/selftest-crash.log`.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CACHE_NAME = "selftest.json"
CRASH_LOG = "selftest-crash.log"
TIMEOUT_S = 180.0
PROMPT = "The cafe opens at eight. Isabella greets the first customer and says:"
TOKENS = 8


@dataclass(frozen=True, slots=True)
class SelfTestResult:
    """What the self-test found. `problem` is "" when the model works."""

    ok: bool
    use_extra_bufts: bool
    load_s: float = 0.0
    prompt_tps: float = 0.0
    gen_tps: float = 0.0
    text: str = ""
    problem: str = ""
    cached: bool = False
    note: str = ""
    system: str = ""  # llama.cpp's build and CPU report, from the child
    crashed: bool = False  # the child died of a signal (not a Python error)


Runner = Callable[[Path, bool], dict[str, Any]]


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def run_child(path: Path, use_extra_bufts: bool, *, embed: bool = False,
              log_dir: Path | None = None, timeout_s: float = TIMEOUT_S,
              script: Path | None = None) -> dict[str, Any]:
    """Run the self-test in a child process (`script` instead of this module: tests): its JSON
    report, or {"error": why, "crash": True when a signal killed it}. A native crash's Python
    stack is appended to `log_dir/selftest-crash.log`."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)}
    stack_file = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        stack_file = log_dir / f".selftest-{os.getpid()}.stack"
    target = ["-m", "cognition.llm.selftest"] if script is None else [str(script)]
    command = [sys.executable, *target, str(path), "1" if use_extra_bufts else "0",
               "embed" if embed else "chat", str(stack_file or "")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=timeout_s, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout_s:.0f} s"}
    finally:
        if stack_file is not None:
            _keep_stack(stack_file, log_dir / CRASH_LOG, path, use_extra_bufts)
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        try:
            return json.loads(lines[-1])
        except ValueError:
            pass
    if done.returncode < 0:
        return {"error": f"llama.cpp crashed ({_signal_name(done.returncode)})", "crash": True}
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit status {done.returncode}: {last[:200]}"}


def _keep_stack(stack_file: Path, log: Path, model: Path, extra: bool) -> None:
    """Append what the child's faulthandler wrote (nothing unless it crashed) to the log."""
    try:
        text = stack_file.read_text(encoding="utf-8", errors="replace")
        stack_file.unlink()
        if text.strip():
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"--- {time.ctime()}: self-test of {model} "
                          f"(extra buffers {'on' if extra else 'off'}) crashed\n{text}\n")
    except OSError:
        pass


def cache_key(path: Path, version: str, cpu_key: str) -> str:
    """The identity a cached verdict is valid for: file, library version and CPU."""
    info = path.stat()
    text = f"{path.resolve()}|{info.st_size}|{info.st_mtime_ns}|{version}|{cpu_key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _read_cache(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(file: Path, key: str, result: SelfTestResult) -> None:
    data = _read_cache(file)
    data[key] = {k: v for k, v in asdict(result).items() if k != "cached"}
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, file)
    except OSError:
        pass  # a cache that cannot be written only costs a self-test next time


def _result(report: dict[str, Any], extra: bool, note: str = "") -> SelfTestResult:
    if "error" in report:
        return SelfTestResult(False, extra, problem=str(report["error"]), note=note,
                              crashed=bool(report.get("crash")))
    return SelfTestResult(True, extra, float(report["load_s"]), float(report["prompt_tps"]),
                          float(report["gen_tps"]), str(report.get("text", "")), note=note,
                          system=str(report.get("system", "")))


def self_test(path: Path, cache_file: Path | None, *, use_extra_bufts: bool, version: str,
              cpu_key: str, runner: Runner, use_cache: bool = True) -> SelfTestResult:
    """The verdict on `path` here: from the cache, or by running `runner` (and once more
    without extra buffers when the first try crashed)."""
    key = cache_key(path, version, cpu_key)
    if use_cache and cache_file is not None:
        hit = _read_cache(cache_file).get(key)
        if isinstance(hit, dict) and hit.get("ok"):
            try:
                return SelfTestResult(**{**hit, "cached": True})
            except TypeError:
                pass  # an old or edited entry: test again
    report = runner(path, use_extra_bufts)
    result = _result(report, use_extra_bufts)
    if not result.ok and report.get("crash") and use_extra_bufts:
        retry = _result(runner(path, False), False,
                        note=f"with extra buffers: {result.problem}; without: works")
        result = retry if retry.ok else replace_problem(result, retry)
    if result.ok and cache_file is not None:
        _write_cache(cache_file, key, result)
    return result


def replace_problem(first: SelfTestResult, second: SelfTestResult) -> SelfTestResult:
    """Both tries failed: say so once."""
    return SelfTestResult(False, False, problem=f"{first.problem} (and without extra buffers: "
                          f"{second.problem})", crashed=first.crashed or second.crashed)


def library_version() -> str:
    """The installed llama-cpp-python's version, read without importing it ("" if missing)."""
    from importlib import metadata

    try:
        return metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return ""


def ensure_model_works(path: Path, *, embed: bool = False, runner: Runner | None = None,
                       use_cache: bool = True) -> SelfTestResult:
    """Self-test `path` (cached), make this process load models with the options that passed,
    and return the verdict; a `UserError` with one line naming problem and remedy otherwise.

    Nothing of llama.cpp is loaded into this process here: the version comes from the package
    metadata and the CPU from /proc/cpuinfo, so even a library that cannot run on this CPU
    only ever crashes the child."""
    from cognition.llm import llama_cpp_model
    from cognition.llm.cpu import LoadOptions, choose_options, read_cpu
    from cognition.llm.llama_compat import TESTED
    from engine import paths
    from engine.errors import UserError

    version = library_version()
    if not version:
        raise UserError("llama-cpp-python is not installed "
                        f"(pip install 'llama-cpp-python{TESTED}')")
    cpu = read_cpu()
    options = choose_options(cpu)
    log_dir = paths.logs_dir()
    if runner is None:
        def runner(p: Path, extra: bool) -> dict[str, Any]:
            return run_child(p, extra, embed=embed, log_dir=log_dir)
    result = self_test(path, paths.data_dir() / CACHE_NAME, use_extra_bufts=options.use_extra_bufts,
                       version=version, cpu_key=cpu.key() + ("|embed" if embed else ""),
                       runner=runner, use_cache=use_cache)
    if not result.ok:
        remedy = (f"rebuild llama-cpp-python without CPU-specific code (CMAKE_ARGS="
                  f"\"-DGGML_NATIVE=OFF\" pip install --force-reinstall --no-cache-dir "
                  f"'llama-cpp-python{TESTED}'), or try another GGUF (--model) or a model "
                  f"server (--server); details: simulacra doctor, {log_dir / CRASH_LOG}"
                  if result.crashed else "check the file, or give another GGUF (--model) or a "
                  "model server (--server); details: simulacra doctor")
        raise UserError(f"model {path.name} failed its self-test on this machine "
                        f"({cpu.model}): {result.problem}; remedy: {remedy}")
    reason = options.reason if result.use_extra_bufts == options.use_extra_bufts else (
        "extra buffers crashed in the self-test, so none")
    llama_cpp_model.use_load_options(LoadOptions(result.use_extra_bufts, reason))
    return result


def _child(argv: list[str]) -> int:
    """The child: load, evaluate a short prompt, write `TOKENS` tokens greedily; print JSON."""
    import faulthandler

    crash_log = None
    if len(argv) > 3 and argv[3]:
        crash_log = open(argv[3], "w", encoding="utf-8")  # noqa: SIM115 - open until exit
        faulthandler.enable(crash_log)
    import llama_cpp
    import numpy as np

    from cognition.llm.llama_compat import load_llama

    embed = len(argv) > 2 and argv[2] == "embed"
    system = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").strip()
    started = time.perf_counter()
    llm = load_llama(argv[0], use_extra_bufts=argv[1] == "1", n_ctx=256, n_threads=1,
                     n_threads_batch=1, verbose=False, embedding=embed)
    load_s = time.perf_counter() - started
    if embed:
        n = len(llm.tokenize(PROMPT.encode("utf-8"), add_bos=True))
        started = time.perf_counter()
        vector = np.asarray(llm.embed(PROMPT), dtype=np.float32)
        took = time.perf_counter() - started
        llm.close()
        print(json.dumps({"load_s": round(load_s, 3), "prompt_tps": round(n / took, 1),
                          "gen_tps": 0.0, "text": f"{vector.shape[-1]} dimensions",
                          "system": system}))
        return 0
    tokens = llm.tokenize(PROMPT.encode("utf-8"), add_bos=True)
    started = time.perf_counter()
    llm.eval(tokens)
    prompt_s = time.perf_counter() - started
    out: list[int] = []
    started = time.perf_counter()
    for _ in range(TOKENS):
        logits = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
        token = int(np.ctypeslib.as_array(logits, shape=(llm.n_vocab(),)).argmax())
        out.append(token)
        llm.eval([token])
    gen_s = time.perf_counter() - started
    text = llm.detokenize(out).decode("utf-8", errors="replace")
    llm.close()
    print(json.dumps({"load_s": round(load_s, 3), "prompt_tps": round(len(tokens) / prompt_s, 1),
                      "gen_tps": round(TOKENS / gen_s, 1), "text": text, "system": system}))
    if crash_log is not None:
        faulthandler.disable()
        crash_log.close()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
