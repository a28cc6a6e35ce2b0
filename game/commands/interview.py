"""`simulacra interview`: talk with one agent of a save in the terminal, in character."""

from __future__ import annotations

import argparse
import sys

from engine.agent_api import MessageKind
from game.wiring import start_session


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "interview", help="chat with an agent of a save in the terminal",
        description="Ask an agent questions; it answers in character from its memories. "
        "Type a line and press Enter; an empty line or 'end' leaves. Nothing is saved unless "
        "--remember is given.",
    )
    parser.add_argument("save", help="the save to load")
    parser.add_argument("agent", help='the agent\'s full name, e.g. "Isabella Rodriguez"')
    parser.add_argument("--ask", action="append", metavar="QUESTION",
                        help="ask this question and exit (repeatable); no prompt")
    parser.add_argument("--remember", action="store_true",
                        help="save the conversation into the agent's memory")
    add_mind_options(parser)
    parser.set_defaults(handler=handle, fork=None, name=None)


GIVE_UP_S = 60.0  # one question: a server silent this long gets a fallback answer, not a hang


def handle(args: argparse.Namespace) -> int:
    args.load = args.save
    args.give_up_s = GIVE_UP_S
    session = start_session(args)
    sim = session.sim
    if args.agent not in sim.personas:
        from engine.errors import UserError

        raise UserError(f"no agent named '{args.agent}' in save '{args.save}' "
                        f"(agents: {', '.join(sim.order)})")
    questions = iter(args.ask) if args.ask else _prompt_lines(args.agent)
    for question in questions:
        decision = sim.ask(args.agent, [(MessageKind.CHAT, question)])
        reply = decision.replies[0][1] if decision.replies else "..."
        print(f"{args.agent}: {reply}", flush=True)
        status = session.minds.status() if session.minds is not None else ""
        if status:  # the model server did not answer: say so, the answer was a fallback
            print(f"simulacra: {status}", file=sys.stderr, flush=True)
    if args.remember:
        print(f"simulacra: saved to {session.save()}")
    session.close()
    return 0


def _prompt_lines(agent: str):
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Interviewing {agent}. Empty line or 'end' to stop.")
    while True:
        try:
            line = input("You: " if interactive else "")
        except EOFError:
            return
        if not line.strip() or line.strip().lower() in ("end", "end_convo", "exit", "quit"):
            return
        yield line.strip()
