"""The one exception tree of drainwatch.

    DrainwatchError
    ├── ConfigError(file, key)      bad or missing setting; the CLI exits 2
    ├── FetchError(url)             a source or page could not be had
    │   ├── TransientFetchError     worth retrying: timeouts, connection errors, 429, 5xx
    │   └── TerminalFetchError      not worth retrying: 404, 410, other 4xx, too large, not HTML
    ├── ExtractionError(article)    a page could not be turned into an article
    │   └── ExtractionBudgetExceeded  figure extraction took longer than a page may take
    ├── WarehouseError(path)        the DuckDB file could not be opened or written
    │   └── DatabaseBusy            another process holds the file (a run, a long query)
    └── AlertError(transport)       an email could not be delivered (it stays queued)

Every message names the file, key, URL or path it is about, so that a one-line error
printed by the CLI is enough to act on.
"""

from __future__ import annotations


class DrainwatchError(Exception):
    """Base class: everything drainwatch raises on purpose."""


class ConfigError(DrainwatchError):
    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


class FetchError(DrainwatchError):
    """`reason` is a short machine-readable word stored with the failure (http_404, timeout...)."""

    transient = False

    def __init__(
        self, url: str, reason: str, detail: str = "", *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        self.url, self.reason, self.detail = url, reason, detail
        self.status, self.retry_after = status, retry_after
        super().__init__(f"{url}: {reason}" + (f" ({detail})" if detail else ""))


class TransientFetchError(FetchError):
    transient = True


class TerminalFetchError(FetchError):
    transient = False


class ExtractionError(DrainwatchError):
    def __init__(self, url: str, problem: str) -> None:
        self.url, self.problem = url, problem
        super().__init__(f"{url}: {problem}")


class ExtractionBudgetExceeded(ExtractionError):
    """Raised by the extractors, which know no URL; the pipeline records it with the page's."""

    def __init__(self, seconds: float, url: str = "") -> None:
        self.seconds = seconds
        super().__init__(url or "article text", f"figure extraction took over {seconds:g} s")


class WarehouseError(DrainwatchError):
    def __init__(self, path: str, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")


class DatabaseBusy(WarehouseError):
    """Another process has the file open in a way that shuts this opener out; it may be worth
    waiting for (a reader ends its query), or reading the last snapshot instead."""


class AlertError(DrainwatchError):
    def __init__(self, transport: str, problem: str) -> None:
        self.transport, self.problem = transport, problem
        super().__init__(f"{transport}: {problem}")
