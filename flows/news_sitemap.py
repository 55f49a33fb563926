"""Publisher news sitemaps (the Google News sitemap format): a keyless source of an outlet's
articles of the last two days, each with its publication date, title and language.

    <url><loc>https://outlet/story</loc>
      <news:news><news:publication><news:name>Outlet</news:name><news:language>ru</news:language>
        </news:publication><news:publication_date>2026-12-01T08:00:00+03:00</news:publication_date>
        <news:title>Headline</news:title></news:news></url>
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from core.records import Candidate

from .http import normalize_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_AGE = timedelta(days=2)  # the format's own rule: a news sitemap lists the last two days


@dataclass(frozen=True, slots=True)
class NewsEntry:
    url: str
    title: str | None
    published: datetime | None
    outlet: str | None
    language: str | None


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def news_entries(body: bytes) -> list[NewsEntry]:
    """Every <url> with a news:news block; raises ValueError for a document that is not XML.
    The parser resolves no entity and reads no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML ({exc})") from None
    if root is None:
        raise ValueError("not XML (empty document)")
    out = []
    for url in root.iter(f"{{{SITEMAP_NS}}}url", "url"):
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc") or url.findtext("loc")
        news = url.find(f"{{{NEWS_NS}}}news")
        if not loc or news is None:
            continue
        pub = news.find(f"{{{NEWS_NS}}}publication")
        name = pub.findtext(f"{{{NEWS_NS}}}name") if pub is not None else None
        lang = pub.findtext(f"{{{NEWS_NS}}}language") if pub is not None else None
        out.append(
            NewsEntry(
                loc.strip(),
                (news.findtext(f"{{{NEWS_NS}}}title") or "").strip() or None,
                _date(news.findtext(f"{{{NEWS_NS}}}publication_date")),
                (name or "").strip() or None,
                (lang or "").strip().lower()[:2] or None,
            )
        )
    return out


def parse_news_sitemap(body: bytes, source_url: str, now: datetime) -> list[Candidate]:
    """Candidates of the last two days; an entry without a date is taken (the sitemap is
    meant to hold only recent articles), one older than two days is not."""
    out = []
    for e in news_entries(body):
        if not e.url.startswith(("http://", "https://")):
            continue
        if e.published is not None and now - e.published > MAX_AGE:
            continue
        out.append(
            Candidate(
                normalize_url(e.url),
                e.url,
                source_url,
                "news_sitemap",
                e.title,
                e.published.isoformat() if e.published else None,
                outlet=e.outlet,
                language=e.language,
            )
        )
    return out
