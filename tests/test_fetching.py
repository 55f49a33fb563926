"""Polite, incremental, deduplicated fetching, against a local server that misbehaves."""

from __future__ import annotations

import time

import duckdb
import pytest
from werkzeug import Response

from .conftest import run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")


def page(value: str, who: str = "Anna Volkova", site: str = "Ledger", extra: str = "") -> str:
    return (
        f'<html lang="en"><head><meta property="og:site_name" content="{site}"><title>Update</title></head><body>'
        f"<nav>Home | World</nav><article><h1>Tech exodus update</h1>"
        f"<p>About {value} IT specialists have left Russia since 2022, according to {who}, who leads a research group.</p>"
        f"<p>The group combined payroll data with a survey of engineers and published its method in full.{extra}</p>"
        "</article><footer>(c) 2025</footer></body></html>"
    )


def rss(items: list[str], base: str = "") -> str:
    entries = "".join(f"<item><title>t{i}</title><link>{base}{p}</link></item>" for i, p in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x/</link><description>d</description>{entries}</channel></rss>'


def topic(tmp_path, base: str, feeds=("/feed.xml",), fetch: str = "host_delay = 0.0\nbackoff = 0.05\n"):
    t = tmp_path / "topic.toml"
    feed_list = ", ".join(f'"{base}{f}"' for f in feeds)
    t.write_text(
        f'[fetch]\n{fetch}allow_internal = ["127.0.0.1"]\n[sources]\nfeeds = [{feed_list}]\ngdelt_doc_api = ""\ngdelt_query = ""\n'
        'news_search_rss = ""\nnews_search_queries = []\n'
    )
    return t


def paths(httpserver) -> list[str]:
    return [r.path for r, _ in httpserver.log]


def q(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_second_run_sends_only_conditional_requests_and_fetches_no_article(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")

    def feed(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(rss(["/a.html", "/b.html"], base), content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    httpserver.expect_request("/a.html").respond_with_data(page("150,000"), content_type="text/html")
    httpserver.expect_request("/b.html").respond_with_data(page("90,000", "Lev Marin"), content_type="text/html")
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    first = run_monitor(topic(tmp_path, base), db, out)
    assert first.articles_new == 2
    seen = len(httpserver.log)
    second = run_monitor(topic(tmp_path, base), db, out)
    later = httpserver.log[seen:]
    assert [(r.path, r.headers.get("If-None-Match"), resp.status_code) for r, resp in later] == [
        ("/feed.xml", '"v1"', 304)
    ]
    assert second.articles_new == 0 and second.status == "complete"
    assert q(db, "SELECT last_status FROM sources") == [("not_modified",)]


def test_stale_validator_with_a_changed_body_is_read_and_an_unchanged_body_is_not(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    items = [["/a.html"]]
    # This server sends the same ETag whatever the body, and never answers 304.
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda r: Response(rss(items[0], base), content_type="application/rss+xml", headers={"ETag": '"stale"'})
    )
    httpserver.expect_request("/a.html").respond_with_data(page("150,000"), content_type="text/html")
    httpserver.expect_request("/c.html").respond_with_data(
        page("95,000", "Lev Marin", "Wire"), content_type="text/html"
    )
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base), db, out)
    unchanged = run_monitor(topic(tmp_path, base), db, out)
    assert unchanged.articles_discovered == 0 and q(db, "SELECT last_status FROM sources") == [("not_modified",)]
    items[0] = ["/a.html", "/c.html"]
    changed = run_monitor(topic(tmp_path, base), db, out)
    assert changed.articles_discovered == 2 and changed.articles_new == 1


def test_503_then_200_honours_retry_after(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    calls = []

    def flaky(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("busy", status=503, headers={"Retry-After": "1"})
        return Response(page("150,000"), content_type="text/html")

    httpserver.expect_request("/feed.xml").respond_with_data(rss(["/a.html"], base), content_type="application/rss+xml")
    httpserver.expect_request("/a.html").respond_with_handler(flaky)
    db = tmp_path / "w.duckdb"
    summary = run_monitor(topic(tmp_path, base), db, tmp_path / "out")
    assert summary.articles_new == 1 and summary.status == "complete"
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.95
    assert q(db, "SELECT attempt, status FROM fetch_log WHERE url LIKE '%/a.html' ORDER BY attempt") == [
        (1, 503),
        (2, 200),
    ]


def test_a_slow_page_times_out_and_waits_for_the_next_run(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")

    def slow(request):
        time.sleep(1.5)
        return Response(page("150,000"), content_type="text/html")

    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(["/slow.html"], base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    db = tmp_path / "w.duckdb"
    summary = run_monitor(
        topic(tmp_path, base, fetch="host_delay = 0.0\ntimeout = 0.5\nattempts = 1\n"), db, tmp_path / "out"
    )
    assert summary.status == "partial" and [e.reason for e in summary.errors] == ["timeout"]
    assert q(db, "SELECT status, attempts, last_error FROM candidates") == [("discovered", 1, "timeout")]


def test_oversized_page_redirect_loop_non_html_and_robots(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(["/big.html", "/loop1", "/private/a.html", "/ok.html"], base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/big.html").respond_with_data(b"<html>" + b"x" * 8_000_000, content_type="text/html")
    httpserver.expect_request("/loop1").respond_with_data("", status=302, headers={"Location": f"{base}/loop2"})
    httpserver.expect_request("/loop2").respond_with_data("", status=302, headers={"Location": f"{base}/loop1"})
    httpserver.expect_request("/private/a.html").respond_with_data(page("1"), content_type="text/html")
    httpserver.expect_request("/ok.html").respond_with_data(page("150,000"), content_type="text/html")
    db = tmp_path / "w.duckdb"
    summary = run_monitor(topic(tmp_path, base), db, tmp_path / "out")
    assert summary.articles_new == 1
    reasons = dict(
        q(
            db,
            "SELECT regexp_extract(discovered_url, '/([^/]+)$', 1), last_error FROM candidates WHERE status = 'dropped'",
        )
    )
    assert reasons == {"big.html": "too_large", "loop1": "too_many_redirects", "a.html": "robots_disallowed"}
    assert "/private/a.html" not in paths(httpserver)
    assert paths(httpserver).count("/robots.txt") == 1


def test_windows_1251_page_with_the_charset_only_in_a_meta_tag(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>Новости</title>'
        "</head><body><nav>Главная | Мир</nav><article><h1>Отток кадров</h1>"
        "<p>По оценке ассоциации, около 120 тыс. IT-специалистов уехали из России в 2022 году.</p>"
        "<p>Данные собраны по опросам работодателей и не учитывают фрилансеров.</p></article></body></html>"
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(["/ru.html"], base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/ru.html").respond_with_data(html.encode("cp1251"), content_type="text/html")
    db = tmp_path / "w.duckdb"
    run_monitor(topic(tmp_path, base), db, tmp_path / "out")
    assert q(db, "SELECT metric, value FROM figures WHERE metric <> 'other'") == [("it_emigrants", 120000.0)]
    assert q(db, "SELECT language FROM articles") == [("ru",)]


def test_syndicated_copy_is_one_story_and_one_finding_with_two_sources(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(["/a.html", "/copy.html"], base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/a.html").respond_with_data(page("150,000", site="Ledger"), content_type="text/html")
    httpserver.expect_request("/copy.html").respond_with_data(
        page("150,000", site="Baltic Wire", extra=" This story first ran in the Ledger."), content_type="text/html"
    )
    db = tmp_path / "w.duckdb"
    run_monitor(topic(tmp_path, base), db, tmp_path / "out")
    assert q(db, "SELECT n_articles, n_outlets FROM stories") == [(2, 2)]
    assert q(db, "SELECT n_sources, n_outlets FROM findings_overview WHERE metric = 'it_emigrants'") == [(2, 2)]


def test_feed_with_a_broken_tail_and_relative_links(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    broken = rss(["/a.html", "b.html"])[:-23]  # relative links, and the document cut off before its end
    httpserver.expect_request("/news/feed.xml").respond_with_data(broken, content_type="application/rss+xml")
    httpserver.expect_request("/a.html").respond_with_data(page("150,000"), content_type="text/html")
    httpserver.expect_request("/news/b.html").respond_with_data(
        page("90,000", "Lev Marin", "Wire"), content_type="text/html"
    )
    db = tmp_path / "w.duckdb"
    summary = run_monitor(topic(tmp_path, base, feeds=("/news/feed.xml",)), db, tmp_path / "out")
    assert summary.sources_failed == 0 and summary.articles_new == 2
    assert sorted(u for (u,) in q(db, "SELECT discovered_url FROM candidates")) == [
        f"{base}/a.html",
        f"{base}/news/b.html",
    ]


def test_no_request_to_a_host_starts_sooner_than_the_delay(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    arrivals = []

    def timed(body, ctype):
        def handler(request):
            arrivals.append(time.monotonic())
            return Response(body, content_type=ctype)

        return handler

    pages = [f"/p{i}.html" for i in range(5)]
    httpserver.expect_request("/feed.xml").respond_with_handler(timed(rss(pages, base), "application/rss+xml"))
    httpserver.expect_request("/robots.txt").respond_with_handler(timed("User-agent: *\nAllow: /\n", "text/plain"))
    for i, p in enumerate(pages):
        httpserver.expect_request(p).respond_with_handler(
            timed(page(f"{100 + i},000", f"Person Number{i}"), "text/html")
        )
    run_monitor(topic(tmp_path, base, fetch="host_delay = 0.3\n"), tmp_path / "w.duckdb", tmp_path / "out")
    assert len(arrivals) == 7
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= 0.28, gaps


def test_a_failing_source_is_backed_off(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/bad.xml").respond_with_data("oops", status=500)
    t = topic(tmp_path, base, feeds=("/bad.xml",), fetch="host_delay = 0.0\nattempts = 1\n")
    db = tmp_path / "w.duckdb"
    for _ in range(3):
        assert run_monitor(t, db, tmp_path / "out").sources_failed == 1
    assert q(db, "SELECT consecutive_failures, next_attempt_after > now() FROM source_health") == [(3, True)]
    skipped = run_monitor(t, db, tmp_path / "out")
    assert skipped.sources_failed == 0 and paths(httpserver).count("/bad.xml") == 3


def test_only_http_and_https_are_fetched_and_a_redirect_to_file_is_refused(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    links = [
        "file:///etc/hostname",
        "ftp://127.0.0.1/a.html",
        "javascript:alert(1)",
        f"{base}/moved.html",
        f"{base}/a.html",
    ]
    body = "".join(f"<item><title>t{i}</title><link>{x}</link></item>" for i, x in enumerate(links))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}/</link><description>d</description>{body}</channel></rss>'
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/moved.html").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    httpserver.expect_request("/a.html").respond_with_data(page("150,000"), content_type="text/html")
    db = tmp_path / "w.duckdb"
    run_monitor(topic(tmp_path, base), db, tmp_path / "outbox")
    dropped = dict(q(db, "SELECT url, reason FROM dropped_pages"))
    by_scheme = {u.split(":", 1)[0]: r for u, r in dropped.items() if "moved" not in u}
    assert by_scheme == {"file": "unsupported_scheme", "ftp": "unsupported_scheme", "javascript": "unsupported_scheme"}
    assert [r for u, r in dropped.items() if "moved" in u] == ["unsupported_scheme"]
    assert q(db, "SELECT count(*) FROM figures") == [(1,)]  # the legitimate article still counts
    assert not any(p.startswith("/etc") for p in paths(httpserver))
