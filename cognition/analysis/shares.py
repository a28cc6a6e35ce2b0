"""Who made what a run showed: provenance shares per kind and per prompt, over the whole run.

Kinds and where they are counted:

- `actions`: agent-steps of the run log that show an action, by the shown action's maker
  (sleep, routine and the stand-in while thinking count as much as what the model wrote, since
  they are what was seen);
- `places`, `plan_text`, `plan_hours`: the minds' own tallies (`cognition.generative.made`);
- `lines`: dialogue lines the run log shows; `chat_answers`: answers to the user's chat;
- `importance`: every memory's importance rating; `reflections`: every stored insight's text.

A maker is "source:via" (`engine.provenance`): `model:<prompt>` the model's own words,
`choice:<prompt>` its choice among offered options, `repaired:<prompt>` its answer changed by
code, `rule:<name>` code (a routine, template, fallback or skipped call). "model-made" counts
the first two; repaired answers are reported on their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from cognition.analysis.data import UNKNOWN_BY, RunData

KINDS = ("actions", "places", "plan_text", "plan_hours", "lines", "chat_answers", "importance",
         "reflections")
MODEL_SOURCES = ("model", "choice")
SOURCES = ("model", "choice", "repaired", "rule")
REFLECTION_KEYWORD = "reflection"
_TALLIED = {"places": "place", "plan_text": "plan_text", "plan_hours": "plan_hours"}


def source_of(maker: str) -> str:
    return maker.split(":", 1)[0]


@dataclass(frozen=True)
class KindShares:
    """One kind's counts per maker."""

    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, *sources: str) -> float:
        """Share of this kind made by any of `sources` (0 when nothing was counted)."""
        total = self.total
        made = sum(n for maker, n in self.counts.items() if source_of(maker) in sources)
        return made / total if total else 0.0

    @property
    def model_share(self) -> float:
        return self.share(*MODEL_SOURCES)

    @property
    def unknown(self) -> int:
        return self.counts.get(UNKNOWN_BY, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "model_share": round(self.model_share, 4),
            **{f"{s}_share": round(self.share(s), 4) for s in SOURCES},
            "unknown": self.unknown,
            "by": dict(self.counts.most_common()),
        }


@dataclass(frozen=True)
class Shares:
    kinds: dict[str, KindShares]

    def __getitem__(self, kind: str) -> KindShares:
        return self.kinds[kind]

    def per_prompt(self) -> list[dict[str, Any]]:
        """One row per (kind, maker): its count and its share of the kind, biggest first."""
        rows = []
        for kind, shares in self.kinds.items():
            for maker, n in shares.counts.most_common():
                rows.append({"kind": kind, "by": maker, "count": n,
                             "share": round(n / shares.total, 4) if shares.total else 0.0})
        return rows

    def to_json(self) -> dict[str, Any]:
        return {"kinds": {k: v.to_json() for k, v in self.kinds.items()},
                "per_prompt": self.per_prompt()}


def shares(data: RunData) -> Shares:
    """Count every kind of output of the run by its maker (see the module docstring)."""
    counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    for span in data.spans:
        if not span.action:
            continue  # no action shown (a step between a conversation's end and the next action)
        counts["actions"][span.by] += round(span.seconds / data.step_s) if data.step_s else 0
    for state in data.minds.values():
        made = (state.get("mind") or {}).get("made") or {}
        for kind, key in _TALLIED.items():
            for maker, n in (made.get(key) or {}).items():
                counts[kind][str(maker)] += int(n)
    counts["lines"].update(said.by for said in data.lines)
    counts["chat_answers"].update(said.by for said in data.replies)
    for memories in data.memories.values():
        for memory in memories:
            counts["importance"][memory.importance_by] += 1
            if REFLECTION_KEYWORD in memory.keywords:
                counts["reflections"][memory.by] += 1
    for kind in counts:
        counts[kind] = Counter({k: n for k, n in counts[kind].items() if n > 0})
    return Shares({kind: KindShares(c) for kind, c in counts.items()})


def markdown(table: Shares) -> list[str]:
    """The shares as Markdown: one row per kind, then the makers of each kind."""
    lines = ["", "## Who made what the run showed", "",
             "Model-made = the model's own text or its choice among offered options; repaired = "
             "its answer changed by code; rule = routine, template, fallback or a call never "
             "made. Actions are counted in agent-steps.", "",
             "| kind | count | model-made | model text | model choice | repaired | rule |",
             "|---|---|---|---|---|---|---|"]
    for kind, row in table.kinds.items():
        lines.append(f"| {kind} | {row.total} | {row.model_share:.1%} | {row.share('model'):.1%}"
                     f" | {row.share('choice'):.1%} | {row.share('repaired'):.1%} | "
                     f"{row.share('rule'):.1%} |")
    lines += ["", "| kind | made by (source:prompt or rule) | count | share |", "|---|---|---|---|"]
    lines += [f"| {r['kind']} | {r['by']} | {r['count']} | {r['share']:.1%} |"
              for r in table.per_prompt()]
    return lines
