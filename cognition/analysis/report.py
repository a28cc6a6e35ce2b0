"""`analyze(save_dir, topics)` -> `AnalysisReport`; `write_report` writes Markdown, JSON, PNGs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cognition.analysis.attendance import ATTEND_MINUTES, Attendance, attendance
from cognition.analysis.believability import Believability, check
from cognition.analysis import conversation as talk
from cognition.analysis.conversation import ConversationQuality, quality
from cognition.analysis.data import RunData, load_run
from cognition.analysis.diffusion import (
    Awareness,
    Network,
    awareness,
    network,
    time_by_place,
    timeline,
)
from cognition.analysis.plots import write_plots
from engine.safe_write import replace_text
from cognition.analysis.shares import Shares, markdown, shares

Ask = Callable[[str, str], str]  # (agent, question) -> answer, for --interview


@dataclass(frozen=True)
class AnalysisReport:
    data: RunData
    topics: tuple[Awareness, ...]
    network: Network
    places: dict[str, dict[str, float]]
    believability: Believability
    interviews: dict[str, dict[str, str]]  # topic -> agent -> answer
    provenance: Shares | None = None  # who made what the run showed
    conversation: ConversationQuality | None = None
    attendance: tuple[Attendance, ...] = ()  # one per topic

    def to_json(self) -> dict[str, Any]:
        times = timeline(self.data)
        return {
            "save": self.data.name,
            "agents": list(self.data.agents),
            "start": self.data.start.isoformat(),
            "end": self.data.end.isoformat(),
            "game_hours": round(self.data.game_hours, 2),
            "topics": {
                a.topic: {
                    "since": {k: v.isoformat() if v else None for k, v in a.since.items()},
                    "aware_at_end": a.aware_at(self.data.end),
                    "share_over_time": [[t.isoformat(), round(a.share_at(t), 4)] for t in times],
                    "interviews": self.interviews.get(a.topic, {}),
                    **({"event": came.to_json()} if came is not None else {}),
                }
                for a, came in zip(self.topics, self.attendance or (None,) * len(self.topics))
            },
            "network": {
                "density_start": round(self.network.density_at(self.data.start), 4),
                "density_end": round(self.network.density_at(self.data.end), 4),
                "density_over_time": [
                    [t.isoformat(), round(self.network.density_at(t), 4)] for t in times
                ],
                "pairs": {" & ".join(p): n for p, n in sorted(self.network.talks.items())},
                "conversations_per_agent": self.network.per_agent(),
            },
            "hours_by_place": {a: {k: round(v, 2) for k, v in row.items()}
                               for a, row in self.places.items()},  # fmt: skip
            "believability": self.believability.to_json(),
            "provenance": self.provenance.to_json() if self.provenance else {},
            "conversation_quality": self.conversation.to_json() if self.conversation else None,
        }


def analyze(
    save_dir: Path, topics: Sequence[str] = (), *, ask: Ask | None = None
) -> AnalysisReport:
    """Measure a saved run; with `ask`, also interview every agent about every topic."""
    data = load_run(Path(save_dir))
    interviews: dict[str, dict[str, str]] = {}
    if ask is not None:
        for topic in topics:
            interviews[topic] = {a: ask(a, f"Did you hear anything about {topic}?")
                                 for a in data.agents}  # fmt: skip
    known = tuple(awareness(data, t) for t in topics)
    return AnalysisReport(
        data=data,
        topics=known,
        attendance=tuple(attendance(data, k) for k in known),
        network=network(data),
        places=time_by_place(data),
        believability=check(data),
        interviews=interviews,
        provenance=shares(data),
        conversation=quality(data, Path(save_dir)),
    )


def _markdown(report: AnalysisReport) -> str:
    js = report.to_json()
    b = js["believability"]
    lines = [
        f"# Analysis of `{js['save']}`", "",
        f"{len(js['agents'])} agents, {js['start']} to {js['end']} "
        f"({js['game_hours']} game hours).",
        "", "## Believability check", "",
        "| measure | value |", "|---|---|",
        f"| actions | {b['actions']} |",
        f"| junk actions (the mind's own filter) | {b['junk_share']:.1%} |",
        f"| agent-steps showing cut text (independent judge) | "
        f"{b['judge']['cut_action_step_share']:.1%} |",
        f"| misfit places (the mind's own fit table) | {b['misfit_share']:.1%} |",
        f"| dialogue lines | {b['dialogue_lines']} |",
        f"| repeated dialogue lines (the mind's word overlap) | {b['repeated_line_share']:.1%} |",
        f"| repeated dialogue lines (judge: word order) | {b['judge']['near_repeat_share']:.1%} |",
        f"| dialogue lines cut off (judge) | {b['judge']['cut_line_share']:.1%} |",
        f"| model calls answered by a fallback | {b['fallback_share']:.1%} |",
        "", "| agent | conversations / day | reflections / day |", "|---|---|---|",
    ]  # fmt: skip
    for agent in js["agents"]:
        lines.append(f"| {agent} | {b['conversations_per_agent_per_day'].get(agent, 0)} | "
                     f"{b['reflections_per_agent_per_day'].get(agent, 0)} |")
    if b["prompts"]:
        lines += ["", "| prompt | calls | answers | copies the example | fell back |",
                  "|---|---|---|---|---|"]
        for pid, row in b["prompts"].items():
            lines.append(f"| {pid} | {row['calls']} | {row['answers']} | "
                         f"{row['example_copy_share']:.1%} | {row['fallback_share']:.1%} |")
    for title, key in (("Junk actions", "junk_examples"), ("Misfit places", "misfit_examples"),
                       ("Repeated lines", "repeated_examples")):
        if b[key]:
            lines += ["", f"{title} (first {len(b[key])}):", ""] + [f"- {x}" for x in b[key]]
    for title, key in (("Cut actions (judge)", "cut_action_examples"),
                       ("Cut lines (judge)", "cut_line_examples"),
                       ("Near repeats (judge)", "near_repeat_examples")):
        if b["judge"][key]:
            lines += ["", f"{title}:", ""] + [f"- {x}" for x in b["judge"][key]]
    if report.provenance is not None:
        lines += markdown(report.provenance)
    for topic, row in js["topics"].items():
        lines += ["", f"## Who knows: {topic}", "",
                  f"Aware at the end: {row['aware_at_end']} of {len(js['agents'])}.", "",
                  "| agent | first memory of it | interview |", "|---|---|---|"]
        for agent, since in row["since"].items():
            lines.append(f"| {agent} | {since or '-'} | {row['interviews'].get(agent, '')} |")
        lines += _event_lines(row.get("event"))
    if report.conversation is not None:
        lines += talk.markdown(report.conversation)
    net = js["network"]
    lines += ["", "## Relationships", "",
              f"Network density {net['density_start']} at the start, {net['density_end']} "
              "at the end.", "", "| pair | conversations |", "|---|---|"]
    lines += [f"| {p} | {n} |" for p, n in net["pairs"].items()]
    lines += ["", "## Where agents spent their time (game hours)", ""]
    for agent, row in js["hours_by_place"].items():
        top = ", ".join(f"{k} {v}" for k, v in sorted(row.items(), key=lambda kv: -kv[1])[:6])
        lines.append(f"- {agent}: {top}")
    return "\n".join(lines) + "\n"


def _event_lines(event: dict | None) -> list[str]:
    """Who attended the topic's event (the Markdown lines; none without an event row)."""
    if event is None:
        return []
    came, heard = event["attended_of_heard"]
    out = ["", f"Attended (its shown action names it, there for at least "
               f"{ATTEND_MINUTES} game minutes): {len(event['attended'])}; of the {heard} who "
               f"heard of it during the run, {came} came. Knew at the start: "
               f"{', '.join(event['knew_at_start']) or 'nobody'}."]
    if event["attended"]:
        out += ["", "| attended | from | until | minutes there |", "|---|---|---|---|"]
        out += [f"| {a} | {v['first']} | {v['last']} | {v['minutes']} |"
                for a, days in event["attended"].items() for v in days]
    return out


def write_report(report: AnalysisReport, out_dir: Path) -> list[Path]:
    """Write report.md, report.json and the PNG plots into `out_dir`; the paths written."""
    md, js = out_dir / "report.md", out_dir / "report.json"
    # fresh files renamed into place: a report that is a (hard) link is replaced, not written
    replace_text(md, _markdown(report))
    replace_text(js, json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    return [md, js, *write_plots(report, out_dir)]
