"""`drainwatch extract` and `drainwatch eval`: article text and figures from files or URLs,
without the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from core.errors import ExtractionError, FetchError
from core.fetch_settings import DEFAULT_USER_AGENT
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures

TEXT_SUFFIXES = (".txt", ".text", ".md")


def article_text(path: Path) -> str:
    """A file's article text: .txt as is, anything else through trafilatura."""
    from flows.extract import page_text

    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(str(path), f"cannot read ({exc.strerror})") from None
    if path.suffix.lower() in TEXT_SUFFIXES:
        return body.decode("utf-8", errors="replace")
    return page_text(body, path.resolve().as_uri())


def url_text(url: str) -> str:
    """A web page's article text, fetched once (no politeness needed for one page)."""
    from flows.extract import page_text

    try:
        resp = httpx.get(url, follow_redirects=True, timeout=20, headers={"User-Agent": DEFAULT_USER_AGENT})
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise FetchError(url, "fetch_failed", str(exc)) from None
    return page_text(resp.content, str(resp.url), resp.headers.get("content-type", ""))


def extract_inputs(inputs: Sequence[str], topic_file: str) -> list[dict[str, Any]]:
    """Figures of each input, through the same page-to-text step as the pipeline and eval."""
    cues = Cues.from_mapping(load_topic(topic_file).cue_words)
    rows: list[dict[str, Any]] = []
    for item in inputs:
        text = url_text(item) if item.startswith(("http://", "https://")) else article_text(Path(item))
        if not text:
            raise ExtractionError(item, "no article text found")
        rows.extend({**f.as_dict(), "source": item} for f in extract_figures(text, cues).figures)
    return rows
