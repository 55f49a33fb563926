"""From fetched page to article: trafilatura for text and metadata, then the extractors."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

import trafilatura

from core.errors import ExtractionBudgetExceeded
from core.records import Article, Extracted, Failure, Page, short_hash
from core.sketch import sketch
from extractors.cues import Cues
from extractors.figures import extract_figures

from .charset import decode_html
from .http import normalize_url, same_site

log = logging.getLogger(__name__)
_LANG_ATTR = re.compile(rb"<html[^>]*\slang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
CONFIDENT = 0.9  # the detector's probability above which hints are not needed
PLAUSIBLE = 0.05  # a hint the detector gives at least this much is believed over an unsure detector
MIN_TEXT = 200  # characters: under this, the detector is unsure whatever it says


def declared_language(body: bytes) -> str | None:
    """The page's `<html lang>` (ru-RU -> ru): a hint, since templates often declare one
    language for a whole multilingual site."""
    m = _LANG_ATTR.search(body[:4096])
    return m.group(1).decode("ascii").lower()[:2] if m else None


def guess_language(text: str, cues: Cues, hints: Sequence[str | None] = ()) -> str | None:
    """The article's language (ISO 639-1): py3langid on the text, with the source's word
    (GDELT's or a news sitemap's language) and then the page's `<html lang>` as hints. A
    confident detection on enough text wins; otherwise the first hint the detector does not
    rule out; a hint the detector rules out is ignored."""
    known = [h.lower() for h in hints if h]
    scores = cues.language_scores(text) if text.strip() else []
    if not scores:
        return known[0] if known else None
    top, p = scores[0]
    if p >= CONFIDENT and len(text) >= MIN_TEXT:
        return top
    probability = dict(scores)
    for h in known:
        if probability.get(h, 0.0) >= PLAUSIBLE:
            return h
    return top


def _document(body: bytes, content_type: str, url: str) -> Any:
    # Decoded here (header, BOM, meta, detection) so that a charset the header states wins.
    return trafilatura.bare_extraction(
        decode_html(body, content_type),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )


def page_text(body: bytes, url: str, content_type: str = "") -> str:
    """The main text of an HTML page as the pipeline sees it; "" when trafilatura finds none."""
    doc = _document(body, content_type, url)
    return (doc.text or "").strip() if doc is not None else ""


def extract_article(page: Page, cues: Cues, budget: float | None = None) -> Article | Failure:
    try:
        doc = _document(page.body, page.content_type, page.final_url)
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        return Failure("extract", page.final_url, "extraction_failed", f"{type(exc).__name__}: {exc}", terminal=True)
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        return Failure("extract", page.final_url, "no_text", "trafilatura found no main text", terminal=True)
    language = guess_language(text, cues, (page.candidate.language, declared_language(page.body)))
    try:
        extraction = extract_figures(text, cues, language, budget=budget)
    except ExtractionBudgetExceeded as exc:
        return Failure("extract", page.final_url, "extraction_budget", str(exc.problem), terminal=True)
    # A page may name any URL its canonical and so take another site's article id, making
    # the real article a duplicate: only a canonical on the page's own site is believed.
    declared = doc.url if doc.url and same_site(doc.url, page.final_url) else None
    canonical = normalize_url(declared or page.final_url)
    return Article(
        article_id=short_hash(canonical),
        url=page.final_url,
        canonical_url=canonical,
        discovered_url=page.candidate.discovered_url,
        source_url=page.candidate.source_url,
        # The site's own name; else the source's (GDELT's domain, a news item's <source>);
        # trafilatura falls back to the host name, which comes last here.
        outlet=(doc.sitename if doc.sitename != doc.hostname else None) or page.candidate.outlet or doc.hostname,
        title=doc.title or page.candidate.title,
        author=doc.author,
        published=doc.date,
        fetched_at=page.fetched_at,
        language=language,
        text=text,
        text_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        extraction=extraction,
        sketch=tuple(sketch(text)),
    )


_WORKER_CUES: dict[Any, Cues] = {}


def _extract_in_worker(page: Page, cue_words: Any, budget: float | None) -> Article | Failure:
    cues = _WORKER_CUES.get(cue_words)
    if cues is None:  # compiled once per worker process
        cues = _WORKER_CUES.setdefault(cue_words, Cues.from_key(cue_words))
    return extract_article(page, cues, budget)


def extract_articles(
    pages: Sequence[Page], cues: Cues, pool: Executor | None = None, budget: float | None = None
) -> Extracted:
    """Articles from pages; with a process pool, on every core (trafilatura is CPU-bound)."""
    articles: list[Article] = []
    failures: list[Failure] = []
    if pool is not None and len(pages) > 1:
        key = cues.key
        results = list(pool.map(_extract_in_worker, pages, [key] * len(pages), [budget] * len(pages), chunksize=4))
    else:
        results = [extract_article(page, cues, budget) for page in pages]
    for result in results:
        if isinstance(result, Article):
            articles.append(result)
        else:
            failures.append(result)
    log.info(
        "extracted %d articles (%d figures), %d pages without text",
        len(articles),
        sum(len(a.extraction.figures) for a in articles),
        len(failures),
    )
    return Extracted(tuple(articles), tuple(failures))
