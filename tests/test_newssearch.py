"""News search against a fake that answers as Google News does: encoded links, the two
decoding steps, a link it cannot place; Google Alerts links unwrapped without a request."""

from __future__ import annotations

import asyncio

from core.fetch_settings import FetchSettings
from core.topic import NewsQuery, Sources
from flows.discover import discover, parse_feed
from flows.http import Fetcher, make_client
from flows.newssearch import parse_batch_answer, unwrap_redirect

from .conftest import LOCAL


def search_sources(base: str, queries: tuple[NewsQuery, ...] = (NewsQuery("Russia IT specialists left"),)) -> Sources:
    return Sources(
        feeds=(),
        gdelt_doc_api="",
        gdelt_query="",
        gdelt_timespan="7d",
        gdelt_max_records=75,
        news_search_rss=f"{base}/news/rss/search",
        news_search_queries=queries,
    )


def ask(src: Sources, known: frozenset[str] = frozenset()):
    async def go():
        fs = FetchSettings(host_delay=0.0, backoff=0.01, allow_internal=LOCAL)
        async with make_client(fs) as client:
            return await discover(src, Fetcher(client, fs), {}, known)

    return asyncio.run(go())


def test_candidates_carry_the_publishers_url_and_an_undecodable_link_is_a_typed_drop(sample_site):
    before = len(sample_site.requests)
    found = ask(search_sources(sample_site.base))
    asked = sample_site.requests[before:]
    searched = [a for a in sample_site.articles if a.search]
    kept = [c for c in found.candidates if not c.dropped]
    assert {c.discovered_url for c in kept} == {f"{sample_site.base}{a.path}" for a in searched}
    for c in kept:
        a = next(a for a in searched if c.discovered_url.endswith(a.path))
        assert c.title == a.title and c.outlet == a.outlet_name and c.outlet_url == f"{sample_site.base}/{a.outlet}/"
        assert c.via and "/rss/articles/CBMi" in c.via and c.via.endswith("?oc=5")
    (gone,) = [c for c in found.candidates if c.dropped]
    assert gone.dropped == "undecodable_link" and "/rss/articles/" in gone.discovered_url
    # Only the decoding steps reach the aggregator: never a link itself, never a publisher page.
    assert not [p for m, p in asked if p.startswith("/rss/articles/")]
    assert sum(p.startswith("/articles/") for m, p in asked) == len(searched) + 1
    assert [m for m, p in asked if p.startswith("/_/DotsSplashUi/data/batchexecute")] == ["POST"] * len(searched)
    assert not [p for m, p in asked if p.endswith(".html")]

    # Links resolved or dropped before are not decoded again.
    before = len(sample_site.requests)
    again = ask(search_sources(sample_site.base), frozenset(c.via or c.discovered_url for c in found.candidates))
    assert again.candidates == () and [p for _, p in sample_site.requests[before:]] == [
        p for _, p in sample_site.requests[before:] if p.startswith("/news/rss/search")
    ]


def test_each_query_asks_its_own_edition_and_only_the_last_week(sample_site):
    before = len(sample_site.requests)
    ask(search_sources(sample_site.base, (NewsQuery("айтишники уехали", "RU:ru"), NewsQuery("IT exodus"))))
    searches = sorted(p for _, p in sample_site.requests[before:] if p.startswith("/news/rss/search"))
    assert any("hl=ru&gl=RU&ceid=RU%3Aru" in p and "when%3A7d" in p for p in searches), searches
    assert any("hl=en-US&gl=US&ceid=US%3Aen" in p and "IT+exodus+when%3A7d" in p for p in searches), searches


def test_a_signature_the_service_does_not_accept_is_undecodable(sample_site):
    from flows.newssearch import resolve

    async def go():
        fs = FetchSettings(host_delay=0.0, allow_internal=LOCAL)
        async with make_client(fs) as client:
            fetcher = Fetcher(client, fs)
            # A link id the service cannot place: its page has no signature.
            return await resolve(f"{sample_site.base}/rss/articles/CBMiXYZ?oc=5", "CBMiXYZ", fetcher, "US:en")

    got = asyncio.run(go())
    assert got.url is None and got.reason == "undecodable_link" and not got.transient


def test_batch_answers_are_read_leniently():
    url = "https://www.kommersant.ru/doc/1234567"
    plain = ')]}\'\n\n[["wrb.fr","Fbv4je","[\\"garturlres\\",\\"' + url + '\\",1]",null,null,null,"generic"],["di",9]]'
    chunked = (
        ')]}\'\n\n187\n[["wrb.fr","Fbv4je","[\\"garturlres\\",\\"'
        + url
        + '\\",1]",null,null,null,"generic"]]\n25\n[["di",9]]\n'
    )
    assert parse_batch_answer(plain) == url and parse_batch_answer(chunked) == url
    assert parse_batch_answer(')]}\'\n\n[["wrb.fr","Fbv4je",null,null,null,[3],"generic"]]') is None
    assert parse_batch_answer("<html>Error 400</html>") is None


def test_google_alerts_links_unwrap_without_a_request():
    link = "https://www.google.com/url?rct=j&sa=t&url=https://www.rbc.ru/technology_and_media/01/12/2026/story&ct=ga&cd=CAEYACoT&usg=AOvVaw"
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>tag:google.com,2005:reader/user/1</id>'
        f"<title>Google Alert - relocation</title><entry><id>tag:google.com,2013:googlealerts/feed:1</id><title>IT</title>"
        f'<link href="{link.replace("&", "&amp;")}"/><updated>2026-12-01T10:00:00Z</updated></entry></feed>'
    )
    (c,) = parse_feed(feed.encode(), "https://www.google.com/alerts/feeds/1/2", "application/atom+xml", "feed", "k")
    assert c.discovered_url == "https://www.rbc.ru/technology_and_media/01/12/2026/story"
    assert (
        unwrap_redirect("https://example.org/url?url=https://x.example/")
        == "https://example.org/url?url=https://x.example/"
    )


def test_a_link_whose_article_another_source_listed_first_is_still_known(tmp_path):
    from core.records import Candidate
    from warehouse.db import connect
    from warehouse.fetchstate import known_links, record_discovery

    url = "https://outlet.example/story"
    link = "https://news.google.com/rss/articles/CBMiAbc?oc=5"
    with connect(tmp_path / "w.duckdb") as con:
        record_discovery(con, [], [Candidate(url, url, "feed-key", "feed")])
        record_discovery(con, [], [Candidate(url, url, "search-key", "news_search", via=link)])
        assert link in known_links(con)
        assert con.execute("SELECT count(*), min(kind) FROM candidates").fetchall() == [(1, "feed")]
