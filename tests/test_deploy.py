"""The deployment files agree with the code (no Docker engine here, so they are parsed)."""

from __future__ import annotations

import inspect

import yaml

from flows.monitor import monitor

from .conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_compose_file_has_server_worker_and_a_data_volume():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"prefect-server", "worker"} <= services.keys()
    worker = services["worker"]
    assert worker["build"]["dockerfile"] == "deploy/Dockerfile"
    assert worker["environment"]["PREFECT_API_URL"].startswith("http://prefect-server:")
    assert any(v.endswith(":/data") for v in worker["volumes"])
    assert worker["environment"]["DRAINWATCH_DB"].startswith("/data/")
    assert set(compose["volumes"]) >= {"drainwatch-data"}


def test_prefect_yaml_points_at_the_flow_with_its_parameters():
    spec = yaml.safe_load((DEPLOY / "prefect.yaml").read_text())
    (dep,) = spec["deployments"]
    path, name = dep["entrypoint"].split(":")
    assert (ROOT / path).exists() and name == monitor.fn.__name__
    assert set(dep["parameters"]) <= set(inspect.signature(monitor.fn).parameters)
    assert dep["concurrency_limit"] == 1 and dep["schedules"][0]["cron"]


def test_env_example_names_only_settings_the_code_reads():
    settings_src = (ROOT / "core" / "settings.py").read_text()
    for line in (DEPLOY / "drainwatch.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert f'"{line.split("=")[0]}"' in settings_src


def test_the_systemd_run_has_a_start_timeout():
    """A oneshot unit has no start timeout by default: a run that hangs would block the timer
    for good (issue 15)."""
    import configparser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string((DEPLOY / "drainwatch.service").read_text())
    assert unit["Service"]["Type"] == "oneshot"
    timeout = unit["Service"]["TimeoutStartSec"]
    assert timeout not in ("infinity", "0") and timeout.endswith(("h", "min"))
