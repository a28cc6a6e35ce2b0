"""`simulacra run`: advance a simulation headless with a progress bar, then save it."""

from __future__ import annotations

import argparse
import sys
import time

from tqdm import tqdm

from engine.clock import format_game_time
from engine.errors import UserError
from engine.session import AUTOSAVE_KEEP, Session, StepInFlight
from game import wiring
from game.pacing import run_paced
from game.wiring import start_session


INTERRUPT_WAIT_S = 10.0
LIVE_STEPS_PER_S = 4.0
FINAL_SAVE_WAIT_S = 900.0  # a loaded machine can take minutes to finish the last calls
MAX_STEPS = 10_000_000  # steps of one `run` (a run can always be continued)


def register(sub) -> None:
    from game.commands.options import (
        add_clock_option, add_mind_options, add_player_options, add_save_options,
    )  # fmt: skip

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
    add_clock_option(parser, default="lockstep")
    parser.add_argument("--steps-per-s", type=float, default=LIVE_STEPS_PER_S, metavar="N",
                        help="with --clock live, the pace in steps per wall second (default "
                        f"{LIVE_STEPS_PER_S:g}, the window's default speed); lockstep runs as "
                        "fast as the minds allow")
    add_mind_options(parser)
    add_player_options(parser, default_on=False)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if not 0 <= args.steps <= MAX_STEPS:
        raise UserError(f"--steps must be from 0 to {MAX_STEPS:,} (about three game years), "
                        f"not {args.steps}")
    if not 0 < args.steps_per_s < float("inf"):
        raise UserError(f"--steps-per-s must be more than 0, not {args.steps_per_s}")
    return run_session(start_session(args, autosave_min=args.autosave_min), args.steps,
                       args.quiet, args.steps_per_s)


def run_session(session: Session, steps: int, quiet: bool = False,
                steps_per_s: float = LIVE_STEPS_PER_S) -> int:
    """Run an open session headless for `steps` steps with a progress bar, save and close it.
    A live clock is paced at `steps_per_s` (`game.pacing`); lockstep runs as fast as it can.

    Also the headless fallback of `simulacra play` (no display)."""
    sim = session.sim
    print(f"simulacra: {session.name}: {len(sim.order)} agents, minds: "
          f"{session.minds.description}, starting at step {sim.step}")
    bar = tqdm(total=steps, unit="step", disable=quiet, dynamic_ncols=True)
    started = time.perf_counter()
    try:
        with server_status(session.minds, bar, sim, quiet):
            if getattr(sim, "live", False):
                run_paced(sim, steps, steps_per_s, progress=lambda n: _advance(bar, sim, n))
            else:
                sim.run(steps, progress=lambda n: _advance(bar, sim, n))
    except KeyboardInterrupt:
        bar.close()
        return _save_after_interrupt(session)
    bar.close()
    elapsed = time.perf_counter() - started
    try:
        path = session.save(timeout_s=FINAL_SAVE_WAIT_S)  # decisions in flight finish first
    except StepInFlight:
        session.close()
        raise UserError(f"the model did not finish the last step within {FINAL_SAVE_WAIT_S:.0f} s "
                        f"(server: {session.minds.status() or 'no answer'}); the last save of "
                        f"'{session.name}' was kept") from None
    rate = steps / elapsed if elapsed > 0 else 0.0
    print(f"simulacra: ran {steps} steps in {elapsed:.1f} s ({rate:.1f} steps/s); "
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
    if bar is None or quiet:
        return wiring.server_status(minds)

    def show(message: str) -> None:
        bar.set_postfix_str(message or format_game_time(sim.clock.time_at(sim.step)))

    return wiring.server_status(minds, show)


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
