"""End to end: real HTTP servers on 127.0.0.1, a real SMTP server, real DuckDB files and
Prefect's test harness."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .conftest import SmtpSink, free_port, run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")

TABLES = ("articles", "figures", "findings", "alerts", "alert_findings", "rejected_numbers", "dropped_pages")


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def use_smtp(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("DRAINWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DRAINWATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("DRAINWATCH_MAIL_TO", "analyst@example.org, desk@example.org")
    monkeypatch.setenv("DRAINWATCH_MAIL_FROM", "drainwatch@example.org")


def test_feed_to_one_email_then_a_second_run_adds_nothing(topic_file, tmp_path, smtp_sink, monkeypatch, sample_site):
    use_smtp(monkeypatch, smtp_sink.port)
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"

    first = run_monitor(topic_file, db, outbox)
    assert first.status == "complete" and first.exit_code == 0, first.errors
    assert first.articles_new == len(sample_site.articles)
    assert first.alerts_sent == 1 and len(smtp_sink.messages) == 1
    msg = smtp_sink.messages[0]
    assert msg["To"] == "analyst@example.org, desk@example.org"
    assert msg["Message-ID"] == f"<{msg['X-Drainwatch-Alert']}@drainwatch>" and msg["List-Id"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    # The syndicated 150,000 figure is one finding with both outlets as sources.
    assert "IT emigrants: about 150,000" in text and "+50 % vs baseline 100,000" in text
    assert "Anna Volkova" in text and f"{sample_site.base}/ledger/2025/it-exodus-new-estimate.html" in text
    assert f"{sample_site.base}/balticwire/2025/tech-exodus-estimate-syndicated.html" in text
    assert "According to Anna Volkova" not in text and "according to Anna Volkova" in text  # the quoted sentence
    assert "<blockquote" in html and "150,000" in html
    # The repeat of the baseline (Shadayev, about 100,000) is recorded but not alerted.
    assert "Maksut Shadayev" not in text
    assert msg["Subject"] == "drainwatch: 11 new figures: IT shortage 500,000 (+194 % vs baseline)"

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT n_sources, n_outlets, comparison FROM findings_overview WHERE metric = 'it_emigrants' AND value = 150000"
        ).fetchall()
        assert row == [(2, 2, "higher")]
        same = con.execute(
            "SELECT comparison FROM findings WHERE metric = 'it_emigrants' AND value = 100000"
        ).fetchall()
        assert same == [("same",)]
        assert con.execute(
            "SELECT count(*) FROM figures WHERE finding_id IS NULL AND metric <> 'other'"
        ).fetchall() == [(0,)]
        assert con.execute("SELECT status FROM runs").fetchall() == [("complete",)]
        # The news search's link that the aggregator cannot place is a typed drop, not a page.
        assert con.execute("SELECT reason FROM dropped_pages WHERE url LIKE '%/rss/articles/%'").fetchall() == [
            ("undecodable_link",)
        ]

    before = counts(db)
    second = run_monitor(topic_file, db, outbox)
    assert second.status == "complete"
    assert (second.articles_new, second.figures_new, second.findings_new, second.alerts_sent) == (0, 0, 0, 0)
    assert counts(db) == before
    assert len(smtp_sink.messages) == 1


def test_no_smtp_writes_eml_to_the_outbox(topic_file, tmp_path):
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"
    summary = run_monitor(topic_file, db, outbox)
    emails = list(outbox.glob("*.eml"))
    assert summary.alerts_sent == 1 and len(emails) == 1
    from email import message_from_bytes, policy

    parsed = message_from_bytes(emails[0].read_bytes(), policy=policy.default)
    # 12 findings, one of which only repeats the baseline and is not alerted.
    assert parsed["Subject"].startswith("drainwatch: 11 new figures")
    run_monitor(topic_file, db, outbox)
    assert len(list(outbox.glob("*.eml"))) == 1


def test_smtp_down_then_up_delivers_every_alert_exactly_once(topic_file, tmp_path, monkeypatch):
    port = free_port()
    use_smtp(monkeypatch, port)
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"

    down = run_monitor(topic_file, db, outbox)
    assert down.status == "partial" and down.alerts_sent == 0 and down.alerts_queued == 1
    assert any(e.reason == "alert_not_sent" for e in down.errors)

    sink = SmtpSink()
    sink.port = port
    from aiosmtpd.controller import Controller

    sink.controller = Controller(sink.controller.handler, hostname="127.0.0.1", port=port)
    sink.start()
    try:
        up = run_monitor(topic_file, db, outbox)
        again = run_monitor(topic_file, db, outbox)
    finally:
        sink.stop()
    assert up.alerts_sent == 1 and up.alerts_queued == 0 and up.status == "complete"
    assert again.alerts_sent == 0
    assert len(sink.messages) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT attempts, transport FROM alerts").fetchall() == [(2, "smtp")]


ARTICLE = """<html lang="en"><head><title>Exodus update</title></head><body><nav>Home | World</nav>
<article><h1>Exodus update</h1><p>About 130,000 IT specialists have left Russia since 2022, economist Lev Marin said on Friday.</p>
<p>Marin said the outflow had slowed but not stopped, and that most of those who left work for foreign firms.</p></article>
<footer>(c) 2025 Test Times</footer></body></html>"""


def _feed(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>t{i}</title><link>{base}{p}</link></item>" for i, p in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}</link><description>d</description>{items}</channel></rss>'


def test_failed_sources_and_pages_are_recorded_and_the_run_is_partial(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        _feed(base, ["/ok.html", "/gone.html", "/report.pdf"]), content_type="application/rss+xml"
    )
    httpserver.expect_request("/broken.xml").respond_with_data(
        "<rss><channel><item><title>unfinished", content_type="application/rss+xml"
    )
    httpserver.expect_request("/ok.html").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/gone.html").respond_with_data("missing", status=404)
    httpserver.expect_request("/report.pdf").respond_with_data(b"%PDF-1.4 ...", content_type="application/pdf")
    dead = f"http://127.0.0.1:{free_port()}/feed.xml"
    topic = tmp_path / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nbackoff = 0.05\nallow_internal = ["127.0.0.1"]\n\n[sources]\nfeeds = ["{base}/feed.xml", "{base}/broken.xml", "{dead}"]\n'
        'gdelt_doc_api = ""\ngdelt_query = ""\nnews_search_rss = ""\nnews_search_queries = []\n'
    )
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"

    first = run_monitor(topic, db, outbox)
    assert first.status == "partial" and first.exit_code == 1
    assert (first.sources_ok, first.sources_failed, first.articles_new, first.pages_failed) == (1, 2, 1, 2)
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = {r[0] for r in con.execute("SELECT reason FROM run_errors").fetchall()}
        assert reasons == {"http_404", "not_html", "malformed_feed", "connection_error"}
        assert con.execute("SELECT metric, value, speaker FROM figures WHERE metric <> 'other'").fetchall() == [
            ("it_emigrants", 130000.0, "Lev Marin")
        ]
        assert con.execute("SELECT last_status FROM source_health ORDER BY url").fetchall()
    stored = counts(db)

    second = run_monitor(topic, db, outbox)
    # The 404 and the PDF are not fetched again; the two broken sources still fail.
    assert (second.articles_new, second.pages_failed, second.sources_failed) == (0, 0, 2)
    assert counts(db) == stored
    pdf_requests = [r for r, _ in httpserver.log if r.path == "/report.pdf"]
    assert len(pdf_requests) == 1
