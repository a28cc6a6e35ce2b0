"""Speed of the bundled SmolLM2 GGUF through `LlamaCppModel`, with and without a grammar.

Run: `python tests/cognition/llm/bench_bundled_model.py [runs] [n_threads]`.

For a ~300-token prompt and an answer of up to 60 tokens it prints prefill and decode tokens
per second from llama.cpp's own counters, the whole call, and the overhead outside llama.cpp's
evaluation (chat template, tokenising, sampling and grammar checks). Each run changes the first
line of the system message so the prefix cache cannot skip prefill. Not a test: it prints
numbers and asserts nothing. Other busy processes skew it badly; the load average is printed.
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
    """One call; returns (completion, prefill_s, prefill_tokens, decode_s, decoded_tokens) from
    llama.cpp's own performance counters (a bench may peek at the private `_llm`)."""
    import llama_cpp

    request = Request(
        system=f"Run {run}. You simulate a character in a small town. Be concise.",
        prompt=PROMPT,
        purpose="bench",
        prompt_id="bench.v1",
        schema=schema,
        max_tokens=max_tokens,
        seed=run,
    )
    ctx = model._llm._ctx.ctx
    llama_cpp.llama_perf_context_reset(ctx)
    done = model.complete(request)
    perf = llama_cpp.llama_perf_context(ctx)
    return done, perf.t_p_eval_ms / 1000, perf.n_p_eval, perf.t_eval_ms / 1000, perf.n_eval


def main(runs: int = 5, n_threads: int | None = None) -> None:
    model = LlamaCppModel(bundled_model_path(), n_ctx=2048, n_threads=n_threads)
    one(model, -1, None, 8)  # warm-up: page the weights in
    print(
        f"bundled model: {bundled_model_path().name}; cpus={os.cpu_count()}; "
        f"threads={model.n_threads}; runs={runs}; load avg {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'mode':<10} {'prompt tok':>10} {'answer tok':>10} {'prefill tok/s':>14} "
        f"{'decode tok/s':>12} {'call s':>8} {'overhead s':>10}"
    )
    for label, schema in (("free text", None), ("grammar", SCHEMA)):
        rows = [one(model, 1000 * (1 if schema else 2) + run, schema, 60) for run in range(runs)]
        med = statistics.median
        prompt_tok = med(r[0].prompt_tokens for r in rows)
        answer_tok = med(r[0].completion_tokens for r in rows)
        prefill = med(r[2] / r[1] for r in rows if r[1] > 0)
        decode = med(r[4] / r[3] for r in rows if r[3] > 0)
        call_s = med(r[0].latency_s for r in rows)
        overhead = med(r[0].latency_s - r[1] - r[3] for r in rows)
        print(
            f"{label:<10} {prompt_tok:>10.0f} {answer_tok:>10.0f} {prefill:>14.0f} "
            f"{decode:>12.1f} {call_s:>8.2f} {overhead:>10.2f}"
        )
    print("grammar sample:", one(model, 9999, SCHEMA, 60)[0].text)


if __name__ == "__main__":
    started = time.perf_counter()
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
    print(f"bench wall time {time.perf_counter() - started:.1f}s")
