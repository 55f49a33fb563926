"""Alerts people can trust: TLS and AUTH, policy, one finding with several sources,
failure notices, and a process killed in the middle of SMTP delivery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .conftest import ROOT, SmtpSink, free_port, run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")


def article(site: str, who: str, value: str) -> str:
    return (
        f'<html lang="en"><head><meta property="og:site_name" content="{site}"><title>Update</title></head><body>'
        f"<nav>Home | World | Tech</nav><article><h1>Tech exodus update</h1>"
        f"<p>About {value} IT specialists have left Russia since 2022, according to {who}, who leads a research group.</p>"
        "<p>The group combined payroll data with a survey of engineers and published its method in full.</p>"
        f"</article><footer>(c) 2025 {site}</footer></body></html>"
    )


def feed(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}</link><description>d</description>{items}</channel></rss>'


def local_topic(tmp_path: Path, base: str, extra: str = "") -> Path:
    topic = tmp_path / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nbackoff = 0.05\nallow_internal = ["127.0.0.1"]\n\n[sources]\nfeeds = ["{base}/feed.xml"]\ngdelt_doc_api = ""\ngdelt_query = ""\n'
        f'news_search_rss = ""\nnews_search_queries = []\n{extra}'
    )
    return topic


def serve(httpserver, pages: dict[str, str]) -> str:
    base = httpserver.url_for("").rstrip("/")
    httpserver.clear()
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed(base, list(pages)), content_type="application/rss+xml"
    )
    for path, html in pages.items():
        httpserver.expect_request(path).respond_with_data(html, content_type="text/html")
    return base


def test_new_outlet_repeating_a_known_figure_adds_a_source_and_sends_nothing(httpserver, tmp_path):
    base = serve(httpserver, {"/a.html": article("Ledger", "Anna Volkova", "150,000")})
    topic, db, outbox = local_topic(tmp_path, base), tmp_path / "w.duckdb", tmp_path / "outbox"
    assert run_monitor(topic, db, outbox).alerts_sent == 1
    serve(
        httpserver,
        {
            "/a.html": article("Ledger", "Anna Volkova", "150,000"),
            "/b.html": article("Baltic Wire", "Anna Volkova", "150,000"),
        },
    )
    second = run_monitor(topic, db, outbox)
    assert (second.articles_new, second.findings_new, second.alerts_sent) == (1, 0, 0)
    assert len(list(outbox.glob("*.eml"))) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT n_sources, n_outlets FROM findings_overview WHERE value = 150000").fetchall() == [
            (2, 2)
        ]


def test_require_second_source_holds_a_finding_until_another_outlet_reports_it(httpserver, tmp_path):
    base = serve(httpserver, {"/a.html": article("Ledger", "Anna Volkova", "150,000")})
    topic = local_topic(tmp_path, base, '[alert]\nmetrics = ["it_emigrants"]\nrequire_second_source = true\n')
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"
    assert run_monitor(topic, db, outbox).alerts_sent == 0
    serve(
        httpserver,
        {
            "/a.html": article("Ledger", "Anna Volkova", "150,000"),
            "/b.html": article("Baltic Wire", "Anna Volkova", "150,000"),
        },
    )
    assert run_monitor(topic, db, outbox).alerts_sent == 1
    assert run_monitor(topic, db, outbox).alerts_sent == 0


@pytest.fixture
def tls_smtp(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_ctx = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"monitor", b"s3cret")
        # handled=False: let aiosmtpd answer 535 itself (the default means "I already replied").
        return AuthResult(success=ok, handled=False)

    sink = SmtpSink()
    sink.controller = Controller(
        sink.controller.handler,
        hostname="127.0.0.1",
        port=sink.port,
        tls_context=server_ctx,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        auth_exclude_mechanism=["LOGIN"],
    )
    sink.start()
    yield sink, ca_file
    sink.stop()


def use_tls_smtp(monkeypatch, sink, ca_file, password: str) -> None:
    for key, value in {
        "HOST": "127.0.0.1",
        "PORT": str(sink.port),
        "STARTTLS": "1",
        "CA_FILE": str(ca_file),
        "USER": "monitor",
        "PASSWORD": password,
    }.items():
        monkeypatch.setenv(f"DRAINWATCH_SMTP_{key}", value)


def test_starttls_and_auth(tls_smtp, topic_file, tmp_path, monkeypatch):
    sink, ca_file = tls_smtp
    use_tls_smtp(monkeypatch, sink, ca_file, "s3cret")
    summary = run_monitor(topic_file, tmp_path / "w.duckdb", tmp_path / "outbox")
    assert summary.alerts_sent == 1 and len(sink.messages) == 1


def test_refused_login_keeps_the_alert_queued(tls_smtp, topic_file, tmp_path, monkeypatch):
    sink, ca_file = tls_smtp
    use_tls_smtp(monkeypatch, sink, ca_file, "wrong")
    summary = run_monitor(topic_file, tmp_path / "w.duckdb", tmp_path / "outbox")
    assert (summary.alerts_sent, summary.alerts_queued, summary.status) == (0, 1, "partial")
    assert "SMTPAuthenticationError" in summary.errors[-1].detail and not sink.messages
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        # Authentication failures are permanent: one attempt, no retry loop.
        assert con.execute("SELECT attempts, sent_at FROM alerts").fetchall() == [(1, None)]


def test_a_failed_run_notifies_once_per_failing_streak(topic_file, tmp_path):
    broken_db = tmp_path / "db-is-a-folder"
    broken_db.mkdir()
    outbox = tmp_path / "outbox"
    notices = lambda: sorted(outbox.glob("failure-*.eml"))  # noqa: E731
    for _ in range(2):
        with pytest.raises(Exception, match="db-is-a-folder"):
            run_monitor(topic_file, broken_db, outbox)
    assert len(notices()) == 1
    assert b"A drainwatch run failed as a whole." in notices()[0].read_bytes()
    run_monitor(topic_file, tmp_path / "ok.duckdb", outbox)  # a success ends the streak
    with pytest.raises(Exception, match="db-is-a-folder"):
        run_monitor(topic_file, broken_db, outbox)
    assert len(notices()) == 2


KILL_ON_DATA = """
import os, signal, sys, time
from aiosmtpd.controller import Controller
received = open(sys.argv[2], "ab")
class Handler:
    async def handle_DATA(self, server, session, envelope):
        received.write(envelope.content + b"\\n=====\\n"); received.flush()
        if os.path.exists(sys.argv[3]):
            os.kill(int(open(sys.argv[3]).read()), signal.SIGKILL)  # the client dies before it hears 250
            os.unlink(sys.argv[3])
        return "250 OK"
c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1])); c.start()
print("ready", flush=True)
time.sleep(600)
"""


def test_killed_between_send_and_mark_resends_with_the_same_message_id(topic_file, tmp_path):
    """Documented behaviour: a crash after the server accepted the message but before it was
    marked sent makes the next run send it again, with the same Message-ID."""
    from prefect.settings import PREFECT_API_URL

    port, received, pidfile = free_port(), tmp_path / "received.txt", tmp_path / "kill-me"
    server = subprocess.Popen(
        [sys.executable, "-c", KILL_ON_DATA, str(port), str(received), str(pidfile)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        env = {
            **os.environ,
            "PREFECT_API_URL": PREFECT_API_URL.value(),
            "DRAINWATCH_SMTP_HOST": "127.0.0.1",
            "DRAINWATCH_SMTP_PORT": str(port),
            "DRAINWATCH_DB": str(tmp_path / "w.duckdb"),
            "DRAINWATCH_OUTBOX": str(tmp_path / "outbox"),
        }
        cmd = [str(Path(sys.executable).parent / "drainwatch"), "run", "--topic", str(topic_file)]
        victim = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        pidfile.write_text(str(victim.pid))
        assert victim.wait(timeout=120) == -signal.SIGKILL
        rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert again.returncode == 0
    finally:
        server.kill()
    messages = [m for m in received.read_bytes().split(b"\n=====\n") if m.strip()]
    ids = [line for m in messages for line in m.splitlines() if line.lower().startswith(b"message-id:")]
    assert len(messages) == 2 and len(set(ids)) == 1
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(sent_at) FROM alerts").fetchall() == [(1, 1)]
