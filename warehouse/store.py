"""Writing a run's results: runs, errors, sources, articles, figures, rejected numbers.

Keys are content hashes, and every insert ignores rows already there, so a run killed at
any point can be run again without losing or duplicating anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import duckdb

from core.records import Article, Failure, RunSummary, short_hash
from core.sketch import SAME_STORY, similarity
from core.topic import Topic

from .db import transaction


def now() -> datetime:
    return datetime.now(UTC)


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
            [
                now(),
                s.status,
                s.sources_ok,
                s.sources_failed,
                s.articles_discovered,
                s.articles_new,
                s.pages_failed,
                s.figures_new,
                s.findings_new,
                s.alerts_sent,
                error,
                s.run_id,
            ],
        )


def fail_run(con: duckdb.DuckDBPyConnection, run_id: str, error: str, status: str = "failed") -> None:
    with transaction(con):
        con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE run_id = ?",
            [now(), status, error, run_id],
        )


def abort_dead_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Mark `aborted` the runs still `running`; call only under the run lock, where no other
    run can be alive (a killed process leaves its row `running`)."""
    with transaction(con):
        rows = con.execute(
            """UPDATE runs SET status = 'aborted', error = 'the process ended before the run finished (killed?)'
               WHERE status = 'running' RETURNING run_id"""
        ).fetchall()
    return len(rows)


def record_failures(con: duckdb.DuckDBPyConnection, run_id: str, failures: Iterable[Failure]) -> None:
    """Every failure goes to run_errors (pages' own state is in candidates: fetchstate.py)."""
    at = now()
    rows = [[run_id, f.stage, f.url, f.reason, f.detail, at] for f in failures]
    if rows:
        with transaction(con):
            bulk_insert(con, "run_errors", rows)


def figure_id(article_id: str, start: int, end: int, metric: str, value: float | None) -> str:
    return short_hash(article_id, start, end, metric, value)


def bulk_insert(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[object]], *, ignore: bool = False
) -> None:
    """Insert many rows in one statement, column by column (about 200k rows/s, where
    executemany manages a few thousand); `ignore` skips rows whose key is already there."""
    if not rows:
        return
    types = [
        r[0]
        for r in con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
        ).fetchall()
    ]
    columns = [list(c) for c in zip(*rows)]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    con.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table} SELECT {select}", columns)


def _set_candidate_status(con: duckdb.DuckDBPyConnection, status: str, pairs: Sequence[tuple[str, str]]) -> None:
    """Mark candidates (by discovered URL) as stored or duplicate of an article."""
    if pairs:
        urls, ids = (list(x) for x in zip(*pairs))
        con.execute(
            """UPDATE candidates SET status = ?, article_id = m.article_id
               FROM (SELECT unnest(?::VARCHAR[]) AS url, unnest(?::VARCHAR[]) AS article_id) m
               WHERE candidates.discovered_url = m.url""",
            [status, urls, ids],
        )


def store_articles(con: duckdb.DuckDBPyConnection, run_id: str, articles: Sequence[Article]) -> tuple[int, int]:
    """Insert new articles with their figures and rejected numbers; returns (articles, figures) added."""
    if not articles:
        return 0, 0
    with transaction(con):
        existing = {
            r[0]
            for r in con.execute(
                "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [[a.article_id for a in articles]],
            ).fetchall()
        }
        stories = StoryIndex(_stories_near(con, [a.sketch for a in articles]))
        article_rows, figure_rows, rejected_rows = [], [], []
        stored, duplicates = [], []
        for a in articles:
            if a.article_id in existing:
                # Another URL of a stored article (same canonical URL): nothing new to store.
                duplicates.append((a.discovered_url, a.article_id))
                continue
            existing.add(a.article_id)
            story_id = stories.add(a.sketch, a.article_id)
            article_rows.append(
                [
                    a.article_id,
                    a.url,
                    a.canonical_url,
                    a.discovered_url,
                    a.source_url,
                    a.outlet,
                    a.title,
                    a.author,
                    a.published,
                    a.fetched_at,
                    a.language,
                    a.text_hash,
                    a.text,
                    a.extraction.on_topic,
                    run_id,
                    list(a.sketch),
                    story_id,
                ]
            )
            figure_rows += [
                [
                    figure_id(a.article_id, f.number_start, f.number_end, f.metric, f.value),
                    a.article_id,
                    run_id,
                    f.metric,
                    f.value,
                    f.low,
                    f.high,
                    f.qualifier,
                    f.unit,
                    f.currency,
                    f.subject,
                    f.speaker,
                    f.period,
                    f.sentence,
                    f.sentence_start,
                    f.sentence_end,
                    f.number_text,
                    f.number_start,
                    f.number_end,
                    None,
                ]
                for f in a.extraction.figures
            ]
            rejected_rows += [
                [a.article_id, run_id, r.text, r.start, r.end, r.reason, r.sentence] for r in a.extraction.rejected
            ]
            stored.append((a.discovered_url, a.article_id))
        bulk_insert(con, "articles", article_rows)
        bulk_insert(con, "figures", figure_rows, ignore=True)
        bulk_insert(con, "rejected_numbers", rejected_rows)
        _set_candidate_status(con, "stored", stored)
        _set_candidate_status(con, "duplicate", duplicates)
    return len(article_rows), len(figure_rows)


def _stories_near(con: duckdb.DuckDBPyConnection, sketches: Sequence[Sequence[int]]) -> list[tuple[str, list[int]]]:
    """The stored sketches that share at least MIN_SHARED hashes with the batch's sketches
    taken together: a superset of those StoryIndex would compare, found by the database,
    so that a batch's cost does not grow with every article ever stored. In stored order,
    as the whole table was read before."""
    hashes = sorted({h for sk in sketches for h in sk})
    if not hashes:
        return []
    return con.execute(
        """WITH batch AS (SELECT DISTINCT unnest(?::UBIGINT[]) AS h),
           near AS (
               SELECT s.rid FROM (SELECT rowid AS rid, unnest(sketch) AS h FROM articles
                                  WHERE sketch IS NOT NULL AND story_id IS NOT NULL) s
               JOIN batch USING (h) GROUP BY s.rid HAVING count(*) >= ?)
           SELECT story_id, sketch FROM articles WHERE rowid IN (SELECT rid FROM near) ORDER BY rowid""",
        [hashes, StoryIndex.MIN_SHARED],
    ).fetchall()


class StoryIndex:
    """Stored sketches indexed by hash, so a new article is compared only with stories that
    share enough hashes to be the same one (not with every stored article)."""

    MIN_SHARED = 12  # of K = 64; two texts at the SAME_STORY similarity share far more

    def __init__(self, rows: Sequence[tuple[str, Sequence[int]]]) -> None:
        self._sketches: list[tuple[str, list[int]]] = []
        self._by_hash: dict[int, list[int]] = {}
        for story_id, sk in rows:
            self._index(story_id, list(sk))

    def _index(self, story_id: str, sk: list[int]) -> None:
        n = len(self._sketches)
        self._sketches.append((story_id, sk))
        for h in sk:
            self._by_hash.setdefault(h, []).append(n)

    def add(self, sk: Sequence[int], article_id: str) -> str:
        """The story of `sk`: a similar stored one's, or a new one named after the article."""
        shared: dict[int, int] = {}
        for h in sk:
            for n in self._by_hash.get(h, ()):
                shared[n] = shared.get(n, 0) + 1
        best, best_sim = None, SAME_STORY
        for n, count in shared.items():
            if count >= self.MIN_SHARED:
                story_id, other = self._sketches[n]
                sim = similarity(sk, other)
                if sim >= best_sim:
                    best, best_sim = story_id, sim
        story = best or article_id
        self._index(story, list(sk))
        return story


def sync_baseline(con: duckdb.DuckDBPyConnection, topic: Topic) -> None:
    """Make the baseline table hold exactly the topic file's baseline for this topic."""
    with transaction(con):
        con.execute("DELETE FROM baseline WHERE topic = ?", [topic.name])
        for b in topic.baseline:
            con.execute(
                "INSERT INTO baseline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    short_hash(topic.name, b.metric, b.unit, b.value, b.speaker),
                    topic.name,
                    b.metric,
                    b.value,
                    b.low,
                    b.high,
                    b.qualifier,
                    b.unit,
                    b.speaker,
                    b.outlet,
                    b.url,
                    b.date,
                    b.period,
                ],
            )
