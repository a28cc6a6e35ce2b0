"""The believability check of a run: are the actions activities, do places fit, do lines repeat?

- junk actions: actions whose description is not an activity (an address, a place or object
  name, text cut mid-word, no leading verb) by the same rule the mind applies before acting
  (`cognition.generative.actions.valid_activity`): about 0 by construction, so it is joined
  by an independent judge (`judge.cut_text`): cut or fragmentary text, weighted by the
  agent-steps it was shown for;
- misfit places: actions whose place breaks a fit rule (`cognition.generative.fit`, the same
  table the mind ranks places with: not an independent judge);
- repeated lines: dialogue lines too similar to an earlier line of the same conversation, by
  the mind's word overlap and by the judge's word-order match (`judge.near_repeat`); lines cut
  off (`judge.cut_text`);
- conversations and reflections per agent per game day;
- per prompt: answers, the share copying the prompt's example, the share that fell back.

Engine placeholders ("idle", walking to a chat) are not the mind's actions and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognition.analysis import judge
from cognition.analysis.data import RunData, Span, conversations
from cognition.generative.actions import similar_lines, valid_activity
from cognition.generative.fit import fits

ENGINE_ACTIONS = ("idle",)
REFLECTION_KEYWORD = "reflection"
ACTION_CHARS = 200  # run-log texts are complete; only the mind's own limit cuts words


@dataclass(frozen=True, slots=True)
class Believability:
    actions: int
    junk: list[str]
    misfits: list[tuple[str, str]]
    lines: int
    repeated: list[str]
    game_days: float
    conversations_per_agent: dict[str, int]
    reflections_per_agent: dict[str, int]
    prompts: dict[str, dict[str, float]] = field(default_factory=dict)
    action_steps: int = 0  # agent-steps the mind's actions were shown for
    cut: list[tuple[str, str, int]] = field(default_factory=list)  # (action, why, agent-steps)
    cut_lines: list[tuple[str, str]] = field(default_factory=list)  # (line, why)
    near_repeats: list[str] = field(default_factory=list)

    @property
    def cut_step_share(self) -> float:
        """Share of the mind's shown agent-steps whose action the judge finds cut off."""
        steps = sum(n for _, _, n in self.cut)
        return steps / self.action_steps if self.action_steps else 0.0

    @property
    def cut_line_share(self) -> float:
        return len(self.cut_lines) / self.lines if self.lines else 0.0

    @property
    def near_repeat_share(self) -> float:
        return len(self.near_repeats) / self.lines if self.lines else 0.0

    @property
    def junk_share(self) -> float:
        return len(self.junk) / self.actions if self.actions else 0.0

    @property
    def misfit_share(self) -> float:
        return len(self.misfits) / self.actions if self.actions else 0.0

    @property
    def repeated_share(self) -> float:
        return len(self.repeated) / self.lines if self.lines else 0.0

    def per_day(self, counts: dict[str, int]) -> dict[str, float]:
        days = self.game_days or 1.0
        return {agent: round(n / days, 2) for agent, n in counts.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "junk_share": round(self.junk_share, 4),
            "junk_examples": self.junk[:20],
            "misfit_share": round(self.misfit_share, 4),
            "misfit_examples": [f"{a} @ {p}" for a, p in self.misfits[:20]],
            "dialogue_lines": self.lines,
            "repeated_line_share": round(self.repeated_share, 4),
            "repeated_examples": self.repeated[:20],
            "judge": {
                "cut_action_step_share": round(self.cut_step_share, 4),
                "cut_actions": len(self.cut),
                "cut_action_examples": [
                    f"{a} ({why}; {n} agent-steps)"
                    for a, why, n in sorted(self.cut, key=lambda c: -c[2])[:20]],
                "cut_line_share": round(self.cut_line_share, 4),
                "cut_line_examples": [f"{t} ({why})" for t, why in self.cut_lines[:20]],
                "near_repeat_share": round(self.near_repeat_share, 4),
                "near_repeat_examples": self.near_repeats[:20],
            },
            "game_days": round(self.game_days, 3),
            "conversations_per_agent_per_day": self.per_day(self.conversations_per_agent),
            "reflections_per_agent_per_day": self.per_day(self.reflections_per_agent),
            "fallback_share": round(fallback_share(self.prompts), 4),
            "prompts": self.prompts,
        }


def mind_actions(spans: list[Span]) -> list[Span]:
    """Spans that are the mind's own actions (not engine placeholders or conversations)."""
    return [s for s in spans if s.action and s.action not in ENGINE_ACTIONS
            and not s.action.startswith("chatting with")]  # fmt: skip


def is_junk(action: str) -> bool:
    return valid_activity(action, max_chars=ACTION_CHARS) != action.strip()


def prompt_table(minds: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per prompt id: answers, example-copy share and fallback share over all agents."""
    totals: dict[str, list[int]] = {}
    for state in minds.values():
        for prompt_id, row in state.get("mind", {}).get("prompt_counts", {}).items():
            acc = totals.setdefault(prompt_id, [0, 0, 0, 0])
            for i, value in enumerate(row[:4]):
                acc[i] += int(value)
    out = {}
    for prompt_id, (answers, copies, fallbacks, calls) in sorted(totals.items()):
        out[prompt_id] = {
            "calls": calls,
            "answers": answers,
            "fallbacks": fallbacks,
            "example_copy_share": round(copies / answers, 4) if answers else 0.0,
            "fallback_share": round(fallbacks / calls, 4) if calls else 0.0,
        }
    return out


def fallback_share(prompts: dict[str, dict[str, float]]) -> float:
    """Share of all model calls whose answer was replaced by the fallback."""
    calls = sum(row["calls"] for row in prompts.values())
    return sum(row["fallbacks"] for row in prompts.values()) / calls if calls else 0.0


def _cut_actions(actions: list[Span], step_s: int) -> list[tuple[str, str, int]]:
    """The judge's cut actions, each once with the agent-steps it was shown for."""
    shown: dict[str, int] = {}
    for span in actions:
        shown[span.action] = shown.get(span.action, 0) + round(span.seconds / max(1, step_s))
    return [(text, why, n) for text, n in shown.items()
            if (why := judge.cut_text(text, activity=True))]


def check(data: RunData) -> Believability:
    actions = mind_actions(data.spans)
    junk = [s.action for s in actions if is_junk(s.action)]
    misfits = [(s.action, s.address) for s in actions
               if ":" in s.address and not fits(s.action, s.address)]  # fmt: skip
    lines = repeated = 0
    repeated_texts: list[str] = []
    cut_lines: list[tuple[str, str]] = []
    near: list[str] = []
    talks = {a: 0 for a in data.agents}
    for _, pair, said in conversations(data):
        for agent in pair:
            if agent in talks:
                talks[agent] += 1
        for i, (_, text) in enumerate(said):
            lines += 1
            if any(similar_lines(text, earlier) for _, earlier in said[:i]):
                repeated += 1
                repeated_texts.append(text)
            if judge.near_repeat(text, [earlier for _, earlier in said[:i]]):
                near.append(text)
            if why := judge.cut_text(text):
                cut_lines.append((text, why))
    reflections = {
        a: sum(1 for m in data.memories.get(a, []) if REFLECTION_KEYWORD in m.keywords)
        for a in data.agents
    }
    return Believability(
        actions=len(actions), junk=junk, misfits=misfits, lines=lines,
        repeated=repeated_texts, game_days=data.game_hours / 24,
        conversations_per_agent=talks, reflections_per_agent=reflections,
        prompts=prompt_table(data.minds),
        action_steps=sum(round(s.seconds / max(1, data.step_s)) for s in actions),
        cut=_cut_actions(actions, data.step_s), cut_lines=cut_lines, near_repeats=near,
    )  # fmt: skip
