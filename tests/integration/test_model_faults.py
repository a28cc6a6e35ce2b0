"""A misbehaving model never stops the town: for each fault (a timeout, an error, empty text,
invalid JSON, JSON naming places and people that do not exist, 10 kB of text) 500 steps of the
3-agent base finish, the agents keep acting, the errors are counted where the HUD and the run log
show them, and nothing the validation refused enters any memory."""

from __future__ import annotations

import json

import pytest

from cognition.generative import GenerativeMindFactory
from cognition.llm.fakes import (
    FAULTS,
    HUGE_TEXT,
    UNKNOWN_PERSON,
    UNKNOWN_PLACE,
    FaultyModel,
    HashEmbedder,
)
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.runlog import read_runlog
from engine.session import open_session

N3 = "base_the_ville_isabella_maria_klaus"
STEPS = 500
REFUSED = {  # text that must never reach a memory, per fault
    "timeout": [], "raise": [], "empty": [],
    "invalid_json": ["talk,,", "[unclosed"],
    "unknown_names": [UNKNOWN_PLACE, UNKNOWN_PERSON],
    "huge": [HUGE_TEXT[:200]],
}


@pytest.mark.parametrize("kind", FAULTS)
def test_the_town_goes_on_whatever_the_model_does(kind, tmp_path):
    model = FaultyModel(kind, timeout_s=0.001)
    factory = GenerativeMindFactory(model, HashEmbedder(64), seed=7)
    store = SaveStore(saves_root=tmp_path / "saves", user_bases_root=tmp_path / "bases")
    session = open_session(store, fork=N3, load=None, name=kind, factory=factory,
                           dispatcher=InlineDispatcher())
    actions: dict[str, set[str]] = {name: set() for name in session.sim.order}
    session.sim.add_listener(
        lambda record: [actions[a.name].add(a.action) for a in record.agents])
    session.sim.run(STEPS)
    sim = session.sim
    assert sim.step == STEPS
    assert model.calls > 0
    for name, body in sim.bodies.items():
        assert body.action is not None and body.action.description, f"{name} stopped acting"
    # Maria sleeps in on this morning; the others get up and change what they do.
    moving = [name for name, seen in actions.items() if len(seen - {""}) >= 2]
    assert len(moving) >= 2, actions
    # Counted where the HUD reads it (the step record) and in the run log.
    assert sim.last_record.errors > 0 and sim.last_record.errors == sim.errors
    assert sum(body.fallbacks for body in sim.bodies.values()) > 0
    session.save()
    log = read_runlog(session.loaded.runlog_path)
    logged = [line.get("world", {}).get("errors") for line in log]
    assert max(e for e in logged if e is not None) > 0
    for name, mind in sim.minds.items():
        texts = " ".join(
            " ".join([n.description, n.subject, n.object, *n.keywords])
            for n in mind.memory.nodes)
        for refused in REFUSED[kind]:
            assert refused not in texts, f"{name} remembered {refused!r}"
        state = json.dumps(mind.to_state(), ensure_ascii=False, default=str)
        for refused in REFUSED[kind]:
            assert refused not in state, f"{name}'s state holds {refused!r}"
    session.close()
