"""Builds the generative mind factory: the language model, the embedder and the memory index."""

from __future__ import annotations

import os
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
    from cognition.memory.chroma_index import make_client, make_server_client

    health = None
    if options.server is not None:  # '' is a mistake to report, not "no server"
        model = OpenAICompatibleModel(
            options.server, options.server_model, concurrency=options.server_concurrency,
            api_key=os.environ.get("SIMULACRA_API_KEY") or None,
        )  # fmt: skip
        model.check()
        health = model.health
        description = f"{options.server_model} at {model.base_url}"  # never a key
        if options.embed_model:
            embedder = LlamaCppEmbedder(options.embed_model)
        else:
            embedder = OpenAICompatibleEmbedder(
                options.server, options.server_model, client=model.client
            )
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
        chroma_client=make_server_client(options.chroma_url)
        if options.chroma_url is not None
        else make_client(),
        stats=CallStats(),
    )
    return Minds(factory, description, call_log=log, model=model, health=health)
