"""Our sampler against llama.cpp's own sampler chain, at the temperatures calls use.

llama-cpp-python samples with top-k 40, top-p 0.95, min-p 0.05, then the temperature, applied by
llama.cpp's samplers; `cognition.llm.sampling.distribution` does the same steps in numpy (with
the grammar checked on the top k only). Here llama.cpp's own samplers are applied to the same
logits and the distributions compared: identical without a grammar, and identical with one
whenever the grammar allows every top-k token. Where it forbids some, grammar-first sampling
(llama.cpp) can reach allowed tokens below the top k that ours never draws; the real-model test
measures that difference at temperature 0.2 (every call) and 0.7 (retries) and bounds it.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

from cognition.llm.sampling import _TOKEN_DATA, Sampling, distribution

llama_cpp = pytest.importorskip("llama_cpp")
TEMPERATURES = (0.2, 0.7, 1.0)


def llama_cpp_distribution(logits: np.ndarray, params: Sampling) -> tuple[np.ndarray, np.ndarray]:
    """(ids, probabilities) after llama.cpp's top-k, top-p, min-p and temperature samplers."""
    n = len(logits)
    data = (llama_cpp.llama_token_data * n)()
    view = np.frombuffer(data, dtype=_TOKEN_DATA)
    view["id"], view["logit"], view["p"] = np.arange(n), logits, 0.0
    array = llama_cpp.llama_token_data_array(data, n, -1, False)
    chain = [llama_cpp.llama_sampler_init_top_k(params.top_k),
             llama_cpp.llama_sampler_init_top_p(params.top_p, 1),
             llama_cpp.llama_sampler_init_min_p(params.min_p, 1),
             llama_cpp.llama_sampler_init_temp(params.temperature)]
    try:
        for sampler in chain:
            llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
    finally:
        for sampler in chain:
            llama_cpp.llama_sampler_free(sampler)
    kept = [(array.data[i].id, array.data[i].logit) for i in range(array.size)]
    kept = [(i, x) for i, x in kept if np.isfinite(x)]
    kept.sort(key=lambda pair: -pair[1])
    ids = np.array([i for i, _ in kept])
    scaled = np.array([x for _, x in kept], dtype=np.float64)
    probs = np.exp(scaled - scaled.max())
    return ids, probs / probs.sum()


def total_variation(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    pa, pb = dict(zip(a[0].tolist(), a[1])), dict(zip(b[0].tolist(), b[1]))
    return 0.5 * sum(abs(pa.get(t, 0.0) - pb.get(t, 0.0)) for t in set(pa) | set(pb))


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_without_a_grammar_the_distribution_is_llama_cpps(temperature):
    rng = np.random.default_rng(3)
    params = Sampling(temperature=temperature)
    for _ in range(200):
        logits = (rng.normal(size=2000) * rng.uniform(0.5, 4.0)).astype(np.float32)
        ours, theirs = distribution(logits, params), llama_cpp_distribution(logits, params)
        assert ours[0].tolist() == theirs[0].tolist()
        np.testing.assert_allclose(ours[1], theirs[1], atol=1e-5)


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_a_grammar_that_allows_the_whole_top_k_changes_nothing(temperature):
    rng = np.random.default_rng(5)
    params = Sampling(temperature=temperature)
    for _ in range(100):
        logits = (rng.normal(size=2000) * 2).astype(np.float32)
        top = set(np.argsort(-logits)[: params.top_k].tolist())
        forbidden = np.array([t for t in rng.choice(2000, 300, replace=False) if t not in top])

        def allowed(ids, cand):
            out = cand.copy()
            out[np.isin(ids, forbidden)] = -np.inf
            return out

        masked = logits.copy()
        masked[forbidden] = -np.inf
        ours, theirs = distribution(logits, params, allowed), llama_cpp_distribution(masked,
                                                                                     params)
        assert ours[0].tolist() == theirs[0].tolist()
        np.testing.assert_allclose(ours[1], theirs[1], atol=1e-5)


@pytest.mark.llm
def test_with_the_real_grammar_the_difference_is_small_at_the_temperatures_used():
    """At each step of real grammar-constrained answers: our distribution (grammar on the top
    k) against grammar-first llama.cpp sampling (grammar on the whole vocabulary)."""
    from cognition.llm import LlamaCppModel, bundled_model_path, object_schema, string
    from cognition.llm.sampling import Grammar

    schema = object_schema({"utterance": string(120), "end": {"type": "boolean"}})
    model = LlamaCppModel(bundled_model_path(), n_threads=1, prefix_cache_mb=0)
    llm = model._llm
    gbnf = model.gbnf_for(schema)
    found: dict[float, list[float]] = {t: [] for t in (0.2, 0.7)}
    try:
        for name in ("Isabella", "Klaus", "Maria"):
            prompt = model.prompt_tokens([{"role": "user", "content": (
                f"{name} meets a neighbour in the park. What does {name} say? Answer JSON "
                'with the keys "utterance" and "end".')}])
            llm.reset()
            llm.eval(prompt.tolist())
            grammar = Grammar(llm._model.vocab, gbnf)
            every = np.arange(llm.n_vocab(), dtype=np.intc)
            for _ in range(30):
                row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1),
                                            shape=(llm.n_vocab(),)).copy()
                whole = grammar.allowed(every, row.astype(np.float32))
                for t in found:
                    params = Sampling(temperature=t)
                    found[t].append(total_variation(distribution(row, params, grammar.allowed),
                                                    llama_cpp_distribution(whole, params)))
                token = int(np.argmax(whole))
                if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token):
                    break
                grammar.accept(token)
                llm.eval([token])
            grammar.close()
    finally:
        model.close()
    for t, tvs in found.items():
        mean, worst = float(np.mean(tvs)), float(np.max(tvs))
        print(f"temperature {t}: {len(tvs)} steps, total variation mean {mean:.4f}, "
              f"max {worst:.4f}, steps differing {sum(v > 1e-6 for v in tvs)}")
        assert mean < 0.02 and worst < 0.5, (t, mean, worst)
