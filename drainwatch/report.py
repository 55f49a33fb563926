"""`drainwatch report`: a static HTML page with a timeline chart per metric (PNG), the
latest findings with links, and run and source health."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from flows.digest import METRIC_LABELS, format_value
from warehouse.snapshot import reading

POINT_COLOUR = "#1f6fb4"
BASELINE_COLOUR = "#c0392b"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def chart(metric: str, unit: str, points: list[dict[str, Any]], baseline: list[float], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
    for b in baseline:
        ax.axhline(b, color=BASELINE_COLOUR, linestyle="--", linewidth=1.5)
        ax.annotate(
            f"baseline {format_value(b, unit)}",
            xy=(0, b),
            xycoords=("axes fraction", "data"),
            xytext=(4, 3),
            textcoords="offset points",
            color=BASELINE_COLOUR,
            fontsize=8,
        )
    if points:
        xs = [p["date"] for p in points]
        ys = [p["value"] for p in points]
        sizes = [30 + 25 * (p["n_sources"] - 1) for p in points]
        ax.scatter(xs, ys, s=sizes, color=POINT_COLOUR, zorder=3, label="reported")
    ax.set_title(METRIC_LABELS.get(metric, metric), fontsize=11)
    ax.set_ylabel("%" if unit == "percent" else unit)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def _finding_row(f: dict[str, Any]) -> str:
    e = html.escape
    change = "" if f["relative_change"] is None else f" ({100 * f['relative_change']:+.0f} %)"
    links = " ".join(f'<a href="{e(u)}">source</a>' for u in (f["source_urls"] or "").split())
    value = format_value(f["value"], f["unit"], f["low"], f["high"], f["qualifier"])
    return (
        f"<tr><td>{e(METRIC_LABELS.get(f['metric'], f['metric']))}</td><td>{e(value)}</td>"
        f"<td>{e(f['comparison'])}{change}</td><td>{e(f['speaker'] or '')}</td><td>{f['n_sources']}</td>"
        f"<td>{links}</td></tr>"
    )


@dataclass(frozen=True, slots=True)
class Report:
    index: Path
    note: str | None  # set when a run held the database and the snapshot was read


def build_report(db: Path, out_dir: Path) -> Report:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "charts").mkdir(exist_ok=True)
    e = html.escape
    with reading(db) as r:
        con, note = r.con, r.note
        series = _rows(con, "SELECT metric, unit, date, value, n_sources FROM metric_timeline WHERE metric <> 'other'")
        base = _rows(con, "SELECT metric, unit, value FROM baseline")
        findings = _rows(
            con,
            """SELECT metric, unit, value, low, high, qualifier, speaker, comparison, relative_change,
                                        baseline_value, n_sources, source_urls, last_seen_at
                                 FROM findings_overview ORDER BY last_seen_at DESC LIMIT 50""",
        )
        runs = _rows(
            con,
            """SELECT strftime(started_at, '%Y-%m-%d %H:%M') AS started, status, articles_new, findings_new,
                                    alerts_sent, sources_failed + pages_failed AS errors FROM runs ORDER BY started_at DESC LIMIT 15""",
        )
        health = _rows(con, "SELECT url, kind, last_status, errors_total FROM source_health ORDER BY url")
    metrics = sorted({(r["metric"], r["unit"]) for r in series} | {(b["metric"], b["unit"]) for b in base})
    sections = []
    for metric, unit in metrics:
        pts = [r for r in series if (r["metric"], r["unit"]) == (metric, unit)]
        bl = [b["value"] for b in base if (b["metric"], b["unit"]) == (metric, unit)]
        name = f"{metric}-{unit}.png"
        chart(metric, unit, pts, bl, out_dir / "charts" / name)
        sections.append(
            f"<section><h2>{e(METRIC_LABELS.get(metric, metric))} <small>({e(unit)})</small></h2>"
            f'<img src="charts/{name}" alt="{e(metric)} over time against the baseline" width="700"></section>'
        )
    finding_rows = "".join(_finding_row(f) for f in findings)
    run_rows = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r.values()) + "</tr>" for r in runs)
    health_rows = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r.values()) + "</tr>" for r in health)
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>drainwatch report</title>
<style>body{{font-family:Arial,Helvetica,sans-serif;max-width:960px;margin:2em auto;color:#111}}
table{{border-collapse:collapse;width:100%;font-size:14px}}td,th{{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}}
h2 small{{color:#777;font-weight:normal}}</style></head><body>
<h1>drainwatch report</h1><p>Generated {datetime.now():%Y-%m-%d %H:%M} from {e(str(db))}. Points are reported values
(bigger: more sources); dashed lines are the baseline.</p>
{"".join(sections)}
<h2>Latest findings</h2><table><tr><th>metric</th><th>value</th><th>vs baseline</th><th>speaker</th><th>sources</th><th>links</th></tr>{finding_rows}</table>
<h2>Runs</h2><table><tr><th>started</th><th>status</th><th>new articles</th><th>new findings</th><th>alerts</th><th>errors</th></tr>{run_rows}</table>
<h2>Sources</h2><table><tr><th>url</th><th>kind</th><th>last status</th><th>errors</th></tr>{health_rows}</table>
</body></html>"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return Report(index, note)
