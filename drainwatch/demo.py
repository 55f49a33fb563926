"""`drainwatch demo`: the whole pipeline, twice, on the bundled sample news site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .output import render
from .prefect_server import TemporaryServer
from .sample_site import SampleSite

SHOW_FINDINGS = """
SELECT metric, value, qualifier AS q, unit, speaker, comparison,
       CASE WHEN relative_change IS NULL THEN '' ELSE printf('%+.0f %%', 100 * relative_change) END AS change,
       baseline_value AS baseline, n_sources AS sources
FROM findings_overview ORDER BY metric, value
"""


def run_demo(workdir: Path, echo: Callable[[str], None] = print) -> int:
    from .run_cmd import run_once

    workdir.mkdir(parents=True, exist_ok=True)
    db, outbox, topic = workdir / "drainwatch.duckdb", workdir / "outbox", workdir / "topic.toml"
    for old in (db, Path(str(db) + ".wal")):
        old.unlink(missing_ok=True)
    for eml in outbox.glob("*.eml") if outbox.exists() else []:
        eml.unlink()
    # One temporary Prefect server for both runs (each run_once would start its own).
    with TemporaryServer() as server, SampleSite() as site:
        # Only [sources] (and [fetch]) differ: everything else comes from the default topic.
        topic.write_text(
            "# Written by `drainwatch demo`: the default topic, pointed at the sample site.\n" + site.topic_toml()
        )
        echo(f"sample news site on {site.base} ({len(site.articles)} articles, {len(site.feed_urls())} feeds)")
        echo(f"first run (topic {topic}, database {db}, outbox {outbox}) ...")
        with server.api():
            first = run_once(str(topic), db, outbox)
        _summary(echo, first)
        from warehouse.db import connect

        with connect(db, read_only=True) as con:
            cur = con.execute(SHOW_FINDINGS)
            echo("\nfindings against the baseline:")
            echo(render([d[0] for d in cur.description], cur.fetchall(), "table"))
        echo("second run (nothing new should be stored or sent) ...")
        with server.api():
            second = run_once(str(topic), db, outbox)
        _summary(echo, second)
    emails = sorted(outbox.glob("*.eml"))
    echo(f"\n{len(emails)} alert email(s) in {outbox}/ · query the history with:")
    echo(f'  .venv/bin/drainwatch query --db {db} "SELECT * FROM findings_overview"')
    return max(first.exit_code, second.exit_code)


def _summary(echo: Callable[[str], None], s: object) -> None:
    from .run_cmd import print_summary

    print_summary(s)
