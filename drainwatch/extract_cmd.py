"""`drainwatch extract`: figures from files or URLs, without the warehouse."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import httpx

from extractors.figures import extract_figures

from .errors import ExtractionError, FetchError
from .records import Candidate, Page
from .settings import DEFAULT_USER_AGENT
from .topic import load_topic

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


def extract_inputs(inputs: Sequence[str], topic_file: str) -> list[dict[str, Any]]:
    from flows.extract import extract_article

    cues = load_topic(topic_file).cues()
    rows: list[dict[str, Any]] = []
    for item in inputs:
        if item.startswith(("http://", "https://")):
            try:
                resp = httpx.get(item, follow_redirects=True, timeout=20, headers={"User-Agent": DEFAULT_USER_AGENT})
                resp.raise_for_status()
            except httpx.HTTPError as exc:
                raise FetchError(item, "fetch_failed", str(exc)) from None
            body, final = resp.content, str(resp.url)
        else:
            path = Path(item)
            try:
                body, final = path.read_bytes(), path.resolve().as_uri()
            except OSError as exc:
                raise ExtractionError(item, f"cannot read ({exc.strerror})") from None
            if path.suffix.lower() in TEXT_SUFFIXES:
                for f in extract_figures(body.decode("utf-8", errors="replace"), cues).figures:
                    rows.append({**f.as_dict(), "source": item})
                continue
        now = datetime.now(timezone.utc).isoformat()
        article = extract_article(Page(Candidate(final, final, final, "feed"), final, 200, "text/html", body, now), cues)
        if not hasattr(article, "extraction"):
            raise ExtractionError(item, f"no article text found ({article.reason})")
        rows.extend({**f.as_dict(), "source": item} for f in article.extraction.figures)
    return rows
