"""Prompt and generation speed of a GGUF with and without llama.cpp's extra buffer types.

Run: `python tests/bench/bench_extra_buffers.py [GGUF] [rounds] [threads]` (default: the bundled
model's Q8_0 working copy under SIMULACRA_HOME/models if present, else the shipped Q4_1 file;
3 rounds; 1 thread, as each context of the default pool runs).

Each measurement runs in a fresh child process (a native crash is reported, not fatal): load
the model with `use_extra_bufts` on or off, evaluate a fixed ~300-token prompt in one batch
(prompt tokens/s), then decode 64 tokens one at a time, greedily (generation tokens/s). The
settings alternate round by round so a change in machine load hits both alike; the median of
the rounds is printed with the load average. Not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, time
import numpy as np
import llama_cpp
from cognition.llm.llama_compat import load_llama
path, extra, threads = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
t0 = time.perf_counter()
llm = load_llama(path, use_extra_bufts=extra, n_ctx=1024, n_threads=threads,
                 n_threads_batch=threads, verbose=False)
load_s = time.perf_counter() - t0
text = " ".join(f"Agent {i} walked to the cafe, ordered coffee and talked about the party."
                for i in range(20))
tokens = llm.tokenize(text.encode(), add_bos=True)[:300]
t0 = time.perf_counter()
llm.eval(tokens)
prompt_s = time.perf_counter() - t0
n_vocab = llm.n_vocab()
generated = []
t0 = time.perf_counter()
for _ in range(64):
    row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(n_vocab,))
    token = int(row.argmax())
    generated.append(token)
    llm.eval([token])
gen_s = time.perf_counter() - t0
print(json.dumps({"load_s": load_s, "prompt_tps": len(tokens) / prompt_s,
                  "gen_tps": 64 / gen_s, "text": llm.detokenize(generated).decode(errors="replace")}))
"""


def default_model() -> Path:
    from cognition.llm import bundled_model_path
    from engine.paths import models_dir

    copies = sorted(models_dir().glob("*.q8_0.*.gguf")) if models_dir().is_dir() else []
    return copies[0] if copies else bundled_model_path()


def measure(path: Path, extra: bool, threads: int) -> dict:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), "1" if extra else "0",
                           str(threads)], capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        return {"crash": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else default_model()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(f"{path.name}, {threads} thread(s), {rounds} rounds, load {os.getloadavg()}")
    results: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(rounds):
        for extra in (True, False):
            results[extra].append(measure(path, extra, threads))
    for extra, runs in results.items():
        ok = [r for r in runs if "crash" not in r]
        crashes = [r["crash"] for r in runs if "crash" in r]
        label = "extra buffers on " if extra else "extra buffers off"
        if not ok:
            print(f"{label}: crashed {crashes}")
            continue
        print(f"{label}: prompt {statistics.median(r['prompt_tps'] for r in ok):7.1f} tok/s, "
              f"generation {statistics.median(r['gen_tps'] for r in ok):6.1f} tok/s, "
              f"load {statistics.median(r['load_s'] for r in ok):.2f} s"
              + (f", crashes {crashes}" if crashes else ""))
        print(f"  text: {ok[0]['text'][:70]!r}")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
