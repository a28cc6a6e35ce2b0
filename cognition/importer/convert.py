"""Mapping an original simulation onto our Ville: personas, memories, spatial knowledge.

Nothing is dropped silently: every scratch field, memory field or place that has no counterpart
here is named in the plan's `report` lines, which the command prints and stores in the save.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cognition.importer.original import OriginalNode, OriginalPersona, OriginalSim
from engine.agent_api import Persona

# scratch field -> Persona field, taken as they are
IDENTITY = {"first_name": "first_name", "last_name": "last_name", "age": "age",
            "innate": "innate", "learned": "learned", "currently": "currently",
            "lifestyle": "lifestyle"}
PERCEPTION = {"vision_r": "vision_radius", "att_bandwidth": "attention_bandwidth",
              "retention": "retention", "importance_trigger_max": "reflection_threshold"}
# scratch fields used some other way (see `plan_persona`)
USED = {"name", "living_area", "recency_decay", "importance_trigger_curr", "curr_time"}
WHY_NOT = {
    "curr_tile": "our Ville has its own layout; agents start at their spawn points",
    "daily_plan_req": "no such setting here; the day plan is made anew",
    "daily_req": "plans are made anew on the first day",
    "f_daily_schedule": "plans are made anew on the first day",
    "f_daily_schedule_hourly_org": "plans are made anew on the first day",
    "recency_w": "retrieval weights are one setting for all agents here",
    "relevance_w": "retrieval weights are one setting for all agents here",
    "importance_w": "retrieval weights are one setting for all agents here",
    **dict.fromkeys(
        ("concept_forget", "daily_reflection_time", "daily_reflection_size", "overlap_reflect_th",
         "kw_strg_event_reflect_th", "kw_strg_thought_reflect_th"),
        "legacy settings the original's own cognition did not use"),
    **dict.fromkeys(
        ("importance_ele_n", "thought_count"),
        "reflection here is triggered by summed importance alone"),
}
WHY_NOT_NODE = {
    "expiration": "memories do not expire here (nor did they in the original)",
    "filling": "links from events to the chats they summarise are not kept",
}
DEFAULT_WHY = "no counterpart in this engine (the current action, path and chat start fresh)"


@dataclass(frozen=True, slots=True)
class MemoryRecord:
    """One memory to add, in the original's order; evidence as positions in this list (1-based)."""

    kind: str
    description: str
    created: datetime
    importance: int
    triple: tuple[str, str, str]
    keywords: tuple[str, ...]
    evidence: tuple[int, ...]
    filling: tuple[tuple[str, str], ...]
    embedding_key: str


@dataclass(frozen=True, slots=True)
class PersonaPlan:
    persona: Persona
    memories: tuple[MemoryRecord, ...]
    places: tuple[str, ...]  # addresses on our map the agent knows (arena or object level)
    importance_since_reflection: int


@dataclass(frozen=True, slots=True)
class ImportPlan:
    start_time: datetime
    step_s: int
    personas: tuple[PersonaPlan, ...]
    report: tuple[str, ...]


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def plan_import(sim: OriginalSim, templates: Mapping[str, Persona],
                addresses: Collection[str]) -> ImportPlan:
    """Plan the import; `templates` are our personas by name, `addresses` the Ville's places."""
    report = [f"imported from {sim.folder} (forked from {sim.fork_sim_code or 'unknown'}), "
              f"original step {sim.step} at {sim.curr_time:%B %d, %Y, %H:%M:%S}: the save "
              "starts at that time, at step 0"]
    for entry in sim.unread:
        why = ("the original's per-step positions; our run log starts with this save"
               if entry.startswith(("environment/", "movement/")) else
               "not listed in persona_names" if entry.startswith("personas/") else
               "not part of the original's save format")
        report.append(f"{entry}: not imported: {why}")
    plans = []
    for original in sim.personas:
        template = templates.get(original.name)
        if template is None:
            report.append(f"{original.name}: NOT IMPORTED: no character of that name lives in "
                          "our Ville (no sprite, spawn point or routine for them); "
                          f"{len(original.nodes)} memories not imported")
            continue
        plans.append(plan_persona(original, template, addresses, report))
    return ImportPlan(sim.curr_time, sim.sec_per_step, tuple(plans), tuple(report))


def plan_persona(original: OriginalPersona, template: Persona, addresses: Collection[str],
                 report: list[str]) -> PersonaPlan:
    """One persona: scratch settings over our template, its memories and mapped places."""
    name, scratch = original.name, original.scratch
    note = lambda text: report.append(f"{name}: {text}")  # noqa: E731
    changes: dict[str, Any] = {}
    for source, target in {**IDENTITY, **PERCEPTION}.items():
        value = scratch.get(source)
        if value is None:
            continue
        expected = int if target not in IDENTITY.values() or target == "age" else str
        if isinstance(value, bool) or not isinstance(value, expected) or (
                expected is int and value < (0 if target == "age" else 1)):
            note(f"scratch {source} = {_short(value)} not imported: not a valid {target}")
            continue
        changes[target] = value
    decay = scratch.get("recency_decay")
    if isinstance(decay, (int, float)) and not isinstance(decay, bool) and 0 < decay <= 1:
        changes["recency_decay"] = float(decay)
    elif decay is not None:
        note(f"scratch recency_decay = {_short(decay)} not imported: not in (0, 1]")
    living = scratch.get("living_area")
    if isinstance(living, str) and living in addresses:
        changes["living_area"] = living
        if f"{living}:bed" in addresses:
            changes["bed"] = f"{living}:bed"
    elif living is not None:
        note(f"scratch living_area {_short(living)} is not a place on our Ville; "
             f"kept {template.living_area}")
    places, unmapped = map_spatial(original.spatial, addresses)
    for item in unmapped:
        note(f"spatial memory {item}")
    arenas = tuple(dict.fromkeys(":".join(p.split(":")[:3]) for p in places))
    changes["known_places"] = tuple(dict.fromkeys((*template.known_places, *arenas)))
    persona = dataclasses.replace(template, **changes)
    by_reason: dict[str, list[str]] = {}
    for field in sorted(set(scratch) - set(IDENTITY) - set(PERCEPTION) - USED):
        if not _empty(scratch[field]):
            reason = WHY_NOT.get(field, DEFAULT_WHY)
            by_reason.setdefault(reason, []).append(f"{field} = {_short(scratch[field])}")
    for reason, fields in by_reason.items():
        note(f"scratch {'; '.join(fields)}: not imported: {reason}")
    empty = sorted(f for f in set(scratch) - set(IDENTITY) - set(PERCEPTION) - USED
                   if _empty(scratch[f]))
    if empty:
        note(f"scratch fields empty, nothing to import: {', '.join(empty)}")
    memories = map_memories(original.nodes, note)
    maximum = changes.get("reflection_threshold", template.reflection_threshold)
    current = scratch.get("importance_trigger_curr")
    since = maximum - current if isinstance(current, int) and 0 <= current <= maximum else 0
    if original.has_embeddings:
        note("embeddings.json not used: every memory is embedded again with our embedder")
    if original.kw_strength:
        note("kw_strength.json not used: keyword counts are recomputed from the memories")
    return PersonaPlan(persona, memories, places, since)


def map_spatial(tree: Mapping[str, Any], addresses: Collection[str]) -> tuple[
        tuple[str, ...], list[str]]:
    """Known places that exist here (object, else arena level), and what does not map."""
    places: list[str] = []
    unmapped: list[str] = []
    for world, sectors in tree.items():
        for sector, arenas in sectors.items():
            if not arenas:
                unmapped.append(f"{world}:{sector} has no rooms listed; not imported")
            for arena, objects in arenas.items():
                base = f"{world}:{sector}:{arena}"
                if base not in addresses:
                    unmapped.append(f"{base} (with {len(objects)} objects) is not a place on our "
                                    "Ville; not imported")
                    continue
                places.append(base)
                for obj in objects:
                    if f"{base}:{obj}" in addresses:
                        places.append(f"{base}:{obj}")
                    else:
                        unmapped.append(f"{base}:{obj} is not an object on our Ville; not "
                                        "imported")
    return tuple(dict.fromkeys(places)), unmapped


def map_memories(nodes: tuple[OriginalNode, ...], note) -> tuple[MemoryRecord, ...]:
    """The nodes in the original's order; evidence re-pointed to the new positions."""
    position = {node.node_count: i for i, node in enumerate(nodes, start=1)}
    records = []
    dropped_links = 0
    unused: dict[str, int] = {}
    for node in nodes:
        evidence = tuple(position[e] for e in node.evidence if e in position and position[e]
                         < position[node.node_count])
        dropped_links += len(node.evidence) - len(evidence)
        for key, value in node.extra:
            if not _empty(value) and key not in ("depth", "type_count", "last_accessed"):
                unused[key] = unused.get(key, 0) + 1
        records.append(MemoryRecord(
            kind=node.kind, description=node.description, created=node.created,
            importance=min(10, max(1, node.importance)), triple=node.triple,
            keywords=node.keywords, evidence=evidence, filling=node.filling,
            embedding_key=node.embedding_key,
        ))  # fmt: skip
    if dropped_links:
        note(f"{dropped_links} evidence links to nodes that are missing or newer not imported")
    for key, count in sorted(unused.items()):
        note(f"node field '{key}' (in {count} memories) not imported: "
             + WHY_NOT_NODE.get(key, DEFAULT_WHY))
    kinds = {k: sum(1 for n in nodes if n.kind == k) for k in ("event", "thought", "chat")}
    note(f"{len(records)} memories in the original ({kinds['event']} events, "
         f"{kinds['thought']} thoughts, {kinds['chat']} chats)")
    return tuple(records)
