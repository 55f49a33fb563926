"""Fetching article pages: robots.txt first, then politely, HTML only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from core.errors import FetchError
from core.records import Candidate, Failure, Fetched, Page

from .http import Fetcher

log = logging.getLogger(__name__)
HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_html(content_type: str, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


async def fetch_pages(candidates: Sequence[Candidate], fetcher: Fetcher) -> Fetched:
    first_attempt = len(fetcher.attempts)

    async def one(c: Candidate) -> Page | Failure:
        if not await fetcher.allowed(c.discovered_url):
            return Failure("fetch", c.discovered_url, "robots_disallowed", "robots.txt forbids it", terminal=True)
        try:
            res = await fetcher.get(c.discovered_url, "page")
        except FetchError as exc:
            return Failure("fetch", c.discovered_url, exc.reason, exc.detail, terminal=not exc.transient)
        if not looks_like_html(res.content_type, res.body):
            return Failure("fetch", c.discovered_url, "not_html", res.content_type or "no content type", terminal=True)
        return Page(c, res.url, res.status, res.content_type, res.body, datetime.now(UTC).isoformat())

    results = await asyncio.gather(*(one(c) for c in candidates))
    pages = tuple(r for r in results if isinstance(r, Page))
    failures = tuple(r for r in results if isinstance(r, Failure))
    log.info(
        "fetched %d pages, %d failed",
        len(pages),
        len(failures),
        extra={"progress": {"stage": "fetch", "advance": len(candidates)}},
    )
    return Fetched(pages, failures, tuple(fetcher.attempts[first_attempt:]))
