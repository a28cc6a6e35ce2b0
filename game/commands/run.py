"""`simulacra run`: advance a simulation headless with a progress bar, then save it."""

from __future__ import annotations

import argparse
import sys
import time

from tqdm import tqdm

from engine.clock import format_game_time
from engine.errors import UserError
from engine.persistence import SaveStore
from engine.session import AUTOSAVE_KEEP, Session, StepInFlight, open_session
from engine.simulation import SimSettings
from game.wiring import MindOptions, build_dispatcher, build_minds


INTERRUPT_WAIT_S = 10.0


def register(sub) -> None:
    from game.commands.options import add_mind_options, add_save_options

    parser = sub.add_parser(
        "run", help="run a simulation headless and save it",
        description="Run a simulation without a window, with a progress bar, and save it "
        "under the user data directory.",
    )
    add_save_options(parser)
    parser.add_argument("--steps", type=int, required=True, help="steps to run (1 step = 10 "
                        "game seconds; 360 = one game hour)")
    parser.add_argument("--autosave-min", type=int, default=60, metavar="MIN",
                        help="autosave every MIN game minutes (0 = off; default 60)")
    parser.add_argument("--autosave-keep", type=int, default=AUTOSAVE_KEEP, metavar="N",
                        help="keep the last N autosaves as SAVE-autosave-STEP, loadable with "
                        f"--load (0 = none; default {AUTOSAVE_KEEP})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


def start_session(args: argparse.Namespace, autosave_min: int = 0) -> Session:
    """Fork or load the save the arguments name, with the minds they ask for."""
    if autosave_min < 0:
        raise UserError(f"--autosave-min must be 0 (off) or more, not {autosave_min}")
    keep = getattr(args, "autosave_keep", AUTOSAVE_KEEP)
    if keep < 0:
        raise UserError(f"--autosave-keep must be 0 or more, not {keep}")
    store = SaveStore()
    options = MindOptions.from_args(args)
    seed = _seed_of(store, args)
    minds = build_minds(options, seed)
    with server_status(minds):  # forking may already ask the model (planted history)
        session = open_session(
            store,
            fork=args.fork,
            load=args.load,
            name=args.name,
            factory=minds.factory,
            dispatcher=build_dispatcher(options),
            settings=SimSettings(autosave_every_min=autosave_min),
            model_name=minds.description,
            autosave_keep=keep,
        )
    session.minds = minds  # type: ignore[attr-defined]
    return session


def _seed_of(store: SaveStore, args: argparse.Namespace) -> int:
    if args.seed is not None:
        return args.seed
    if args.load:
        return store.read(args.load).meta.seed
    return store.read_base(args.fork or "base_the_ville_isabella_maria_klaus").meta.seed


def handle(args: argparse.Namespace) -> int:
    if args.steps < 0:
        raise UserError(f"--steps must be 0 or more, not {args.steps}")
    session = start_session(args, autosave_min=args.autosave_min)
    sim = session.sim
    print(f"simulacra: {session.name}: {len(sim.order)} agents, minds: "
          f"{session.minds.description}, starting at step {sim.step}")
    bar = tqdm(total=args.steps, unit="step", disable=args.quiet, dynamic_ncols=True)
    started = time.perf_counter()
    try:
        with server_status(session.minds, bar, sim, args.quiet):
            sim.run(args.steps, progress=lambda n: _advance(bar, sim, n))
    except KeyboardInterrupt:
        bar.close()
        return _save_after_interrupt(session)
    bar.close()
    elapsed = time.perf_counter() - started
    path = session.save()
    rate = args.steps / elapsed if elapsed > 0 else 0.0
    print(f"simulacra: ran {args.steps} steps in {elapsed:.1f} s ({rate:.1f} steps/s); "
          f"now {format_game_time(sim.clock.time_at(sim.step))}, step {sim.step}")
    if sim.errors:
        print(f"simulacra: {sim.errors} fallbacks/errors (last: {sim.last_error})")
    failed = session.minds.failed_calls()
    if failed:
        print(f"simulacra: {failed} model calls failed and fell back "
              f"(last: {session.minds.last_failure()})")
    print(f"simulacra: saved to {path}")
    session.close()
    return 0


def server_status(minds, bar: tqdm | None = None, sim=None, quiet: bool = True):
    """While running, show a model server's trouble (paused, slow) in the bar, or on stderr
    (with --quiet, or with no bar yet) one line per change of state."""
    from cognition.llm.health import StatusTicker

    shown = [""]

    def show(message: str) -> None:
        if bar is not None and not quiet:
            bar.set_postfix_str(message or format_game_time(sim.clock.time_at(sim.step)))
            return
        state = "down" if "unreachable" in message else "slow" if message else ""
        if state != shown[0]:
            shown[0] = state
            print(f"simulacra: {message or 'model server answering again'}", file=sys.stderr)

    return StatusTicker(minds.status, show, interval_s=1.0)


def _save_after_interrupt(session: Session) -> int:
    """Ctrl+C: save the last finished step; a second Ctrl+C or a stuck step keeps the old save."""
    sim = session.sim
    try:
        path = session.save(timeout_s=INTERRUPT_WAIT_S)
        print(f"simulacra: interrupted at step {sim.step}; saved to {path}")
    except (KeyboardInterrupt, StepInFlight):
        print(f"simulacra: interrupted at step {sim.step}; the step in flight did not finish, "
              f"so the last save of '{session.name}' was kept", file=sys.stderr)
    finally:
        session.close()
    return 130


def _advance(bar: tqdm, sim, steps: int) -> None:
    bar.update(steps)
    if sim.step % 30 == 0:
        bar.set_postfix_str(format_game_time(sim.clock.time_at(sim.step)), refresh=False)
