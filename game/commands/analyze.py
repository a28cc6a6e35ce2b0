"""`simulacra analyze`: the paper's measurements and a believability check of a save."""

from __future__ import annotations

import argparse
from pathlib import Path

from cognition.analysis import analyze, write_report
from engine.agent_api import MessageKind
from engine.persistence import SaveStore


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "analyze", help="measure a saved run: news diffusion, relationships, believability",
        description="Write report.md, report.json and PNG plots for a save: for each --topic who "
        "knows it and since when (memory search; --interview also asks each agent), the share "
        "aware over time, who came to its event (an action naming it, shown there), the relationship network and its density, conversations per agent and "
        "pair, where agents spent their time, and a believability check (actions that are not "
        "activities, places that do not fit, repeated dialogue lines, conversations and "
        "reflections per agent per day, example-copy and fallback shares per prompt, and an "
        "independent judge of cut text and repeats), and who made what the run showed: the "
        "shares of actions, places, plan items, lines, chat answers, importance ratings and "
        "reflections made by the model (its text or choice), its repaired answers or rules.",
    )
    parser.add_argument("save", help="the save to analyse")
    parser.add_argument("--topic", action="append", default=[], metavar="TEXT",
                        help='news to follow, e.g. "Valentine\'s Day party" (repeatable)')
    parser.add_argument("--interview", action="store_true",
                        help="also ask every agent about every topic (uses the model; the save "
                        "is not changed)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the report (default: the save's analysis/ folder)")
    add_mind_options(parser)
    parser.set_defaults(handler=handle, fork=None, name=None)


def handle(args: argparse.Namespace) -> int:
    store = SaveStore()
    loaded = store.read(args.save)  # a one-line error for an unknown or damaged save
    ask = None
    session = None
    if args.interview:
        from game.commands.run import start_session

        args.load = args.save
        session = start_session(args)

        def ask(agent: str, question: str) -> str:
            decision = session.sim.ask(agent, [(MessageKind.CHAT, question)])
            return decision.replies[0][1] if decision.replies else ""

    try:
        report = analyze(loaded.path, args.topic, ask=ask)
    finally:
        if session is not None:
            session.close()
    out = args.out or loaded.path / "analysis"
    for path in write_report(report, out):
        print(f"simulacra: wrote {path}")
    b = report.believability
    print(f"simulacra: {len(report.data.agents)} agents over {report.data.game_hours:.1f} game "
          f"hours: junk actions {b.junk_share:.1%}, misfit places {b.misfit_share:.1%}, "
          f"repeated lines {b.repeated_share:.1%}; cut text shown {b.cut_step_share:.1%} of "
          f"agent-steps (judge)")
    if report.provenance is not None:
        made = report.provenance
        print("simulacra: model-made: " + ", ".join(
            f"{kind} {made[kind].model_share:.1%} of {made[kind].total}"
            for kind in made.kinds if made[kind].total))
    for topic in report.topics:
        print(f"simulacra: {topic.topic}: {topic.aware_at(report.data.end)} of "
              f"{len(topic.since)} agents aware")
    return 0
