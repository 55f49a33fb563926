"""Sharing the warehouse (issue 15): a run waits for a long reader instead of failing,
`report` reads the snapshot while a run holds the file, a killed run does not stay
`running`, a symlinked path takes the same run lock, and `query --format json` is strict
JSON whatever the column types."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from core.errors import DatabaseBusy
from drainwatch.cli import main
from warehouse.db import connect
from warehouse.lock import RunInProgress, run_lock

from .conftest import run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")

# Another process with the file open: read-only (a `drainwatch query`) or for writing (a run).
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
print("released", flush=True)
"""


class Holder:
    def __init__(self, db: Path, mode: str, seconds: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(db), mode, str(seconds)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "holding"

    def released(self) -> bool:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip() == "released"

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module")
def after_one_run(sample_site, tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> Path:
    """A warehouse after one run of the sample site, and its snapshot."""
    folder = tmp_path_factory.mktemp("after-one-run")
    topic = folder / "topic.toml"
    topic.write_text(sample_site.topic_toml())
    run_monitor(topic, folder / "w.duckdb", folder / "outbox")
    return folder / "w.duckdb"


@pytest.fixture
def warehouse(after_one_run: Path, tmp_path: Path) -> Path:
    """A copy of it for one test; the outbox is not copied, so a rerun sends the alert again."""
    db = tmp_path / "w.duckdb"
    shutil.copy(after_one_run, db)
    shutil.copytree(str(after_one_run) + ".snapshot", str(db) + ".snapshot")
    return db


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for h in started:
        h.stop()


def test_a_run_waits_for_a_long_reader_instead_of_failing(warehouse, topic_file, tmp_path, holders, caplog):
    holders.append(reader := Holder(warehouse, "read", 4))
    with caplog.at_level(logging.INFO, logger="warehouse.db"):
        summary = run_monitor(topic_file, warehouse, tmp_path / "outbox")
    assert summary.status == "complete"
    assert reader.released()
    assert any("is in use by another process (a query?); waiting up to 60 s" in r.getMessage() for r in caplog.records)
    assert not list((tmp_path / "outbox").glob("failure-*.eml"))  # waiting is not failing
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [("complete",), ("complete",)]


def test_the_wait_for_a_reader_is_bounded(warehouse, holders):
    holders.append(Holder(warehouse, "read", 60))
    with pytest.raises(DatabaseBusy, match=r"in use by another process \(a long query\?\); gave up after 0\.5 s"):
        with connect(warehouse, wait_for=0.5):
            pass


def test_report_answers_from_the_snapshot_while_a_run_holds_the_database(warehouse, tmp_path, holders):
    holders.append(Holder(warehouse, "write", 60))
    result = CliRunner().invoke(main, ["report", "--db", str(warehouse), "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'report' / 'index.html'}\n"
    assert re.fullmatch(
        rf"note: a run holds {re.escape(str(warehouse))}; answered from the snapshot of .*\n", result.stderr
    )
    page = (tmp_path / "report" / "index.html").read_text()
    assert "Maksut Shadayev" in page and "complete" in page


def test_report_with_a_held_database_and_no_snapshot_says_so_in_one_line(warehouse, tmp_path, holders):
    shutil.rmtree(str(warehouse) + ".snapshot")
    holders.append(Holder(warehouse, "write", 60))
    result = CliRunner().invoke(main, ["report", "--db", str(warehouse), "--out", str(tmp_path / "report")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {warehouse}: the database is in use by a run and there is no snapshot yet; "
        "try again when the run ends\n"
    )


def test_a_run_left_running_by_a_dead_process_is_marked_aborted_by_the_next(warehouse, topic_file, tmp_path):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("INSERT INTO runs (run_id, topic, started_at, status) VALUES ('killed', 't', now(), 'running')")
    assert run_monitor(topic_file, warehouse, tmp_path / "outbox").status == "complete"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT status, error FROM runs WHERE run_id = 'killed'").fetchall() == [
            ("aborted", "the process ended before the run finished (killed?)")
        ]
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchall() == [(0,)]


def test_a_symlinked_database_path_takes_the_same_run_lock(warehouse, topic_file, tmp_path):
    link = tmp_path / "elsewhere" / "link.duckdb"
    link.parent.mkdir()
    link.symlink_to(warehouse)
    with run_lock(warehouse):
        with pytest.raises(RunInProgress, match="another drainwatch run is in progress"):
            run_monitor(topic_file, link, tmp_path / "outbox")
    assert not Path(str(link) + ".lock").exists()


def test_query_json_is_strict_json_for_every_type(warehouse):
    sql = (
        "SELECT INTERVAL 1 DAY + INTERVAL 90 MINUTE AS span, -INTERVAL 3 SECOND AS back, "
        "'6f1c0a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6'::UUID AS id, 'ab\\x00'::BLOB AS raw, "
        "'inf'::DOUBLE AS big, '-inf'::DOUBLE AS small, 'nan'::DOUBLE AS nothing, "
        "[1.5, 'nan'::DOUBLE] AS list, {'v': 'inf'::DOUBLE, 'when': DATE '2025-01-02'} AS rec, "
        "TIME '10:11:12' AS at, (SELECT count(*) FROM articles) AS articles"
    )
    result = CliRunner().invoke(main, ["query", "--db", str(warehouse), "--format", "json", sql])
    assert result.exit_code == 0, result.output

    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    assert json.loads(result.stdout, parse_constant=refuse) == {
        "span": "P1DT1H30M0S",
        "back": "-P0DT0H0M3S",
        "id": "6f1c0a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6",
        "raw": "YWIA",
        "big": None,
        "small": None,
        "nothing": None,
        "list": [1.5, None],
        "rec": {"v": None, "when": "2025-01-02"},
        "at": "10:11:12",
        "articles": 18,
    }
    as_csv = CliRunner().invoke(main, ["query", "--db", str(warehouse), "--format", "csv", sql])
    assert as_csv.exit_code == 0 and as_csv.stdout.splitlines()[1].startswith(
        "P1DT1H30M0S,-P0DT0H0M3S,6f1c0a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6,YWIA,inf,-inf,nan,"
    )
