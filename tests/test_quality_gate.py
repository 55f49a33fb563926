"""Quality floors for the extractors, scored with the same code as `drainwatch eval`.

Floors live in tests/eval_floors.json; lowering one is a deliberate edit of that file,
never a side effect of a change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.figures import CORE_METRICS
from core.topic import load_topic
from drainwatch.evaluate import Labelled, predict, read_gold, score
from extractors.cues import Cues
from extractors.figures import extract_figures

from .conftest import SHARED, TOPIC

FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text())
CUES = Cues.from_mapping(load_topic(TOPIC).cue_words)
DEVSET = [
    json.loads(x) for x in (Path(__file__).parent / "data" / "labelled.jsonl").read_text().splitlines() if x.strip()
]


def devset_report():
    gold, predicted = [], []
    for i, case in enumerate(DEVSET):
        art = f"dev{i}"
        gold += [Labelled(art, e["metric"], e["unit"], float(e["value"])) for e in case["expected"]]
        predicted += [
            Labelled(art, f.metric, f.unit, f.value)
            for f in extract_figures(case["text"], CUES).figures
            if f.metric in CORE_METRICS and f.value is not None
        ]
    # Every case counts as an article; those with no expected figure are the off-topic ones.
    return score(predicted, gold, [f"dev{i}" for i in range(len(DEVSET))])


def test_devset_f1_floor():
    r = devset_report()
    assert r.overall.f1 >= FLOORS["devset_f1"] - 1e-9, (r.overall.tp, r.overall.fp, r.overall.fn)


def test_no_core_figure_on_off_topic_paragraphs():
    off = [c for c in DEVSET if c["description"].startswith("off-topic paragraph")]
    assert len(off) >= 20
    for case in off:
        assert not [f for f in extract_figures(case["text"], CUES).figures if f.metric in CORE_METRICS], case["text"]


@pytest.mark.skipif(not (SHARED / "seeds_gold.jsonl").exists(), reason="../shared is not present")
def test_seeds_f1_floor():
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    r = score(
        predict(paths, CUES, lambda p: p.read_text(encoding="utf-8")),
        read_gold(SHARED / "seeds_gold.jsonl"),
        [p.stem.split("_")[0] for p in paths],
    )
    assert r.overall.f1 >= FLOORS["seeds_f1"] - 1e-9
    assert r.false_alarms_off_topic == 0
