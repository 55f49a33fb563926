"""How drainwatch fetches: the [fetch] section of a topic file, with its defaults.

Its own module because both the topic file (which reads it) and the settings (which
carry it) need it, and neither may import the other in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "drainwatch/0.1 (news figure monitor; set DRAINWATCH_USER_AGENT to add a contact URL)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    """Sent with every request; put a contact URL in it for production use."""
    timeout: float = 20.0
    """Seconds for connect, read and write each."""
    total_timeout: float = 60.0
    """Seconds for a whole request, body included."""
    max_concurrency: int = 8
    """Requests in flight at once, over all hosts."""
    per_host_concurrency: int = 2
    """Requests in flight at once to one host."""
    host_delay: float = 1.0
    """Minimum seconds between the starts of two requests to one host."""
    host_delays: tuple[tuple[str, float], ...] = (("api.gdeltproject.org", 5.0),)
    """Per-host overrides of host_delay (GDELT allows one request per 5 s)."""
    max_bytes: int = 5_000_000
    """A page larger than this is dropped (reason too_large) while streaming."""
    max_redirects: int = 5
    attempts: int = 3
    """Tries for a transient failure (timeout, connection error, 429, 5xx)."""
    backoff: float = 0.5
    """First pause between tries, doubled each time, with jitter."""
    max_retry_after: float = 30.0
    """Longest Retry-After honoured; a longer one fails the request for this run."""
    respect_robots: bool = True
    max_pages_per_run: int = 500
    """Pages fetched per run at most; the rest wait, in the candidates table, for the next."""
    batch_size: int = 50
    """Pages fetched, extracted and stored together; memory stays flat in the run's size."""
    extract_workers: int = 0
    """Processes for extraction (0 = one per core); batches under 8 pages stay in-process."""
    page_budget: float = 10.0
    """Seconds of figure extraction one page may take; a page over it is dropped for good
    (reason extraction_budget), so that no page can stall every run."""
    allow_internal: tuple[str, ...] = ()
    """Addresses or CIDR networks that may be fetched although they are not public, such as
    127.0.0.1 for a site on this machine. Anything else resolving to loopback, private,
    link-local or reserved space is refused (internal_address)."""
    max_page_attempts: int = 5
    """A page failing transiently this many runs is given up: dropped, keeping its last error."""

    def delay_for(self, host: str) -> float:
        return dict(self.host_delays).get(host, self.host_delay)
