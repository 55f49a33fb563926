"""Sources a new user gets: the default topic's feeds, news sitemaps, the feed prefilter and
`drainwatch sources discover`, against the sample site."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
import httpx
from click.testing import CliRunner

from core.fetch_settings import FetchSettings
from core.topic import Sources, default_topic_path, load_topic
from drainwatch.cli import main
from extractors.cues import Cues
from flows.discover import discover
from flows.http import Fetcher, make_client
from flows.news_sitemap import parse_news_sitemap

from .conftest import LOCAL

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
# Outlets that publish in Russian, by host: the topic is mostly covered in Russian.
RUSSIAN_OUTLETS = {
    "novayagazeta.eu", "feeds.bbci.co.uk", "rss.dw.com", "rssexport.rbc.ru", "www.kommersant.ru",
    "www.vedomosti.ru", "www.interfax.ru", "tass.ru", "www.cnews.ru", "habr.com",
}  # fmt: skip


def only(feeds: tuple[str, ...] = (), news_sitemaps: tuple[str, ...] = (), prefiltered: frozenset[str] = frozenset()):
    return Sources(
        feeds=feeds,
        gdelt_doc_api="",
        gdelt_query="",
        gdelt_timespan="7d",
        gdelt_max_records=75,
        news_search_rss="",
        news_search_queries=(),
        news_sitemaps=news_sitemaps,
        prefiltered_feeds=prefiltered,
    )


def ask(src: Sources, on_topic=None):
    async def go():
        fs = FetchSettings(host_delay=0.0, backoff=0.01, allow_internal=LOCAL)
        async with make_client(fs) as client:
            return await discover(src, Fetcher(client, fs), {}, frozenset(), on_topic)

    return asyncio.run(go())


def test_every_default_feed_is_a_url_and_most_outlets_write_in_russian():
    src = load_topic(default_topic_path()).sources
    for url in src.feeds + src.news_sitemaps:
        parsed = httpx.URL(url)
        assert parsed.scheme == "https" and "." in parsed.host and " " not in url, url
    hosts = {urlsplit(u).hostname for u in src.feeds}
    assert len(hosts & RUSSIAN_OUTLETS) >= 8
    assert {"www.themoscowtimes.com", "meduza.io"} <= hosts  # and English ones
    assert src.prefiltered_feeds <= set(src.feeds)


def test_the_sample_site_answers_feeds_shaped_like_the_default_ones(sample_site):
    src = load_topic(default_topic_path()).sources
    mirrored = {}
    for url in src.feeds:
        parts = urlsplit(url)
        mirrored[url] = f"{sample_site.base}/mirror/{parts.hostname}{parts.path}" + (
            f"?{parts.query}" if parts.query else ""
        )
    for url in mirrored.values():
        res = httpx.get(url)
        assert res.status_code == 200 and res.headers["content-type"].split(";")[0] in FEED_TYPES, url
        assert feedparser.parse(res.content).entries, url
    found = ask(only(tuple(mirrored.values())))
    assert all(r.ok and r.items == len(sample_site.articles) for r in found.sources)


def test_a_news_sitemap_lists_the_last_two_days_with_dates_titles_and_language(sample_site):
    url = f"{sample_site.base}/vestnik/news-sitemap.xml"
    found = ask(only(news_sitemaps=(url,)))
    mine = [a for a in sample_site.articles if a.outlet == "vestnik"]
    assert found.sources[0].ok and found.sources[0].kind == "news_sitemap"
    # The last entry is dated 2025: too old for a news sitemap, left out.
    assert {c.discovered_url for c in found.candidates} == {f"{sample_site.base}{a.path}" for a in mine[:-1]}
    for c in found.candidates:
        assert c.kind == "news_sitemap" and c.language == "ru" and c.outlet == "Вестник Сети"
        assert (
            c.title in {a.title for a in mine} and c.published and c.published.startswith(str(datetime.now(UTC).year))
        )


def test_a_broken_news_sitemap_is_a_typed_source_failure(httpserver):
    httpserver.expect_request("/news.xml").respond_with_data("", content_type="application/xml")
    found = ask(only(news_sitemaps=(httpserver.url_for("/news.xml"),)))
    assert [(r.ok, r.reason) for r in found.sources] == [(False, "malformed_sitemap")]
    entity = (
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        "<url><loc>https://a.example/1</loc><news:news><news:title>&x;</news:title></news:news></url></urlset>"
    )
    (c,) = parse_news_sitemap(entity.encode(), "k", datetime.now(UTC))
    assert c.url == "https://a.example/1" and not c.title  # the entity is not resolved


def test_the_prefilter_keeps_only_items_that_name_the_topics_subject(httpserver):
    items = [
        ("Из России уехали сто тысяч айтишников", ""),
        ("Курс рубля снова упал", "Центробанк прокомментировал ситуацию"),
        ("Exodus continues", "Tens of thousands of IT specialists have left since 2022"),
        ("Weather: snow in Moscow", "A cold week ahead"),
    ]
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>General news</title>'
        + "".join(
            f"<item><title>{t}</title><description>{d}</description><link>/n/{i}</link></item>"
            for i, (t, d) in enumerate(items)
        )
        + "</channel></rss>"
    )
    httpserver.expect_request("/rss").respond_with_data(body, content_type="application/rss+xml")
    url = httpserver.url_for("/rss")
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    subject = lambda t: cues.has("it_subject", t)  # noqa: E731 - as the monitor flow builds it
    kept = ask(only((url,), prefiltered=frozenset({url})), subject).candidates
    assert sorted(c.discovered_url.rsplit("/", 1)[1] for c in kept) == ["0", "2"]
    # A feed listed without prefilter keeps everything.
    assert len(ask(only((url,)), subject).candidates) == 4


def test_sources_discover_finds_an_outlets_feed_and_news_sitemap(sample_site, topic_file, httpserver):
    result = CliRunner().invoke(
        main, ["sources", "discover", f"{sample_site.base}/vestnik/", "--topic", str(topic_file)]
    )
    assert result.exit_code == 0, result.output
    assert f"feed          {sample_site.base}/vestnik/rss.xml" in result.output
    assert f"news sitemap  {sample_site.base}/vestnik/news-sitemap.xml" in result.output
    assert "/ledger/news-sitemap.xml" not in result.output  # the section's own sitemap only
    assert f'news_sitemaps = ["{sample_site.base}/vestnik/news-sitemap.xml"]' in result.output

    # A site with neither: a page without feed links, no robots.txt, no sitemap at the usual places.
    httpserver.expect_request("/").respond_with_data("<html><body><p>Hello</p></body></html>", content_type="text/html")
    nothing = CliRunner().invoke(main, ["sources", "discover", httpserver.url_for("/"), "--topic", str(topic_file)])
    assert nothing.exit_code == 1 and "no feed or news sitemap found" in nothing.output
    bad = CliRunner().invoke(main, ["sources", "discover", "ftp://example.org/", "--topic", str(topic_file)])
    assert bad.exit_code == 2 and "must be an http(s) URL" in bad.output
