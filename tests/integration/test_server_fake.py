"""`--server` end to end against a real HTTP server process: the deterministic fake
(`cognition.llm.fake_server`), so results can be compared exactly. Killing the server pauses the
run with a clear status, restarting it lets the run finish in the very world an uninterrupted run
reaches; a server that stalls gives a message within seconds and Ctrl+C saves, no traceback."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

from server_procs import PYTHON, REPO, env, fake_model_server, free_port, running, stop

from engine.persistence import SaveStore
from engine.session import open_session
from game.window.sim_driver import ModelRates
from game.wiring import MindOptions, build_dispatcher, build_minds

N3 = "base_the_ville_isabella_maria_klaus"
DIALECT = ("--dialect", "json_object_schema")  # what llama-cpp-python's server speaks


def town(root: Path, url: str, name: str, chroma_url: str | None = None):
    store = SaveStore(saves_root=root / "saves")
    options = MindOptions(server=url, chroma_url=chroma_url, server_concurrency=8)
    minds = build_minds(options, store.read_base(N3).meta.seed)
    session = open_session(store, fork=N3, load=None, name=name, factory=minds.factory,
                           dispatcher=build_dispatcher(options))  # fmt: skip
    return session, minds


def test_run_command_through_the_server(tmp_path: Path, simulacra_home: Path):
    port = free_port()
    with running(fake_model_server(port, *DIALECT)):
        done = subprocess.run(
            [PYTHON, "-m", "game.cli", "run", "--fork", N3, "--name", "via-server", "--steps",
             "30", "--quiet", "--server", f"http://127.0.0.1:{port}/v1"],
            cwd=REPO, env=env(), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "model calls failed" not in done.stdout + done.stderr
    assert f"default at http://127.0.0.1:{port}" in done.stdout
    assert (simulacra_home / "saves" / "via-server" / "meta.json").is_file()


def test_killed_server_pauses_the_run_and_a_restart_ends_in_the_same_world(tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    steps = 200  # long enough that decisions asked for during the outage fall due in the run
    with running(fake_model_server(port, *DIALECT)):
        straight, _ = town(tmp_path / "a", url, "straight")
        straight.sim.run(steps)
        expected = straight.sim.world_hash()
        straight.close()

    server = fake_model_server(port, *DIALECT)
    try:
        session, minds = town(tmp_path / "b", url, "killed")
        session.sim.run(10)
        stop(server, signal.SIGKILL)
        runner = threading.Thread(target=session.sim.run, args=(steps - 10,), daemon=True)
        runner.start()
        assert wait_for(lambda: minds.health.status().state == "down", 30)
        assert "unreachable (connection" in minds.status()  # lost, then refused
        assert "run paused" in minds.status()
        assert ModelRates(minds.call_log, minds.health).text(0.0).startswith("server down")
        assert wait_for(lambda: stands_still(session.sim, 1.0), 30), "the clock never waited"
        assert runner.is_alive() and session.sim.step < steps
        server = fake_model_server(port, *DIALECT)
        runner.join(timeout=60)
        assert not runner.is_alive()
        assert session.sim.step == steps and minds.status() == ""
        assert minds.failed_calls() == 0 and minds.health.status().retries > 0
        assert session.sim.world_hash() == expected
        session.close()
    finally:
        stop(server)


def wait_for(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stands_still(sim, seconds: float) -> bool:
    before = sim.step
    time.sleep(seconds)
    return sim.step == before


def test_stalled_server_is_reported_within_seconds_and_ctrl_c_saves(simulacra_home: Path):
    port = free_port()
    with running(fake_model_server(port, *DIALECT, "--delay-s", "600")):
        proc = subprocess.Popen(
            [PYTHON, "-m", "game.cli", "run", "--fork", N3, "--name", "stalled", "--steps", "2000",
             "--quiet", "--server", f"http://127.0.0.1:{port}"],
            cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            # Ctrl-C as at a terminal, even where the suite itself runs as a background job
            # (a non-interactive shell starts those with SIGINT ignored, and children inherit it)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        try:
            lines: list[str] = []
            reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
            reader.start()
            deadline = time.monotonic() + 90
            while not any("slow: no answer for" in x for x in lines):
                assert time.monotonic() < deadline and proc.poll() is None, lines
                time.sleep(0.1)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
            reader.join(timeout=5)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = out + err + "".join(lines)  # the reader thread and communicate share stderr
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    assert "simulacra: interrupted" in text  # while forking (planted history) or running
    assert (simulacra_home / "saves" / "stalled" / "meta.json").is_file()


def test_server_that_never_answers_fails_the_preflight_in_seconds(capsys):
    import socket

    from game.cli import main

    with socket.socket() as sock:  # accepts connections, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        started = time.monotonic()
        code = main(["run", "--steps", "1", "--quiet", "--server",
                     f"http://127.0.0.1:{sock.getsockname()[1]}"])  # fmt: skip
        took_s = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2
    assert "unreachable (no answer within 5 s)" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    print(f"pre-flight failed after {took_s:.1f} s")  # reported, not asserted (loaded machines)


def test_bad_server_urls_are_one_line_errors(capsys):
    from game.cli import main

    for url in ("", "http://[::1", "http://exa mple:80", "http://user:pw@host:80", "http://h\x01"):
        code = main(["run", "--steps", "1", "--quiet", "--server", url])
        err = capsys.readouterr().err
        assert code == 2, (url, err)
        assert err.startswith("simulacra: error: ") and "server" in err
        assert len(err.strip().splitlines()) == 1, err
        assert "pw@" not in err


def test_bench_prints_one_table_for_a_base_on_the_server(capsys):
    from game.cli import main

    port = free_port()
    with running(fake_model_server(port, *DIALECT)):
        code = main(["bench", "--base", N3, "--hours", "0.25", "--server",
                     f"http://127.0.0.1:{port}"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    for metric in ("game hours per wall hour", "seconds to the first move",
                   "model busy fraction", "calls per agent per game hour",
                   "tokens per agent per game hour", "prompt tokens saved by prefix reuse"):
        assert metric in out, out
    assert "0.25 (90 steps)" in out


def test_embed_model_hashed_keeps_embeddings_off_the_server():
    """`--embed-model hashed` embeds locally with the server answering everything else."""
    from cognition.llm import OpenAICompatibleEmbedder
    from cognition.llm.hashed import HashEmbedder

    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with running(fake_model_server(port, *DIALECT)):
        hashed = build_minds(MindOptions(server=url, embed_model="hashed"), seed=1)
        served = build_minds(MindOptions(server=url), seed=1)
    assert isinstance(hashed.factory.embedder, HashEmbedder)
    assert isinstance(served.factory.embedder, OpenAICompatibleEmbedder)
