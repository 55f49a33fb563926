"""Writing a run's results: runs, errors, sources, articles, figures, rejected numbers.

Keys are content hashes, and every insert ignores rows already there, so a run killed at
any point can be run again without losing or duplicating anything.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

import duckdb

from drainwatch.records import Article, Failure, RunSummary, short_hash
from drainwatch.sketch import SAME_STORY, similarity
from drainwatch.topic import Topic

from .db import transaction


def now() -> datetime:
    return datetime.now(timezone.utc)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, topic: str) -> None:
    with transaction(con):
        con.execute(
            "INSERT INTO runs (run_id, topic, started_at, status) VALUES (?, ?, ?, 'running')",
            [run_id, topic, now()],
        )


def finish_run(con: duckdb.DuckDBPyConnection, s: RunSummary, error: str | None = None) -> None:
    with transaction(con):
        con.execute(
            """UPDATE runs SET finished_at = ?, status = ?, sources_ok = ?, sources_failed = ?,
               articles_discovered = ?, articles_new = ?, pages_failed = ?, figures_new = ?,
               findings_new = ?, alerts_sent = ?, error = ? WHERE run_id = ?""",
            [now(), s.status, s.sources_ok, s.sources_failed, s.articles_discovered, s.articles_new,
             s.pages_failed, s.figures_new, s.findings_new, s.alerts_sent, error, s.run_id],
        )


def fail_run(con: duckdb.DuckDBPyConnection, run_id: str, error: str) -> None:
    with transaction(con):
        con.execute(
            "UPDATE runs SET finished_at = ?, status = 'failed', error = ? WHERE run_id = ?",
            [now(), error, run_id],
        )


def record_failures(con: duckdb.DuckDBPyConnection, run_id: str, failures: Iterable[Failure]) -> None:
    """Every failure goes to run_errors; terminal page failures also to dropped_pages."""
    rows = list(failures)
    if not rows:
        return
    at = now()
    with transaction(con):
        con.executemany(
            "INSERT INTO run_errors VALUES (?, ?, ?, ?, ?, ?)",
            [[run_id, f.stage, f.url, f.reason, f.detail, at] for f in rows],
        )
        drops = [[f.url, f.reason, f.detail, run_id, at] for f in rows if f.terminal and f.url]
        if drops:
            con.executemany("INSERT OR IGNORE INTO dropped_pages VALUES (?, ?, ?, ?, ?)", drops)


def figure_id(article_id: str, start: int, end: int, metric: str, value: float | None) -> str:
    return short_hash(article_id, start, end, metric, value)


def store_articles(con: duckdb.DuckDBPyConnection, run_id: str, articles: Sequence[Article]) -> tuple[int, int]:
    """Insert new articles with their figures and rejected numbers; returns (articles, figures) added."""
    if not articles:
        return 0, 0
    new_articles = new_figures = 0
    with transaction(con):
        existing = {
            r[0] for r in con.execute(
                "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [[a.article_id for a in articles]],
            ).fetchall()
        }
        known_sketches = [(r[0], list(r[1])) for r in con.execute(
            "SELECT story_id, sketch FROM articles WHERE sketch IS NOT NULL AND story_id IS NOT NULL").fetchall()]
        for a in articles:
            if a.article_id in existing:
                # Another URL of a stored article (same canonical URL): nothing new to store.
                con.execute("UPDATE candidates SET status = 'duplicate', article_id = ? WHERE discovered_url = ?",
                            [a.article_id, a.discovered_url])
                continue
            existing.add(a.article_id)
            new_articles += 1
            story_id = _story_of(a.sketch, known_sketches) or a.article_id
            known_sketches.append((story_id, list(a.sketch)))
            con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [a.article_id, a.url, a.canonical_url, a.discovered_url, a.source_url, a.outlet, a.title,
                 a.author, a.published, a.fetched_at, a.language, a.text_hash, a.text,
                 a.extraction.on_topic, run_id, list(a.sketch), story_id],
            )
            con.execute("UPDATE candidates SET status = 'stored', article_id = ? WHERE discovered_url = ?",
                        [a.article_id, a.discovered_url])
            rows = [
                [figure_id(a.article_id, f.number_start, f.number_end, f.metric, f.value), a.article_id, run_id,
                 f.metric, f.value, f.low, f.high, f.qualifier, f.unit, f.currency, f.subject, f.speaker,
                 f.period, f.sentence, f.sentence_start, f.sentence_end, f.number_text, f.number_start,
                 f.number_end, None]
                for f in a.extraction.figures
            ]
            if rows:
                con.executemany(
                    "INSERT OR IGNORE INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                new_figures += len(rows)
            rejected = [
                [a.article_id, run_id, r.text, r.start, r.end, r.reason, r.sentence]
                for r in a.extraction.rejected
            ]
            if rejected:
                con.executemany("INSERT INTO rejected_numbers VALUES (?, ?, ?, ?, ?, ?, ?)", rejected)
    return new_articles, new_figures


def _story_of(sk: Sequence[int], known: Sequence[tuple[str, list[int]]]) -> str | None:
    """The story of the most similar stored article, if similar enough to be the same story."""
    best, best_sim = None, SAME_STORY
    for story_id, other in known:
        sim = similarity(sk, other)
        if sim >= best_sim:
            best, best_sim = story_id, sim
    return best


def sync_baseline(con: duckdb.DuckDBPyConnection, topic: Topic) -> None:
    """Make the baseline table hold exactly the topic file's baseline for this topic."""
    with transaction(con):
        con.execute("DELETE FROM baseline WHERE topic = ?", [topic.name])
        for b in topic.baseline:
            con.execute(
                "INSERT INTO baseline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [short_hash(topic.name, b.metric, b.unit, b.value, b.speaker), topic.name, b.metric,
                 b.value, b.low, b.high, b.qualifier, b.unit, b.speaker, b.outlet, b.url, b.date, b.period],
            )
