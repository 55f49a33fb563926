"""The benchmark's processing path (worker pool, batches, bulk store) stores exactly what the
plain one-process path stores, so speed work on it cannot change results.

The reference extracts page by page in this process and stores one article at a time; the
path under test is bench/processing.py, which drives flows/extract.py and warehouse/store.py
as `drainwatch run` does. Both then group figures into findings the same way.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from core.figures import CORE_METRICS
from core.records import Article
from core.topic import default_topic_path, load_topic
from extractors.cues import Cues
from flows.extract import extract_article
from warehouse.compare import assign_findings
from warehouse.db import connect
from warehouse.store import store_articles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import processing  # noqa: E402
from corpus import write_corpus  # noqa: E402

QUERIES = {
    "articles": "SELECT * EXCLUDE (run_id) FROM articles ORDER BY article_id",
    "figures": "SELECT * EXCLUDE (run_id) FROM figures ORDER BY figure_id",
    "rejected": "SELECT * EXCLUDE (run_id) FROM rejected_numbers ORDER BY ALL",
    "findings": "SELECT * EXCLUDE (first_run_id) FROM findings ORDER BY finding_id",
}


def _corpus(folder: Path) -> list[Path]:
    paths = write_corpus(folder, 40)
    # The same story twice more under other URLs, one of them retitled: near-duplicates.
    html = paths[3].read_text(encoding="utf-8")
    (folder / "copy-a.html").write_text(html.replace("Story 3<", "Story three, again<"), "utf-8")
    (folder / "copy-b.html").write_text(html, "utf-8")
    return [*paths, folder / "copy-a.html", folder / "copy-b.html"]


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with connect(db) as con:
        assign_findings(con, "russia-it-emigration", "bench", CORE_METRICS)
        return {name: con.execute(sql).fetchall() for name, sql in QUERIES.items()}


def _reference(paths: list[Path], db: Path) -> dict[str, list[tuple[object, ...]]]:
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    budget = processing.settings().page_budget
    for page in processing.read_pages(paths):
        article = extract_article(page, cues, budget)
        with connect(db) as con:
            store_articles(con, "bench", [article] if isinstance(article, Article) else [])
    return _tables(db)


def _digest(rows: list[tuple[object, ...]]) -> str:
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def test_processing_path_stores_what_the_plain_path_stores(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus")
    expected = _reference(paths, tmp_path / "reference.duckdb")
    with processing.pool(2) as (ex, _):
        got_db = tmp_path / "path.duckdb"
        processing.processing_path(paths, got_db, ex)
    got = _tables(got_db)

    # The corpus exercises every table: figures, rejected numbers, findings, shared stories.
    assert expected["figures"] and expected["findings"] and expected["rejected"]
    articles = expected["articles"]
    assert len(articles) == len(paths)
    assert len({r[-1] for r in articles}) == len(paths) - 2
    for name in QUERIES:
        assert len(got[name]) == len(expected[name]), name
        assert _digest(got[name]) == _digest(expected[name]), name
