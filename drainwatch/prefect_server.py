"""The temporary Prefect server of `drainwatch run` and `demo`, started as the run's own child.

With no PREFECT_API_URL, Prefect would start a temporary server by itself, as a plain
subprocess that a killed run leaves behind with no parent (about 200 MB and a port each
time). This one ends with the run: the kernel kills it when the run's process ends
(core/lifeline.py); it has its own process group, so Ctrl-C reaches only the run, which
stops it after its cleanup; and every other exit stops it too. A configured API URL (an
external server, `serve`, Prefect's test harness, a Prefect profile) is used as it is.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

from core.errors import DrainwatchError

# As Prefect's own temporary server: no UI, and the settings of a short-lived server.
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
BOOT = (
    "import sys\n"
    "from core.lifeline import die_with_parent\n"
    "die_with_parent(int(sys.argv[1]))\n"
    "import uvicorn\n"
    "uvicorn.run('prefect.server.api.server:create_app', factory=True, host='127.0.0.1',"
    " port=int(sys.argv[2]), log_level='error', lifespan='on')\n"
)
DRAIN_S = 5.0
# Prefect's own default (20 s) is too short for a busy 2-core machine, where the server's
# imports alone can take longer; our child is watched while we wait, so a dead one fails fast.
START_TIMEOUT_S = 120.0
START_ATTEMPTS = 3  # a port found free may be taken before the server binds it


class PrefectServerError(DrainwatchError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the temporary Prefect server did not start: {detail}")


class TemporaryServer:
    """Starts booting on entry, so that it boots while the caller imports the flow; `api()`
    waits until it answers and points Prefect at it."""

    def __init__(self) -> None:
        self.child: subprocess.Popen[bytes] | None = None
        self.port = 0

    def __enter__(self) -> TemporaryServer:
        if not _api_url_configured():
            self._spawn()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    @contextlib.contextmanager
    def api(self) -> Iterator[None]:
        if self.child is None:
            yield
            return
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_LOGGING_TO_API_ENABLED,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
            PREFECT_UI_URL,
            temporary_settings,
        )

        if PREFECT_API_URL.value():  # set in the user's Prefect profile
            self._stop()
            yield
            return
        url = self._wait(startup_timeout(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
        # The server has no UI and is gone after the run, so the run's log lines go to
        # stderr only, and there is no "View at <url>" line.
        with temporary_settings({PREFECT_API_URL: url, PREFECT_UI_URL: "", PREFECT_LOGGING_TO_API_ENABLED: False}):
            try:
                yield
            finally:
                _drain_prefect_workers()

    def _spawn(self) -> None:
        self.port = _free_port()
        self.child = subprocess.Popen(
            [sys.executable, "-c", BOOT, str(os.getpid()), str(self.port)],
            env={**os.environ, **SERVER_ENV},
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait(self, timeout: float) -> str:
        url = f"http://127.0.0.1:{self.port}/api"
        deadline, attempts = time.monotonic() + timeout, 1
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while True:
                assert self.child is not None
                code = self.child.poll()
                if code is not None:
                    if attempts >= START_ATTEMPTS:
                        raise PrefectServerError(f"it exited with status {code}")
                    attempts += 1
                    self._spawn()
                    url = f"http://127.0.0.1:{self.port}/api"
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{url}/health").status_code == 200:
                        return url
                if time.monotonic() > deadline:
                    raise PrefectServerError(
                        f"no answer on {url} within {timeout:g} s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)"
                    )
                time.sleep(0.1)

    def _stop(self) -> None:
        child, self.child = self.child, None
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def startup_timeout(configured: float) -> float:
    """The user's PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS when they set it in the
    environment, else the longer of Prefect's setting and START_TIMEOUT_S."""
    if os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"):
        return float(configured)
    return max(float(configured), START_TIMEOUT_S)


def _drain_prefect_workers() -> None:
    """Prefect sends the run's last logs and events from background workers; they must reach
    the server before it stops (as Prefect's own test harness does), or they retry for a minute."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=DRAIN_S)
    APILogWorker.drain_all(timeout=DRAIN_S)  # last: draining events may log


def _api_url_configured() -> bool:
    """Without importing Prefect when it is not imported yet: that takes seconds, which the
    server uses to boot."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        return bool(PREFECT_API_URL.value())
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
