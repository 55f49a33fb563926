"""The pipeline against its own stack's limits; prints a table and ratio_vs_trafilatura.

    .venv/bin/python bench/bench_pipeline.py [--pages 2000] [--only ratio|runs] [--repeat N]

1. trafilatura.bare_extraction with metadata (the call the pipeline makes, same options)
   on the corpus, in the pipeline's pool of worker processes and batches;
2. drainwatch's processing path (decode, trafilatura, language, figures, sketch, store in
   DuckDB) on the same pages, pool and batches, from page files to committed rows, with
   the time of each step from the same run (bench/processing.py);
3. their ratio, and the old baseline (bare trafilatura.extract in one process);
4. a full `drainwatch run` fetching the corpus from a local server, and no-op runs after it
   (every source answers 304), each a fresh process, next to an empty flow's run: on
   Prefect's temporary server and on a running `prefect server start`;
5. peak RSS of the processing path for a quarter of the pages and for all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import processing  # noqa: E402
from corpus import ROOT, write_corpus  # noqa: E402


def measure_ratio(paths: list[Path], db: Path) -> tuple[float, float, processing.Timings, int]:
    """(trafilatura pages/s, processing pages/s, the processing run's step times, workers)."""
    n = processing.workers(processing.settings())
    with processing.pool(n, timed=True) as (ex, queue):
        bare = len(paths) / processing.trafilatura_alone(paths, ex)
        db.unlink(missing_ok=True)
        timings = processing.processing_path(paths, db, ex, queue)
    return bare, timings.pages / timings.wall, timings, n


def breakdown(t: processing.Timings, n: int) -> list[tuple[str, str]]:
    per = 1000 / t.pages
    w = t.worker
    steps = [k for k in processing.WORKER_STEPS if k in w]
    other = w.get("worker total", 0.0) - sum(w[k] for k in steps)
    rows = [(f"  {k} (in a worker)", f"{w[k] * per:.2f}") for k in steps]
    rows.append(("  other: Article, hashes (in a worker)", f"{other * per:.2f}"))
    rows.append((f"  = worker time, shared by {n} workers", f"{w.get('worker total', 0.0) * per:.2f}"))
    rows += [(f"  {k} (main process)", f"{v * per:.2f}") for k, v in t.main.items()]
    rows.append(("  = wall clock", f"{t.wall * per:.2f}"))
    return rows


def processing_rss(paths: list[Path], db: Path) -> tuple[float, int]:
    """pages/s of the processing path, and the peak RSS (kB) of this process and its workers."""
    n = processing.workers(processing.settings())
    with processing.pool(n) as (ex, _):
        t = processing.processing_path(paths, db, ex)
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    return t.pages / t.wall, rss


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


def _env(api_url: str | None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    # The temporary server can take longer than Prefect's 20 s to start on a loaded machine.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def cli_run(topic: Path, db: Path, outbox: Path, api_url: str | None = None) -> float:
    """Seconds of one `drainwatch run` in a fresh process, on the temporary server or on `api_url`.

    A run that does not exit 0 stops the benchmark: its time would measure something else."""
    drainwatch = str(Path(sys.executable).parent / "drainwatch")
    t0 = time.perf_counter()
    done = subprocess.run(
        [drainwatch, "run", "--topic", str(topic), "--db", str(db), "--outbox", str(outbox)],
        env=_env(api_url),
        check=False,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t0
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"bench: drainwatch run exited {done.returncode} after {took:.1f} s: {tail}")
    return took


def in_flow(db: Path) -> float:
    """Seconds the last run spent inside the flow (from its row in `runs`)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT epoch(finished_at - started_at) FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return float(row[0]) if row else float("nan")


def empty_flow(api_url: str | None = None) -> float:
    """Seconds of a fresh process that runs a flow doing nothing: Prefect's own cost."""
    code = "from prefect import flow\n@flow\ndef f():\n    return 1\nf()\n"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=_env(api_url), check=True, capture_output=True)
    return time.perf_counter() - t0


class PrefectServer:
    """`prefect server start` on 127.0.0.1 in a subprocess, state in its own PREFECT_HOME."""

    def __init__(self, home: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.home = home

    def __enter__(self) -> PrefectServer:
        import httpx

        self.home.mkdir(parents=True, exist_ok=True)
        env = {**_env(None), "PREFECT_HOME": str(self.home)}
        prefect = str(Path(sys.executable).parent / "prefect")
        cmd = [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        self.child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.child.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("prefect server start: the server did not come up")
            time.sleep(0.5)

    def __exit__(self, *exc: object) -> None:
        self.child.terminate()
        try:
            self.child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.child.kill()


def ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--only", choices=["ratio", "runs"], help="only the ratio and step breakdown, or only the runs")
    ap.add_argument("--repeat", type=int, default=1, help="measure the ratio this many times")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    work = Path(tempfile.gettempdir()) / "drainwatch-bench"
    paths = write_corpus(work / "corpus", args.pages)
    if args.child:  # one processing-path measurement in a fresh process, for its peak RSS
        n = int(args.child)
        db = work / f"rss-{n}.duckdb"
        db.unlink(missing_ok=True)
        rate, rss_kb = processing_rss(paths[:n], db)
        print(json.dumps({"rate": rate, "rss_kb": rss_kb}))
        return
    sizes = [p.stat().st_size for p in paths]
    print(
        f"corpus: {len(paths)} pages, {sum(sizes) / 1e6:.0f} MB, {min(sizes) / 1e3:.0f}-{max(sizes) / 1e3:.0f} KB each, in {work / 'corpus'}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    ratios = []
    old = len(paths) / processing.extract_one_process(paths) if args.only != "runs" else 0.0
    for _ in range(args.repeat if args.only != "runs" else 0):
        bare, ours, timings, n = measure_ratio(paths, work / "path.duckdb")
        ratios.append(ours / bare)
        print_rows(
            [
                (f"trafilatura.bare_extraction with metadata ({n} workers)", f"{bare:.1f} pages/s"),
                (f"processing path, page files to DuckDB rows ({n} workers)", f"{ours:.1f} pages/s"),
                ("ratio processing / trafilatura", f"{ours / bare:.2f} (target >= 0.80)"),
                ("old baseline: bare trafilatura.extract (1 process)", f"{old:.1f} pages/s"),
                ("old ratio: processing / old baseline", f"{ours / old:.2f}"),
                ("step breakdown, ms/page", ""),
                *breakdown(timings, n),
            ]
        )
    if args.only == "ratio":
        print(f"ratio_vs_trafilatura={ratios[-1]:.2f}")
        return

    Site.folder, Site.paths = work / "corpus", paths
    site = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    topic = work / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nallow_internal = ["127.0.0.1"]\nmax_pages_per_run = {len(paths)}\nmax_concurrency = 16\nper_host_concurrency = 16\n'
        f'[sources]\nfeeds = ["http://127.0.0.1:{site.server_address[1]}/feed.xml"]\n'
        'gdelt_doc_api = ""\ngdelt_query = ""\nnews_search_rss = ""\nnews_search_queries = []\n'
    )
    run_db = work / "run.duckdb"
    for f in (run_db, Path(str(run_db) + ".wal")):
        f.unlink(missing_ok=True)
    full = cli_run(topic, run_db, work / "outbox")
    full_flow = in_flow(run_db)
    noop = cli_run(topic, run_db, work / "outbox")
    noop_flow = in_flow(run_db)
    empty = empty_flow()
    with PrefectServer(work / "prefect-home") as server:
        empty_flow(server.url)  # the server's first flow run creates its tables' rows: not measured
        noop_server = cli_run(topic, run_db, work / "outbox", server.url)
        empty_server = empty_flow(server.url)
    site.shutdown()

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

    print_rows(
        [
            ("full run, fetching from 127.0.0.1", f"{full:.1f} s = {len(paths) / full:.1f} pages/s incl. start-up"),
            ("  of it inside the flow", f"{full_flow:.1f} s"),
            ("no-op run (source answers 304), running server", f"{noop_server:.1f} s"),
            ("empty flow run, same running server", f"{empty_server:.1f} s"),
            ("no-op / empty flow, running server", f"{noop_server / empty_server:.2f} (target <= 1.2)"),
            ("no-op run, Prefect's temporary server", f"{noop:.1f} s ({noop_flow:.1f} s inside the flow)"),
            ("empty flow run, Prefect's temporary server", f"{empty:.1f} s"),
            (f"peak RSS, {len(paths) // 4} pages", f"{rss[len(paths) // 4]:.0f} MB"),
            (f"peak RSS, {len(paths)} pages", f"{rss[len(paths)]:.0f} MB"),
            ("load average after", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ]
    )
    if ratios:
        print(f"ratio_vs_trafilatura={ratios[-1]:.2f}")


if __name__ == "__main__":
    main()
