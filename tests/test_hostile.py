"""Hostile input (issue 15): a page or feed an attacker controls can neither silence the
alerts, nor stall a run, nor reach inside the network. Each test serves the hostile input
from a real server on 127.0.0.1 beside a legitimate article, and checks both the typed
drop and that the legitimate figure still alerts."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from .conftest import run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")

LEGIT = """<html lang="en"><head><title>Outflow</title></head><body><article><h1>Outflow</h1>
<p>About 130,000 IT specialists have left Russia since 2022, economist Lev Marin said on Friday.</p>
<p>Marin added that the pace had slowed over the winter months.</p></article></body></html>"""


def page(*paragraphs: str, title: str = "Report") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<html lang="en"><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>'


def feed(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>t{i}</title><link>{base}{p}</link></item>" for i, p in enumerate(paths))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{base}</link><description>d</description>{items}</channel></rss>"
    )


def serve(httpserver, pages: dict[str, str], feed_path: str = "/feed.xml") -> str:
    """Serve `pages` and a feed listing them; returns the site's base URL."""
    base = httpserver.url_for("").rstrip("/")
    for path, html in pages.items():
        httpserver.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")
    httpserver.expect_request(feed_path).respond_with_data(feed(base, list(pages)), content_type="application/rss+xml")
    return base


def topic(tmp_path: Path, base: str, fetch: str = "", extra: str = "", feeds: list[str] | None = None) -> Path:
    path = tmp_path / "topic.toml"
    feed_list = ", ".join(f'"{u}"' for u in (feeds or [f"{base}/feed.xml"]))
    path.write_text(
        f"[fetch]\nhost_delay = 0.0\nbackoff = 0.05\n{fetch}\n"
        f'[sources]\nfeeds = [{feed_list}]\ngdelt_doc_api = ""\ngdelt_query = ""\n'
        'news_search_rss = ""\nnews_search_queries = []\n' + extra
    )
    return path


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def alerted_values(db: Path) -> set[float]:
    return {r[0] for r in rows(db, "SELECT value FROM findings_overview WHERE alert_id IS NOT NULL")}


# --- a number that reads as infinity ---------------------------------------------------


def test_an_infinite_number_is_rejected_and_the_figure_beside_it_still_alerts(httpserver, tmp_path):
    nines = "9" * 330
    hostile = page(
        f"About {nines} IT specialists have left Russia, a forum post claimed.",
        "Economist Lev Marin said that about 250,000 IT specialists have left Russia.",
        "A second survey put the share of IT specialists who left Russia at 250 percent of the workforce.",
    )
    base = serve(httpserver, {"/hostile.html": hostile, "/legit.html": LEGIT})
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run = run_monitor(topic(tmp_path, base), db, outbox)
    assert run.status == "complete"
    implausible = rows(
        db, "SELECT number_text FROM rejected_numbers WHERE reason = 'implausible' ORDER BY number_start"
    )
    assert (nines,) in implausible and ("250 percent",) in implausible
    assert all(math.isfinite(v) for (v,) in rows(db, "SELECT value FROM figures UNION ALL SELECT value FROM findings"))
    assert {130_000.0, 250_000.0} <= alerted_values(db)
    eml = (next(outbox.glob("*.eml"))).read_text()
    assert "250,000" in eml and "130,000" in eml and "inf" not in eml.lower().replace("info", "")


def test_a_stored_infinite_finding_no_longer_swallows_later_figures(httpserver, tmp_path):
    """A database written before the check may hold a finding of value inf: the 2 % closeness
    test refuses it, so a later figure of that metric makes its own finding and alerts."""
    base = serve(httpserver, {"/legit.html": LEGIT})
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base), db, outbox)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE findings SET value = 'inf'::DOUBLE WHERE metric = 'it_emigrants'")
    later = page("Lev Marin said on Monday that about 170,000 IT specialists have left Russia so far.")
    httpserver.expect_request("/later.html").respond_with_data(later, content_type="text/html")
    (tmp_path / "topic.toml").write_text(
        (tmp_path / "topic.toml").read_text().replace(f'"{base}/feed.xml"', f'"{base}/feed2.xml"')
    )
    httpserver.expect_request("/feed2.xml").respond_with_data(
        feed(base, ["/legit.html", "/later.html"]), content_type="application/rss+xml"
    )
    run_monitor(tmp_path / "topic.toml", db, outbox)
    assert 170_000.0 in alerted_values(db)
