"""The CLI: every command has --help and is in the README; errors are one line naming the
file or key, configuration errors exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from drainwatch.cli import main
from warehouse.db import connect

from .conftest import ROOT, TOPIC

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output
    assert f"drainwatch {command}" in (ROOT / "README.md").read_text()


def test_missing_topic_file_is_exit_2_naming_the_file(tmp_path):
    missing = tmp_path / "nope.toml"
    result = CliRunner().invoke(main, ["run", "--topic", str(missing), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert result.output == f"Error: {missing}: topic file not found\n"


def test_malformed_key_is_exit_2_naming_file_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[sources]\nfeeds = "http://127.0.0.1/feed.xml"\ngdelt_doc_api = ""\ngdelt_query = ""\nnews_search_rss = ""\nnews_search_queries = []\n'
    )
    result = CliRunner().invoke(main, ["run", "--topic", str(bad)])
    assert result.exit_code == 2
    assert result.output == f"Error: {bad}: sources.feeds: must be list, got 'http://127.0.0.1/feed.xml'\n"


def test_missing_key_is_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[baseline]]\nmetric = "it_emigrants"\nunit = "people"\n')
    result = CliRunner().invoke(main, ["run", "--topic", str(bad)])
    assert result.exit_code == 2
    assert result.output == f"Error: {bad}: baseline[0].value: missing\n"


def test_invalid_toml_is_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[sources\n")
    result = CliRunner().invoke(main, ["run", "--topic", str(bad)])
    assert result.exit_code == 2 and result.output.startswith(f"Error: {bad}: not valid TOML")


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("DRAINWATCH_SMTP_PORT", "twenty-five")
    result = CliRunner().invoke(main, ["run", "--topic", str(TOPIC)])
    assert result.exit_code == 2
    assert result.output == "Error: environment: DRAINWATCH_SMTP_PORT: must be a whole number, got 'twenty-five'\n"


def test_unknown_metric_in_alert_policy(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text(TOPIC.read_text().replace('metrics = [\n    "it_emigrants",', 'metrics = [\n    "it_emigrnts",', 1))
    result = CliRunner().invoke(main, ["run", "--topic", str(bad)])
    assert result.exit_code == 2 and "alert.metrics: unknown metric 'it_emigrnts'" in result.output


def test_baseline_lists_the_topic_baseline():
    result = CliRunner().invoke(main, ["baseline", "--format", "json"])
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert result.exit_code == 0 and len(rows) == 10
    assert {"metric": "it_shortage", "value": 170000.0, "speaker": "Igor Zubov"}.items() <= rows[7].items()


def test_query_reads_the_warehouse_read_only(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    runner = CliRunner()
    ok = runner.invoke(main, ["query", "--db", str(db), "SELECT count(*) AS n FROM articles"])
    assert ok.exit_code == 0 and ok.output.splitlines()[0].strip() == "n" and ok.output.splitlines()[2].strip() == "0"
    as_json = runner.invoke(
        main, ["query", "--db", str(db), "--format", "json", "-p", "m", "it_shortage", "SELECT $m AS metric"]
    )
    assert as_json.output == '{"metric": "it_shortage"}\n'
    write = runner.invoke(main, ["query", "--db", str(db), "DELETE FROM articles"])
    assert write.exit_code == 1 and write.output.startswith(f"Error: {db}: ")
    missing = runner.invoke(main, ["query", "--db", str(tmp_path / "none.duckdb"), "SELECT 1"])
    assert missing.exit_code == 1 and "no such database file" in missing.output


def test_extract_prints_jsonl_with_source(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("About 140,000 IT specialists have left Russia since 2022, the association said.\n")
    result = CliRunner().invoke(main, ["extract", str(page)])
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert result.exit_code == 0
    assert [(r["metric"], r["value"], r["qualifier"], r["source"]) for r in rows] == [
        ("it_emigrants", 140000.0, "approx", str(page))
    ]
    assert {"low", "high", "unit", "currency", "subject", "speaker", "period", "sentence", "sentence_start"} <= rows[
        0
    ].keys()
