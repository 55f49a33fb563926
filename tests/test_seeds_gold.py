"""The seeds' hand labels: `drainwatch extract` must find every gold figure and no other
figure of the core metrics (`other` is free)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from core.figures import CORE_METRICS
from drainwatch.cli import main

from .conftest import SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "seeds_gold.jsonl").exists(), reason="../shared is not present")


def _extract_seeds() -> list[dict]:
    seeds = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    result = CliRunner().invoke(main, ["extract", *seeds, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def _key(article: str, metric: str, unit: str, value: float) -> tuple:
    return (article, metric, unit, round(float(value), 6))


def test_every_gold_figure_and_no_other_core_figure():
    gold = [json.loads(line) for line in (SHARED / "seeds_gold.jsonl").read_text().splitlines() if line.strip()]
    found = [r for r in _extract_seeds() if r["metric"] in CORE_METRICS]
    got = Counter(_key(r["source"].rsplit("/", 1)[-1][:3], r["metric"], r["unit"], r["value"]) for r in found)
    want = Counter(_key(g["article"], g["metric"], g["unit"], g["value"]) for g in gold)
    assert got == want


def test_gold_qualifiers_and_speakers():
    gold = {
        (g["article"], g["metric"], float(g["value"])): g
        for g in (json.loads(x) for x in (SHARED / "seeds_gold.jsonl").read_text().splitlines() if x.strip())
    }
    for r in _extract_seeds():
        g = gold.get((r["source"].rsplit("/", 1)[-1][:3], r["metric"], float(r["value"])))
        if g is None:
            continue
        assert r["qualifier"] == g["qualifier"], (r["sentence"], r["qualifier"])
        assert (r["low"], r["high"]) == (g["low"], g["high"])
        if g["speaker"] != "government estimate":
            assert r["speaker"] == g["speaker"], r["sentence"]
