"""How long a run waits for its own temporary Prefect server to answer."""

from __future__ import annotations

import pytest

from drainwatch.prefect_server import START_TIMEOUT_S, startup_timeout


def test_a_busy_machine_gets_more_than_prefects_twenty_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", raising=False)
    assert startup_timeout(20.0) == START_TIMEOUT_S
    assert startup_timeout(300.0) == 300.0  # a longer wait from a Prefect profile is kept


def test_the_users_own_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "5")
    assert startup_timeout(5.0) == 5.0
