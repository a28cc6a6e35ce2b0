"""Checks a simulation just restored from a hand-edited or shared save, before it steps.

`from_state` methods trust their input (they are also used for quickload of our own saves), so a
save's world is checked here once, after restoring, on the restored objects rather than on the
raw JSON: each body must stand on a tile of the map, every path tile must be on the map, actions
must carry text where text is expected, and conversations must name agents that exist. A problem
is one `UserError` naming the save, the agent and the field.
"""

from __future__ import annotations

from typing import Any

from engine.errors import UserError


def _is_tile(value: Any, town) -> bool:
    return (
        isinstance(value, tuple) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and town.in_bounds(value)
    )


def _check_action(action: Any, where: str) -> None:
    if action is None:
        return
    for key in ("description", "emoji", "address", "object_state"):
        if not isinstance(getattr(action, key, None), str):
            raise UserError(f"{where}: field '{key}' must be a string")
    duration = action.duration_min
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        raise UserError(f"{where}: field 'duration_min' must be a whole number >= 0")
    event = action.event
    if not (isinstance(event, tuple) and len(event) == 3
            and all(isinstance(e, str) for e in event)):
        raise UserError(f"{where}: field 'event' must be three strings")


def _conversations(sim) -> dict:
    book = sim.conversations
    return dict(getattr(book, "by_id", book))


def _conversation(sim, cid: Any):
    try:
        return _conversations(sim).get(cid)
    except TypeError:  # an unhashable id
        return None


def check_restored(sim, where: str) -> None:
    """Raise UserError if the restored world of `sim` cannot be stepped safely."""
    town = sim.town
    if isinstance(sim.step, bool) or not isinstance(sim.step, int) or sim.step < 0:
        raise UserError(f"{where}: world.json field 'step' must be a whole number >= 0")
    for name, body in sim.bodies.items():
        at = f"{where}: world.json body of {name}"
        if body.name != name:
            raise UserError(f"{at}: names '{body.name}'")
        if not _is_tile(body.tile, town):
            raise UserError(
                f"{at}: tile {body.tile!r:.40} is not a tile of the {town.width}x{town.height} map"
            )
        if not all(_is_tile(tile, town) for tile in body.path):
            raise UserError(f"{at}: its path leaves the map")
        if not isinstance(body.facing, str):
            raise UserError(f"{at}: field 'facing' must be a string")
        if body.said is not None and not isinstance(body.said, str):
            raise UserError(f"{at}: field 'said' must be a string or null")
        for key in ("retention", "fallbacks"):
            value = getattr(body, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UserError(f"{at}: field '{key}' must be a whole number >= 0")
        _check_action(body.action, f"{at} action")
        _check_action(body.suspended_action, f"{at} suspended_action")
        for triple in body.recent_triples:
            if not (isinstance(triple, tuple) and all(isinstance(t, str) for t in triple)):
                raise UserError(f"{at}: field 'recent_triples' must hold lists of strings")
        if not all(isinstance(s, str) for s in body.history):
            raise UserError(f"{at}: field 'history' must be a list of strings")
        for message in getattr(body, "inbox", ()):  # older engines kept messages on bodies
            if not isinstance(getattr(message, "text", None), str):
                raise UserError(f"{at}: an inbox message has no text")
        talked = body.last_talk_step
        if talked is not None and (isinstance(talked, bool) or not isinstance(talked, int)
                                   or not 0 <= talked <= sim.step):
            raise UserError(f"{at}: field 'last_talk_step' must be a step number up to 'step'")
        cid = body.conversation_id
        if cid is not None and _conversation(sim, cid) is None:
            raise UserError(f"{at}: conversation {cid!r:.20} does not exist")
    for cid, conversation in _conversations(sim).items():
        at = f"{where}: world.json conversation {cid!r:.20}"
        if not all(p in sim.bodies for p in conversation.participants):
            raise UserError(f"{at}: names someone who is not in this save")
        if not isinstance(conversation.place, str):
            raise UserError(f"{at}: field 'place' must be a string")
        for line in conversation.lines:
            if not all(isinstance(part, str) for part in (line.speaker, line.text)):
                raise UserError(f"{at}: its lines must be [speaker, text] strings")
