"""[sources] falls back to the default topic key by key (issue 14): a topic with only `feeds`
is complete, a switched-off source needs none of its other keys, and an unknown key is
still an error that names it."""

from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from core.errors import ConfigError
from core.topic import load_topic
from drainwatch.cli import main

from .conftest import TOPIC, free_port, run_monitor

DEFAULT = load_topic(TOPIC).sources
PAGE = (
    '<html lang="en"><head><meta property="og:site_name" content="Harbour Post"><title>Exodus</title></head><body>'
    "<article><h1>Where the engineers went</h1>"
    "<p>About 180,000 IT specialists have left Russia since 2022, according to Vera Sokol, who tracks hiring.</p>"
    "<p>Her estimate rests on payroll filings and on a survey of developers.</p></article></body></html>"
)


def serve_feed(httpserver) -> str:
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}</link>'
        f"<description>d</description><item><title>t</title><link>{base}/a.html</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/a.html").respond_with_data(PAGE, content_type="text/html")
    return base


def test_a_topic_with_only_feeds_takes_every_other_source_key_from_the_default_topic(tmp_path):
    topic = tmp_path / "topic.toml"
    topic.write_text('[sources]\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    sources = load_topic(topic).sources
    assert sources.feeds == ("http://127.0.0.1:9/feed.xml",)
    assert sources.gdelt_doc_api == DEFAULT.gdelt_doc_api and sources.gdelt_query == DEFAULT.gdelt_query
    assert sources.news_search_rss == DEFAULT.news_search_rss
    assert sources.news_search_queries == DEFAULT.news_search_queries
    assert sources.news_sitemaps == DEFAULT.news_sitemaps


def test_a_switched_off_source_needs_none_of_its_other_keys(tmp_path):
    topic = tmp_path / "topic.toml"
    topic.write_text('[sources]\ngdelt_doc_api = ""\nnews_search_rss = ""\n')
    sources = load_topic(topic).sources
    assert (sources.gdelt_doc_api, sources.news_search_rss) == ("", "")
    assert sources.feeds == DEFAULT.feeds


def test_an_unknown_sources_key_is_named_with_the_known_ones(tmp_path):
    topic = tmp_path / "topic.toml"
    topic.write_text('[sources]\nfeeds = []\ngdelt_qurey = "IT Russia"\n')
    with pytest.raises(ConfigError) as err:
        load_topic(topic)
    assert str(err.value) == (
        f"{topic}: sources.gdelt_qurey: unknown setting (known: feeds, news_sitemaps, gdelt_doc_api, gdelt_query, "
        "gdelt_timespan, gdelt_max_records, news_search_rss, news_search_queries, news_search_when, "
        "news_search_max_links)"
    )
    result = CliRunner().invoke(main, ["run", "--topic", str(topic), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and result.output == f"Error: {err.value}\n"


def test_a_value_taken_from_the_file_is_still_checked_and_named(tmp_path):
    topic = tmp_path / "topic.toml"
    topic.write_text('[sources]\nnews_search_rss = "ftp://127.0.0.1/search"\n')
    with pytest.raises(ConfigError, match=r"topic\.toml: sources\.news_search_rss: must be an http\(s\) URL"):
        load_topic(topic)


@pytest.mark.usefixtures("prefect_harness")
def test_a_topic_with_only_feeds_under_sources_runs(httpserver, tmp_path, monkeypatch):
    base = serve_feed(httpserver)
    topic = tmp_path / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nattempts = 1\nallow_internal = ["127.0.0.1"]\n\n[sources]\nfeeds = ["{base}/feed.xml"]\n'
    )
    # The default topic's GDELT and news search come with the feed. Nothing may leave
    # 127.0.0.1 in the tests: a proxy address where nothing listens refuses them at once.
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{free_port()}")
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    summary = run_monitor(topic, db, out)
    assert summary.status == "partial" and summary.articles_new == 1 and summary.alerts_sent == 1
    failed = sorted({e.url.split("/")[2] for e in summary.errors if e.url})
    assert failed == ["api.gdeltproject.org", "news.google.com"]
    assert {e.stage for e in summary.errors} == {"discover"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT value, speaker FROM findings").fetchall() == [(180_000.0, "Vera Sokol")]


@pytest.mark.usefixtures("prefect_harness")
def test_a_topic_with_feeds_and_the_other_sources_switched_off_runs_complete(httpserver, tmp_path):
    base = serve_feed(httpserver)
    topic = tmp_path / "topic.toml"
    topic.write_text(
        f'[fetch]\nhost_delay = 0.0\nallow_internal = ["127.0.0.1"]\n\n[sources]\nfeeds = ["{base}/feed.xml"]\ngdelt_doc_api = ""\nnews_search_rss = ""\n'
    )
    result = CliRunner().invoke(
        main, ["run", "--topic", str(topic), "--db", str(tmp_path / "w.duckdb"), "--outbox", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "1 new articles" in result.output and "1 alert(s) sent" in result.output
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1
