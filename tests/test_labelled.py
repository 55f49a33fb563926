"""Our own labelled sentences (tests/data/labelled.jsonl): each line states the core-metric
figures expected from its text; `other` figures are not checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.figures import CORE_METRICS
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures

from .conftest import TOPIC

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "labelled.jsonl").read_text().splitlines()
    if line.strip()
]
CUES = Cues.from_mapping(load_topic(TOPIC).cue_words)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['description']}" for c in CASES])
def test_labelled_sentence(case):
    got = [f for f in extract_figures(case["text"], CUES).figures if f.metric in CORE_METRICS]
    assert len(got) == len(case["expected"]), [(f.metric, f.value, f.number_text) for f in got]
    for f, want in zip(got, case["expected"]):
        assert (f.metric, f.unit, f.qualifier) == (want["metric"], want["unit"], want["qualifier"])
        assert f.value == pytest.approx(want["value"], rel=1e-6)
        for bound in ("low", "high"):
            if bound in want:
                assert getattr(f, bound) == (None if want[bound] is None else pytest.approx(want[bound], rel=1e-6))
        if "speaker" in want:
            assert f.speaker == want["speaker"]


def test_dev_set_is_large_enough_to_mean_something():
    assert len(CASES) >= 50
    assert {c["lang"] for c in CASES} >= {"en", "ru", "de", "fr"}
