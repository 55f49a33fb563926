"""Discovery: article URLs from RSS/Atom feeds, publisher news sitemaps, the GDELT DOC 2.0
API and news-search RSS.

Incremental: every source is asked with its last validators (If-None-Match /
If-Modified-Since); a 304, or a body whose hash equals the last one, is not parsed again.
GDELT is asked for the window since its last successful answer (flows/gdelt.py); news-search
links are resolved to the publisher's URL (flows/newssearch.py); news sitemaps give their
last two days (flows/news_sitemap.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Mapping, Set
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import httpx

from core.errors import FetchError
from core.records import Candidate, Discovery, SourceKind, SourceResult, SourceState
from core.topic import Sources

from . import gdelt, newssearch
from .http import Fetcher, host_of, normalize_url
from .news_sitemap import parse_news_sitemap
from .newssearch import unwrap_redirect

log = logging.getLogger(__name__)
MAX_SOURCE_BYTES = 10_000_000


def parse_feed(
    body: bytes,
    base_url: str,
    content_type: str,
    kind: SourceKind,
    source_url: str,
    keep: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """Entries of an RSS/Atom document; a broken tail still yields what came before it.
    With `keep`, only the entries whose title and summary it accepts (the prefilter)."""
    parsed = feedparser.parse(
        body, response_headers={"content-location": base_url, "content-type": content_type or "application/xml"}
    )
    out = []
    for e in parsed.entries:
        link = e.get("link") or e.get("id")
        if not link:
            continue
        if keep is not None and not keep(f"{e.get('title') or ''}\n{e.get('summary') or ''}"):
            continue
        # A file:, ftp: or javascript: link stays a candidate so that the fetch stage drops it
        # with a reason (unsupported_scheme) that SQL can see, instead of vanishing here.
        absolute = unwrap_redirect(urljoin(base_url, link))
        published = e.get("published") or e.get("updated")
        title = e.get("title")
        source = e.get("source") or {}
        outlet = source.get("title") or None
        if title and outlet and title.endswith(f" - {outlet}"):  # Google News: "Headline - Outlet"
            title = title[: -len(outlet) - 3]
        out.append(
            Candidate(
                normalize_url(absolute),
                absolute,
                source_url,
                kind,
                title,
                published,
                outlet=outlet,
                outlet_url=source.get("href") or source.get("url") or None,
            )
        )
    if parsed.bozo and not out:
        raise ValueError(f"no usable entry ({type(parsed.bozo_exception).__name__}: {parsed.bozo_exception})")
    return out


async def _source(
    fetcher: Fetcher,
    key: str,
    url: str,
    kind: SourceKind,
    state: SourceState,
    params: dict[str, str] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> tuple[SourceResult, list[Candidate]]:
    if state.backed_off:
        return SourceResult(key, kind, True, skipped=True), []
    try:
        res = await fetcher.get(
            url, "source", params=params, etag=state.etag, last_modified=state.last_modified, max_bytes=MAX_SOURCE_BYTES
        )
    except FetchError as exc:
        return SourceResult(key, kind, False, 0, exc.reason, exc.detail), []
    validators: dict[str, Any] = {
        "etag": res.etag or state.etag,
        "last_modified": res.last_modified or state.last_modified,
    }
    if res.status == 304:
        return SourceResult(key, kind, True, 0, not_modified=True, body_hash=state.body_hash, **validators), []
    body_hash = hashlib.sha256(res.body).hexdigest()
    if body_hash == state.body_hash:  # a stale validator, but the same body: nothing new
        return SourceResult(key, kind, True, 0, not_modified=True, body_hash=body_hash, **validators), []
    try:
        items = (
            parse_news_sitemap(res.body, key, datetime.now(UTC))
            if kind == "news_sitemap"
            else parse_feed(res.body, res.url, res.content_type, kind, key, keep)
        )
    except ValueError as exc:
        return SourceResult(
            key, kind, False, 0, "malformed_sitemap" if kind == "news_sitemap" else "malformed_feed", str(exc)
        ), []
    return SourceResult(key, kind, True, len(items), body_hash=body_hash, **validators), items


async def _gdelt(
    fetcher: Fetcher, sources: Sources, key: str, state: SourceState, now: datetime
) -> tuple[SourceResult, list[Candidate]]:
    """The window since the last good answer, paged back while answers come full.

    A page that fails keeps what the earlier pages found, but the source is not marked ok,
    so the next run asks the whole window again (candidates are deduplicated on insert)."""
    if state.backed_off:
        return SourceResult(key, "gdelt", True, skipped=True), []
    start = gdelt.window_start(sources, state.last_ok_at, now)
    end, first_hash = now, None
    found: list[Candidate] = []
    full = min(sources.gdelt_max_records, gdelt.MAX_RECORDS)
    for page_no in range(1, gdelt.MAX_PAGES + 1):
        try:
            # One attempt: a retry after a 429 lengthens GDELT's penalty.
            res = await fetcher.get(
                sources.gdelt_doc_api,
                "source",
                params=gdelt.window_params(sources, start, end),
                max_bytes=MAX_SOURCE_BYTES,
                attempts=1,
            )
            page = gdelt.parse_page(res.body, key)
        except FetchError as exc:
            reason = "rate_limited" if exc.status == 429 else exc.reason
            return SourceResult(key, "gdelt", False, len(found), reason, exc.detail), found
        except gdelt.GdeltRateLimited as exc:
            return SourceResult(key, "gdelt", False, len(found), "rate_limited", str(exc)), found
        except gdelt.GdeltQueryError as exc:
            return SourceResult(key, "gdelt", False, len(found), "gdelt_query_error", str(exc)), found
        except ValueError as exc:
            return SourceResult(key, "gdelt", False, len(found), "malformed_json", str(exc)), found
        if first_hash is None:
            first_hash = hashlib.sha256(res.body).hexdigest()
        found.extend(page.candidates)
        if page.records < full or page.oldest is None or page.oldest >= end or page.oldest <= start:
            break
        if page_no == gdelt.MAX_PAGES:
            log.warning("GDELT: %d pages were not enough; articles seen before %s are left out", page_no, page.oldest)
        end = page.oldest  # inclusive: the articles of that second come again, deduplicated by URL
    return SourceResult(key, "gdelt", True, len(found), body_hash=first_hash), found


def source_keys(sources: Sources) -> list[tuple[str, str, SourceKind, dict[str, str] | None]]:
    """(key, url, kind, params) for every source; GDELT's key leaves out its date window."""
    out: list[tuple[str, str, SourceKind, dict[str, str] | None]] = [(u, u, "feed", None) for u in sources.feeds]
    out += [(u, u, "news_sitemap", None) for u in sources.news_sitemaps]
    if sources.gdelt_doc_api and sources.gdelt_query:
        key = str(
            httpx.URL(sources.gdelt_doc_api, params={"query": sources.gdelt_query, "mode": "ArtList", "format": "json"})
        )
        out.append((key, sources.gdelt_doc_api, "gdelt", None))
    if sources.news_search_rss:
        for nq in sources.news_search_queries:
            when = sources.news_search_when
            q = nq.q if not when or "when:" in nq.q else f"{nq.q} when:{when}"
            params = {"q": q} | nq.params
            out.append(
                (str(httpx.URL(sources.news_search_rss, params=params)), sources.news_search_rss, "news_search", params)
            )
    return out


async def discover(
    sources: Sources,
    fetcher: Fetcher,
    states: Mapping[str, SourceState],
    known_links: Set[str] = frozenset(),
    on_topic: Callable[[str], bool] | None = None,
) -> Discovery:
    """Ask every source for its articles; a failing source is reported, never raised.

    News-search links are resolved to the publisher's URL (flows/newssearch.py) before they
    become candidates; `known_links` are the aggregator links resolved or dropped before.
    `on_topic` is the prefilter of the feeds listed with `prefilter = true`."""
    now = datetime.now(UTC)
    jobs = []
    for key, url, kind, params in source_keys(sources):
        state = states.get(key, SourceState())
        if kind == "gdelt":
            jobs.append(_gdelt(fetcher, sources, key, state, now))
        else:
            keep = on_topic if key in sources.prefiltered_feeds else None
            jobs.append(_source(fetcher, key, url, kind, state, params, keep))
    log.info("asking %d sources", len(jobs), extra={"progress": {"stage": "discover", "total": len(jobs)}})
    results = await asyncio.gather(*jobs)
    listed = [c for _, items in results for c in items]
    if sources.news_search_rss:
        editions = {
            key: params["ceid"] for key, _, kind, params in source_keys(sources) if kind == "news_search" and params
        }
        listed = await newssearch.resolve_candidates(
            listed, fetcher, host_of(sources.news_search_rss), editions, known_links, sources.news_search_max_links
        )
    seen: dict[str, Candidate] = {}
    for c in listed:
        seen.setdefault(c.url, c)
    for done, (r, _) in enumerate(results, 1):
        state_word = (
            "skipped (backing off)"
            if r.skipped
            else "not modified"
            if r.not_modified
            else (f"{r.items} items" if r.ok else f"failed ({r.reason})")
        )
        log.info("source %s: %s", r.url, state_word, extra={"progress": {"stage": "discover", "done": done}})
    return Discovery(tuple(seen.values()), tuple(r for r, _ in results))
