"""The bundled offline sample news site: feeds, a GDELT-shaped API, a news-search RSS
endpoint and article pages with real-looking page furniture, served on 127.0.0.1.

Used by `drainwatch demo` and by the tests; the articles live in demo_site/articles.toml.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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


def feed_path(outlet: dict[str, Any]) -> str:
    return f"/{outlet['id']}/{'atom.xml' if outlet['feed'] == 'atom' else 'rss.xml'}"


def render_home(outlet: dict[str, Any], arts: list[SiteArticle]) -> str:
    """An outlet's front page: its feed announced with <link rel=alternate>, as sites do."""
    e = html.escape
    kind = "application/atom+xml" if outlet["feed"] == "atom" else "application/rss+xml"
    links = "".join(f'<li><a href="{e(a.path)}">{e(a.title)}</a></li>' for a in arts)
    return (
        f'<!DOCTYPE html><html lang="{outlet["lang"]}"><head><meta charset="utf-8"><title>{e(outlet["name"])}</title>'
        f'<link rel="alternate" type="{kind}" title="{e(outlet["name"])}" href="{feed_path(outlet)}">'
        f'<link rel="stylesheet" href="/static/site.css"></head><body><h1>{e(outlet["name"])}</h1>'
        f"<ul>{links}</ul></body></html>"
    )


def render_sitemap_index(outlets: list[dict[str, Any]], base: str) -> str:
    maps = "".join(
        f"<sitemap><loc>{base}/{o['id']}/news-sitemap.xml</loc></sitemap><sitemap><loc>{base}/{o['id']}/sitemap-pages.xml</loc></sitemap>"
        for o in outlets
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'


def render_pages_sitemap(outlet: dict[str, Any], base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/{outlet['id']}/</loc></url><url><loc>{base}/about</loc></url></urlset>"
    )


def render_news_sitemap(outlet: dict[str, Any], arts: list[SiteArticle], base: str, now: datetime) -> str:
    """A Google News sitemap: the outlet's articles of the last two days with dates and
    titles. The fixtures are dated 2025, so all but the last one are listed as published in
    the hours before the site started; the last keeps its own date and is too old to count."""
    e = html.escape
    urls = []
    for i, a in enumerate(arts):
        when = (
            now - timedelta(hours=3 * i + 2)
            if i < len(arts) - 1
            else datetime.fromisoformat(a.date).replace(tzinfo=UTC)
        )
        urls.append(
            f"<url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>{e(outlet['name'])}</news:name>"
            f"<news:language>{outlet['lang']}</news:language></news:publication>"
            f"<news:publication_date>{when.isoformat()}</news:publication_date>"
            f"<news:title>{e(a.title)}</news:title></news:news></url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{"".join(urls)}</urlset>'
    )


def encoded_id(path: str) -> str:
    """An id in the shape of Google News' since 2024: `CBMi` + base64url of a protobuf whose
    payload is an opaque token (AU_yqL...), so that base64 alone cannot give the URL."""
    token = b"AU_yqL" + base64.urlsafe_b64encode(hashlib.sha256(path.encode()).digest()).rstrip(b"=")
    return (
        base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(token)]) + token + b"\xd2\x01\x00").decode().rstrip("=")
    )


UNDECODABLE = "/rss/articles/gone"  # listed by the search, but its article page has no signature


def render_search_rss(arts: list[SiteArticle], base: str, query: str) -> str:
    """As Google News RSS: encoded links, "Headline - Outlet" titles, <source url> the outlet's home."""
    items = "".join(
        f"<item><title>{html.escape(a.title)} - {html.escape(a.outlet_name)}</title>"
        f"<link>{base}/rss/articles/{encoded_id(a.path)}?oc=5</link>"
        f'<guid isPermaLink="false">{encoded_id(a.path)}</guid>'
        f"<pubDate>{format_datetime(datetime.fromisoformat(a.date).replace(tzinfo=UTC))}</pubDate>"
        f'<description>&lt;a href="{base}/rss/articles/{encoded_id(a.path)}?oc=5"&gt;{html.escape(a.title)}&lt;/a&gt;</description>'
        f'<source url="{base}/{a.outlet}/">{html.escape(a.outlet_name)}</source></item>'
        for a in arts
    )
    gone = encoded_id(UNDECODABLE)
    items += (
        f"<item><title>A story the aggregator cannot place - Nowhere Daily</title>"
        f'<link>{base}/rss/articles/{gone}?oc=5</link><guid isPermaLink="false">{gone}</guid>'
        f'<source url="{base}/nowhere/">Nowhere Daily</source></item>'
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>"{html.escape(query)}" - Google News</title>'
        f"<link>{base}/news</link><description>Google News</description>{items}</channel></rss>"
    )


def render_decoding_page(link_id: str, signature: str | None, ts: int) -> str:
    """The aggregator's article page: a JavaScript shell whose c-wiz element carries the
    decoding attributes (none for a link it cannot place: a consent page instead)."""
    if signature is None:
        return (
            "<!DOCTYPE html><html><head><title>Before you continue</title></head><body>"
            "<form action='/save'><p>We use cookies and data to deliver our services.</p>"
            "<button>Accept all</button></form></body></html>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Google News</title>'
        "<script>window.WIZ_global_data={};</script></head><body>"
        f'<c-wiz jsrenderer="ARwRbe" jsshadow jsdata="deferred-i1"><div jscontroller="aLI87" jsaction="rcuQ6b:npT2md" '
        f'data-n-a-id="{link_id}" data-n-a-ts="{ts}" data-n-a-sg="{signature}" data-n-vlb="0"></div></c-wiz>'
        "<noscript>Opening the article needs JavaScript.</noscript></body></html>"
    )


def render_batch_answer(url: str | None) -> str:
    """The batchexecute answer: anti-XSSI prefix, then the wrb.fr envelope whose payload is
    itself JSON; a request it cannot serve has a null payload and an error code."""
    if url is None:
        envelope: list[object] = ["wrb.fr", "Fbv4je", None, None, None, [3], "generic"]
    else:
        envelope = ["wrb.fr", "Fbv4je", json.dumps(["garturlres", url, 1]), None, None, None, "generic"]
    return ")]}'\n\n" + json.dumps([envelope, ["di", 42], ["af.httprm", 41, "-4398123075436215806", 7]]) + "\n"


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
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request, for the tests
        self._secret = hashlib.sha256(str(id(self)).encode()).digest()
        self._by_id = {encoded_id(a.path): a for a in self.articles}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(("GET", self.path))
                status, ctype, body = site.respond(self.path)
                self._send(status, ctype, body)

            def do_POST(self) -> None:  # noqa: N802
                site.requests.append(("POST", self.path))
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode("utf-8", errors="replace"))
                status, ctype, body = site.respond_post(self.path, form)
                self._send(status, ctype, body)

            def _send(self, status: int, ctype: str, body: str) -> None:
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
        return [f"{self.base}{feed_path(o)}" for o in self.outlets.values()]

    def news_sitemap_urls(self) -> list[str]:
        return [f"{self.base}/{o}/news-sitemap.xml" for o in self.outlets]

    def topic_toml(self) -> str:
        """A topic file pointed at this site: [sources], and no politeness delay to ourselves."""
        feeds = ", ".join(f'"{u}"' for u in self.feed_urls())
        return (
            '[fetch]\nhost_delay = 0.0\nbackoff = 0.05\nallow_internal = ["127.0.0.1"]\n\n'
            "[sources]\n"
            f"feeds = [{feeds}]\n"
            f"news_sitemaps = [{', '.join(json.dumps(u) for u in self.news_sitemap_urls())}]\n"
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
            if path == f"/{outlet_id}/":
                return 200, "text/html; charset=utf-8", render_home(outlet, mine)
            if path == f"/{outlet_id}/news-sitemap.xml":
                return 200, "application/xml", render_news_sitemap(outlet, mine, self.base, self.started)
            if path == f"/{outlet_id}/sitemap-pages.xml":
                return 200, "application/xml", render_pages_sitemap(outlet, self.base)
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
        if path.startswith("/articles/"):  # decoding step 1 (news.google.com/articles/<id>)
            link_id = path.rsplit("/", 1)[-1]
            known = link_id in self._by_id
            page = render_decoding_page(link_id, self.signature(link_id) if known else None, self.timestamp)
            return 200, "text/html; charset=utf-8", page
        if path.startswith("/rss/articles/"):  # the link itself: a page needing JavaScript, never the article
            return 200, "text/html; charset=utf-8", render_decoding_page(path.rsplit("/", 1)[-1], None, 0)
        if path.startswith("/mirror/"):
            # Feeds at the paths real outlets use (/mirror/<host>/<path>: .asp, a query string,
            # a trailing slash), so that a test can ask for each default feed's shape.
            return (
                200,
                "application/rss+xml; charset=utf-8",
                render_rss({"name": path.split("/")[2]}, self.articles, self.base),
            )
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\n\nSitemap: {self.base}/sitemap_index.xml\n"
        if path == "/sitemap_index.xml":
            return 200, "application/xml", render_sitemap_index(list(self.outlets.values()), self.base)
        for a in self.articles:
            if path == a.path:
                others = [o for o in self.articles if o.outlet == a.outlet and o is not a]
                return 200, "text/html; charset=utf-8", render_article(a, self.base, others)
        return 404, "text/html; charset=utf-8", "<html><body><h1>Not found</h1></body></html>"

    @property
    def timestamp(self) -> int:
        return int(self.started.timestamp())

    def signature(self, link_id: str) -> str:
        return "AZ5r3e" + hmac.new(self._secret, link_id.encode(), hashlib.sha256).hexdigest()[:40]

    def publisher_url(self, link_id: str) -> str | None:
        a = self._by_id.get(link_id)
        return f"{self.base}{a.path}" if a else None

    def respond_post(self, raw_path: str, form: dict[str, list[str]]) -> tuple[int, str, str]:
        """Decoding step 2: the Fbv4je batchexecute request, checked as the service checks it."""
        if urlsplit(raw_path).path != "/_/DotsSplashUi/data/batchexecute":
            return 405, "text/plain", "method not allowed"
        try:
            rpc = json.loads(form["f.req"][0])[0][0]
            request = json.loads(rpc[1])
            link_id, ts, signature = request[2], request[3], request[4]
        except (KeyError, IndexError, TypeError, ValueError):
            return 400, "text/html; charset=utf-8", "<html><body>Error 400 (Bad Request)</body></html>"
        ok = (
            rpc[0] == "Fbv4je"
            and ts == self.timestamp
            and isinstance(signature, str)
            and isinstance(link_id, str)
            and hmac.compare_digest(signature, self.signature(link_id))
        )
        url = self.publisher_url(link_id) if ok else None
        return 200, "application/json; charset=utf-8", render_batch_answer(url)

    def __enter__(self) -> SampleSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
