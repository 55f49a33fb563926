"""The pipeline against its own stack's limits; prints a table and ratio_vs_trafilatura.

    .venv/bin/python bench/bench_pipeline.py [--pages 2000]

1. bare trafilatura.extract, one process, on the corpus read from disk;
2. drainwatch's processing path (trafilatura with metadata + figures + sketch + store in
   DuckDB, in batches, extraction in a process pool on every core), same pages;
3. their ratio;
4. a full `drainwatch run` fetching the corpus from a local server, and a no-op run after
   it (every source answers 304), each a fresh process, next to Prefect's own start-up;
5. peak RSS of the processing path for a quarter of the pages and for all of them.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, write_corpus  # noqa: E402

BATCH = 50


def bare_trafilatura(paths: list[Path]) -> float:
    import trafilatura

    t0 = time.perf_counter()
    for p in paths:
        trafilatura.extract(p.read_bytes())
    return len(paths) / (time.perf_counter() - t0)


def processing_path(paths: list[Path], db: Path) -> tuple[float, int]:
    """pages/s of extract + figures + store, and the peak RSS (kB) of this process and its workers."""
    from core.records import Candidate, Page
    from core.topic import default_topic_path, load_topic
    from extractors.cues import Cues
    from flows.extract import extract_articles
    from warehouse.db import connect
    from warehouse.store import store_articles

    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    now = datetime.now(UTC).isoformat()
    t0 = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("spawn")) as pool:
        for start in range(0, len(paths), BATCH):
            pages = []
            for p in paths[start : start + BATCH]:
                url = f"http://127.0.0.1/{p.name}"
                pages.append(Page(Candidate(url, url, "bench", "feed"), url, 200, "text/html", p.read_bytes(), now))
            extracted = extract_articles(pages, cues, pool)
            with connect(db) as con:
                store_articles(con, "bench", extracted.articles)
    rate = len(paths) / (time.perf_counter() - t0)
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    return rate, rss


class Site(BaseHTTPRequestHandler):
    folder: Path
    paths: list[Path]

    def log_message(self, *a: object) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        if self.path.startswith("/feed.xml"):
            if self.headers.get("If-None-Match") == '"corpus"':
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(f"<item><title>{p.stem}</title><link>{base}/{p.name}</link></item>" for p in self.paths)
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><link>{base}</link><description>d</description>{items}</channel></rss>'.encode()
            ctype, extra = "application/rss+xml", {"ETag": '"corpus"'}
        elif (self.folder / self.path.lstrip("/")).is_file():
            body, ctype, extra = (self.folder / self.path.lstrip("/")).read_bytes(), "text/html; charset=utf-8", {}
        else:
            body, ctype, extra = b"not found", "text/plain", {}
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        for k, v in {"Content-Type": ctype, "Content-Length": str(len(body)), **extra}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def cli_run(topic: Path, db: Path, outbox: Path) -> float:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "drainwatch"),
            "run",
            "--topic",
            str(topic),
            "--db",
            str(db),
            "--outbox",
            str(outbox),
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - t0


def prefect_startup() -> float:
    code = "from prefect import flow\n@flow\ndef f():\n    return 1\nf()\n"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    work = Path(tempfile.gettempdir()) / "drainwatch-bench"
    paths = write_corpus(work / "corpus", args.pages)
    if args.child:  # one processing-path measurement in a fresh process, for its peak RSS
        n = int(args.child)
        db = work / f"rss-{n}.duckdb"
        db.unlink(missing_ok=True)
        rate, rss_kb = processing_path(paths[:n], db)
        print(json.dumps({"rate": rate, "rss_kb": rss_kb}))
        return
    sizes = [p.stat().st_size for p in paths]
    print(
        f"corpus: {len(paths)} pages, {sum(sizes) / 1e6:.0f} MB, {min(sizes) / 1e3:.0f}-{max(sizes) / 1e3:.0f} KB each, in {work / 'corpus'}"
    )

    bare = bare_trafilatura(paths)
    db = work / "path.duckdb"
    db.unlink(missing_ok=True)
    ours, _ = processing_path(paths, db)

    Site.folder, Site.paths = work / "corpus", paths
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    topic = work / "topic.toml"
    topic.write_text(
        f"[fetch]\nhost_delay = 0.0\nmax_pages_per_run = {len(paths)}\nmax_concurrency = 16\nper_host_concurrency = 16\n"
        f'[sources]\nfeeds = ["http://127.0.0.1:{server.server_address[1]}/feed.xml"]\n'
        'gdelt_doc_api = ""\ngdelt_query = ""\nnews_search_rss = ""\nnews_search_queries = []\n'
    )
    run_db = work / "run.duckdb"
    for f in (run_db, Path(str(run_db) + ".wal")):
        f.unlink(missing_ok=True)
    full = cli_run(topic, run_db, work / "outbox")
    noop = cli_run(topic, run_db, work / "outbox")
    startup = prefect_startup()
    server.shutdown()

    rss: dict[int, float] = {}
    for n in (len(paths) // 4, len(paths)):
        out = subprocess.run(
            [sys.executable, __file__, "--pages", str(args.pages), "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        rss[n] = json.loads(out.stdout.strip().splitlines()[-1])["rss_kb"] / 1024

    rows = [
        ("bare trafilatura.extract (1 process)", f"{bare:.1f} pages/s"),
        ("processing path: extract+figures+store", f"{ours:.1f} pages/s ({os.cpu_count()} workers)"),
        ("ratio processing / bare", f"{ours / bare:.2f} (target >= 0.80)"),
        ("full run, fetching from 127.0.0.1", f"{full:.1f} s = {len(paths) / full:.1f} pages/s incl. start-up"),
        ("no-op run (source answers 304)", f"{noop:.1f} s"),
        ("Prefect start-up alone (trivial flow)", f"{startup:.1f} s"),
        (f"peak RSS, {len(paths) // 4} pages", f"{rss[len(paths) // 4]:.0f} MB"),
        (f"peak RSS, {len(paths)} pages", f"{rss[len(paths)]:.0f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"ratio_vs_trafilatura={ours / bare:.2f}")


if __name__ == "__main__":
    main()
