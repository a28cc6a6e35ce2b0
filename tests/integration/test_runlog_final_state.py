"""The run log holds the final state: a save at step N replays and renders through step N."""

from __future__ import annotations

import json

from game.cli import main
from game.replay_source import open_recorded_run

N3 = "base_the_ville_isabella_maria_klaus"


def test_a_save_at_step_n_replays_through_step_n(simulacra_home):
    assert main(["run", "--fork", N3, "--name", "t", "--steps", "300", "--mind", "routine",
                 "--quiet"]) == 0
    run = open_recorded_run("t")
    try:
        assert run.steps[-1] == 300
        assert run.check_steps(None, 300) == (0, 300)  # `render t --to-step 300` is accepted
        final, before = run.reader.record_at(300), run.reader.record_at(299)
        assert [a.tile_xy for a in final.agents] == [a.tile_xy for a in before.agents]
        assert final.time_iso > before.time_iso
    finally:
        run.close()
    lines = (simulacra_home / "saves" / "t" / "runlog.jsonl").read_text(
        encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["step"] == 300  # in the file itself, not only the reader


def test_continuing_a_save_logs_the_saved_step_again_and_reads_back_in_order(simulacra_home):
    main(["run", "--fork", N3, "--name", "c", "--steps", "45", "--mind", "routine", "--quiet"])
    main(["run", "--load", "c", "--steps", "30", "--quiet"])
    run = open_recorded_run("c")
    try:
        assert run.steps == range(0, 76)
        records = list(run.reader.iter_records(40, 75))
        assert [r.step for r in records] == list(range(40, 76))
    finally:
        run.close()


def test_saving_twice_at_one_step_writes_one_boundary_line(simulacra_home):
    main(["run", "--fork", N3, "--name", "d", "--steps", "10", "--mind", "routine", "--quiet"])
    log = simulacra_home / "saves" / "d" / "runlog.jsonl"
    before = log.read_text(encoding="utf-8").splitlines()
    from game.wiring import MindOptions, build_session

    session = build_session(MindOptions(mind="routine"), load="d")
    session.save()
    session.save()
    session.close()
    after = log.read_text(encoding="utf-8").splitlines()
    assert len(after) - len(before) <= 1
    assert json.loads(after[-1])["step"] == 10
