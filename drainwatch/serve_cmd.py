"""A local Prefect server for `drainwatch serve` when none is configured.

Prefect's runner cannot schedule on the temporary in-process server, so `serve` needs a
real one; starting it here keeps `drainwatch serve` a single command.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from core.errors import ConfigError
from core.lifeline import die_with_parent

STARTUP_S = 90


@contextlib.contextmanager
def local_prefect_server(port: int, echo: Callable[[str], None] = print) -> Iterator[str]:
    """Yield the API URL: PREFECT_API_URL when set, else a server started on 127.0.0.1:port."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    url = f"http://127.0.0.1:{port}/api"
    if _healthy(url):
        raise ConfigError("--prefect-port", str(port), "something already listens there; set PREFECT_API_URL to use it")
    prefect = Path(sys.executable).parent / "prefect"
    echo(
        f"starting a local Prefect server on 127.0.0.1:{port} (state in {os.environ.get('PREFECT_HOME', '~/.prefect')}) ..."
    )
    # `prefect server start` runs uvicorn in its own process (one worker), so tying that one
    # process to serve's life leaves nothing behind when serve is SIGKILLed.
    child = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=functools.partial(die_with_parent, os.getpid()),  # noqa: PLW1509 - no threads yet
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _healthy(url):
            if child.poll() is not None or time.monotonic() > deadline:
                raise ConfigError("--prefect-port", str(port), "the local Prefect server did not start")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False
