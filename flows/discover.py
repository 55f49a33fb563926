"""Discovery: article URLs from RSS/Atom feeds, the GDELT DOC 2.0 API and news-search RSS."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import urljoin

import feedparser
import httpx

from drainwatch.errors import FetchError
from drainwatch.records import Candidate, Discovery, SourceKind, SourceResult
from drainwatch.topic import Sources

from .http import get, normalize_url

log = logging.getLogger(__name__)
MAX_SOURCE_BYTES = 10_000_000


def parse_feed(body: bytes, base_url: str, content_type: str, kind: SourceKind, source_url: str) -> list[Candidate]:
    """Entries of an RSS/Atom document; a broken tail still yields what came before it."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url, "content-type": content_type or "application/xml"})
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable feed ({type(parsed.bozo_exception).__name__}: {parsed.bozo_exception})")
    out = []
    for e in parsed.entries:
        link = e.get("link") or e.get("id")
        if not link:
            continue
        absolute = urljoin(base_url, link)
        if not absolute.startswith(("http://", "https://")):
            continue
        published = e.get("published") or e.get("updated")
        out.append(Candidate(normalize_url(absolute), absolute, source_url, kind, e.get("title"), published))
    if parsed.bozo and not out:
        raise ValueError(f"no usable entry ({type(parsed.bozo_exception).__name__}: {parsed.bozo_exception})")
    return out


def parse_gdelt(body: bytes, source_url: str) -> list[Candidate]:
    """Articles of a GDELT DOC 2.0 ArtList JSON answer."""
    try:
        data = json.loads(body.decode("utf-8-sig") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc}); GDELT answers errors as plain text: {body[:120]!r}") from None
    articles = data.get("articles", []) if isinstance(data, dict) else []
    out = []
    for a in articles:
        url = a.get("url") if isinstance(a, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            out.append(Candidate(normalize_url(url), url, source_url, "gdelt", a.get("title"), a.get("seendate")))
    return out


async def _feed(client: httpx.AsyncClient, url: str, kind: SourceKind, params: dict[str, str] | None = None) -> tuple[SourceResult, list[Candidate]]:
    label = url if not params else str(httpx.URL(url, params=params))
    try:
        res = await get(client, url, MAX_SOURCE_BYTES, params)
        items = parse_feed(res.body, res.url, res.content_type, kind, label)
    except FetchError as exc:
        return SourceResult(label, kind, False, 0, exc.reason, exc.detail), []
    except ValueError as exc:
        return SourceResult(label, kind, False, 0, "malformed_feed", str(exc)), []
    return SourceResult(label, kind, True, len(items)), items


async def _gdelt(client: httpx.AsyncClient, sources: Sources) -> tuple[SourceResult, list[Candidate]]:
    params = {
        "query": sources.gdelt_query, "mode": "ArtList", "format": "json",
        "maxrecords": str(sources.gdelt_max_records), "timespan": sources.gdelt_timespan, "sort": "DateDesc",
    }
    label = str(httpx.URL(sources.gdelt_doc_api, params=params))
    try:
        res = await get(client, sources.gdelt_doc_api, MAX_SOURCE_BYTES, params)
        items = parse_gdelt(res.body, label)
    except FetchError as exc:
        return SourceResult(label, "gdelt", False, 0, exc.reason, exc.detail), []
    except ValueError as exc:
        return SourceResult(label, "gdelt", False, 0, "malformed_json", str(exc)), []
    return SourceResult(label, "gdelt", True, len(items)), items


async def discover(sources: Sources, client: httpx.AsyncClient) -> Discovery:
    """Ask every source for its articles; a failing source is reported, never raised."""
    jobs = [_feed(client, url, "feed") for url in sources.feeds]
    if sources.gdelt_doc_api and sources.gdelt_query:
        jobs.append(_gdelt(client, sources))
    if sources.news_search_rss:
        jobs += [_feed(client, sources.news_search_rss, "news_search", {"q": q, "hl": "en-US", "gl": "US", "ceid": "US:en"})
                 for q in sources.news_search_queries]
    results = await asyncio.gather(*jobs)
    seen: dict[str, Candidate] = {}
    for _, items in results:
        for c in items:
            seen.setdefault(c.url, c)
    for r, _ in results:
        log.info("source %s: %s", r.url, f"{r.items} items" if r.ok else f"failed ({r.reason})")
    return Discovery(tuple(seen.values()), tuple(r for r, _ in results))
