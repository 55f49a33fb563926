"""An outlet's feeds and news sitemaps, found from its address (`drainwatch sources discover`).

trafilatura does the finding: `feeds.determine_feed` (the page-reading half of
`feeds.find_feed_urls`) reads the `<link rel=alternate>` and feed-looking links of the page,
and `sitemaps.extract_robots_sitemaps` / `sitemaps.GUESSES` say where sitemaps are. The
requests go through drainwatch's own client (politeness, timeouts, size caps) rather than
trafilatura's downloader, and `find_feed_urls` itself is not called because it answers with
the feeds' article links and falls back to asking Google News. Each feed is checked by
parsing it, and each sitemap by looking for the Google News namespace.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from trafilatura import feeds as tf_feeds
from trafilatura import sitemaps as tf_sitemaps

from core.errors import FetchError

from .http import Fetcher
from .news_sitemap import NEWS_NS, SITEMAP_NS, news_entries

MAX_FEEDS = 10
MAX_SITEMAPS = 25


@dataclass(frozen=True, slots=True)
class FoundFeed:
    url: str
    title: str | None
    items: int


@dataclass(frozen=True, slots=True)
class FoundSitemap:
    url: str
    articles: int  # <url> entries with news:news


@dataclass(frozen=True, slots=True)
class OutletSources:
    url: str
    feeds: tuple[FoundFeed, ...]
    news_sitemaps: tuple[FoundSitemap, ...]
    problems: tuple[str, ...]  # what could not be read, each naming its URL


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _text(fetcher: Fetcher, url: str, problems: list[str]) -> str | None:
    try:
        res = await fetcher.get(url, "source", max_bytes=10_000_000)
    except FetchError as exc:
        problems.append(str(exc))
        return None
    return res.body.decode("utf-8", errors="replace")


def _locs(xml: str) -> tuple[bool, list[str]]:
    """(is a sitemap index, its <loc> URLs), with a parser that resolves no entity."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return False, []
    if root is None:
        return False, []
    is_index = etree.QName(root).localname == "sitemapindex"
    locs = [e.text.strip() for e in root.iter(f"{{{SITEMAP_NS}}}loc", "loc") if e.text and len(e) == 0]
    return is_index, locs


async def find_feeds(url: str, page: str, fetcher: Fetcher, problems: list[str]) -> list[FoundFeed]:
    origin = _origin(url)
    params = tf_feeds.FeedParameters(origin, urlsplit(url).hostname or "", url)
    found = []
    for link in tf_feeds.determine_feed(page, params)[:MAX_FEEDS]:
        body = await _text(fetcher, link, problems)
        if body is None:
            continue
        parsed = feedparser.parse(body)
        if parsed.version or parsed.entries:
            found.append(FoundFeed(link, parsed.feed.get("title"), len(parsed.entries)))
        else:
            problems.append(f"{link}: announced as a feed, but not one")
    return found


async def find_news_sitemaps(url: str, fetcher: Fetcher, problems: list[str]) -> list[FoundSitemap]:
    origin = _origin(url)
    robots = await _text(fetcher, f"{origin}/robots.txt", [])
    todo = tf_sitemaps.extract_robots_sitemaps(robots, origin) or [f"{origin}/{g}" for g in tf_sitemaps.GUESSES]
    # News sitemaps first: an index may list hundreds of archive sitemaps.
    seen: set[str] = set()
    found = []
    while todo and len(seen) < MAX_SITEMAPS:
        todo.sort(key=lambda u: "news" not in u.lower())
        link = todo.pop(0)
        if link in seen:
            continue
        seen.add(link)
        body = await _text(fetcher, link, [] if not robots else problems)
        if body is None or not tf_sitemaps.is_plausible_sitemap(link, body):
            continue
        is_index, locs = _locs(body)
        if is_index:
            todo.extend(urljoin(link, loc) for loc in locs)
        elif NEWS_NS in body:
            found.append(FoundSitemap(link, len(news_entries(body.encode("utf-8")))))
    return found


async def find_sources(url: str, fetcher: Fetcher) -> OutletSources:
    problems: list[str] = []
    page = await _text(fetcher, url, problems)
    feeds_found, sitemaps_found = await asyncio.gather(
        find_feeds(url, page, fetcher, problems) if page else asyncio.sleep(0, result=[]),
        find_news_sitemaps(url, fetcher, problems),
    )
    # A section's address (example.org/tech/) keeps the sitemaps of that section, when it has any.
    if urlsplit(url).path.strip("/"):
        own = [m for m in sitemaps_found if m.url.startswith(url.rstrip("/") + "/")]
        sitemaps_found = own or sitemaps_found
    return OutletSources(url, tuple(feeds_found), tuple(sitemaps_found), tuple(problems))
