"""The one place httpx is called: a client built from settings, and a GET that streams with
a size cap and translates httpx's errors into our transient/terminal FetchError tree."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag

import courlan
import httpx

from drainwatch.errors import FetchError, TerminalFetchError, TransientFetchError
from drainwatch.settings import FetchSettings


@dataclass(frozen=True, slots=True)
class HttpResult:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def make_client(fetch: FetchSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"User-Agent": fetch.user_agent, "Accept-Language": "en, ru;q=0.9, *;q=0.5"},
        timeout=httpx.Timeout(fetch.timeout),
        follow_redirects=True,
        max_redirects=fetch.max_redirects,
        limits=httpx.Limits(max_connections=fetch.max_concurrency, max_keepalive_connections=fetch.max_concurrency),
    )


def normalize_url(url: str) -> str:
    """Canonical form for storage and deduplication: courlan's normalisation (lower-case host,
    tracking parameters dropped) without the fragment."""
    try:
        return urldefrag(courlan.normalize_url(url))[0]
    except (ValueError, AttributeError):
        return urldefrag(url)[0]


async def get(client: httpx.AsyncClient, url: str, max_bytes: int, params: dict[str, str] | None = None) -> HttpResult:
    try:
        async with client.stream("GET", url, params=params) as resp:
            if resp.status_code == 429 or resp.status_code >= 500:
                raise TransientFetchError(url, f"http_{resp.status_code}")
            if resp.status_code >= 400:
                raise TerminalFetchError(url, f"http_{resp.status_code}")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TerminalFetchError(url, "too_large", f"{declared} bytes declared, cap {max_bytes}")
            chunks, total = [], 0
            async for chunk in resp.aiter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise TerminalFetchError(url, "too_large", f"over {max_bytes} bytes")
                chunks.append(chunk)
            return HttpResult(str(resp.url), resp.status_code, resp.headers.get("content-type", ""), b"".join(chunks))
    except FetchError:
        raise
    except httpx.TooManyRedirects as exc:
        raise TerminalFetchError(url, "too_many_redirects", str(exc)) from None
    except httpx.TimeoutException:
        raise TransientFetchError(url, "timeout") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise TerminalFetchError(url, "bad_url", str(exc)) from None
    except httpx.TransportError as exc:
        raise TransientFetchError(url, "connection_error", str(exc) or type(exc).__name__) from None
