"""evaluation/report.md, report.json and scores.png, each written to a fresh temporary file in the
same folder and renamed over the old one, so a report is never seen half written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cognition.evaluation.scoring import CATEGORIES, Result, summarise


def report_json(results: list[Result], meta: dict[str, Any],
                judge: dict[str, Any] | None = None) -> dict[str, Any]:
    """{"conditions": {COND: {"overall", "categories", "questions"}}, "results": [...], ...}."""
    out = {"conditions": summarise(results), **meta,
           "results": [r.to_json() for r in results]}
    if judge is not None:
        out["judge"] = judge
    return out


def markdown(data: dict[str, Any]) -> str:
    conditions = data["conditions"]
    cats = [c for c in CATEGORIES if any(c in v["categories"] for v in conditions.values())]
    lines = [f"# Interview evaluation of {data.get('save', '')}", "",
             f"Model interviewed: {data.get('model', '')}; random baseline: "
             f"{data.get('random_model', '-')}; {data.get('questions', 0)} questions per condition "
             f"({data.get('bank', '')}); {data.get('seconds', 0):.0f} s.", "",
             "A question passes when its answer contains one of the words it expects and none it "
             "must not; an empty answer or the question said back fails.", "",
             "| condition | overall | " + " | ".join(cats) + " |",
             "|---|---|" + "---|" * len(cats)]
    for name, row in conditions.items():
        cells = [f"{row['categories'].get(c, 0):.2f}" if c in row["categories"] else "-"
                 for c in cats]
        lines.append(f"| {name} | {row['overall']:.2f} | " + " | ".join(cells) + " |")
    ranks = {}
    for r in data["results"]:
        if r.get("rank"):
            ranks.setdefault(r["condition"], []).append(r["rank"])
    if ranks:
        lines += ["", "Which offered sentence was chosen (1 = the best match with the question; "
                  "a random model picks each equally often):", ""]
        for name, chosen in ranks.items():
            counts = ", ".join(f"{k}: {chosen.count(k)}" for k in sorted(set(chosen)))
            lines.append(f"- {name}: {counts}")
    judge = data.get("judge")
    if judge:
        lines += ["", f"## Judge ({judge['model']})", "",
                  "Believability 1-7 per answer (the paper's rubric); TrueSkill from each "
                  "question's answers ranked by rating across conditions.", "",
                  "| condition | mean rating | TrueSkill mu | sigma |", "|---|---|---|---|"]
        for name, row in judge["conditions"].items():
            lines.append(f"| {name} | {row['mean_rating']:.2f} | {row['mu']:.2f} | "
                         f"{row['sigma']:.2f} |")
    lines += ["", "## Answers", "", "| condition | agent | category | question | answer | by | "
              "verdict |", "|---|---|---|---|---|---|---|"]
    for r in data["results"]:
        cells = [r["condition"], r["agent"], r["category"], r["question"], r["answer"], r["by"],
                 "pass" if r["passed"] else f"fail ({r['reason']})"]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _replace(folder: Path, name: str, data: bytes) -> Path:
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    return folder / name


def _plot(data: dict[str, Any]) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conditions = list(data["conditions"])
    cats = [c for c in CATEGORIES
            if any(c in v["categories"] for v in data["conditions"].values())]
    fig, ax = plt.subplots(figsize=(max(6, len(cats) * 1.5), 3.8))
    width = 0.8 / max(1, len(conditions))
    for i, name in enumerate(conditions):
        row = data["conditions"][name]
        xs = [j + i * width for j in range(len(cats) + 1)]
        ax.bar(xs, [row["categories"].get(c, 0) for c in cats] + [row["overall"]], width,
               label=name)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(cats) + 1)], [*cats, "overall"],
                  fontsize=8)
    ax.set(ylabel="share of questions passed", ylim=(0, 1.05), title="Interview evaluation")
    ax.legend(fontsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def write(folder: Path, data: dict[str, Any]) -> list[Path]:
    """Write the three files into `folder` (created; a link there is refused by the caller)."""
    folder.mkdir(exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
    return [_replace(folder, "report.md", markdown(data).encode("utf-8")),
            _replace(folder, "report.json", text),
            _replace(folder, "scores.png", _plot(data))]
