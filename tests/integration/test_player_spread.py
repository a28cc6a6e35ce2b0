"""Plumbing: what the player tells one agent can reach another through their own talk.

The player (a body without a mind) walks up to Klaus and types a line about an event; Klaus
answers face to face, the talk ends (Klaus's goodbye, or his polite give-up when the player
says nothing more), and the engine's usual finish path stores the chat memory. Later the same
day Klaus meets Maria and, on a scripted model that chooses the first act offered (invitations
first), invites her: the event is in Maria's memory, heard from Klaus. Plumbing only: the fake
chooses; templates write the words. The random model is the control (see its test).
"""

from __future__ import annotations

from cognition.generative import GenerativeMindFactory, GenerativeSettings
from cognition.llm.fakes import HashEmbedder
from cognition.memory.chroma_index import make_client
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.player import Player
from engine.session import open_session
from cognition.llm.fakes import RoutedModel
from engine.provenance import model_choice
from tests.integration.test_information_spread import N3, echo_model, first_option

ME = Player("Alex Visitor", "visitor_teal")
KLAUS, MARIA = "Klaus Mueller", "Maria Lopez"
EVENT = "I'm hosting a poetry reading at the library on February 13th at 6pm."
HOURS = 17  # to midnight: "later the same day" (the loop also stops when the day changes)
ACT = model_choice("dialogue.act.v1")


def first_act_model() -> RoutedModel:
    """The echo model (the persona's usual day, yes to talking) whose `dialogue.act` answer is
    always the first act offered: plumbing, the fake chooses."""
    return RoutedModel({**echo_model().routes, "dialogue.act": first_option})


def _town(tmp_path, model, settings=None):
    store = SaveStore(saves_root=tmp_path / "saves")
    factory = GenerativeMindFactory(model, HashEmbedder(64), seed=7, chroma_client=make_client(),
                                    settings=settings or GenerativeSettings())
    return open_session(store, fork=N3, load=None, name="played", factory=factory,
                        dispatcher=InlineDispatcher(), player=ME)


def _beside(sim, agent) -> bool:
    x, y = sim.bodies[agent].tile
    taken = {b.tile for b in sim.bodies.values()}
    for tile in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
        if sim.town.is_walkable(tile) and tile not in taken and (
                sim.town.area_index(tile) == sim.town.area_index((x, y))):
            sim.bodies[ME.name].tile = tile  # the test's teleport: the walk is the window's
            return True
    return False


def tell_klaus(sim, limit_steps: int = 2000) -> int:
    """Walk up to Klaus when he is awake and free, type the line; the step it was said."""
    for _ in range(limit_steps):
        klaus = sim.bodies[KLAUS]
        if (klaus.action is not None and not klaus.is_sleeping() and klaus.arrived
                and klaus.conversation_id is None and KLAUS not in sim.thinking()
                and _beside(sim, KLAUS)):
            sim.player_desk.say(EVENT, to=KLAUS)
            sim.run(1)
            lines = [line for c in sim.last_record.conversations for line in c.lines]
            if any(line.text == EVENT for line in lines):
                return sim.step
        sim.run(1)
    raise AssertionError("Klaus was never free to talk to the player")


def heard_from_klaus(sim) -> list:
    """Maria's chat memories where Klaus spoke of the poetry reading."""
    return [n for n in sim.minds[MARIA].memory.nodes if n.kind == "chat"
            and any(s == KLAUS and "poetry reading" in t for s, t in n.filling)]


def _spread(tmp_path, model, settings=None, listener=None):
    session = _town(tmp_path, model, settings)
    sim = session.sim
    if listener is not None:
        sim.add_listener(listener)
    said_at = tell_klaus(sim)
    day = sim.time_iso()[:10]
    for _ in range(HOURS * 360):
        sim.run(1)
        if heard_from_klaus(sim) or sim.time_iso()[:10] != day:
            break
    klaus_knows = any("poetry reading" in t for n in sim.minds[KLAUS].memory.nodes
                      if n.kind == "chat" for _, t in n.filling)
    return session, said_at, day, klaus_knows


def test_plumbing_what_the_player_tells_klaus_reaches_maria_the_same_day(tmp_path):
    said: list = []
    session, said_at, day, klaus_knows = _spread(
        tmp_path, first_act_model(), GenerativeSettings(importance_check=False), said.append)
    sim = session.sim
    fell_back = {(name, pid): c for name, mind in sim.minds.items()
                 for pid, c in mind.ctx.caller.counts.items()
                 if pid.startswith("dialogue.") and c[2]}
    assert not fell_back, fell_back  # every act was the model's choice, no fallback
    assert klaus_knows, "Klaus's chat memory lacks the player's line"
    heard = heard_from_klaus(sim)
    assert heard, "Maria never heard of the poetry reading from Klaus"
    assert heard[0].created.date().isoformat() == day  # later the same day
    learned = [c for c in sim.minds[MARIA].state.commitments if "poetry" in c.what]
    # kept as heard from an agent: Klaus, or Isabella if Klaus told her first and she met Maria
    assert learned and learned[0].source in (KLAUS, "Isabella Rodriguez"), learned
    told = [a for r in said for a in r.agents if a.name == KLAUS and "poetry" in (a.said or "")]
    assert told and told[0].said_by == ACT, told  # the act chosen, templates' words
    session.close()


def test_random_control_klaus_hears_it_but_it_does_not_reach_maria(tmp_path):
    """The same day on the random model (seed 7): the engine still stores Klaus's talk with the
    player, but Maria does not hear of it from Klaus, so the spread above is the chosen acts'."""
    from cognition.llm.random_model import RandomModel

    session, _, _, klaus_knows = _spread(tmp_path, RandomModel(7))
    assert klaus_knows  # the face-to-face talk was stored by the finish path
    assert not heard_from_klaus(session.sim)
    session.close()


def test_plumbing_klaus_greets_the_player_he_sees_and_gives_up_politely(tmp_path):
    """Nobody types: Klaus perceives the player beside him, starts the talk himself (the echo
    model says yes to talking), greets, waits for the player's turn in vain, closes it with the
    polite rule line, and remembers the talk."""
    from engine.player import GIVE_UP

    session = _town(tmp_path, first_act_model(), GenerativeSettings(importance_check=False))
    sim = session.sim
    events: list = []
    sim.add_listener(lambda r: events.extend(e for e in r.events if ME.name in e.agents))
    for _ in range(2000):
        klaus = sim.bodies[KLAUS]
        if (klaus.action is not None and not klaus.is_sleeping() and klaus.arrived
                and klaus.conversation_id is None and _beside(sim, KLAUS)):
            break
        sim.run(1)
    sim.run(240)
    kinds = [(e.kind, e.agents) for e in events]
    assert kinds[0] == ("conversation_started", (KLAUS, ME.name)), kinds  # Klaus began it
    assert kinds[1][0] == "conversation_ended" and events[1].text == GIVE_UP
    talk = [n for n in sim.minds[KLAUS].memory.nodes if n.kind == "chat" and n.object == ME.name]
    assert talk and talk[0].filling[0][0] == KLAUS  # his greeting, then his goodbye
    session.close()
