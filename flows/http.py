"""The one place httpx is called.

`Fetcher` wraps one long-lived httpx.AsyncClient with what a good web citizen needs:
per-host concurrency and a minimum delay between request starts to one host, a global
cap, robots.txt (cached per host), conditional GET, retries with exponential backoff and
jitter that honour Retry-After, a whole-request timeout, a size cap enforced while
streaming, only public destinations (addresses.py), and a record of every attempt. httpx's errors are translated here, once, into
the transient/terminal FetchError tree.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import random
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urldefrag, urlsplit
from urllib.robotparser import RobotFileParser

import courlan
import httpx

from core.errors import FetchError, TerminalFetchError, TransientFetchError
from core.settings import FetchSettings

from .addresses import InternalAddress, guarded_transport, networks, request_guard
from .decoding import ACCEPTED, BadEncoding, BoundedDecoder, TooLarge


@dataclass(frozen=True, slots=True)
class HttpResult:
    url: str  # after redirects
    status: int  # 304 when a conditional request found nothing new
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    url: str
    host: str
    purpose: str  # source | page | robots
    attempt: int
    status: int | None
    bytes: int | None
    elapsed_ms: float
    error: str | None
    started_at: datetime


def make_client(fetch: FetchSettings) -> httpx.AsyncClient:
    """The run's client: only public addresses (or those the topic allows), on every hop."""
    allowed = networks(fetch.allow_internal)
    limits = httpx.Limits(max_connections=fetch.max_concurrency, max_keepalive_connections=fetch.max_concurrency)
    return httpx.AsyncClient(
        headers={
            "User-Agent": fetch.user_agent,
            "Accept-Language": "en, ru;q=0.9, *;q=0.5",
            "Accept-Encoding": ACCEPTED,
        },
        timeout=httpx.Timeout(fetch.timeout),
        follow_redirects=True,
        max_redirects=fetch.max_redirects,
        transport=guarded_transport(allowed, limits),
        event_hooks={"request": [request_guard(allowed)]},
        # An explicit auth that adds nothing: otherwise httpx sends a URL's user:pass@ as Basic auth.
        auth=httpx.Auth(),
    )


def normalize_url(url: str) -> str:
    """Canonical form for storage and deduplication: courlan's normalisation (lower-case host,
    tracking parameters dropped) without the fragment."""
    try:
        return urldefrag(courlan.normalize_url(url))[0]
    except (ValueError, AttributeError):
        return urldefrag(url)[0]


FETCHABLE_SCHEMES = ("http", "https")


def refuse_scheme(url: str) -> None:
    """Only the web: a feed may list file:, ftp: or javascript: links, and none is followed."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        raise TerminalFetchError(url, "unsupported_scheme", f"scheme {scheme or '(none)'!r}, only http and https")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def same_site(a: str, b: str) -> bool:
    """Both URLs are on one registered domain (news.bbc.co.uk and www.bbc.co.uk are; two
    github.io sites are not); hosts with none, such as addresses, must be equal."""
    da, db = courlan.extract_domain(a), courlan.extract_domain(b)
    return da == db if da and db else bool(host_of(a)) and host_of(a) == host_of(b)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds, from either of its forms (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def _read_body(resp: httpx.Response, url: str, max_bytes: int) -> list[bytes]:
    """The body, its Content-Encoding undone here rather than by httpx, so that the cap holds
    for the bytes every layer produces while they stream (decoding.py)."""
    try:
        decoder = BoundedDecoder(resp.headers.get("content-encoding", ""), max_bytes)
        chunks = []
        async for raw in resp.aiter_raw():
            chunks += decoder.feed(raw)
        return chunks + decoder.flush()
    except TooLarge as exc:
        raise TerminalFetchError(url, "too_large", str(exc), status=resp.status_code) from None
    except BadEncoding as exc:
        raise TerminalFetchError(url, "bad_encoding", str(exc), status=resp.status_code) from None


class HostGate:
    """At most `per_host` requests in flight to a host, and starts at least `delay` apart."""

    def __init__(self, fetch: FetchSettings, last_starts: Mapping[str, datetime] | None = None) -> None:
        self.fetch = fetch
        self._slots: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(fetch.per_host_concurrency))
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        # Wall-clock seconds; seeded from the warehouse so the gap holds across stages and runs.
        self._next_start: dict[str, float] = {
            host: started.timestamp() + fetch.delay_for(host) for host, started in (last_starts or {}).items()
        }

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        async with self._slots[host]:
            async with self._locks[host]:
                wait = self._next_start.get(host, 0.0) - time.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start[host] = time.time() + self.fetch.delay_for(host)
            yield


class Fetcher:
    def __init__(
        self, client: httpx.AsyncClient, fetch: FetchSettings, last_starts: Mapping[str, datetime] | None = None
    ) -> None:
        self.client, self.fetch = client, fetch
        self.gate = HostGate(fetch, last_starts)
        self.global_slots = asyncio.Semaphore(fetch.max_concurrency)
        self.attempts: list[Attempt] = []
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def get(
        self,
        url: str,
        purpose: str,
        *,
        params: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        form: Mapping[str, str] | None = None,
        attempts: int | None = None,
    ) -> HttpResult:
        """GET with retries (a POST of `form` when given); raises TransientFetchError or
        TerminalFetchError. `attempts` lowers the tries for a service that penalises retries."""
        refuse_scheme(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.fetch.total_timeout * self.fetch.attempts
        tries = attempts or self.fetch.attempts
        for attempt in range(1, tries + 1):
            try:
                return await self._once(url, purpose, attempt, params, headers, max_bytes or self.fetch.max_bytes, form)
            except TransientFetchError as exc:
                pause = (
                    exc.retry_after
                    if exc.retry_after is not None
                    else self.fetch.backoff * 2 ** (attempt - 1) * (0.5 + random.random())
                )
                if attempt == tries or pause > self.fetch.max_retry_after or time.monotonic() + pause > deadline:
                    raise
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def _once(
        self,
        url: str,
        purpose: str,
        attempt: int,
        params: dict[str, str] | None,
        headers: dict[str, str],
        max_bytes: int,
        form: Mapping[str, str] | None = None,
    ) -> HttpResult:
        host = host_of(url)
        async with self.gate.slot(host), self.global_slots:
            started, t0 = datetime.now(UTC), time.perf_counter()
            status: int | None = None
            size: int | None = None
            error: str | None = None
            try:
                result = await asyncio.wait_for(
                    self._request(url, params, headers, max_bytes, form), self.fetch.total_timeout
                )
                status, size = result.status, len(result.body)
                return result
            except TimeoutError:
                error = "timeout"
                raise TransientFetchError(
                    url, "timeout", f"whole request over {self.fetch.total_timeout:g} s"
                ) from None
            except FetchError as exc:
                error, status = exc.reason, exc.status
                raise
            finally:
                self.attempts.append(
                    Attempt(
                        url, host, purpose, attempt, status, size, 1000 * (time.perf_counter() - t0), error, started
                    )
                )

    async def _request(
        self,
        url: str,
        params: dict[str, str] | None,
        headers: dict[str, str],
        max_bytes: int,
        form: Mapping[str, str] | None = None,
    ) -> HttpResult:
        method = "POST" if form is not None else "GET"
        try:
            async with self.client.stream(method, url, params=params, headers=headers, data=form) as resp:
                if resp.status_code == 304:
                    return HttpResult(
                        str(resp.url),
                        304,
                        resp.headers.get("content-type", ""),
                        b"",
                        resp.headers.get("etag"),
                        resp.headers.get("last-modified"),
                    )
                if resp.status_code == 429 or resp.status_code >= 500:
                    raise TransientFetchError(
                        url,
                        f"http_{resp.status_code}",
                        status=resp.status_code,
                        retry_after=retry_after_seconds(resp.headers.get("retry-after")),
                    )
                if resp.status_code >= 400:
                    raise TerminalFetchError(url, f"http_{resp.status_code}", status=resp.status_code)
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise TerminalFetchError(
                        url, "too_large", f"{declared} bytes declared, cap {max_bytes}", status=resp.status_code
                    )
                chunks = await _read_body(resp, url, max_bytes)
                return HttpResult(
                    str(resp.url),
                    resp.status_code,
                    resp.headers.get("content-type", ""),
                    b"".join(chunks),
                    resp.headers.get("etag"),
                    resp.headers.get("last-modified"),
                )
        except FetchError:
            raise
        except InternalAddress as exc:
            raise TerminalFetchError(url, "internal_address", str(exc)) from None
        except httpx.TooManyRedirects as exc:
            raise TerminalFetchError(url, "too_many_redirects", str(exc)) from None
        except httpx.TimeoutException:
            raise TransientFetchError(url, "timeout") from None
        except httpx.UnsupportedProtocol as exc:
            # httpx refuses a redirect to a non-http scheme with this error, before any request.
            raise TerminalFetchError(url, "unsupported_scheme", str(exc)) from None
        except httpx.InvalidURL as exc:
            raise TerminalFetchError(url, "bad_url", str(exc)) from None
        except httpx.TransportError as exc:
            raise TransientFetchError(url, "connection_error", str(exc) or type(exc).__name__) from None

    async def allowed(self, url: str) -> bool:
        """robots.txt says this user agent may fetch `url` (fetched once per host; errors allow)."""
        if not self.fetch.respect_robots or urlsplit(url).scheme.lower() not in FETCHABLE_SCHEMES:
            return True  # a non-web URL is refused by get() with its own reason, not by robots
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks[key]:
            if key not in self._robots:
                self._robots[key] = await self._read_robots(key)
        rules = self._robots[key]
        return True if rules is None else rules.can_fetch(self.fetch.user_agent, url)

    async def _read_robots(self, base: str) -> RobotFileParser | None:
        try:
            res = await self._once(f"{base}/robots.txt", "robots", 1, None, {}, 500_000)
        except FetchError:
            return None  # no robots.txt, or none readable: allowed
        rules = RobotFileParser()
        rules.parse(res.body.decode("utf-8", errors="replace").splitlines())
        return rules
