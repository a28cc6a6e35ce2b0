"""Conversations drawn as threads: the speech bubbles of two agents talking to each other are
merged into one card (both lines, each with its speaker's name) placed over the pair, instead
of two loose bubbles whose pointers cross in a crowd.

`threads(names, scene, bubbles, now_s)` groups the bubbles of the drawn agents: pairs that talk
(the scene's conversations, `SceneAgent.talking_to`, or two bubbles said to each other in a
talk that just ended) become a `Thread`; everyone else keeps a single bubble.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.bubbles import Bubble, Bubbles


@dataclass(frozen=True)
class Thread:
    key: str  # "talk:A|B", the layout's name for the card
    owners: tuple[str, str]  # its speakers (sorted)
    lines: tuple[tuple[str, str], ...]  # (speaker, text) in speaking order
    alpha: float
    started_s: float  # of the newest line (a cache key together with the lines)


def threads(names: list[str], scene, bubbles: Bubbles,
            now_s: float) -> tuple[list[Thread], dict[str, Bubble]]:
    """Threads of the drawn agents `names` that speak, and the remaining single bubbles."""
    drawn = set(names)
    singles: dict[str, Bubble] = {n: b for n, b in bubbles.by_agent.items() if n in drawn}
    out: list[Thread] = []
    pairs = {tuple(sorted(c.participants)) for c in scene.conversations
             if len(c.participants) == 2}
    for name in drawn:
        agent = scene.agent(name)
        if agent is not None and agent.talking_to:
            pairs.add(tuple(sorted((name, agent.talking_to))))
        bubble = singles.get(name)  # a talk that just ended: its last lines stay together
        if bubble is not None and bubble.partner and bubble.partner in singles \
                and singles[bubble.partner].partner == name:
            pairs.add(tuple(sorted((name, bubble.partner))))
    for name, partner in sorted(pairs):
        if name not in drawn or partner not in drawn:
            continue
        mine = [(n, singles[n]) for n in (name, partner)
                if n in singles and not singles[n].whisper]
        if not mine:
            continue
        mine.sort(key=lambda item: (item[1].started_s, item[0]))
        for n, _ in mine:
            del singles[n]
        out.append(Thread(f"talk:{name}|{partner}", (name, partner),
                          tuple((n, b.text) for n, b in mine),
                          max(b.alpha(now_s) for _, b in mine),
                          mine[-1][1].started_s))
    return out, singles
