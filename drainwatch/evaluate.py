"""Scoring the extractors against hand labels (the format of ../shared/seeds_gold.jsonl).

A predicted core-metric figure matches a gold line of the same article when metric, unit
and value agree (values within 0.5 %, so 33.3 matches a third). Each gold line matches at
most one prediction. Articles with no gold line are treated as off topic: every core
figure found there is a false alarm. Of the matched figures whose gold line names a
speaker, the report counts how many name the same one (case, a leading "the" and spacing
aside).

The real-article set (tests/data/realset) adds a manifest: each article's language, kind and
part (dev, or test: held back, never tuned on). Its texts are kept outside the repository,
and the manifest's SHA-256 proves that a text is the one that was labelled.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
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
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class RealArticle:
    id: str
    part: str
    kind: str
    language: str
    url: str
    sha256: str


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
    speaker_right: int = 0
    speaker_gold: int = 0
    """Matched figures whose gold line names a speaker; speaker_right of them name the same."""
    misses: list[Labelled] = field(default_factory=list)
    extras: list[Labelled] = field(default_factory=list)
    wrong_speakers: list[tuple[Labelled, Labelled]] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_gold if self.speaker_gold else 1.0


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def same_speaker(a: str | None, b: str | None) -> bool:
    def canon(s: str | None) -> str:
        s = re.sub(r"\s+", " ", (s or "").casefold()).strip()
        return s[4:] if s.startswith("the ") else s

    return canon(a) == canon(b)


Same = Callable[[Labelled, Labelled], bool]


def _match(
    pred: list[Labelled], gold: list[Labelled], same: Same
) -> tuple[list[Labelled], list[Labelled], list[tuple[Labelled, Labelled]]]:
    left = list(gold)
    extras, pairs = [], []
    for p in pred:
        hit = next((g for g in left if same(p, g)), None)
        if hit is None:
            extras.append(p)
        else:
            left.remove(hit)
            pairs.append((p, hit))
    return extras, left, pairs


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
        extras, misses, pairs = _match(
            pred, gold_lines, lambda p, g: (p.metric, p.unit) == (g.metric, g.unit) and _close(p.value, g.value)
        )
        report.overall.tp += len(pairs)
        report.overall.fp += len(extras)
        report.overall.fn += len(misses)
        report.misses += misses
        report.extras += extras
        for p, g in pairs:
            if g.speaker:
                report.speaker_gold += 1
                if same_speaker(p.speaker, g.speaker):
                    report.speaker_right += 1
                else:
                    report.wrong_speakers.append((p, g))
        for m in {x.metric for x in pred} | {x.metric for x in gold_lines}:
            e, mi, pr = _match(
                [x for x in pred if x.metric == m],
                [x for x in gold_lines if x.metric == m],
                lambda p, g: p.unit == g.unit and _close(p.value, g.value),
            )
            c = report.per_metric[m]
            c.tp, c.fp, c.fn = c.tp + len(pr), c.fp + len(e), c.fn + len(mi)
        ve, vm, vp = _match(pred, gold_lines, lambda p, g: _close(p.value, g.value))
        report.value_only.tp += len(vp)
        report.value_only.fp += len(ve)
        report.value_only.fn += len(vm)
    return report


def _jsonl(path: Path) -> list[tuple[int, dict]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ConfigError(str(path), f"line {n}", f"not JSON ({exc})") from None
    return out


def read_gold(path: Path) -> list[Labelled]:
    out = []
    for n, d in _jsonl(path):
        try:
            out.append(
                Labelled(
                    str(d["article"]), d["metric"], d["unit"], float(d["value"]), d.get("quote", ""), d.get("speaker")
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(str(path), f"line {n}", f"not a gold line ({exc})") from None
    return out


def read_manifest(path: Path) -> list[RealArticle]:
    out = []
    for n, d in _jsonl(path):
        try:
            out.append(RealArticle(d["id"], d["part"], d["kind"], d["language"], d["url"], d["sha256"]))
        except (KeyError, TypeError) as exc:
            raise ConfigError(str(path), f"line {n}", f"not a manifest line ({exc})") from None
    return out


def realset_texts_dir() -> Path:
    """Where the real articles' texts are kept: $DRAINWATCH_REALSET, else ~/.cache/drainwatch/realset/texts."""
    env = os.environ.get("DRAINWATCH_REALSET")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "drainwatch" / "realset" / "texts"


def unverified_dir(texts: Path) -> Path:
    """Where fallback copies live: texts-unverified/ beside the texts folder."""
    return texts.parent / f"{texts.name}-unverified"


def realset_text_path(texts: Path, article: RealArticle) -> tuple[Path, bool] | None:
    """The file holding an article's text and whether it is the verified copy; None if neither exists."""
    for path, verified in ((texts / f"{article.id}.txt", True), (unverified_dir(texts) / f"{article.id}.txt", False)):
        if path.exists():
            return path, verified
    return None


def realset_text(texts: Path, article: RealArticle) -> tuple[str, bool]:
    """An article's text and whether it is the one labelled.

    A verified text (texts/, hash checked) is preferred; otherwise a copy from texts-unverified/
    is used as it is: scoring matches on metric, unit and value, so a slightly different excerpt
    of the same article still scores, but its gold offsets may point elsewhere.
    """
    found = realset_text_path(texts, article)
    if found is None:
        path = texts / f"{article.id}.txt"
        raise ConfigError(str(path), "", f"text of {article.url} not found (nor in {unverified_dir(texts)})")
    path, verified = found
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), "", f"text of {article.url} cannot be read ({exc.strerror})") from None
    if verified and hashlib.sha256(text.encode()).hexdigest() != article.sha256:
        raise ConfigError(str(path), "sha256", f"is not the text that was labelled for {article.url}")
    return text, verified


def article_id(path: Path) -> str:
    """The gold `article` of a file: its name up to the first underscore ("000_6b2c.txt" → "000")."""
    return path.stem.split("_", 1)[0]


def predict_text(article: str, text: str, cues: Cues) -> list[Labelled]:
    return [
        Labelled(article, f.metric, f.unit, f.value, f.sentence, f.speaker)
        for f in extract_figures(text, cues).figures
        if f.metric in CORE_METRICS and f.value is not None
    ]


def predict(paths: Sequence[Path], cues: Cues, read_text: Callable[[Path], str]) -> list[Labelled]:
    return [p for path in paths for p in predict_text(article_id(path), read_text(path), cues)]


def format_report(r: Report, verbose: bool = False) -> str:
    lines = [f"{'metric':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for m in sorted(r.per_metric):
        c = r.per_metric[m]
        lines.append(f"{m:24} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:4} {c.fp:4} {c.fn:4}")
    o, v = r.overall, r.value_only
    lines.append(f"{'overall':24} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.tp:4} {o.fp:4} {o.fn:4}")
    lines.append(f"{'value only':24} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f} {v.tp:4} {v.fp:4} {v.fn:4}")
    lines.append(f"false alarms in articles without gold figures: {r.false_alarms_off_topic}")
    lines.append(
        f"speaker right: {r.speaker_right} of {r.speaker_gold} matched figures with a gold speaker ({r.speaker_accuracy:.3f})"
    )
    if verbose:
        for miss in r.misses:
            lines.append(f"MISS  {miss.article} {miss.metric} {miss.value:g} {miss.unit}: {miss.quote}")
        for e in r.extras:
            lines.append(f"EXTRA {e.article} {e.metric} {e.value:g} {e.unit}: {e.quote}")
        for p, g in r.wrong_speakers:
            lines.append(f"SPEAKER {g.article} {g.metric} {g.value:g}: got {p.speaker!r}, gold {g.speaker!r}")
    return "\n".join(lines) + "\n"


def format_table(title: str, reports: dict[str, Report]) -> str:
    """One line per group (language, metric, part): the figures a README table is made of."""
    lines = [
        f"{title:12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'value R':>8} {'speaker':>8} {'alarms':>6}"
    ]
    for name, r in reports.items():
        o = r.overall
        lines.append(
            f"{name:12} {o.precision:6.3f} {o.recall:6.3f} {o.f1:6.3f} {o.tp:4} {o.fp:4} {o.fn:4} "
            f"{r.value_only.recall:8.3f} {r.speaker_accuracy:8.3f} {r.false_alarms_off_topic:6}"
        )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class RealsetScore:
    overall: Report
    by_language: dict[str, Report]
    by_kind: dict[str, Report]
    unverified: tuple[str, ...] = ()
    """Articles scored on a copy from texts-unverified/ (hash not that of the labelled text)."""
    missing: tuple[str, ...] = ()
    """Articles left out because neither folder has their text (only with skip_missing)."""


def score_realset(
    realset: Path, texts: Path, cues: Cues, parts: Sequence[str] = ("dev",), skip_missing: bool = False
) -> RealsetScore:
    """Scores the real-article set's chosen parts; languages other than en and ru form one group.
    With skip_missing, articles without a text are left out (and listed) instead of an error."""
    manifest = [a for a in read_manifest(realset / "articles.jsonl") if a.part in parts]
    missing = tuple(a.id for a in manifest if skip_missing and realset_text_path(texts, a) is None)
    manifest = [a for a in manifest if a.id not in missing]
    loaded = {a.id: realset_text(texts, a) for a in manifest}
    text = {k: t for k, (t, _) in loaded.items()}
    unverified = tuple(k for k, (_, ok) in loaded.items() if not ok)

    # The quotes are not stored, only their offsets: rebuilt here for --verbose. In an
    # unverified copy the offsets may point elsewhere, so such quotes are marked.
    def quote(article: str, start: int, end: int) -> str:
        return (
            text[article][start:end] if article not in unverified else f"[unverified text] {text[article][start:end]}"
        )

    offsets = [(d["start"], d["end"]) for _, d in _jsonl(realset / "gold.jsonl")]
    gold = [
        replace(g, quote=quote(g.article, start, end)) if g.article in text else g
        for g, (start, end) in zip(read_gold(realset / "gold.jsonl"), offsets, strict=True)
    ]
    predicted = [p for a in manifest for p in predict_text(a.id, text[a.id], cues)]

    def subset(key: Callable[[RealArticle], str], value: str | None) -> Report:
        ids = [a.id for a in manifest if value is None or key(a) == value]
        chosen = set(ids)
        return score([p for p in predicted if p.article in chosen], [g for g in gold if g.article in chosen], ids)

    def group(a: RealArticle) -> str:
        return a.language if a.language in ("en", "ru") else "other"

    def kind(a: RealArticle) -> str:
        return a.kind

    return RealsetScore(
        overall=subset(group, None),
        by_language={g: subset(group, g) for g in ("en", "ru", "other")},
        by_kind={k: subset(kind, k) for k in ("on_topic", "near_miss")},
        unverified=unverified,
        missing=missing,
    )
