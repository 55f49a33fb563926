"""News search (Google News RSS): links resolved to the publisher's URL before they are stored.

Since 2024 a Google News item links to `https://news.google.com/rss/articles/CBMi...?oc=5`,
an id that no longer decodes by base64 alone; fetching it gives a consent or JavaScript
page, never the article. The publisher's URL is had in two steps, as the `googlenewsdecoder`
package does them (re-implemented here so that the requests go through the project's
client, politeness and timeouts):

1. GET `/articles/<id>` on the aggregator's host: the page carries a signature and a
   timestamp in the `data-n-a-sg` and `data-n-a-ts` attributes;
2. POST the `Fbv4je` "garturlreq" batchexecute request with id, timestamp and signature:
   the answer, anti-XSSI JSON (`)]}'` first), holds the URL in a nested JSON string.

This is an unofficial interface and can break whenever Google changes it. The parsing is
lenient, and a link that cannot be resolved becomes a candidate dropped as
`undecodable_link`: the aggregator's page is never stored as an article.

Google Alerts feeds link through `https://www.google.com/url?...&url=<publisher>`; those
unwrap without any request (`unwrap_redirect`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from core.errors import FetchError
from core.records import Candidate

from .http import Fetcher, normalize_url

log = logging.getLogger(__name__)
BATCH_PATH = "/_/DotsSplashUi/data/batchexecute"
RPC_ID = "Fbv4je"
_ATTR = re.compile(r"""data-n-a-(sg|ts)\s*=\s*["']([^"']+)["']""")
_XSSI = ")]}'"
REDIRECT_HOSTS = ("google.com", "www.google.com")


@dataclass(frozen=True, slots=True)
class Resolved:
    """The publisher's URL, or why there is none (`transient`: worth asking again next run)."""

    url: str | None
    reason: str | None = None
    detail: str = ""
    transient: bool = False


def unwrap_redirect(url: str) -> str:
    """A Google redirect (`google.com/url?...&url=<publisher>`, as in Google Alerts feeds) as the
    publisher's URL; any other URL as it is."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() in REDIRECT_HOSTS and parts.path == "/url":
        query = parse_qs(parts.query)
        for key in ("url", "q"):
            target = query.get(key, [""])[0]
            if target.startswith(("http://", "https://")):
                return target
    return url


def article_id(link: str, aggregator_host: str) -> str | None:
    """The encoded id of an aggregator article link (`/rss/articles/<id>`, `/articles/<id>`,
    `/read/<id>` on the search endpoint's host), else None."""
    parts = urlsplit(link)
    if not aggregator_host or (parts.hostname or "").lower() != aggregator_host.lower():
        return None
    segments = parts.path.rstrip("/").split("/")
    if len(segments) >= 2 and segments[-2] in ("articles", "read") and segments[-1]:
        return segments[-1]
    return None


def decoding_params(page: str) -> tuple[str, str] | None:
    """(signature, timestamp) from the article page's data-n-a-sg / data-n-a-ts attributes."""
    found: dict[str, str] = {m.group(1): m.group(2) for m in _ATTR.finditer(page)}
    if "sg" in found and "ts" in found and found["ts"].isdigit():
        return found["sg"], found["ts"]
    return None


def batch_form(link_id: str, signature: str, timestamp: str, edition: str) -> dict[str, str]:
    """The form of the batchexecute request, built with json so that every part is quoted."""
    request = [
        "garturlreq",
        [["X", "X", ["X", "X"], None, None, 1, 1, edition, None, 1, None, None, None, None, None, 0, 1],
         "X", "X", 1, [1, 1, 1], 1, 1, None, 0, 0, None, 0],
        link_id,
        int(timestamp),
        signature,
    ]  # fmt: skip
    return {"f.req": json.dumps([[[RPC_ID, json.dumps(request, separators=(",", ":")), None, "generic"]]])}


def _json_values(text: str) -> Iterable[object]:
    """Every JSON value in an anti-XSSI answer: the whole body, or line by line (the chunked
    form puts a length line before each chunk)."""
    body = text.strip()
    if body.startswith(_XSSI):
        body = body[len(_XSSI) :]
    try:
        yield json.loads(body)
        return
    except json.JSONDecodeError:
        pass
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("["):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def _urls_in(value: object) -> Iterable[str]:
    if isinstance(value, str):
        if value.startswith(("http://", "https://")):
            yield value
        elif value.startswith("[") and '"' in value:
            try:
                yield from _urls_in(json.loads(value))
            except json.JSONDecodeError:
                return
    elif isinstance(value, list):
        for item in value:
            yield from _urls_in(item)


def parse_batch_answer(text: str) -> str | None:
    """The publisher's URL in a batchexecute answer: the payload of the `wrb.fr` / `Fbv4je`
    envelope is itself JSON, `["garturlres", "<url>", ...]`. None when it is not there."""
    for value in _json_values(text):
        stack = [value]
        while stack:
            item = stack.pop()
            if not isinstance(item, list):
                continue
            if len(item) >= 3 and item[0] == "wrb.fr" and item[1] == RPC_ID:
                for url in _urls_in(item[2]):
                    return url
            stack.extend(reversed(item))
    return None


async def resolve(link: str, link_id: str, fetcher: Fetcher, edition: str) -> Resolved:
    """The two decoding steps for one link; one attempt each (the service penalises retries)."""
    parts = urlsplit(link)
    origin = f"{parts.scheme}://{parts.netloc}"
    try:
        page = await fetcher.get(f"{origin}/articles/{link_id}", "decode", attempts=1, max_bytes=2_000_000)
        params = decoding_params(page.body.decode("utf-8", errors="replace"))
        if params is None:
            return Resolved(None, "undecodable_link", "no data-n-a-sg/data-n-a-ts on the article page")
        answer = await fetcher.get(
            f"{origin}{BATCH_PATH}",
            "decode",
            params={"rpcids": RPC_ID},
            form=batch_form(link_id, params[0], params[1], edition),
            attempts=1,
            max_bytes=500_000,
        )
    except FetchError as exc:
        if exc.transient:
            return Resolved(None, exc.reason, exc.detail, transient=True)
        return Resolved(None, "undecodable_link", f"{exc.reason} {exc.detail}".strip())
    url = parse_batch_answer(answer.body.decode("utf-8", errors="replace"))
    if url is None:
        return Resolved(None, "undecodable_link", "no URL in the batchexecute answer")
    return Resolved(url)


async def resolve_candidates(
    candidates: Sequence[Candidate],
    fetcher: Fetcher,
    aggregator_host: str,
    editions: dict[str, str],
    known: Set[str],
    max_per_source: int,
) -> list[Candidate]:
    """News-search candidates with the publisher's URL; an undecodable link is kept as a
    candidate dropped with its reason; a link resolved or dropped before is left out, and a
    transient failure (the service slowing us down) stops decoding until the next run.
    `editions` maps a search's source key to its edition."""
    out: list[Candidate] = []
    todo: list[tuple[Candidate, str]] = []
    per_source: dict[str, int] = {}
    for c in candidates:
        link_id = article_id(c.discovered_url, aggregator_host)
        if link_id is None:
            out.append(c)
        elif c.discovered_url not in known and per_source.get(c.source_url, 0) < max_per_source:
            per_source[c.source_url] = per_source.get(c.source_url, 0) + 1
            todo.append((c, link_id))
    stop = asyncio.Event()

    async def one(c: Candidate, link_id: str) -> Candidate | None:
        if stop.is_set():
            return None
        got = await resolve(c.discovered_url, link_id, fetcher, editions.get(c.source_url, "US:en"))
        if got.url is not None:
            return replace(c, url=normalize_url(got.url), discovered_url=got.url, via=c.discovered_url)
        if got.transient:
            stop.set()
            log.info("news search: decoding paused until the next run (%s %s)", got.reason, got.detail)
            return None
        log.info("news search: %s dropped (%s)", c.discovered_url, got.detail)
        return replace(c, dropped=got.reason)

    results = await asyncio.gather(*(one(c, i) for c, i in todo))
    out.extend(r for r in results if r is not None)
    return out
