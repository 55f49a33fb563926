"""Ad-hoc SQL that always works, exports, status and the report."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from click.testing import CliRunner

from drainwatch.cli import main
from drainwatch.report import BASELINE_COLOUR, POINT_COLOUR

from .conftest import run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def warehouse(topic_file, tmp_path):
    db = tmp_path / "w.duckdb"
    run_monitor(topic_file, db, tmp_path / "outbox")
    return db


def test_query_answers_from_the_snapshot_while_a_writer_holds_the_database(warehouse):
    sql = "SELECT metric, value, comparison FROM findings_overview ORDER BY metric, value"
    live = CliRunner().invoke(main, ["query", "--db", str(warehouse), "--format", "json", sql])
    assert live.stderr == "" and len(live.stdout.splitlines()) == 12
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = CliRunner().invoke(main, ["query", "--db", str(warehouse), "--format", "json", sql])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 0, result.output
    assert result.stdout == live.stdout
    assert "answered from the snapshot" in result.stderr and str(warehouse) in result.stderr


def test_query_is_live_when_nobody_writes(warehouse):
    result = CliRunner().invoke(main, ["query", "--db", str(warehouse), "SELECT count(*) AS n FROM articles"])
    assert result.exit_code == 0 and result.stderr == "" and "18" in result.stdout


def test_query_to_parquet_and_export(warehouse, tmp_path):
    out = tmp_path / "f.parquet"
    r = CliRunner().invoke(
        main,
        [
            "query",
            "--db",
            str(warehouse),
            "--format",
            "parquet",
            "-o",
            str(out),
            "SELECT metric, value FROM findings ORDER BY value",
        ],
    )
    assert r.exit_code == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall() == [(12,)]
    r = CliRunner().invoke(main, ["export", str(tmp_path / "x"), "--db", str(warehouse)])
    assert r.exit_code == 0
    names = {p.stem for p in (tmp_path / "x").glob("*.parquet")}
    assert {"articles", "figures", "findings", "runs", "findings_overview", "metric_timeline", "source_health"} <= names
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'x' / 'articles.parquet'}'").fetchall() == [(18,)]


def test_status(warehouse):
    r = CliRunner().invoke(main, ["status", "--db", str(warehouse)])
    assert r.exit_code == 0
    assert "last runs:" in r.stdout and "complete" in r.stdout
    assert "next scheduled run: " in r.stdout and "alerts: 0 queued, 1 sent" in r.stdout


def test_report_charts_show_the_baseline_and_the_findings(warehouse, tmp_path):
    import matplotlib.colors
    import matplotlib.image

    r = CliRunner().invoke(main, ["report", "--db", str(warehouse), "--out", str(tmp_path / "rep")])
    assert r.exit_code == 0
    page = (tmp_path / "rep" / "index.html").read_text()
    assert '<img src="charts/it_emigrants-people.png"' in page and "Latest findings" in page
    assert "tech-exodus-estimate-syndicated.html" in page  # the links to every source
    img = matplotlib.image.imread(tmp_path / "rep" / "charts" / "it_emigrants-people.png")[:, :, :3]

    def has_colour(hex_colour: str) -> bool:
        target = matplotlib.colors.to_rgb(hex_colour)
        return bool((abs(img - target).sum(axis=2) < 0.05).sum() > 30)

    assert has_colour(BASELINE_COLOUR) and has_colour(POINT_COLOUR)
    # A metric that has a baseline but no new figure still gets its chart, baseline only.
    empty = matplotlib.image.imread(tmp_path / "rep" / "charts" / "it_remote_abroad-percent.png")[:, :, :3]
    img = empty
    assert has_colour(BASELINE_COLOUR) and not has_colour(POINT_COLOUR)


REFUSED = [
    "COPY (select 1) TO 'x.csv'",
    "select * from read_text('/etc/hostname')",
    "SET enable_external_access = true",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_query_touches_nothing_but_the_warehouse(warehouse, tmp_path, monkeypatch, sql):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["query", "--db", str(warehouse), sql])
    assert r.exit_code == 2, r.output
    assert len(r.stderr.strip().splitlines()) == 1 and "refused" in r.stderr
    assert not (tmp_path / "x.csv").exists() and "drainwatch" not in r.stdout


def test_query_from_the_snapshot_is_sealed_too(warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        r = CliRunner().invoke(main, ["query", "--db", str(warehouse), REFUSED[0]])
    finally:
        holder.kill()
        holder.wait()
    assert r.exit_code == 2 and not (tmp_path / "x.csv").exists()


def test_every_query_the_readme_documents_still_works(warehouse):
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    documented = re.findall(r'"(SELECT [^"]+)"', readme)
    # The README's tables and views, each as `SELECT * FROM name`.
    names = re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?(?: \(view\))? \|", readme, flags=re.M)
    tables = {n for pair in names for n in pair if n}
    assert documented and {"findings_overview", "dropped_pages", "source_health", "stories"} <= tables
    for sql in documented + [f"SELECT * FROM {t} LIMIT 1" for t in sorted(tables)]:
        r = CliRunner().invoke(main, ["query", "--db", str(warehouse), sql])
        assert r.exit_code == 0, (sql, r.output)
