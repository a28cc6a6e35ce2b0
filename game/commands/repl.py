"""`simulacra repl`: the original project's `Enter option:` console, on our engine.

The commands are the original's (`run <steps>`, `fin`, `exit`, `save`,
`call -- load history <csv>`, `call -- analysis <name>`, and the `print ...` inspections that
have a counterpart here: current time, persona schedule, current tile, associative memory),
plus `help`. Lines come from standard input, so a script (`run 30` then `fin`) drives
it as well as a person does; the end of input leaves without saving, like `exit`. A mistake in
a line prints one message and the prompt comes back: the console never shows a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from engine.agent_api import MessageKind
from engine.clock import format_game_time
from engine.errors import UserError
from engine.history_csv import load_history, statements_by_name
from engine.session import Session

PROMPT = "Enter option: "
FIN_WORDS = ("fin", "f", "finish", "save and finish")
END_CONVO = ("end_convo", "end", "")
HELP = """\
Options:
  run <steps>                    simulate that many steps (1 step = 10 game seconds)
  save                           save the simulation and stay
  fin                            save and leave (also: f, finish, save and finish)
  exit                           leave without saving (a save made by this console and never
                                 saved is removed, as in the original)
  call -- load history <csv>     plant each agent's statements from a Name,Whisper CSV
  call -- analysis <Full Name>   chat with an agent in character; end_convo or an empty line
                                 ends the chat; nothing of it is remembered
  print current time             the game time and step
  print persona schedule <name>  the agent's day (* marks now); print all persona schedule
  print persona current tile <name>
  print persona associative memory <name>   recent memories, newest first
  help                           this list"""
# The original's example files, by the path its README gives, are our bases' history files.
ORIGINAL_HISTORY = {
    "agent_history_init_n3.csv": "base_the_ville_isabella_maria_klaus",
    "agent_history_init_n25.csv": "base_the_ville_n25",
}


def register(sub) -> None:
    from game.commands.options import add_mind_options, add_save_options

    parser = sub.add_parser(
        "repl", help="the original project's 'Enter option:' console",
        description="Open a save (or fork a base) and read commands from standard input, as "
        "the original's simulation server did: run <steps>, save, fin (save and leave), "
        "exit (leave without saving), call -- load history <csv>, call -- analysis <name>, "
        "help. End of input is exit. Example: printf 'run 30\\nfin\\n' | simulacra repl "
        "--fork base_the_ville_isabella_maria_klaus --name town --mind routine",
    )
    add_save_options(parser)
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


class Console:
    """One console on one session: `execute(line)` runs a line, False means leave."""

    def __init__(self, session: Session, *, forked: bool,
                 read_line: Callable[[str], str], out: Callable[[str], None] = print):
        self.session = session
        self.sim = session.sim
        self.forked_unsaved = forked  # a fork made by this console, never saved yet
        self.read_line = read_line
        self.out = out
        self.remove_on_leave = False  # set by `exit` on a fork that was never saved

    def execute(self, line: str) -> bool:
        command = " ".join(line.split())
        lowered = command.lower()
        try:
            if not command:
                return True
            if lowered in FIN_WORDS:
                self._save()
                return False
            if lowered == "exit":
                self._leave_unsaved()
                return False
            if lowered == "save":
                self._save()
            elif lowered in ("help", "?", "h"):
                self.out(HELP)
            elif lowered.startswith("run"):
                self._run(command[3:].strip())
            elif lowered.startswith("call -- load history"):
                self._load_history(command[len("call -- load history"):].strip())
            elif lowered.startswith("call -- analysis"):
                self._analysis(command[len("call -- analysis"):].strip())
            elif lowered.startswith("print"):
                self._print(lowered, command)
            else:
                self.out(f"unknown option '{command}' (type help for the list)")
        except UserError as exc:
            self.out(f"error: {exc}")
        except Exception as exc:  # noqa: BLE001 - the console must survive any bad line
            self.out(f"error: {type(exc).__name__}: {exc} (the simulation is unchanged "
                     "since the last finished step)")
        return True

    # ------------------------------------------------------------------ commands

    def _run(self, argument: str) -> None:
        if not argument.isdigit():
            raise UserError(f"run needs a number of steps, e.g. 'run 360' (got '{argument}')")
        steps = int(argument)
        try:
            self.sim.run(steps)
        except KeyboardInterrupt:
            self.sim.wait_idle()
            self.out(f"interrupted at step {self.sim.step}")
            return
        now = format_game_time(self.sim.clock.time_at(self.sim.step))
        self.out(f"ran {steps} steps; now {now}, step {self.sim.step}")
        if self.sim.errors:
            self.out(f"{self.sim.errors} fallbacks/errors so far (last: {self.sim.last_error})")

    def _save(self) -> None:
        path = self.session.save()
        self.forked_unsaved = False
        self.out(f"saved to {path}")

    def _leave_unsaved(self) -> None:
        if self.forked_unsaved:
            self.remove_on_leave = True
            self.out(f"left without saving; removing the new save '{self.session.name}'")
        else:
            self.out(f"left without saving; '{self.session.name}' is as it was last saved")

    def _print(self, lowered: str, command: str) -> None:
        """The original's `print ...` inspection commands that have a counterpart here."""
        if lowered == "print current time":
            now = format_game_time(self.sim.clock.time_at(self.sim.step))
            self.out(f"{now}, step {self.sim.step}")
            return
        if lowered == "print all persona schedule":
            for name in self.sim.order:
                self._schedule(name)
            return
        for prefix, show in (("print persona schedule", self._schedule),
                             ("print persona current tile", self._tile),
                             ("print persona associative memory", self._memories)):
            if lowered.startswith(prefix):
                rest = command[len(prefix):].strip()
                for kind in ("(event)", "(thought)", "(chat)"):
                    rest = rest.removeprefix(kind).strip()  # one list here, newest first
                show(_agent_named(rest, self.sim.order))
                return
        raise UserError(f"unknown option '{command}' (type help for the list)")

    def _schedule(self, name: str) -> None:
        self.out(f"{name}:")
        for block in self._mind(name)["schedule"]:
            mark = "*" if block.get("current") else " "
            self.out(f" {mark} {block['start']} || {block['activity']} @ {block['place']}")

    def _mind(self, name: str) -> dict:
        """The agent's newest mind snapshot (published with its last decision)."""
        snapshot = self.sim.mind_snapshot(name)
        return snapshot.as_inspect() if snapshot is not None else {"schedule": [],
                                                                    "memories": []}

    def _tile(self, name: str) -> None:
        self.out(str(tuple(self.sim.bodies[name].tile)))

    def _memories(self, name: str) -> None:
        memories = self._mind(name)["memories"]
        self.out(f"{name}: {len(memories)} recent memories, newest first")
        for memory in memories:
            self.out(f"  {memory}")

    def _load_history(self, argument: str) -> None:
        if not argument:
            raise UserError("load history needs a CSV file, e.g. "
                            "'call -- load history the_ville/agent_history_init_n3.csv'")
        base = ORIGINAL_HISTORY.get(Path(argument).name)
        if base is not None and not Path(argument).exists() \
                and self.session.meta.fork_source == base:
            self.out(f"{argument} is the history of {base}, which this save already started "
                     "with when it was forked; nothing loaded")
            return
        path = _history_path(argument, self.session)
        entries = load_history(path, known_names=set(self.sim.order))
        total = 0
        for name, statements in statements_by_name(entries).items():
            self.sim.ask(name, [(MessageKind.WHISPER, s) for s in statements])
            total += len(statements)
            self.out(f"{name}: {len(statements)} memories")
        self.out(f"loaded {total} memories from {path}")

    def _analysis(self, argument: str) -> None:
        name = _agent_named(argument, self.sim.order)
        before = self.sim.to_state()
        self.out(f"Chatting with {name}. Type end_convo (or an empty line) to end.")
        try:
            while True:
                try:
                    line = self.read_line("You: ").strip()
                except EOFError:
                    break
                if line.lower() in END_CONVO:
                    break
                decision = self.sim.ask(name, [(MessageKind.CHAT, line)])
                reply = decision.replies[0][1] if decision.replies else "..."
                self.out(f"{name}: {reply}")
        finally:
            self.sim.restore(before)  # the original's analysis stored nothing


def _agent_named(argument: str, agents: list[str]) -> str:
    """The agent a command names: the full name, any case; or its last two words (original)."""
    if not argument:
        raise UserError(f"analysis needs an agent's name (agents: {', '.join(agents)})")
    by_lower = {agent.lower(): agent for agent in agents}
    for candidate in (argument, " ".join(argument.split()[-2:])):
        if candidate.lower() in by_lower:
            return by_lower[candidate.lower()]
    raise UserError(f"no agent named '{argument}' (agents: {', '.join(agents)})")


def _history_path(argument: str, session: Session) -> Path:
    path = Path(argument).expanduser()
    if path.is_file():
        return path
    base = ORIGINAL_HISTORY.get(path.name)
    if base is not None and not path.exists():
        return session.store.read_base(base).history_csv
    raise UserError(f"history file {argument}: not found")


def _lines(stdin=None) -> Callable[[str], str]:
    stream = stdin or sys.stdin
    interactive = stream.isatty()

    def read_line(prompt: str) -> str:
        if interactive:
            return input(prompt)
        line = stream.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    return read_line


def handle(args: argparse.Namespace) -> int:
    from game.wiring import start_session

    forked = not args.load
    session = start_session(args)
    sim = session.sim
    print(f"simulacra: {session.name}: {len(sim.order)} agents ({', '.join(sim.order)}), "
          f"minds: {session.minds.description}, step {sim.step}. Type help for the options.")
    console = Console(session, forked=forked, read_line=_lines())
    for line in _input(console):
        if not console.execute(line):
            break
    else:
        print("end of input: leaving without saving")
        console.execute("exit")
    session.close()
    if console.remove_on_leave:
        shutil.rmtree(session.path, ignore_errors=True)
    return 0


def _input(console: Console) -> Iterator[str]:
    while True:
        try:
            yield console.read_line(PROMPT)
        except (EOFError, KeyboardInterrupt):
            return
