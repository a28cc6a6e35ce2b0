"""The one place that builds a running session from settings: minds, the language model and
embedder, the memory index, the dispatcher, and the save they run on.

Every command and benchmark starts here: `start_session(args)` for the command line,
`build_session(...)` for code that has its options in hand. Loading a model takes seconds;
everything else is fast. A missing GGUF file, an unreachable server or an unknown save is a
`UserError` (one line for the command line).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.agent_api import MindFactory
from engine.dispatcher import Dispatcher, make_dispatcher
from engine.errors import UserError
from engine.made_with import FIELDS, changes, made_with, merge, remember
from engine.persistence import MAX_STORED_NAME, SaveStore, validate_name
from engine.save_lock import SaveLock
from engine.session import AUTOSAVE_KEEP, DEFAULT_BASE, Session, open_session
from engine.settings import ClockMode, SimSettings


@dataclass(frozen=True, slots=True)
class MindOptions:
    """What kind of minds to build and which model they think with.

    From the command line, `mind`, `weights` and `server_model` are None when not given: a
    loaded save's remembered options fill them (`settle_options`), then `filled()` defaults."""

    mind: str | None = "generative"
    model: str | None = None
    weights: str | None = "q8_0"  # the bundled model: its Q8_0 working copy, or "shipped"
    instances: int = 0  # llama.cpp contexts thinking at once; 0: two where there are 2+ cores
    server: str | None = None
    server_model: str | None = "default"
    embed_model: str | None = None
    workers: int = 4
    seed: int | None = None
    server_concurrency: int = 8
    chroma_url: str | None = None
    give_up_s: float | None = None  # a server unreachable this long fails the call (None: wait)

    def filled(self) -> MindOptions:
        """Defaults where nothing was given nor remembered."""
        return replace(self, mind=self.mind or "generative", weights=self.weights or "q8_0",
                       server_model=self.server_model or "default")

    def remembered(self) -> dict[str, str]:
        """What a save remembers of these options (`engine.made_with`; "" for defaults)."""
        model = str(Path(self.model).expanduser().resolve()) if self.model else ""
        embed = self.embed_model or ""
        if embed and embed != "hashed":
            embed = str(Path(embed).expanduser().resolve())
        return {"mind": self.mind or "generative", "model": model, "weights": self.weights or "",
                "embed_model": embed, "server": self.server or "",
                "server_model": self.server_model or ""}

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> MindOptions:
        return cls(
            mind=args.mind,
            model=args.model,
            weights=getattr(args, "weights", None),
            instances=getattr(args, "instances", 0) or 0,
            server=args.server,
            server_model=args.server_model,
            embed_model=args.embed_model,
            workers=args.workers,
            seed=args.seed,
            server_concurrency=getattr(args, "server_concurrency", 8),
            chroma_url=getattr(args, "chroma_url", None),
            give_up_s=getattr(args, "give_up_s", None),
        )


@dataclass
class Minds:
    """A built mind factory with what the HUD and benchmarks need to know about it."""

    factory: MindFactory
    description: str
    call_log: object | None = None  # cognition.llm.accounting.CallLog for generative minds
    model: object | None = None
    health: Any = None  # cognition.llm.health.ServerHealth with --server
    instances: int = 1  # in-process model contexts answering at once

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
    options = options.filled()
    if options.seed is not None:
        seed = options.seed
    if options.mind == "routine":
        from cognition.routine import RoutineMindFactory

        return Minds(RoutineMindFactory(seed), "routine (no model)")
    return _build_generative(options, seed)


def build_dispatcher(options: MindOptions) -> Dispatcher:
    """Routine minds think inline (they are cheap); generative ones on `workers` threads."""
    options = options.filled()
    if options.mind == "routine":
        return make_dispatcher(0)
    if options.server is not None and options.workers > 0:
        # Enough threads to have every allowed request on the wire at once (server batching).
        return make_dispatcher(max(options.workers, options.server_concurrency))
    return make_dispatcher(options.workers)


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
    clock: str = "lockstep", player=None, no_player: bool = False,
) -> Session:  # fmt: skip
    """Fork `fork` (default: the 3-agent base) or load `load`, with the minds the options ask
    for. `minds` / `dispatcher` replace what the options would build (benchmarks, tests)."""
    if autosave_min < 0:
        raise UserError(f"--autosave-min must be 0 (off) or more, not {autosave_min}")
    if autosave_keep < 0:
        raise UserError(f"--autosave-keep must be 0 or more, not {autosave_keep}")
    store = store or SaveStore()
    options = settle_options(options, store, load)
    target = load if load is not None else name
    # One writer per save: refused here, before a model is loaded (the session keeps the lock).
    early = SaveLock(store.saves_root, validate_name(target, MAX_STORED_NAME)) \
        if target is not None else None
    try:
        if early is not None:
            early.acquire()
        if minds is None:
            minds = build_minds(options, save_seed(store, fork=fork, load=load))
        settings = settings or SimSettings(autosave_every_min=autosave_min, clock=ClockMode(clock))
        with server_status(minds):  # forking may already ask the model (planted history)
            session = open_session(
                store, fork=fork, load=load, name=name, factory=minds.factory,
                dispatcher=dispatcher or build_dispatcher(options), settings=settings,
                model_name=minds.description, minds=minds, autosave_keep=autosave_keep,
                player=player, no_player=no_player,
            )  # fmt: skip
    finally:
        if early is not None:
            if early.note:
                print(f"simulacra: note: {early.note}", file=sys.stderr)
            early.release()
    for note in session.notes:
        if note != (early.note if early else None):
            print(f"simulacra: note: {note}", file=sys.stderr)
    session.meta = remember(session.meta, options.remembered())  # written with every save
    return session


def settle_options(options: MindOptions, store: SaveStore, load: str | None,
                   say=None) -> MindOptions:
    """The options to run a save with: what was given, else what the save remembers
    (`engine.made_with`), else the defaults. A changed option is said in one line (`say`,
    default stderr); a remembered model file that is gone, or a change of mind kind that the
    save's minds cannot follow, is a `UserError`."""
    from engine.persistence import read_meta

    if load is None:
        return options.filled()
    where = f"save '{load}'"
    meta = read_meta(store.save_path(load), where) if store.exists(load) else None
    if meta is None:
        return options.filled()  # open_session names the missing save
    recorded = made_with(meta, where)
    given = {key: getattr(options, key) for key in FIELDS}
    for key in ("model", "embed_model"):  # compared as remembered: absolute paths
        if given[key] and given[key] != "hashed":
            given[key] = str(Path(given[key]).expanduser().resolve())
    merged = merge(given, recorded)
    settled = replace(options, **merged).filled()
    was, now = recorded.get("mind") or meta.mind, settled.mind
    if was in ("generative", "routine") and was != now:
        raise UserError(f"{where} holds {was} minds, which cannot continue as {now} minds "
                        f"(leave out --mind, or fork a base with --mind {now})")
    if merged.get("model") and given.get("model") is None and not Path(merged["model"]).is_file():
        raise UserError(f"{where} was made with the model {merged['model']}, which is gone "
                        "(give --model GGUF, or --server URL)")
    changed = changes(given, recorded)
    if changed:
        say = say or (lambda line: print(f"simulacra: {line}", file=sys.stderr))
        say(f"{where}: {'; '.join(changed)} (as asked; the save remembers it from now on)")
    return settled


def start_session(args: argparse.Namespace, autosave_min: int = 0) -> Session:
    """The session a command's arguments name (`--fork/--load/--name`, the mind and player
    options)."""
    player, no_player = player_of(args)
    return build_session(MindOptions.from_args(args), fork=args.fork, load=args.load,
                         name=args.name, autosave_min=autosave_min,
                         autosave_keep=getattr(args, "autosave_keep", AUTOSAVE_KEEP),
                         clock=getattr(args, "clock", "lockstep"), player=player,
                         no_player=no_player)


def server_status(minds: Minds, show=None):
    """While a model server is in use, report its trouble (paused, slow): through `show`, or
    on stderr one line per change of state. A context manager (a no-op without a server)."""
    from cognition.llm.health import StatusTicker

    shown = [""]

    def to_stderr(message: str) -> None:
        state = "down" if "unreachable" in message else "slow" if message else ""
        if state != shown[0]:
            shown[0] = state
            print(f"simulacra: {message or 'model server answering again'}", file=sys.stderr)

    return StatusTicker(minds.status, show or to_stderr, interval_s=1.0)


def _build_generative(options: MindOptions, seed: int) -> Minds:
    """Load the model the options name (bundled SmolLM2 by default) and wrap it for accounting.

    Raises `UserError` for a missing or invalid GGUF file or an unreachable server.
    """
    from cognition.generative import GenerativeMindFactory
    from cognition.generative.settings import GenerativeSettings
    from cognition.llm import (
        AccountedModel,
        CallLog,
        CallStats,
        LlamaCppEmbedder,
        LlamaCppModel,
        OpenAICompatibleEmbedder,
        OpenAICompatibleModel,
        bundled_model_path,
        check_gguf,
        working_copy,
    )
    from cognition.llm.hashed import BUNDLED_DIMENSION, HASHED, HashEmbedder
    from cognition.llm.random_model import RANDOM, RandomModel
    from cognition.memory.chroma_index import make_client, make_server_client
    from engine.paths import models_dir

    health = None
    if options.server is not None and options.model == RANDOM:
        raise UserError("--model random and --server name two models: choose one")
    if options.server is not None:  # '' is a mistake to report, not "no server"
        model = OpenAICompatibleModel(
            options.server, options.server_model, concurrency=options.server_concurrency,
            api_key=os.environ.get("SIMULACRA_API_KEY") or None, give_up_s=options.give_up_s,
            timeout_s=options.give_up_s or 120,  # one question's wait is its give-up time
        )  # fmt: skip
        model.check()
        health = model.health
        description = f"{options.server_model} at {model.base_url}"  # never a key
        if options.embed_model == HASHED:
            embedder = HashEmbedder(BUNDLED_DIMENSION)
        elif options.embed_model:
            from cognition.llm.selftest import ensure_model_works

            ensure_model_works(check_gguf(options.embed_model), embed=True)
            embedder = LlamaCppEmbedder(options.embed_model)
        else:
            embedder = OpenAICompatibleEmbedder(
                options.server, options.server_model, client=model.client
            )
            embedder.check()  # a server without embeddings is refused now, in one line
    elif options.model == RANDOM:  # the baseline: valid random answers at engine speed
        model = RandomModel(seed)
        description = f"random (baseline, seed {seed})"
        if options.embed_model and options.embed_model != HASHED:
            embedder = LlamaCppEmbedder(options.embed_model)
        else:
            embedder = HashEmbedder(BUNDLED_DIMENSION)
    else:
        path = Path(options.model) if options.model else bundled_model_path()
        description = path.name
        if not options.model:
            path = working_copy(path, models_dir(), options.weights)
            description = f"bundled {description}" + (
                f" ({options.weights})" if options.weights != "shipped" else "")
        from cognition.llm.llama_pool import LlamaCppPool, auto_instances
        from cognition.llm.selftest import ensure_model_works

        ensure_model_works(check_gguf(path))  # a native crash kills a child, not this process

        instances, threads = auto_instances()
        if options.instances:
            instances, threads = options.instances, 1 if options.instances > 1 else 0
        if instances > 1:
            model = LlamaCppPool(path, instances=instances, seed=seed, n_threads=threads)
            description += f" x{instances}"
        else:
            model = LlamaCppModel(path, seed=seed, n_threads=threads or None)
        if options.embed_model == HASHED:
            embedder = HashEmbedder(BUNDLED_DIMENSION)
        elif options.embed_model or options.model:
            if options.embed_model:
                ensure_model_works(check_gguf(options.embed_model), embed=True)
            embedder = LlamaCppEmbedder(options.embed_model or path)
        else:  # the bundled model's pooled states find memories worse than hashed words
            embedder = HashEmbedder(BUNDLED_DIMENSION)
    log = CallLog()
    factory = GenerativeMindFactory(
        AccountedModel(model, log),
        embedder,
        seed=seed,
        chroma_client=make_server_client(options.chroma_url)
        if options.chroma_url is not None
        else make_client(),
        stats=CallStats(),
        # a capable model (a server, another GGUF) writes interview replies; the bundled one and
        # the random baseline choose among offered sentences (cognition/generative/answering.py)
        settings=GenerativeSettings(
            interview_free=options.server is not None or options.model not in (None, RANDOM)),
    )
    contexts = len(getattr(model, "models", ())) or 1  # a pool's contexts
    return Minds(factory, description, call_log=log, model=model, health=health,
                 instances=contexts)


def player_of(args: argparse.Namespace):
    """(the engine.player.Player to add when the save has none, or None; whether to leave a
    saved player out) from `--player-name`, `--player-sprite`, `--no-player`."""
    from engine.player import DEFAULT_NAME, Player, choose_sprite

    name, sprite = getattr(args, "player_name", None), getattr(args, "player_sprite", None)
    if getattr(args, "no_player", False):
        if name is not None or sprite is not None:
            raise UserError("--no-player cannot go with --player-name or --player-sprite")
        return None, True
    if name is None and sprite is None and not getattr(args, "player_default", False):
        return None, False
    try:
        name = Player.from_state({"name": name or DEFAULT_NAME, "sprite": "any"}).name
    except ValueError as exc:
        raise UserError(f"--player-name: {exc}") from None
    return Player(name, choose_sprite(sprite, set()) if sprite else ""), False
