"""Generative minds survive saves exactly: quicksave/quickload restores the world hash, and a
save-load-continue run equals an uninterrupted one (memories, embeddings, plans, cooldowns)."""

from __future__ import annotations

from pathlib import Path

from test_information_spread import WHISPER, scripted_town

from engine.agent_api import MessageKind


def test_quickload_restores_the_quicksave_moment_exactly(tmp_path: Path):
    session, _ = scripted_town(tmp_path, "quick")
    sim = session.sim
    sim.submit_message("Isabella Rodriguez", MessageKind.WHISPER, WHISPER)
    sim.run(150)
    at_save = sim.world_hash()
    session.quicksave()
    sim.run(120)
    assert sim.world_hash() != at_save
    session.quickload()
    assert sim.world_hash() == at_save
    assert any("Valentine" in n.description for n in sim.minds["Isabella Rodriguez"].memory.nodes)
    session.close()


def test_save_load_continue_equals_an_uninterrupted_generative_run(tmp_path: Path):
    straight, _ = scripted_town(tmp_path / "a", "straight")
    straight.sim.submit_message("Isabella Rodriguez", MessageKind.WHISPER, WHISPER)
    straight.sim.run(300)

    first, _ = scripted_town(tmp_path / "b", "halves")
    first.sim.submit_message("Isabella Rodriguez", MessageKind.WHISPER, WHISPER)
    first.sim.run(150)
    first.save()
    first.close()

    from cognition.generative import GenerativeMindFactory
    from cognition.llm.fakes import HashEmbedder
    from cognition.memory.chroma_index import make_client
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore
    from engine.session import open_session

    model = first.sim.factory.model
    store = SaveStore(saves_root=tmp_path / "b" / "saves")
    second = open_session(store, fork=None, load="halves", name=None,
                          factory=GenerativeMindFactory(model, HashEmbedder(64), seed=7,
                                                        chroma_client=make_client()),
                          dispatcher=InlineDispatcher())
    assert second.sim.step == 150
    second.sim.run(150)
    assert second.sim.world_hash() == straight.sim.world_hash()
    second.close()
    straight.close()
