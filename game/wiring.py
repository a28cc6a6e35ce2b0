"""The one place that builds minds, models and dispatchers from command-line settings."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

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


@dataclass
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
    from game.model_wiring import build_generative

    return build_generative(options, seed)


def build_dispatcher(options: MindOptions) -> Dispatcher:
    return make_dispatcher(options.workers if options.mind != "routine" else 0)
