"""`drainwatch extract` and `drainwatch eval`: article text and figures from files or URLs,
without the warehouse."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ExtractionError
from core.fetch_settings import FetchSettings
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures

if TYPE_CHECKING:
    from flows.http import HttpResult

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


def url_text(url: str, fetch: FetchSettings) -> str:
    """A web page's article text, fetched once by the pipeline's own fetcher, so the topic's
    [fetch] limits hold here too: internal addresses refused unless allowed, size capped
    (decoded bytes), redirects bounded, robots.txt respected."""
    from flows.extract import page_text
    from flows.http import Fetcher, make_client

    async def get() -> HttpResult:
        async with make_client(fetch) as client:
            return await Fetcher(client, fetch).get(url, "page")

    result = asyncio.run(get())
    return page_text(result.body, result.url, result.content_type)


def extract_inputs(inputs: Sequence[str], topic_file: str) -> list[dict[str, Any]]:
    """Figures of each input, through the same page-to-text step as the pipeline and eval."""
    topic = load_topic(topic_file)
    cues = Cues.from_mapping(topic.cue_words)
    rows: list[dict[str, Any]] = []
    for item in inputs:
        text = url_text(item, topic.fetch) if item.startswith(("http://", "https://")) else article_text(Path(item))
        if not text:
            raise ExtractionError(item, "no article text found")
        rows.extend({**f.as_dict(), "source": item} for f in extract_figures(text, cues).figures)
    return rows
