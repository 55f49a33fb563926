"""The bundled offline sample news site: feeds, a GDELT-shaped API, a news-search RSS
endpoint and article pages with real-looking page furniture, served on 127.0.0.1.

Used by `drainwatch demo` and by the tests; the articles live in demo_site/articles.toml.
"""

from __future__ import annotations

import html
import json
import threading
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class SiteArticle:
    outlet: str
    outlet_name: str
    lang: str
    slug: str
    title: str
    author: str
    date: str
    paragraphs: tuple[str, ...]
    gdelt: bool
    search: bool

    @property
    def path(self) -> str:
        return f"/{self.outlet}/{self.date[:4]}/{self.slug}.html"


def load_articles() -> tuple[dict[str, dict[str, Any]], list[SiteArticle]]:
    data = tomllib.loads(resources.files("drainwatch").joinpath("demo_site/articles.toml").read_text("utf-8"))
    outlets = {o["id"]: o for o in data["outlet"]}
    arts = [
        SiteArticle(
            a["outlet"],
            outlets[a["outlet"]]["name"],
            outlets[a["outlet"]]["lang"],
            a["slug"],
            a["title"],
            a["author"],
            a["date"],
            tuple(a["paragraphs"]),
            a.get("gdelt", False),
            a.get("search", False),
        )
        for a in data["article"]
    ]
    return outlets, arts


def render_article(a: SiteArticle, base: str, others: list[SiteArticle]) -> str:
    e = html.escape
    related = "".join(
        f'<li><a href="{e(o.path)}">{e(o.title)}</a> <span class="count">{(i * 37) % 90 + 3} comments</span></li>'
        for i, o in enumerate(others[:4])
    )
    body = "".join(f"<p>{e(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{a.lang}"><head><meta charset="utf-8">
<title>{e(a.title)} | {e(a.outlet_name)}</title>
<link rel="canonical" href="{base}{a.path}">
<meta name="author" content="{e(a.author)}">
<meta property="og:site_name" content="{e(a.outlet_name)}">
<meta property="article:published_time" content="{a.date}T08:00:00Z">
</head><body>
<div class="cookie">We use cookies to improve your experience. <button>Accept all</button></div>
<header><a href="/">{e(a.outlet_name)}</a>
<nav><a href="/{a.outlet}/world">World</a> | <a href="/{a.outlet}/business">Business</a> | <a href="/{a.outlet}/tech">Tech</a> | <a href="/{a.outlet}/sport">Sport</a></nav>
<div class="ticker">USD/RUB 92.4 · EUR/RUB 99.1 · Brent 81.2</div></header>
<main><article>
<h1>{e(a.title)}</h1>
<div class="byline">By {e(a.author)} · {a.date}</div>
{body}
</article>
<aside><h3>Most read</h3><ol>{related}</ol></aside>
<section class="comments"><h3>12 Comment(s)</h3><p>Log in to comment. 1500 / 1500 characters left.</p></section>
</main>
<footer><p>© 2025 {e(a.outlet_name)}. All rights reserved.</p><p>Contact: +7 495 123-45-67 · <a href="/about">About us</a></p></footer>
</body></html>"""


def render_rss(outlet: dict[str, Any], arts: list[SiteArticle], base: str) -> str:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{a.path}</link><guid>{base}{a.path}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(a.date).replace(tzinfo=UTC))}</pubDate></item>"
        for a in arts
    )
    # Links are relative on purpose: the fetcher must resolve them against the feed URL.
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(outlet["name"])}</title>'
        f"<link>{base}/</link><description>Latest news</description>{items}</channel></rss>"
    )


def render_atom(outlet: dict[str, Any], arts: list[SiteArticle], base: str) -> str:
    entries = "".join(
        f'<entry><title>{html.escape(a.title)}</title><link href="{base}{a.path}"/><id>{base}{a.path}</id>'
        f"<updated>{a.date}T08:00:00Z</updated></entry>"
        for a in arts
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(outlet['name'])}</title><id>{base}/{outlet['id']}</id><updated>2025-11-01T00:00:00Z</updated>{entries}</feed>"
    )


def render_search_rss(arts: list[SiteArticle], base: str, query: str) -> str:
    # Search links carry tracking parameters, as aggregators' do; drainwatch must strip them.
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{base}{a.path}?utm_source=newssearch&amp;utm_medium=rss</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(a.date).replace(tzinfo=UTC))}</pubDate></item>"
        for a in arts
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Search: {html.escape(query)}</title>'
        f"<link>{base}/news</link><description>search results</description>{items}</channel></rss>"
    )


GDELT_TIME = "%Y%m%d%H%M%S"


def gdelt_query_problem(query: str) -> str | None:
    """The real API's syntax rules that its error pages name (not all of them)."""
    depth, outside_or = 0, False
    for token in query.replace("(", " ( ").replace(")", " ) ").split():
        depth += token == "("
        depth -= token == ")"
        outside_or = outside_or or (token == "OR" and depth == 0)
    if depth != 0:
        return "Your query contains unbalanced parentheses."
    if outside_or:
        return "Queries containing OR'd terms must be surrounded by ()."
    if query.count('"') % 2:
        return "Your query contains an unclosed quoted phrase."
    if not query.strip():
        return "Your query was empty."
    return None


def render_gdelt(arts: list[SiteArticle], base: str, query: dict[str, list[str]], now: datetime) -> tuple[str, str]:
    """(content type, body) as the DOC 2.0 API answers ArtList/JSON: a bad query is an HTML
    page, the window is startdatetime..enddatetime, newest first, at most maxrecords (250)."""
    problem = gdelt_query_problem(query.get("query", [""])[0])
    if problem:
        return "text/html; charset=utf-8", f"<html><body><p>{html.escape(problem)}</p></body></html>\n"
    # GDELT's seendate is when its crawler saw the article: here, the hours before the site started.
    seen = [(now - timedelta(hours=i + 1), a) for i, a in enumerate(arts)]
    start = query.get("startdatetime", [""])[0]
    end = query.get("enddatetime", [""])[0]
    lo = datetime.strptime(start, GDELT_TIME).replace(tzinfo=UTC) if start else now - timedelta(days=7)
    hi = datetime.strptime(end, GDELT_TIME).replace(tzinfo=UTC) if end else now
    limit = min(int(query.get("maxrecords", ["75"])[0] or 75), 250)
    picked = sorted(((t, a) for t, a in seen if lo <= t.replace(microsecond=0) <= hi), key=lambda p: p[0], reverse=True)
    body = json.dumps(
        {
            "articles": [
                {
                    "url": f"{base}{a.path}",
                    "url_mobile": "",
                    "title": a.title,
                    "seendate": t.strftime("%Y%m%dT%H%M%SZ"),
                    "socialimage": "",
                    "domain": "127.0.0.1",
                    "language": "Russian" if a.lang == "ru" else "English",
                    "sourcecountry": "Russia" if a.lang == "ru" else "United Kingdom",
                }
                for t, a in picked[:limit]
            ]
        }
    )
    return "application/json; charset=utf-8", body


class SampleSite:
    """The site on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.outlets, self.articles = load_articles()
        self.started = datetime.now(UTC).replace(microsecond=0)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                status, ctype, body = site.respond(self.path)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def feed_urls(self) -> list[str]:
        return [
            f"{self.base}/{o['id']}/{'atom.xml' if o['feed'] == 'atom' else 'rss.xml'}" for o in self.outlets.values()
        ]

    def topic_toml(self) -> str:
        """A topic file pointed at this site: [sources], and no politeness delay to ourselves."""
        feeds = ", ".join(f'"{u}"' for u in self.feed_urls())
        return (
            "[fetch]\nhost_delay = 0.0\nbackoff = 0.05\n\n"
            "[sources]\n"
            f"feeds = [{feeds}]\n"
            f'gdelt_doc_api = "{self.base}/gdelt/api/v2/doc/doc"\n'
            'gdelt_query = "IT specialists Russia left"\n'
            f'news_search_rss = "{self.base}/news/rss/search"\n'
            'news_search_queries = ["Russia IT specialists left"]\n'
        )

    def respond(self, raw_path: str) -> tuple[int, str, str]:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        for outlet_id, outlet in self.outlets.items():
            mine = [a for a in self.articles if a.outlet == outlet_id]
            if path == f"/{outlet_id}/rss.xml":
                return 200, "application/rss+xml; charset=utf-8", render_rss(outlet, mine, self.base)
            if path == f"/{outlet_id}/atom.xml":
                return 200, "application/atom+xml; charset=utf-8", render_atom(outlet, mine, self.base)
        if path == "/gdelt/api/v2/doc/doc":
            ctype, body = render_gdelt([a for a in self.articles if a.gdelt], self.base, query, self.started)
            return 200, ctype, body
        if path == "/news/rss/search":
            q = query.get("q", [""])[0]
            return (
                200,
                "application/rss+xml; charset=utf-8",
                render_search_rss([a for a in self.articles if a.search], self.base, q),
            )
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nAllow: /\n"
        for a in self.articles:
            if path == a.path:
                others = [o for o in self.articles if o.outlet == a.outlet and o is not a]
                return 200, "text/html; charset=utf-8", render_article(a, self.base, others)
        return 404, "text/html; charset=utf-8", "<html><body><h1>Not found</h1></body></html>"

    def __enter__(self) -> SampleSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
