"""The processing path as `drainwatch run` drives it, from page files on disk to rows
committed in DuckDB, with the time of each step; and trafilatura alone on the same pages.

Both sides get the same pages, the same pool of spawned worker processes and the same
batches (FetchSettings' batch_size, extract_workers, page_budget), so their ratio measures
what drainwatch adds on top of trafilatura and nothing else.

The step times come from the same run: each worker wraps the steps of flows/extract.py
(decode, trafilatura, language, figures, sketch) in a timer when it starts. The wrapping
adds two clock reads per step; a step that extract.py no longer has is reported as absent.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.fetch_settings import FetchSettings
from core.records import Candidate, Page

# extract.py's names for each step, in the order they run on a page.
WORKER_STEPS = {
    "decode": "decode_html",
    "trafilatura": "_document",  # includes decode; decode is subtracted below
    "language": "guess_language",
    "figures": "extract_figures",
    "sketch": "sketch",
}
FETCHED_AT = "2026-01-01T00:00:00+00:00"  # one fixed time, so that results compare across runs


def read_pages(paths: Sequence[Path]) -> list[Page]:
    """Pages as the fetch stage hands them on: bytes, URL, content type."""
    pages = []
    for p in paths:
        url = f"http://127.0.0.1/{p.name}"
        pages.append(Page(Candidate(url, url, "bench", "feed"), url, 200, "text/html", p.read_bytes(), FETCHED_AT))
    return pages


def settings() -> FetchSettings:
    return FetchSettings()


def workers(fetch: FetchSettings) -> int:
    return fetch.extract_workers or os.cpu_count() or 1


@contextmanager
def pool(n: int, timed: bool = False) -> Iterator[tuple[ProcessPoolExecutor, Any]]:
    """A spawned pool as the pipeline starts it; with `timed`, workers report step times on a queue."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue() if timed else None
    kwargs: dict[str, Any] = {"initializer": _install_timers, "initargs": (queue,)} if timed else {}
    with ProcessPoolExecutor(n, mp_context=ctx, **kwargs) as ex:
        # Start every worker before timing starts (the pipeline's start-up is in the full run).
        list(ex.map(_noop, range(n * 4)))
        yield ex, queue


def _noop(x: int) -> int:
    return x


@dataclass
class Timings:
    """Seconds spent per step; `worker` sums over workers, `main` is the main process's clock."""

    worker: dict[str, float] = field(default_factory=dict)
    main: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    wall: float = 0.0

    def add_worker(self, steps: dict[str, float]) -> None:
        for k, v in steps.items():
            self.worker[k] = self.worker.get(k, 0.0) + v

    def add_main(self, step: str, seconds: float) -> None:
        self.main[step] = self.main.get(step, 0.0) + seconds


def processing_path(paths: Sequence[Path], db: Path, ex: ProcessPoolExecutor | None, queue: Any = None) -> Timings:
    """Every page through extract and store, batch by batch, as process_task does it."""
    from core.topic import default_topic_path, load_topic
    from extractors.cues import Cues
    from flows.extract import extract_articles
    from warehouse.db import connect
    from warehouse.store import store_articles

    fetch = settings()
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    t = Timings(pages=len(paths))
    pooled = 0

    def store(articles: Sequence[Any]) -> None:
        d = time.perf_counter()
        with connect(db) as con:
            store_articles(con, "bench", articles)
        t.add_main("store, in a thread beside the waiting", time.perf_counter() - d)

    t0 = time.perf_counter()
    # As process_task: batch k is stored in a thread while the pool extracts batch k+1.
    with ThreadPoolExecutor(1) as storer:
        storing: Future[None] | None = None
        for start in range(0, len(paths), fetch.batch_size):
            a = time.perf_counter()
            pages = read_pages(paths[start : start + fetch.batch_size])
            b = time.perf_counter()
            extracted = extract_articles(pages, cues, ex, fetch.page_budget)
            c = time.perf_counter()
            if storing is not None:
                storing.result()
            d = time.perf_counter()
            storing = storer.submit(store, extracted.articles)
            pooled += len(pages) if ex is not None and len(pages) > 1 else 0
            t.add_main("read", b - a)
            t.add_main("waiting for the pool", c - b)
            t.add_main("waiting for the store", d - c)
        d = time.perf_counter()
        if storing is not None:
            storing.result()
        t.add_main("waiting for the store", time.perf_counter() - d)
    t.wall = time.perf_counter() - t0
    for _ in range(pooled if queue is not None else 0):  # one report per page a worker extracted
        t.add_worker(queue.get(timeout=30))
    if "trafilatura" in t.worker and "decode" in t.worker:
        t.worker["trafilatura"] -= t.worker["decode"]
    return t


def trafilatura_alone(paths: Sequence[Path], ex: ProcessPoolExecutor) -> float:
    """Seconds for the call the pipeline makes, on the same pages, pool and batches."""
    fetch = settings()
    t0 = time.perf_counter()
    for start in range(0, len(paths), fetch.batch_size):
        pages = read_pages(paths[start : start + fetch.batch_size])
        list(ex.map(_bare, [p.body for p in pages], [p.final_url for p in pages], chunksize=4))
    return time.perf_counter() - t0


def _bare(body: bytes, url: str) -> str:
    import trafilatura

    # flows/extract.py's options; trafilatura decodes the bytes itself.
    doc: Any = trafilatura.bare_extraction(
        body, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    return (doc.text or "") if doc is not None else ""


def extract_one_process(paths: Sequence[Path]) -> float:
    """Seconds for bare trafilatura.extract in one process: the old baseline, kept for the history."""
    import trafilatura

    t0 = time.perf_counter()
    for p in paths:
        trafilatura.extract(p.read_bytes())
    return time.perf_counter() - t0


def _timed(name: str, fn: Callable[..., Any], spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

    return wrapper


def _install_timers(queue: Any) -> None:
    import flows.extract as fx

    spent: dict[str, float] = {}
    for step, attr in WORKER_STEPS.items():
        if hasattr(fx, attr):
            setattr(fx, attr, _timed(step, getattr(fx, attr), spent))
    inner = fx._extract_in_worker

    def per_page(*args: Any) -> Any:
        spent.clear()
        t0 = time.perf_counter()
        result = inner(*args)
        spent["worker total"] = time.perf_counter() - t0
        queue.put(dict(spent))
        return result

    fx._extract_in_worker = per_page  # type: ignore[assignment]
