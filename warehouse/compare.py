"""Comparing figures with the baseline, and grouping figures into findings.

A figure is `same` when within 2 % of a baseline value of its metric and unit, otherwise
`higher` or `lower` with the relative change against the nearest baseline value; a metric
with no baseline row is `new_metric` (../shared/FIGURES.md). A finding groups the figures
that state the same thing: same metric and unit, value within 2 % of the finding's anchor
value, and the same speaker or an unknown one; `assign_findings` gives the order and the
tie rule that make the findings independent of the order in which figures arrive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb

from core.records import short_hash

from .db import transaction
from .store import now

TOLERANCE = 0.02
ComparisonKind = Literal["same", "higher", "lower", "new_metric"]


@dataclass(frozen=True, slots=True)
class Comparison:
    kind: ComparisonKind
    baseline_value: float | None
    relative_change: float | None


def compare(value: float, baseline_values: Sequence[float]) -> Comparison:
    if not baseline_values:
        return Comparison("new_metric", None, None)
    nearest = min(baseline_values, key=lambda b: (abs(value - b), b))
    change = (value - nearest) / nearest if nearest else (0.0 if value == nearest else float("inf"))
    if abs(change) <= TOLERANCE:
        return Comparison("same", nearest, change)
    return Comparison("higher" if change > 0 else "lower", nearest, change)


def _close(a: float, b: float) -> bool:
    # Infinity is within 2 % of everything; a finding stored with it by an older version
    # must not swallow every later figure of its metric.
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def _same_speaker(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.casefold() == b.casefold()


@dataclass(slots=True)
class _Finding:
    finding_id: str
    value: float  # the anchor: the value of the figure that opened it, never moved
    speaker: str | None


def _exact_speaker(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def _finding_for(findings: Sequence[_Finding], value: float, speaker: str | None) -> _Finding | None:
    """The finding a figure joins: one within 2 % of its anchor with the same or an unknown
    speaker. Ties: the same named speaker first, then the nearest anchor, then the lower
    anchor, then the finding id that sorts first."""
    fits = [f for f in findings if _close(f.value, value) and _same_speaker(f.speaker, speaker)]
    if not fits:
        return None
    return min(
        fits, key=lambda f: (not _exact_speaker(f.speaker, speaker), abs(f.value - value), f.value, f.finding_id)
    )


def assign_findings(con: duckdb.DuckDBPyConnection, topic: str, run_id: str, metrics: Sequence[str]) -> list[str]:
    """Attach every figure of `metrics` that has no finding yet; returns the findings created.

    The findings depend on the set of new figures, never on the order they arrived in (the
    network's timing): they are taken by metric and unit, figures with a named speaker
    before unknown ones, by speaker, then by value from the lowest, then by figure id. Each
    joins a finding as `_finding_for` says, or opens one anchored on its own value, so a
    chain of close values splits at the same places whatever came first. Findings already
    stored keep their anchor and their figures: a run only adds figures to them (one with
    no speaker takes that of the first named figure to join it) or opens new ones.
    """
    created: list[str] = []
    with transaction(con):
        pending = con.execute(
            """SELECT g.figure_id, g.metric, g.unit, g.value, g.low, g.high, g.qualifier, g.speaker,
                      coalesce(CAST(a.published AS TIMESTAMPTZ), a.fetched_at)
               FROM figures g JOIN articles a USING (article_id)
               WHERE g.finding_id IS NULL AND isfinite(g.value) AND g.metric IN (SELECT unnest(?::VARCHAR[]))""",
            [list(metrics)],
        ).fetchall()
        pending.sort(key=lambda r: (r[1], r[2], r[7] is None, (r[7] or "").casefold(), r[3], r[0]))
        known: dict[tuple[str, str], list[_Finding]] = {}
        for fid, metric, unit, value, low, high, qualifier, speaker, seen in pending:
            group = known.get((metric, unit))
            if group is None:
                rows = con.execute(
                    "SELECT finding_id, value, speaker FROM findings WHERE topic = ? AND metric = ? AND unit = ?",
                    [topic, metric, unit],
                ).fetchall()
                group = known[(metric, unit)] = [_Finding(*r) for r in rows]
            match = _finding_for(group, value, speaker)
            if match:
                finding_id = match.finding_id
                match.speaker = match.speaker or speaker
                con.execute(
                    """UPDATE findings SET first_seen_at = least(first_seen_at, ?),
                       last_seen_at = greatest(last_seen_at, ?), speaker = coalesce(speaker, ?) WHERE finding_id = ?""",
                    [seen, seen, speaker, finding_id],
                )
            else:
                base = [
                    r[0]
                    for r in con.execute(
                        "SELECT value FROM baseline WHERE topic = ? AND metric = ? AND unit = ?", [topic, metric, unit]
                    ).fetchall()
                ]
                c = compare(value, base)
                finding_id = short_hash(topic, metric, unit, f"{value:.6g}", (speaker or "").casefold())
                con.execute(
                    "INSERT OR IGNORE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        finding_id,
                        topic,
                        metric,
                        unit,
                        value,
                        low,
                        high,
                        qualifier,
                        speaker,
                        seen or now(),
                        seen or now(),
                        run_id,
                        c.kind,
                        c.baseline_value,
                        c.relative_change,
                    ],
                )
                group.append(_Finding(finding_id, value, speaker))
                created.append(finding_id)
            con.execute("UPDATE figures SET finding_id = ? WHERE figure_id = ?", [finding_id, fid])
    return created
