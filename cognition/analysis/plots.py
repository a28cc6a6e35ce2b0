"""PNG plots of an analysis (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cognition.analysis.diffusion import timeline
from engine.safe_write import replace_file


def write_plots(report: Any, out_dir: Path) -> list[Path]:
    """awareness.png, density.png, conversations.png, places.png for an `AnalysisReport`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = timeline(report.data)
    hours = [(t - report.data.start).total_seconds() / 3600 for t in times]
    written: list[Path] = []

    def save(fig, name: str) -> None:
        path = out_dir / name
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, dpi=100, format="png")
        plt.close(fig)
        replace_file(path, buffer.getvalue())  # never written into an existing file
        written.append(path)

    if report.topics:
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for topic in report.topics:
            ax.step(hours, [topic.share_at(t) for t in times], where="post", label=topic.topic)
        ax.set(xlabel="game hours", ylabel="share of agents aware", ylim=(0, 1.05),
               title="Information diffusion")
        ax.legend(fontsize=8)
        save(fig, "awareness.png")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.step(hours, [report.network.density_at(t) for t in times], where="post")
    ax.set(xlabel="game hours", ylabel="network density", ylim=(0, 1.05),
           title="Relationship network density")
    save(fig, "density.png")
    agents = list(report.data.agents)
    per_agent = report.network.per_agent()
    fig, ax = plt.subplots(figsize=(max(4, len(agents) * 0.45), 3.5))
    ax.bar(range(len(agents)), [per_agent.get(a, 0) for a in agents])
    ax.set_xticks(range(len(agents)), [a.split()[0] for a in agents], rotation=60, fontsize=7)
    ax.set(ylabel="conversations", title="Conversations per agent")
    save(fig, "conversations.png")
    places = sorted({p for row in report.places.values() for p in row})
    fig, ax = plt.subplots(figsize=(max(5, len(agents) * 0.45), 4))
    bottom = [0.0] * len(agents)
    for place in places:
        values = [report.places.get(a, {}).get(place, 0.0) for a in agents]
        ax.bar(range(len(agents)), values, bottom=bottom, label=place)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(agents)), [a.split()[0] for a in agents], rotation=60, fontsize=7)
    ax.set(ylabel="game hours", title="Where agents spent their time")
    if places:
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1, 1))
    save(fig, "places.png")
    return written
