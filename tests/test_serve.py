"""`drainwatch serve`: a schedule that runs the flow and stays active after a stop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def completed_runs(db: Path) -> int:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM runs WHERE status = 'complete'").fetchall()[0][0]
    except duckdb.Error:  # missing, or a run holds it right now
        return 0


def test_serve_runs_on_schedule_and_the_schedule_survives_a_stop(topic_file, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from .conftest import free_port

    db, port = tmp_path / "w.duckdb", free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    cmd = [
        str(Path(sys.executable).parent / "drainwatch"),
        "serve",
        "--topic",
        str(topic_file),
        "--db",
        str(db),
        "--outbox",
        str(tmp_path / "outbox"),
        "--cron",
        "* * * * *",
        "--prefect-port",
        str(port),
    ]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while completed_runs(db) < 1 and time.monotonic() < deadline:
            assert server.poll() is None, "serve exited early"
            time.sleep(2)
        assert completed_runs(db) >= 1

        # The API has no login: a run asked for with another database is refused (issue 15).
        from prefect.deployments.flow_runs import arun_deployment

        evil = tmp_path / "elsewhere" / "w.duckdb"
        with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
            refused = asyncio.run(
                arun_deployment("monitor/drainwatch-russia-it-emigration", parameters={"db": str(evil)}, timeout=180)
            )
        assert refused.state is not None and refused.state.is_failed()
        assert not evil.parent.exists()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=90)

    # Start the Prefect server again on the same state: the schedule is still there and active.
    prefect = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from drainwatch.serve_cmd import _healthy

        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 90
        while not _healthy(url) and time.monotonic() < deadline:
            time.sleep(0.5)

        async def deployment():
            async with get_client() as client:
                return await client.read_deployment_by_name("monitor/drainwatch-russia-it-emigration")

        with temporary_settings({PREFECT_API_URL: url}):
            dep = asyncio.run(deployment())
    finally:
        prefect.terminate()
        prefect.wait(timeout=30)
    assert dep.paused is False
    assert dep.schedules and all(s.active for s in dep.schedules)


def test_a_killed_serve_leaves_no_prefect_server_behind(tmp_path):
    """SIGKILL runs no cleanup: the local Prefect server must end with serve anyway (issue 14)."""
    from drainwatch.serve_cmd import _healthy

    port_file = tmp_path / "port"
    holder = (
        "import socket, sys, time\n"
        "from drainwatch.serve_cmd import local_prefect_server\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()\n"
        "with local_prefect_server(port, echo=lambda _: None) as url:\n"
        "    open(sys.argv[1], 'w').write(url)\n"
        "    time.sleep(600)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    serve = subprocess.Popen([sys.executable, "-c", holder, str(port_file)], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not port_file.exists() or not port_file.read_text():
            assert serve.poll() is None and time.monotonic() < deadline, "the local Prefect server never answered"
            time.sleep(0.5)
        url = port_file.read_text()
        assert _healthy(url)
    finally:
        serve.kill()
        serve.wait()
    deadline = time.monotonic() + 15
    while _healthy(url) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _healthy(url), f"the Prefect server at {url} outlived its killed parent"
