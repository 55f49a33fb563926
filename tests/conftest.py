"""Shared fixtures: a clean environment, one Prefect harness per session, the sample news
site and a real SMTP server on 127.0.0.1, and a fresh DuckDB file per test."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

import pytest

os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TOPIC = ROOT / "topics" / "russia-it-emigration.toml"
LOCAL = ("127.0.0.1",)
"""[fetch] allow_internal for the servers the tests start: everything else internal is refused."""


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxies (nothing may leave 127.0.0.1) and no DRAINWATCH_* from the developer's shell."""
    for key in list(os.environ):
        if key.lower().endswith("_proxy") or key.startswith("DRAINWATCH_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_site() -> Iterator[object]:
    from drainwatch.sample_site import SampleSite

    with SampleSite() as site:
        yield site


@pytest.fixture
def topic_file(tmp_path: Path, sample_site) -> Path:
    """The default topic with [sources] pointed at the sample site (and no politeness delay)."""
    path = tmp_path / "topic.toml"
    path.write_text(sample_site.topic_toml())
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps what it accepts."""

    def __init__(self, **controller_kwargs) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **controller_kwargs)

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def run_monitor(topic: Path, db: Path, outbox: Path):
    from flows.monitor import monitor

    return asyncio.run(monitor(topic_file=str(topic), db=str(db), outbox=str(outbox)))
