"""Builds the generative mind factory: the language model, the embedder and the memory index."""

from __future__ import annotations

from pathlib import Path

from game.wiring import MindOptions, Minds


def build_generative(options: MindOptions, seed: int) -> Minds:
    """Load the model the options name (bundled SmolLM2 by default) and wrap it for accounting.

    Raises `UserError` for a missing or invalid GGUF file or an unreachable server.
    """
    from cognition.generative import GenerativeMindFactory
    from cognition.llm import (
        AccountedModel,
        CallLog,
        CallStats,
        LlamaCppEmbedder,
        LlamaCppModel,
        OpenAICompatibleEmbedder,
        OpenAICompatibleModel,
        bundled_model_path,
    )
    from cognition.memory.chroma_index import make_client

    if options.server:
        model = OpenAICompatibleModel(options.server, options.server_model)
        model.check()
        description = f"{options.server_model} at {options.server}"
        if options.embed_model:
            embedder = LlamaCppEmbedder(options.embed_model)
        else:
            embedder = OpenAICompatibleEmbedder(options.server, options.server_model)
            embedder.check()  # a server without embeddings is refused now, in one line
    else:
        path = Path(options.model) if options.model else bundled_model_path()
        model = LlamaCppModel(path, seed=seed)
        description = path.name if options.model else f"bundled {path.name}"
        embedder = LlamaCppEmbedder(options.embed_model or path)
    log = CallLog()
    factory = GenerativeMindFactory(
        AccountedModel(model, log),
        embedder,
        seed=seed,
        chroma_client=make_client(),
        stats=CallStats(),
    )
    return Minds(factory, description, call_log=log, model=model)
