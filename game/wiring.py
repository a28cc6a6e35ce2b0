"""The one place that builds a running session from settings: minds, the language model and
embedder, the memory index, the dispatcher, and the save they run on.

Every command and benchmark starts here: `start_session(args)` for the command line,
`build_session(...)` for code that has its options in hand. Loading a model takes seconds;
everything else is fast. A missing GGUF file, an unreachable server or an unknown save is a
`UserError` (one line for the command line).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from engine.agent_api import MindFactory
from engine.dispatcher import Dispatcher, make_dispatcher
from engine.errors import UserError
from engine.persistence import SaveStore
from engine.session import AUTOSAVE_KEEP, DEFAULT_BASE, Session, open_session
from engine.settings import SimSettings


@dataclass(frozen=True, slots=True)
class MindOptions:
    """What kind of minds to build and which model they think with."""

    mind: str = "generative"
    model: str | None = None
    server: str | None = None
    server_model: str = "default"
    embed_model: str | None = None
    workers: int = 4
    seed: int | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> MindOptions:
        return cls(
            mind=args.mind,
            model=args.model,
            server=args.server,
            server_model=args.server_model,
            embed_model=args.embed_model,
            workers=args.workers,
            seed=args.seed,
        )


@dataclass(frozen=True, slots=True)
class Minds:
    """A built mind factory with what the HUD and benchmarks need to know about it."""

    factory: MindFactory
    description: str
    call_log: object | None = None  # cognition.llm.accounting.CallLog for generative minds
    model: object | None = None


def build_minds(options: MindOptions, seed: int) -> Minds:
    """Build the mind factory the options ask for (may load a model: seconds)."""
    if options.seed is not None:
        seed = options.seed
    if options.mind == "routine":
        from cognition.routine import RoutineMindFactory

        return Minds(RoutineMindFactory(seed), "routine (no model)")
    return _build_generative(options, seed)


def build_dispatcher(options: MindOptions) -> Dispatcher:
    """Routine minds think inline (they are cheap); generative ones on `workers` threads."""
    return make_dispatcher(options.workers if options.mind != "routine" else 0)


def save_seed(store: SaveStore, *, fork: str | None, load: str | None) -> int:
    """The seed a save (or the base it forks) was made with."""
    if load:
        return store.read(load).meta.seed
    return store.read_base(fork or DEFAULT_BASE).meta.seed


def build_session(
    options: MindOptions, *, store: SaveStore | None = None, fork: str | None = None,
    load: str | None = None, name: str | None = None, autosave_min: int = 0,
    autosave_keep: int = AUTOSAVE_KEEP, settings: SimSettings | None = None,
    minds: Minds | None = None, dispatcher: Dispatcher | None = None,
) -> Session:  # fmt: skip
    """Fork `fork` (default: the 3-agent base) or load `load`, with the minds the options ask
    for. `minds` / `dispatcher` replace what the options would build (benchmarks, tests)."""
    if autosave_min < 0:
        raise UserError(f"--autosave-min must be 0 (off) or more, not {autosave_min}")
    if autosave_keep < 0:
        raise UserError(f"--autosave-keep must be 0 or more, not {autosave_keep}")
    store = store or SaveStore()
    if minds is None:
        minds = build_minds(options, save_seed(store, fork=fork, load=load))
    settings = settings or SimSettings(autosave_every_min=autosave_min)
    return open_session(
        store, fork=fork, load=load, name=name, factory=minds.factory,
        dispatcher=dispatcher or build_dispatcher(options), settings=settings,
        model_name=minds.description, minds=minds, autosave_keep=autosave_keep,
    )  # fmt: skip


def start_session(args: argparse.Namespace, autosave_min: int = 0) -> Session:
    """The session a command's arguments name (`--fork/--load/--name` and the mind options)."""
    return build_session(MindOptions.from_args(args), fork=args.fork, load=args.load,
                         name=args.name, autosave_min=autosave_min,
                         autosave_keep=getattr(args, "autosave_keep", AUTOSAVE_KEEP))


def _build_generative(options: MindOptions, seed: int) -> Minds:
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
        AccountedModel(model, log), embedder, seed=seed, chroma_client=make_client(),
        stats=CallStats(),
    )  # fmt: skip
    return Minds(factory, description, call_log=log, model=model)
