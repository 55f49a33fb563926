"""Hostile input (issue 15): a page or feed an attacker controls can neither silence the
alerts, nor stall a run, nor reach inside the network. Each test serves the hostile input
from a real server on 127.0.0.1 beside a legitimate article, and checks both the typed
drop and that the legitimate figure still alerts."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from .conftest import run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")

LEGIT = """<html lang="en"><head><title>Outflow</title></head><body><article><h1>Outflow</h1>
<p>About 130,000 IT specialists have left Russia since 2022, economist Lev Marin said on Friday.</p>
<p>Marin added that the pace had slowed over the winter months.</p></article></body></html>"""


def page(*paragraphs: str, title: str = "Report") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<html lang="en"><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>'


def feed(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>t{i}</title><link>{base}{p}</link></item>" for i, p in enumerate(paths))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{base}</link><description>d</description>{items}</channel></rss>"
    )


def serve(httpserver, pages: dict[str, str], feed_path: str = "/feed.xml") -> str:
    """Serve `pages` and a feed listing them; returns the site's base URL."""
    base = httpserver.url_for("").rstrip("/")
    for path, html in pages.items():
        httpserver.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")
    httpserver.expect_request(feed_path).respond_with_data(feed(base, list(pages)), content_type="application/rss+xml")
    return base


def topic(tmp_path: Path, base: str, fetch: str = "", extra: str = "", feeds: list[str] | None = None) -> Path:
    path = tmp_path / "topic.toml"
    feed_list = ", ".join(f'"{u}"' for u in (feeds or [f"{base}/feed.xml"]))
    path.write_text(
        f'[fetch]\nhost_delay = 0.0\nbackoff = 0.05\nallow_internal = ["127.0.0.1"]\n{fetch}\n'
        f'[sources]\nfeeds = [{feed_list}]\ngdelt_doc_api = ""\ngdelt_query = ""\n'
        'news_search_rss = ""\nnews_search_queries = []\n' + extra
    )
    return path


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def alerted_values(db: Path) -> set[float]:
    return {r[0] for r in rows(db, "SELECT value FROM findings_overview WHERE alert_id IS NOT NULL")}


# --- a number that reads as infinity ---------------------------------------------------


def test_an_infinite_number_is_rejected_and_the_figure_beside_it_still_alerts(httpserver, tmp_path):
    nines = "9" * 330
    hostile = page(
        f"About {nines} IT specialists have left Russia, a forum post claimed.",
        "Economist Lev Marin said that about 250,000 IT specialists have left Russia.",
        "A second survey put the share of IT specialists who left Russia at 250 percent of the workforce.",
    )
    base = serve(httpserver, {"/hostile.html": hostile, "/legit.html": LEGIT})
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run = run_monitor(topic(tmp_path, base), db, outbox)
    assert run.status == "complete"
    implausible = rows(
        db, "SELECT number_text FROM rejected_numbers WHERE reason = 'implausible' ORDER BY number_start"
    )
    assert (nines,) in implausible and ("250 percent",) in implausible
    assert all(math.isfinite(v) for (v,) in rows(db, "SELECT value FROM figures UNION ALL SELECT value FROM findings"))
    assert {130_000.0, 250_000.0} <= alerted_values(db)
    eml = (next(outbox.glob("*.eml"))).read_text()
    assert "250,000" in eml and "130,000" in eml and "inf" not in eml.lower().replace("info", "")


def test_a_stored_infinite_finding_no_longer_swallows_later_figures(httpserver, tmp_path):
    """A database written before the check may hold a finding of value inf: the 2 % closeness
    test refuses it, so a later figure of that metric makes its own finding and alerts."""
    base = serve(httpserver, {"/legit.html": LEGIT})
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base), db, outbox)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE findings SET value = 'inf'::DOUBLE WHERE metric = 'it_emigrants'")
    later = page("Lev Marin said on Monday that about 170,000 IT specialists have left Russia so far.")
    httpserver.expect_request("/later.html").respond_with_data(later, content_type="text/html")
    (tmp_path / "topic.toml").write_text(
        (tmp_path / "topic.toml").read_text().replace(f'"{base}/feed.xml"', f'"{base}/feed2.xml"')
    )
    httpserver.expect_request("/feed2.xml").respond_with_data(
        feed(base, ["/legit.html", "/later.html"]), content_type="application/rss+xml"
    )
    run_monitor(tmp_path / "topic.toml", db, outbox)
    assert 170_000.0 in alerted_values(db)


# --- internal addresses ----------------------------------------------------------------


@pytest.fixture
def internal_service():
    """A service on another loopback address, standing for anything inside the network."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.2", port=0)
    server.expect_request("/admin").respond_with_data("secret")
    server.start()
    yield server
    server.clear()
    server.stop()


def test_internal_addresses_are_refused_on_every_hop_and_credentials_never_sent(httpserver, internal_service, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    port, inner = httpserver.port, internal_service.port
    hostile = [
        f"http://127.0.0.2:{inner}/admin",
        f"http://2130706434:{inner}/admin",  # 127.0.0.2 written as one decimal number
        f"http://0.0.0.0:{port}/admin",
        f"http://[::1]:{port}/admin",
        f"{base}/hop",  # a redirect to the internal service
    ]
    httpserver.expect_request("/legit.html").respond_with_data(LEGIT, content_type="text/html")
    httpserver.expect_request("/admin").respond_with_data("secret")
    httpserver.expect_request("/hop").respond_with_data("", status=302, headers={"Location": hostile[0]})
    httpserver.expect_request("/creds.html").respond_with_data(
        page("The site moved its archive to a new address."), content_type="text/html"
    )
    creds = f"http://reader:hunter2@127.0.0.1:{port}/creds.html"
    items = "".join(f"<item><title>t{i}</title><link>{u}</link></item>" for i, u in enumerate(hostile + [creds]))
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed(base, ["/legit.html"]).replace("</channel>", items + "</channel>"), content_type="application/rss+xml"
    )
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base), db, outbox)

    assert internal_service.log == []
    assert [r.path for r, _ in httpserver.log if r.path == "/admin"] == []
    refused = rows(db, "SELECT url FROM candidates WHERE status = 'dropped' AND last_error = 'internal_address'")
    assert len(refused) == len(hostile)
    (creds_request,) = [r for r, _ in httpserver.log if r.path == "/creds.html"]
    assert "Authorization" not in creds_request.headers
    assert 130_000.0 in alerted_values(db)


@pytest.mark.parametrize(
    "host",
    ["localhost", "127.0.0.1", "0.0.0.0", "::1", "2130706433", "0x7f000001", "10.1.2.3", "169.254.169.254", "fe80::1"],
)
def test_every_spelling_of_an_internal_address_is_refused(host):
    import asyncio

    from flows.addresses import InternalAddress, networks, usable_address

    with pytest.raises(InternalAddress):
        asyncio.run(usable_address(host, 80, networks([])))
    assert asyncio.run(usable_address("127.0.0.1", 80, networks(["127.0.0.0/8"]))) == "127.0.0.1"


def test_an_allow_internal_entry_that_is_no_address_is_a_config_error(tmp_path):
    from core.errors import ConfigError
    from core.topic import load_topic

    path = tmp_path / "t.toml"
    path.write_text('[fetch]\nallow_internal = ["127.0.0.1", "intranet"]\n')
    with pytest.raises(ConfigError, match=r"fetch.allow_internal\[1\]: must be an IP address or network"):
        load_topic(path)


# --- a gzip bomb in two layers -----------------------------------------------------------


def double_gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(gzip.compress(data, 9), 9)


def test_a_double_gzip_bomb_is_dropped_at_the_cap_and_a_double_gzip_page_is_read(httpserver, tmp_path):
    bomb = double_gzip(b"<html><body><p>" + b" " * 100_000_000)  # 100 MB from about 300 bytes
    layered = double_gzip(page("A second outlet said about 90,000 IT specialists have left Russia this year.").encode())
    base = httpserver.url_for("").rstrip("/")
    for path, body in (("/bomb.html", bomb), ("/layered.html", layered)):
        httpserver.expect_request(path).respond_with_data(
            body, content_type="text/html", headers={"Content-Encoding": "gzip, gzip"}
        )
    httpserver.expect_request("/legit.html").respond_with_data(LEGIT, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed(base, ["/bomb.html", "/layered.html", "/legit.html"]), content_type="application/rss+xml"
    )
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base), db, outbox)
    assert rows(db, "SELECT url, last_error FROM candidates WHERE status = 'dropped'") == [
        (f"{base}/bomb.html", "too_large")
    ]
    assert {130_000.0, 90_000.0} <= alerted_values(db)


def test_the_cap_holds_while_a_double_gzip_bomb_is_decoded(httpserver):
    """Memory, not just the verdict: httpx decoded a whole layer before the cap was checked."""
    import asyncio
    import tracemalloc

    from core.errors import TerminalFetchError
    from core.fetch_settings import FetchSettings
    from flows.http import Fetcher, make_client

    httpserver.expect_request("/bomb").respond_with_data(
        double_gzip(b"\0" * 200_000_000), headers={"Content-Encoding": "gzip, gzip"}
    )
    fs = FetchSettings(max_bytes=1_000_000, respect_robots=False, allow_internal=("127.0.0.1",))

    async def fetch() -> None:
        async with make_client(fs) as client:
            await Fetcher(client, fs).get(httpserver.url_for("/bomb"), "page")

    tracemalloc.start()
    try:
        with pytest.raises(TerminalFetchError, match="too_large"):
            asyncio.run(fetch())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


# --- a canonical URL on another site ------------------------------------------------------


def test_a_page_cannot_take_another_sites_article_by_declaring_it_canonical(httpserver, tmp_path):
    """The hijacker (localhost) names the real article (127.0.0.1) as its canonical URL and is
    read first; the real article must still be stored and its figure alert."""
    port = httpserver.port
    real = f"http://127.0.0.1:{port}/legit.html"
    hijack = page("Nothing happened here today, a reader wrote.").replace(
        "<head>", f'<head><link rel="canonical" href="{real}">'
    )
    own = page("The office moved to a new floor.").replace(
        "<head>", f'<head><link rel="canonical" href="http://127.0.0.1:{port}/own-canonical.html">'
    )
    httpserver.expect_request("/hijack.html").respond_with_data(hijack, content_type="text/html")
    httpserver.expect_request("/own.html").respond_with_data(own, content_type="text/html")
    httpserver.expect_request("/legit.html").respond_with_data(LEGIT, content_type="text/html")
    httpserver.expect_request("/first.xml").respond_with_data(
        feed("", [f"http://localhost:{port}/hijack.html", f"http://127.0.0.1:{port}/own.html"]),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/second.xml").respond_with_data(feed("", [real]), content_type="application/rss+xml")
    base = f"http://127.0.0.1:{port}"
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    run_monitor(topic(tmp_path, base, feeds=[f"{base}/first.xml"]), db, outbox)
    run_monitor(topic(tmp_path, base, feeds=[f"{base}/second.xml"]), db, outbox)
    canonical = dict(rows(db, "SELECT url, canonical_url FROM articles"))
    assert canonical[f"http://localhost:{port}/hijack.html"] == f"http://localhost:{port}/hijack.html"
    assert canonical[f"{base}/own.html"] == f"{base}/own-canonical.html"  # its own site's canonical holds
    assert canonical[real] == real
    assert rows(db, "SELECT status FROM candidates WHERE url = ?", [real]) == [("stored",)]
    assert 130_000.0 in alerted_values(db)


# --- a digest too big for the mail server ------------------------------------------------


def test_no_finding_can_make_the_digest_too_big_to_deliver(httpserver, tmp_path, monkeypatch):
    """Forty pages listed under 3,000-character URLs, against a server that refuses messages
    over 100 KB: every finding, the legitimate one included, is delivered."""
    from .conftest import SmtpSink

    sink = SmtpSink(data_size_limit=100_000).start()
    try:
        monkeypatch.setenv("DRAINWATCH_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("DRAINWATCH_SMTP_PORT", str(sink.port))
        base = httpserver.url_for("").rstrip("/")
        links = ["/legit.html"]
        for i in range(40):
            httpserver.expect_request(f"/p{i}.html").respond_with_data(
                page(f"Analyst Ivan Sidorov-{i} said about {200 + 10 * i},000 IT specialists have left Russia."),
                content_type="text/html",
            )
            links.append(f"/p{i}.html?id={i}{'a' * 3000}")
        httpserver.expect_request("/legit.html").respond_with_data(LEGIT, content_type="text/html")
        httpserver.expect_request("/feed.xml").respond_with_data(feed(base, links), content_type="application/rss+xml")
        db = tmp_path / "w.duckdb"
        run = run_monitor(
            topic(
                tmp_path,
                base,
                fetch="max_pages_per_run = 100\n",
                extra='[alert]\nmetrics = ["it_emigrants"]\nmax_digest_bytes = 60000\n',
            ),
            db,
            tmp_path / "out",
        )
        assert run.status == "complete", rows(db, "SELECT reason, detail FROM run_errors")
        unsent = rows(db, "SELECT count(*) FROM alerts WHERE sent_at IS NULL")
        assert unsent == [(0,)]
        assert len(sink.messages) > 1
        assert all(len(m.as_bytes()) < 100_000 for m in sink.messages)
        delivered = "".join(m.get_body(("plain",)).get_content() for m in sink.messages)
        (alerted,) = rows(db, "SELECT count(*) FROM findings_overview WHERE alert_id IS NOT NULL")[0]
        assert "130,000" in delivered and delivered.count("IT emigrants:") == alerted > 30
        assert "3,0" in delivered and "characters, not shown" in delivered
    finally:
        sink.stop()


# --- silent typos in the topic file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[alert]\nmetrics = ["it_emigrants"]\nmin_relativ_change = 0.5\n',
            "alert.min_relativ_change: unknown setting (known: digest, max_digest_bytes, metrics, "
            "min_relative_change, recipients, require_second_source, subject_prefix)",
        ),
        ("[alerts]\nmetrics = []\n", "alerts: unknown section (known: topic, sources, schedule, alert,"),
        ('[schedule]\ncronn = "0 * * * *"\n', "schedule.cronn: unknown setting (known: cron, timezone)"),
        ('[topic]\nnmae = "x"\n', "topic.nmae: unknown setting (known: name, title)"),
        (
            '[sources]\nfeeds = []\ngdelt_query = ""\ngdelt_doc_api = ""\nnews_search_rss = ""\n'
            "news_search_queries = []\nnews_sitemap = []\n",
            "sources.news_sitemap: unknown setting (known: feeds,",
        ),
        (
            '[[baseline]]\nmetric = "it_emigrants"\nvalue = 1.0\nunit = "people"\nspeeker = "x"\n',
            "baseline[0].speeker: unknown setting (known: date, high, low, metric, outlet, period, qualifier, speaker,",
        ),
    ],
)
def test_a_typo_in_any_section_is_a_one_line_error_naming_the_key(tmp_path, text, message):
    from click.testing import CliRunner

    from drainwatch.cli import main

    path = tmp_path / "topic.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["run", "--topic", str(path), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}: {message}") and result.output.count("\n") == 1


# --- run parameters through serve's unauthenticated API -------------------------------------


def test_a_served_run_refuses_paths_other_than_those_serve_was_started_with(httpserver, tmp_path, monkeypatch):
    import json

    from core.errors import ConfigError
    from core.settings import SERVED_PATHS

    base = serve(httpserver, {"/legit.html": LEGIT})
    topic_path = topic(tmp_path, base)
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    served = {"topic_file": str(topic_path), "db": str(db), "outbox": str(outbox)}
    monkeypatch.setenv(SERVED_PATHS, json.dumps(served))
    elsewhere = tmp_path / "elsewhere"
    for name, value in (("db", elsewhere / "x.duckdb"), ("outbox", elsewhere), ("topic_file", elsewhere / "t.toml")):
        args = {**served, name: value}
        with pytest.raises(ConfigError, match=f"run parameters: {name}: .* is not the path `drainwatch serve`"):
            run_monitor(Path(args["topic_file"]), Path(args["db"]), Path(args["outbox"]))
    assert not elsewhere.exists() and not db.exists()
    run_monitor(topic_path, db, outbox)  # the served paths themselves
    assert 130_000.0 in alerted_values(db)


# --- zero, infinite and malformed settings ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch]\nattempts = 0\n", "fetch.attempts: must be > 0, got 0"),
        ("[fetch]\nmax_concurrency = 0\n", "fetch.max_concurrency: must be > 0, got 0"),
        ("[fetch]\nbatch_size = 0\n", "fetch.batch_size: must be > 0, got 0"),
        ("[fetch]\nhost_delay = inf\n", "fetch.host_delay: must be a finite number, got inf"),
        ("[fetch]\ntimeout = nan\n", "fetch.timeout: must be a finite number, got nan"),
        ('[fetch]\nhost_delays = {"a.example" = "slow"}\n', "fetch.host_delays.a.example: must be float, got 'slow'"),
        ('[fetch]\nhost_delays = {"a.example" = -1}\n', "fetch.host_delays.a.example: must be a number of seconds"),
        ('[schedule]\ncron = "61 * * * *"\n', "schedule.cron: not a valid cron expression: '61 * * * *' (Bad minute)"),
        ('[schedule]\ncron = "0 0 30 2 *"\n', "schedule.cron: not a valid cron expression"),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', "schedule.timezone: unknown time zone 'Mars/Olympus'"),
        (
            '[alert]\nmetrics = ["it_emigrants"]\nsubject_prefix = "news\\r\\nBcc: all@example.org"\n',
            "alert.subject_prefix: must be one line without control characters",
        ),
        ('[alert]\nmetrics = ["it_emigrants"]\nmin_relative_change = inf\n', "alert.min_relative_change: must be"),
    ],
)
@pytest.mark.parametrize("command", ["run", "status", "serve"])
def test_a_setting_that_cannot_work_is_a_one_line_error_for_every_command(tmp_path, text, message, command):
    from click.testing import CliRunner

    from drainwatch.cli import main

    path = tmp_path / "topic.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, [command, "--topic", str(path), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path}: {message}") and result.output.count("\n") == 1


def test_a_bad_cron_given_to_serve_is_a_one_line_error():
    from click.testing import CliRunner

    from drainwatch.cli import main

    result = CliRunner().invoke(main, ["serve", "--cron", "*/0 * * *"])
    assert (result.exit_code, result.output) == (2, "Error: --cron: must have five fields, got '*/0 * * *'\n")


# --- a page that would stall every run ------------------------------------------------------


def test_a_page_over_its_budget_is_dropped_for_good_and_a_long_hostile_page_is_read(httpserver, tmp_path):
    """One page of 100 KB of capitalised names and spaced digits (it took 177 s) is now read
    whole; one of about 1 MB of figures, over a 1.5 s budget, is dropped as extraction_budget
    and never fetched again; the legitimate figure alerts on the first run."""
    runs = "Ivan Petrov Sergei Ivanov 1 2 3 4 5 6 7 8 9 " * 2_300
    heavy = " ".join(
        f"Analyst Lev Marin said about {100 + n % 500},000 IT specialists have left Russia." for n in range(13_000)
    )
    base = serve(
        httpserver,
        {
            "/runs.html": page("IT specialists have left Russia, a list says.", runs),
            "/heavy.html": page(heavy),
            "/legit.html": LEGIT,
        },
    )
    db, outbox = tmp_path / "w.duckdb", tmp_path / "out"
    path = topic(tmp_path, base, fetch="page_budget = 1.5\n")
    run_monitor(path, db, outbox)
    assert rows(db, "SELECT url, last_error FROM candidates WHERE status = 'dropped'") == [
        (f"{base}/heavy.html", "extraction_budget")
    ]
    assert rows(db, "SELECT count(*) FROM articles WHERE url = ?", [f"{base}/runs.html"]) == [(1,)]
    assert 130_000.0 in alerted_values(db)
    run_monitor(path, db, outbox)
    assert len([r for r, _ in httpserver.log if r.path == "/heavy.html"]) == 1
