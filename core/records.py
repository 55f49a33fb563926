"""Records passed between pipeline stages: frozen, typed, never tuples."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.figures import Extraction

SourceKind = Literal["feed", "gdelt", "news_search", "news_sitemap"]
Stage = Literal["discover", "fetch", "extract", "store", "compare", "alert"]


def short_hash(*parts: object) -> str:
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article URL a source listed."""

    url: str  # normalised
    discovered_url: str  # as listed
    source_url: str
    kind: SourceKind
    title: str | None = None
    published: str | None = None
    seen_at: str | None = None  # ISO 8601, UTC: when the source first saw it (GDELT's seendate)
    outlet: str | None = None  # as the source names it: GDELT's domain, a news item's <source>
    outlet_url: str | None = None
    language: str | None = None  # ISO 639-1 hint from the source, checked by the detector
    via: str | None = None  # the aggregator link it was resolved from (news search)
    dropped: str | None = None  # a reason when it is never to be fetched (undecodable_link)


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the warehouse remembers of a source between runs."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_ok_at: datetime | None = None
    backed_off: bool = False


@dataclass(frozen=True, slots=True)
class SourceResult:
    url: str  # stable key: the GDELT date window is not part of it
    kind: SourceKind
    ok: bool
    items: int = 0
    reason: str | None = None
    detail: str | None = None
    not_modified: bool = False  # 304, or a body identical to the last one: nothing parsed
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    skipped: bool = False  # backed off after repeated failures: not asked this run


@dataclass(frozen=True, slots=True)
class Failure:
    """Something a run could not do; recorded in run_errors."""

    stage: Stage
    url: str | None
    reason: str
    detail: str = ""
    terminal: bool = False  # a page that will never work: not fetched again


@dataclass(frozen=True, slots=True)
class Discovery:
    candidates: tuple[Candidate, ...]
    sources: tuple[SourceResult, ...]


@dataclass(frozen=True, slots=True)
class Page:
    candidate: Candidate
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class Fetched:
    pages: tuple[Page, ...]
    failures: tuple[Failure, ...]
    attempts: tuple[object, ...] = ()  # flows.http.Attempt, recorded in fetch_log


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str
    url: str
    canonical_url: str
    discovered_url: str
    source_url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD
    fetched_at: str
    language: str | None
    text: str
    text_hash: str
    extraction: Extraction
    sketch: tuple[int, ...] = ()  # near-duplicate fingerprint (drainwatch/sketch.py)


@dataclass(frozen=True, slots=True)
class Extracted:
    articles: tuple[Article, ...]
    failures: tuple[Failure, ...]


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: str
    status: Literal["complete", "partial", "failed"]
    sources_ok: int
    sources_failed: int
    articles_discovered: int
    articles_new: int
    pages_failed: int
    figures_new: int
    findings_new: int
    alerts_sent: int
    alerts_queued: int
    errors: tuple[Failure, ...]

    @property
    def exit_code(self) -> int:
        return 0 if self.status == "complete" else 1
