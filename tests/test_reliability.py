"""Proven resilience: concurrent runs, broken databases, a full disk, kills at any point,
hostile input, and a soak of many scheduled runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug import Response

from core.records import Candidate, Page
from core.topic import load_topic
from drainwatch.cli import main
from extractors.cues import Cues
from flows.discover import parse_feed
from flows.extract import extract_article
from warehouse.lock import RunInProgress, run_lock

from .conftest import ROOT, TOPIC, run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")
TABLES = ("articles", "figures", "findings", "alerts", "alert_findings", "candidates")


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def test_a_second_run_while_one_is_in_progress_exits_with_a_clear_message(topic_file, tmp_path):
    db = tmp_path / "w.duckdb"
    run_monitor(topic_file, db, tmp_path / "out")
    before = counts(db)
    with run_lock(db):
        with pytest.raises(RunInProgress, match="another drainwatch run is in progress \\(pid \\d+ since"):
            run_monitor(topic_file, db, tmp_path / "out")
        result = CliRunner().invoke(
            main, ["run", "--topic", str(topic_file), "--db", str(db), "--outbox", str(tmp_path / "out")]
        )
        assert result.exit_code == 1 and "another drainwatch run is in progress" in result.output
    assert counts(db) == before
    assert not list((tmp_path / "out").glob("failure-*.eml"))  # waiting is not failing


def test_a_corrupt_database_file_is_named_and_left_alone(topic_file, tmp_path):
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 100)
    result = CliRunner().invoke(
        main, ["run", "--topic", str(topic_file), "--db", str(db), "--outbox", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {db}: cannot open database") and result.output.count("\n") == 1
    assert db.read_bytes() == b"this is not a duckdb file" * 100


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from drainwatch.cli import main
sys.argv = ["drainwatch", *sys.argv[2:]]
main()
"""


def test_a_full_disk_fails_the_run_clearly_and_the_next_run_recovers(topic_file, tmp_path):
    from prefect.settings import PREFECT_API_URL

    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    args = ["run", "--topic", str(topic_file), "--db", str(db), "--outbox", str(out)]
    full = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "60000", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert full.returncode == 1
    last = full.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "File too large" in last, full.stderr[-1500:]
    recovered = run_monitor(topic_file, db, out)
    assert recovered.status == "complete"
    reference = tmp_path / "ref.duckdb"
    run_monitor(topic_file, reference, tmp_path / "ref-out")
    assert counts(db) == counts(reference)


KILL_AT_REQUEST = """
import os, signal, sys, threading
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response
from drainwatch.sample_site import SampleSite
site = SampleSite()
kill_at, pidfile = int(sys.argv[2]), sys.argv[3]
seen = {"pages": 0}
lock = threading.Lock()
@Request.application
def app(request):
    if request.path.endswith(".html"):
        with lock:
            seen["pages"] += 1
            if seen["pages"] == kill_at and os.path.exists(pidfile):
                os.kill(int(open(pidfile).read()), signal.SIGKILL)
                os.unlink(pidfile)
    if request.method == "POST":  # the news search's decoding step
        status, ctype, body = site.respond_post(request.full_path, request.form.to_dict(flat=False))
    else:
        status, ctype, body = site.respond(request.full_path)
    return Response(body, status=status, content_type=ctype)
srv = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
site.server.server_address = ("127.0.0.1", int(sys.argv[1]))  # links in feeds point here
print("ready", flush=True)
srv.serve_forever()
"""


@pytest.mark.parametrize("kill_at", [2, 7, 13])
def test_killed_while_fetching_or_storing_then_rerun_loses_and_doubles_nothing(kill_at, tmp_path):
    from prefect.settings import PREFECT_API_URL

    from .conftest import free_port

    port, pidfile = free_port(), tmp_path / "victim.pid"
    server = subprocess.Popen(
        [sys.executable, "-c", KILL_AT_REQUEST, str(port), str(kill_at), str(pidfile)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        from drainwatch.sample_site import SampleSite

        site = SampleSite(port=0)
        base = f"http://127.0.0.1:{port}"
        toml = (
            site.topic_toml().replace(site.base, base).replace("host_delay = 0.0", "host_delay = 0.0\nbatch_size = 5")
        )
        site.server.server_close()
        topic = tmp_path / "topic.toml"
        topic.write_text(toml)
        db, out = tmp_path / "w.duckdb", tmp_path / "out"
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
        cmd = [
            str(Path(sys.executable).parent / "drainwatch"),
            "run",
            "--topic",
            str(topic),
            "--db",
            str(db),
            "--outbox",
            str(out),
        ]
        victim = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pidfile.write_text(str(victim.pid))
        assert victim.wait(timeout=120) == -signal.SIGKILL
        for _ in range(2):
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-2000:]
        reference = tmp_path / "ref.duckdb"
        ref = subprocess.run(
            [*cmd[:-4], "--db", str(reference), "--outbox", str(tmp_path / "ref-out")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ref.returncode == 0, ref.stderr[-2000:]
    finally:
        server.kill()
    assert counts(db) == counts(reference)
    assert len(list(out.glob("*.eml"))) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        # Everything stored but the news search's link that the aggregator cannot place.
        assert con.execute("SELECT status, last_error FROM candidates WHERE status <> 'stored'").fetchall() == [
            ("dropped", "undecodable_link")
        ]


CUES = Cues.from_mapping(load_topic(TOPIC).cue_words)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_feed_parser_never_raises_anything_but_a_clear_valueerror(body):
    try:
        parse_feed(body, "http://127.0.0.1/feed.xml", "application/rss+xml", "feed", "http://127.0.0.1/feed.xml")
    except ValueError as exc:
        assert "usable entry" in str(exc)


HOSTILE = st.one_of(
    st.integers(1, 3000).map(lambda n: "<div>" * n + "IT specialists left Russia: 100,000." + "</div>" * n),
    st.integers(1, 5000).map(lambda n: f"<p>About {'9' * n} IT specialists left Russia.</p>"),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF), max_size=2000).map(lambda t: f"<p>{t}</p>"),
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<table>", "<tr><td>", "100 000", "тыс.", "IT", "уехали", "\x00", "&#0;", "<!--"]
        ),
        max_size=300,
    ).map("".join),
)


@settings(max_examples=80, deadline=None)
@given(HOSTILE)
def test_page_extraction_survives_hostile_html_within_a_time_budget(html):
    started = time.monotonic()
    page = Page(
        Candidate("http://127.0.0.1/x", "http://127.0.0.1/x", "s", "feed"),
        "http://127.0.0.1/x",
        200,
        "text/html",
        html.encode("utf-8", "surrogatepass"),
        "2025-01-01T00:00:00+00:00",
    )
    result = extract_article(page, CUES)
    assert time.monotonic() - started < 5.0
    assert hasattr(result, "extraction") or result.reason in ("no_text", "extraction_failed")


@pytest.mark.slow
def test_soak_fifty_scheduled_runs_against_a_site_releasing_articles_in_waves(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    released: list[str] = []

    def feed(request):
        items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in released)
        return Response(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}</link>'
            f"<description>d</description>{items}</channel></rss>",
            content_type="application/rss+xml",
        )

    def article(request):
        n = int(request.path.split("-")[1].split(".")[0])
        first, last = (
            ["Anna", "Boris", "Vera", "Gleb", "Dina"][n % 5],
            ["Orlova", "Petrov", "Sokol", "Zorin"][n // 5 % 4],
        )
        # Values 10,000 apart (beyond the 2 % that would merge findings), none equal to the baseline,
        # and a different speaker each.
        return Response(
            f"<html><body><article><h1>Wave story {n}</h1><p>About {110 + 10 * n},000 IT specialists have left "
            f"Russia since 2022, according to {first} {last}, who studies the labour market.</p>"
            "<p>The estimate comes from payroll data and a survey.</p></article></body></html>",
            content_type="text/html",
        )

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    for n in range(40):
        httpserver.expect_request(f"/story-{n}.html").respond_with_handler(article)
    topic = tmp_path / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nallow_internal = ["127.0.0.1"]\n[sources]\nfeeds = ["{base}/feed.xml"]\ngdelt_doc_api = ""\n'
        'gdelt_query = ""\nnews_search_rss = ""\nnews_search_queries = []\n'
    )
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    for run in range(50):
        if run % 5 == 0:  # a wave: two new stories every fifth run, ten waves
            released += [f"/story-{len(released)}.html", f"/story-{len(released) + 1}.html"]
        assert run_monitor(topic, db, out).status == "complete"
    assert counts(db) == {
        "articles": 20,
        "figures": 20,
        "findings": 20,
        "alerts": 10,
        "alert_findings": 20,
        "candidates": 20,
    }
    assert len(list(out.glob("*.eml"))) == 10
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'complete'").fetchall() == [(50,)]
