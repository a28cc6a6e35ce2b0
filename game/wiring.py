"""The one place that builds minds, models and dispatchers from command-line settings."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from engine.agent_api import MindFactory
from engine.dispatcher import Dispatcher, make_dispatcher


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
    server_concurrency: int = 8
    chroma_url: str | None = None

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
            server_concurrency=getattr(args, "server_concurrency", 8),
            chroma_url=getattr(args, "chroma_url", None),
        )


@dataclass
class Minds:
    """A built mind factory with what the HUD and benchmarks need to know about it."""

    factory: MindFactory
    description: str
    call_log: object | None = None  # cognition.llm.accounting.CallLog for generative minds
    model: object | None = None
    health: Any = None  # cognition.llm.health.ServerHealth with --server

    def status(self) -> str:
        """One line about the model server when it is slow or gone ("" otherwise)."""
        return self.health.status().message if self.health is not None else ""

    def failed_calls(self) -> int:
        """Model calls that failed for good (each one made a mind fall back)."""
        log: Any = self.call_log
        return sum(not r.ok for r in log.records()) if log is not None else 0

    def last_failure(self) -> str:
        """The last reason a server call failed ("" if none or not a server)."""
        return self.health.status().last_error if self.health is not None else ""


def build_minds(options: MindOptions, seed: int) -> Minds:
    """Build the mind factory the options ask for (may load a model: seconds)."""
    if options.seed is not None:
        seed = options.seed
    if options.mind == "routine":
        from cognition.routine import RoutineMindFactory

        return Minds(RoutineMindFactory(seed), "routine (no model)")
    from game.model_wiring import build_generative

    return build_generative(options, seed)


def build_dispatcher(options: MindOptions) -> Dispatcher:
    if options.mind == "routine":
        return make_dispatcher(0)
    if options.server is not None and options.workers > 0:
        # Enough threads to have every allowed request on the wire at once (server batching).
        return make_dispatcher(max(options.workers, options.server_concurrency))
    return make_dispatcher(options.workers)
