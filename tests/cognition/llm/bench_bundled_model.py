"""Speed of the bundled SmolLM2 GGUF through `LlamaCppModel`, with and without a grammar.

Run: `python tests/cognition/llm/bench_bundled_model.py [runs] [n_threads]`. Prints prompt (prefill) and
generation tokens per second for a ~300-token prompt and an answer of up to 60 tokens. Each run
changes the first line of the system message so llama.cpp's prefix cache cannot skip prefill.
Not a test: numbers go to stdout, nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from cognition.llm import (
    LlamaCppModel,
    Request,
    array_of,
    bundled_model_path,
    object_schema,
    string,
    string_enum,
)

MEMORIES = [
    "Isabella Rodriguez opened Hobbs Cafe at 8am and greeted the first customers.",
    "Klaus Mueller sat by the window reading a book about urban gentrification.",
    "Maria Lopez studied for her physics exam at the cafe's corner table.",
    "Isabella decided to host a Valentine's Day party at Hobbs Cafe on February 14th, 5-7pm.",
    "Tom Moreno complained about the upcoming local mayor election.",
    "Sam Moore talked about running for mayor with his wife Jennifer.",
    "Isabella restocked the coffee beans and cleaned the espresso machine.",
    "Carmen Ortiz bought supplies at Harvey Oak Supply Store.",
    "Giorgio Rossi walked in Johnson Park thinking about mathematical patterns.",
    "Isabella asked Maria to help decorate the cafe for the party.",
]
PROMPT = (
    "Isabella Rodriguez is 34, friendly and outgoing; she runs Hobbs Cafe in the Ville and loves "
    "to make people feel welcome. It is February 13, 2:00 pm. She is at Hobbs Cafe.\n"
    "Relevant memories:\n"
    + "\n".join(f"- {m}" for m in MEMORIES)
    + "\nWhat should Isabella do for the rest of the afternoon? List her next tasks, each a short "
    "phrase, and say how she feels about the party."
)
SCHEMA = object_schema(
    {
        "tasks": array_of(string(max_length=60), 3, 6),
        "feeling": string_enum(["excited", "nervous", "calm", "tired"]),
    }
)


def one(model: LlamaCppModel, run: int, schema: dict | None, max_tokens: int):
    request = Request(
        system=f"Run {run}. You simulate a character in a small town. Be concise.",
        prompt=PROMPT,
        purpose="bench",
        prompt_id="bench.v1",
        schema=schema,
        max_tokens=max_tokens,
        seed=run,
    )
    return model.complete(request)


def main(runs: int = 5, n_threads: int | None = None) -> None:
    model = LlamaCppModel(bundled_model_path(), n_ctx=2048, n_threads=n_threads)
    one(model, -1, None, 8)  # warm-up: page the weights in
    rows = {}
    for label, schema in (("free text", None), ("grammar", SCHEMA)):
        prefill, total, gen_tok, prompt_tok = [], [], [], []
        for run in range(runs):
            base = 1000 * (1 if schema else 2) + run
            p = one(model, base, schema, 1)  # prefill only (+1 token)
            t = one(model, base + 100, schema, 60)  # same length prompt, full answer
            prefill.append(p.latency_s)
            total.append(t.latency_s)
            gen_tok.append(t.completion_tokens)
            prompt_tok.append(t.prompt_tokens)
        pre_s = statistics.median(prefill)
        tot_s = statistics.median(total)
        toks = statistics.median(gen_tok)
        rows[label] = (
            statistics.median(prompt_tok),
            toks,
            statistics.median(prompt_tok) / pre_s,
            toks / max(1e-9, tot_s - pre_s),
            tot_s,
        )
    print(
        f"bundled model: {bundled_model_path().name}; cpus={os.cpu_count()}; "
        f"threads={n_threads or 'default'}; runs={runs}; load avg {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'mode':<10} {'prompt tok':>10} {'answer tok':>10} {'prefill tok/s':>14} "
        f"{'gen tok/s':>10} {'call s':>8}"
    )
    for label, (pt, ct, pre, gen, tot) in rows.items():
        print(f"{label:<10} {pt:>10.0f} {ct:>10.0f} {pre:>14.0f} {gen:>10.1f} {tot:>8.2f}")
    sample = one(model, 9999, SCHEMA, 60).text
    print("grammar sample:", sample)


if __name__ == "__main__":
    started = time.perf_counter()
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
    print(f"bench wall time {time.perf_counter() - started:.1f}s")
