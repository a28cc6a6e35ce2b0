"""Two game days of the 25-agent base: peak resident memory and step time per game hour.

A script, not a test (it takes minutes):

    python tests/bench/bench_long_run.py [--days 2] [--mind routine|scripted] [--save-every-h 1]
                                         [--chroma]

`routine` runs the rule-based minds; `scripted` runs the generative minds on the shipped routed
fake model with the hash embedder (the full cognition pipeline, no real model). The run saves
every `--save-every-h` game hours like autosave does, so save and run-log growth are measured
too. Each line prints the game hour, the peak RSS seen during that hour (sampled every 30 steps
from /proc/self/status) and its change from the hour before, mean and p99 wall time per step,
memories held (and per agent), and the save's wall time. The summary compares day 2 with day 1:
RSS growth per game hour, memories per agent per day, MiB per 1,000 memories added, step time
and save time, then the time to read the last save and build a session from it.

The scripted fake model keeps only its last 64 requests here (the tests' fake records every
request, which a two-day run would turn into tens of MiB that no real run holds).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.session import open_session

N25 = "base_the_ville_n25"
SAMPLE_EVERY = 30


def rss_mib() -> float:
    with open("/proc/self/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def scripted_factory(seed: int, chroma: bool = False):
    """Generative minds on a routed fake that answers every prompt with valid JSON; with
    `chroma`, each memory stream also has its in-process Chroma index, as real runs do."""
    sys.path.insert(0, str(ROOT / "tests" / "cognition" / "generative"))
    from generative_helpers import brain  # the same scripted brain the tests use

    from cognition.generative import GenerativeMindFactory
    from cognition.llm.fakes import HashEmbedder

    model = brain()
    model.calls = collections.deque(maxlen=64)  # see the module docstring
    client = None
    if chroma:
        from cognition.memory.chroma_index import make_client

        client = make_client()
    return GenerativeMindFactory(model, HashEmbedder(64), seed=seed, chroma_client=client)


def routine_factory(seed: int):
    from game.wiring import MindOptions, build_minds

    return build_minds(MindOptions(mind="routine", workers=0), seed).factory


def memories(sim) -> int:
    return sum(len(getattr(mind, "memory", ())) for mind in sim.minds.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=float, default=2.0)
    parser.add_argument("--mind", choices=("routine", "scripted"), default="routine")
    parser.add_argument("--save-every-h", type=int, default=1)
    parser.add_argument("--chroma", action="store_true",
                        help="scripted minds keep an in-process Chroma index (as real runs do)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(saves_root=Path(tmp) / "saves", user_bases_root=Path(tmp) / "bases")
        seed = store.read_base(N25).meta.seed
        if args.mind == "scripted":
            make = lambda seed: scripted_factory(seed, args.chroma)  # noqa: E731
        else:
            make = routine_factory
        session = open_session(store, fork=N25, load=None, name="long-run", factory=make(seed),
                               dispatcher=InlineDispatcher())
        sim = session.sim
        steps_per_hour = 3600 // sim.clock.step_s
        hours = int(args.days * 24)
        index = " with Chroma" if args.chroma and args.mind == "scripted" else ""
        print(f"{N25}, {len(sim.order)} agents, {args.mind} minds{index}, {hours} game hours "
              f"({hours * steps_per_hour} steps); RSS at start {rss_mib():.0f} MiB")
        print(f"{'hour':>4} {'game time':>16} {'peak RSS MiB':>12} {'dRSS':>6} "
              f"{'step ms mean':>12} {'step ms p99':>11} {'memories':>8} {'/agent':>6} "
              f"{'save s':>6}")
        rows: list[dict] = []
        for hour in range(hours):
            peak, step_s = rss_mib(), []
            for index in range(steps_per_hour):
                started = time.perf_counter()
                sim.run(1)
                step_s.append(time.perf_counter() - started)
                if index % SAMPLE_EVERY == 0:
                    peak = max(peak, rss_mib())
            save_s = 0.0
            if args.save_every_h and (hour + 1) % args.save_every_h == 0:
                started = time.perf_counter()
                session.save()
                save_s = time.perf_counter() - started
            peak = max(peak, rss_mib())
            ms = sorted(1000 * s for s in step_s)
            row = {"hour": hour + 1, "peak_rss_mib": round(peak, 1),
                   "step_ms_mean": round(statistics.fmean(ms), 3),
                   "step_ms_p99": round(ms[int(0.99 * (len(ms) - 1))], 3),
                   "memories": memories(sim), "save_s": round(save_s, 3)}
            grown = row["peak_rss_mib"] - (rows[-1]["peak_rss_mib"] if rows else peak)
            rows.append(row)
            print(f"{row['hour']:>4} {sim.time_iso()[5:16]:>16} {row['peak_rss_mib']:>12.1f} "
                  f"{grown:>+6.1f} {row['step_ms_mean']:>12.3f} {row['step_ms_p99']:>11.3f} "
                  f"{row['memories']:>8} {row['memories'] / len(sim.order):>6.0f} "
                  f"{row['save_s']:>6.2f}", flush=True)
        agents = len(sim.order)
        session.close()
        if args.save_every_h:
            started = time.perf_counter()
            again = open_session(store, fork=None, load="long-run", name=None,
                                 factory=make(seed), dispatcher=InlineDispatcher())
            load_s = time.perf_counter() - started
            print(f"load: read the last save and rebuilt the session in {load_s:.2f} s "
                  f"({memories(again.sim)} memories)")
            again.close()
    summarise(rows, agents)


def summarise(rows: list[dict], agents: int) -> None:
    if len(rows) < 48:
        print(json.dumps({"hours": len(rows)}))
        return
    day1, day2 = rows[:24], rows[24:48]
    end_day1 = day1[-1]["peak_rss_mib"]
    grown = day2[-1]["peak_rss_mib"] - end_day1
    added = day2[-1]["memories"] - day1[-1]["memories"]
    print(f"peak RSS: end of day 1 {end_day1:.1f} MiB, day 2 max "
          f"{max(r['peak_rss_mib'] for r in day2):.1f} MiB (growth over day 2: {grown:+.1f} MiB, "
          f"{grown / 24:+.2f} MiB per game hour)")
    print(f"memories per agent: day 1 {day1[-1]['memories'] / agents:.0f}, day 2 "
          f"{added / agents:.0f} more; day 2 RSS per 1,000 memories added: "
          f"{1000 * grown / added if added else 0.0:.2f} MiB")
    mean1 = statistics.fmean(r["step_ms_mean"] for r in day1)
    mean2 = statistics.fmean(r["step_ms_mean"] for r in day2)
    print(f"step time: day 1 mean {mean1:.3f} ms, day 2 mean {mean2:.3f} ms "
          f"(ratio {mean2 / mean1:.2f})")
    saves = [r["save_s"] for r in rows if r["save_s"]]
    if saves:
        print(f"save: day 1 mean {statistics.fmean(r['save_s'] for r in day1):.3f} s, day 2 mean "
              f"{statistics.fmean(r['save_s'] for r in day2):.3f} s, last {saves[-1]:.3f} s "
              f"at {rows[-1]['memories']} memories")


if __name__ == "__main__":
    main()
