"""Scoring the extractors against hand labels (the format of ../shared/seeds_gold.jsonl).

A predicted core-metric figure matches a gold line of the same article when metric, unit
and value agree (values within 0.5 %, so 33.3 matches a third). Each gold line matches at
most one prediction. Articles with no gold line are treated as off topic: every core
figure found there is a false alarm.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError
from core.figures import CORE_METRICS
from extractors.cues import Cues
from extractors.figures import extract_figures


@dataclass(frozen=True, slots=True)
class Labelled:
    article: str
    metric: str
    unit: str
    value: float
    quote: str = ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    per_metric: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    overall: Counts = field(default_factory=Counts)
    value_only: Counts = field(default_factory=Counts)
    false_alarms_off_topic: int = 0
    misses: list[Labelled] = field(default_factory=list)
    extras: list[Labelled] = field(default_factory=list)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def _match(pred: list[Labelled], gold: list[Labelled], same) -> tuple[list[Labelled], list[Labelled], int]:
    left = list(gold)
    extras = []
    for p in pred:
        hit = next((g for g in left if same(p, g)), None)
        if hit is None:
            extras.append(p)
        else:
            left.remove(hit)
    return extras, left, len(gold) - len(left)


def score(predicted: Iterable[Labelled], gold: Iterable[Labelled], articles: Sequence[str]) -> Report:
    by_article_pred: dict[str, list[Labelled]] = defaultdict(list)
    by_article_gold: dict[str, list[Labelled]] = defaultdict(list)
    for p in predicted:
        by_article_pred[p.article].append(p)
    for g in gold:
        by_article_gold[g.article].append(g)
    report = Report()
    for art in articles:
        pred, gold_lines = by_article_pred.get(art, []), by_article_gold.get(art, [])
        if not gold_lines:
            report.false_alarms_off_topic += len(pred)
        extras, misses, tp = _match(
            pred, gold_lines, lambda p, g: (p.metric, p.unit) == (g.metric, g.unit) and _close(p.value, g.value)
        )
        report.overall.tp += tp
        report.overall.fp += len(extras)
        report.overall.fn += len(misses)
        report.misses += misses
        report.extras += extras
        for m in {x.metric for x in pred} | {x.metric for x in gold_lines}:
            e, mi, t = _match(
                [x for x in pred if x.metric == m],
                [x for x in gold_lines if x.metric == m],
                lambda p, g: p.unit == g.unit and _close(p.value, g.value),
            )
            c = report.per_metric[m]
            c.tp, c.fp, c.fn = c.tp + t, c.fp + len(e), c.fn + len(mi)
        ve, vm, vt = _match(pred, gold_lines, lambda p, g: _close(p.value, g.value))
        report.value_only.tp += vt
        report.value_only.fp += len(ve)
        report.value_only.fn += len(vm)
    return report


def read_gold(path: Path) -> list[Labelled]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read gold file ({exc.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(Labelled(str(d["article"]), d["metric"], d["unit"], float(d["value"]), d.get("quote", "")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(str(path), f"line {n}", f"not a gold line ({exc})") from None
    return out


def article_id(path: Path) -> str:
    """The gold `article` of a file: its name up to the first underscore ("000_6b2c.txt" → "000")."""
    return path.stem.split("_", 1)[0]


def predict(paths: Sequence[Path], cues: Cues, read_text) -> list[Labelled]:
    out = []
    for path in paths:
        for f in extract_figures(read_text(path), cues).figures:
            if f.metric in CORE_METRICS and f.value is not None:
                out.append(Labelled(article_id(path), f.metric, f.unit, f.value, f.sentence))
    return out


def format_report(r: Report, verbose: bool = False) -> str:
    lines = [f"{'metric':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for m in sorted(r.per_metric):
        c = r.per_metric[m]
        lines.append(f"{m:24} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:4} {c.fp:4} {c.fn:4}")
    o, v = r.overall, r.value_only
    lines.append(f"{'overall':24} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.tp:4} {o.fp:4} {o.fn:4}")
    lines.append(f"{'value only':24} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f} {v.tp:4} {v.fp:4} {v.fn:4}")
    lines.append(f"false alarms in articles without gold figures: {r.false_alarms_off_topic}")
    if verbose:
        for miss in r.misses:
            lines.append(f"MISS  {miss.article} {miss.metric} {miss.value:g} {miss.unit}: {miss.quote}")
        for e in r.extras:
            lines.append(f"EXTRA {e.article} {e.metric} {e.value:g} {e.unit}: {e.quote}")
    return "\n".join(lines) + "\n"
