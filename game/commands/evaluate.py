"""`simulacra evaluate SAVE`: the paper's controlled interview evaluation of a save's agents."""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from pathlib import Path

from engine.errors import UserError
from engine.persistence import SaveStore

OUT_DIR = "evaluation"


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "evaluate", help="interview every agent of a save under the paper's conditions",
        description="The paper's controlled evaluation: every agent (or --agents) is asked the "
        "paper's 25 questions (self-knowledge, memory, plans, reactions, reflections), filled in "
        "from its persona and the people it knows, under each condition: full, no_reflection, "
        "no_reflection_no_planning, no_memory (those memories withheld from retrieval) and "
        "random_model (the full architecture on --model random). An answer passes when it holds "
        "a word the ground truth expects (persona, memories, its own plan for the hour asked) "
        "and none it must not (a stranger described as known). Writes SAVE/evaluation/report.md, "
        "report.json and scores.png; the save itself is never changed.",
    )
    parser.add_argument("save", help="the save to evaluate")
    parser.add_argument("--agents", metavar="A,B", help="only these agents (full names, commas)")
    parser.add_argument("--conditions", metavar="C,D", help="only these conditions (default: all)")
    parser.add_argument("--questions", type=Path, metavar="FILE", help='a JSON file {"questions": '
                        '[{"agent", "category", "question", "expect_any": [...], "expect_none": '
                        '[...]}]} that replaces the default bank')
    parser.add_argument("--judge-server", metavar="URL", help="an OpenAI-compatible server whose "
                        "model rates each answer's believability 1-7 (the paper's rubric); adds a "
                        "TrueSkill ranking of the conditions")
    parser.add_argument("--judge-model", default="default", metavar="NAME",
                        help="model name to request from --judge-server")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from cognition.evaluation import bank
    from cognition.evaluation.conditions import parse_conditions
    from cognition.evaluation.report import report_json, write
    from cognition.evaluation.runner import interview_all
    from engine.personas import load_personas

    if args.mind not in (None, "generative"):  # None: the save's own, or the default
        raise UserError("evaluate interviews generative minds; --mind routine has none")
    try:
        conditions = parse_conditions(args.conditions)
    except ValueError as exc:
        raise UserError(f"--conditions: {exc}") from None
    loaded = SaveStore().read(args.save)
    out = loaded.path / OUT_DIR
    if os.path.islink(out) or (os.path.lexists(out) and not out.is_dir()):
        raise UserError(f"save '{args.save}': {OUT_DIR} is not a folder; move it away")
    personas = {p.name: p for p in load_personas(loaded.personas_dir, list(loaded.meta.personas))}
    states = (loaded.state or {}).get("minds", {})
    agents = _agents(args.agents, list(personas), args.save)
    if not all(isinstance(states.get(a), dict) and states[a].get("kind", "generative")
               == "generative" for a in agents):
        raise UserError(f"save '{args.save}' has no generative minds to interview (run it "
                        "with the default --mind generative first)")
    questions = None
    if args.questions is not None:
        try:
            questions = bank.load_questions(args.questions, agents)
        except ValueError as exc:
            raise UserError(f"--questions: {exc}") from None
    started = time.monotonic()
    build = _Builder(args, loaded.meta.seed, personas, states)
    if questions is None:
        questions = bank.default_bank({a: build.restore(a, False) for a in agents}, personas)
    judge = None
    if args.judge_server is not None:
        from cognition.evaluation.judge import Judge

        judge = Judge(args.judge_server, args.judge_model)
    progress = _progress(len(questions) * len(conditions), args.quiet)
    try:
        results = interview_all(lambda c: {a: build.restore(a, c.random_model) for a in agents},
                                conditions, questions, tick=lambda c: _tick(progress, c))
    finally:
        progress.close()
    judged = judge.rate_all(results, personas) if judge is not None else None
    if judged is not None:
        results, judge_summary = judged
    data = report_json(results, {
        "save": args.save, "model": build.description, "random_model": build.random_description,
        "bank": str(args.questions) if args.questions else "default (the paper's 25 per agent)",
        "questions": len(questions), "agents": agents, "seconds": time.monotonic() - started,
    }, judge_summary if judged is not None else None)
    for path in write(out, data):
        print(f"simulacra: wrote {path}")
    for name, row in data["conditions"].items():
        cats = ", ".join(f"{c} {v:.2f}" for c, v in row["categories"].items())
        print(f"simulacra: {name}: {row['overall']:.2f} ({cats})")
    return 0


def _agents(text: str | None, names: list[str], save: str) -> list[str]:
    if text is None:
        return names
    chosen = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in chosen if a not in names]
    if unknown or not chosen:
        raise UserError(f"--agents: no agent named '{unknown[0] if unknown else text}' in save "
                        f"'{save}' (agents: {', '.join(names)})")
    return list(dict.fromkeys(chosen))


def _tick(progress, condition: str) -> None:
    progress.set_postfix_str(condition, refresh=False)
    progress.update(1)


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="answer", disable=quiet, dynamic_ncols=True)


class _Builder:
    """Restores the save's minds afresh, on the interviewed model or the random one (loaded once
    each, on first use), without a Chroma index (every memory is a candidate)."""

    def __init__(self, args: argparse.Namespace, seed: int, personas: dict, states: dict):
        from game.wiring import MindOptions

        self.options = MindOptions.from_args(args)
        self.seed, self.personas, self.states = seed, personas, states
        self._factories: dict[bool, object] = {}
        self.description = self.random_description = "-"

    def _factory(self, random_model: bool):
        if random_model not in self._factories:
            from dataclasses import replace as with_settings

            from cognition.generative import GenerativeMindFactory
            from cognition.llm.random_model import RANDOM
            from game.wiring import build_minds

            options = self.options
            free = self._factories[False].settings.interview_free if random_model else None
            if random_model:
                options = replace(options, model=RANDOM, server=None)
            minds = build_minds(options, self.seed)
            made = minds.factory
            settings = made.settings if free is None else with_settings(
                made.settings, interview_free=free)  # the same architecture as `full`
            self._factories[random_model] = GenerativeMindFactory(
                made.model, made.embedder, seed=made.seed, chroma_client=None,
                settings=settings, stats=made.stats,
            )  # fmt: skip
            if random_model:
                self.random_description = minds.description
            else:
                self.description = minds.description
        return self._factories[random_model]

    def restore(self, agent: str, random_model: bool):
        if random_model:
            self._factory(False)  # the interviewed model's settings are the random one's
        return self._factory(random_model).restore(self.personas[agent], self.states[agent])
