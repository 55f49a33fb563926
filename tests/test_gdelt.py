"""GDELT DOC 2.0 as the real service answers: a local server plays each quirk."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Request, Response

from core.fetch_settings import FetchSettings
from core.records import SourceState
from core.topic import Sources
from flows.discover import discover, source_keys
from flows.gdelt import load_lenient, seendate
from flows.http import Fetcher, make_client

from .conftest import LOCAL

RATE_TEXT = "Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com for larger queries.\n"


def sources(url: str, max_records: int = 75, query: str = '"IT specialists" Russia') -> Sources:
    return Sources(
        feeds=(),
        gdelt_doc_api=url,
        gdelt_query=query,
        gdelt_timespan="7d",
        gdelt_max_records=max_records,
        news_search_rss="",
        news_search_queries=(),
    )


def ask(src: Sources, states: dict[str, SourceState] | None = None):
    async def go():
        fs = FetchSettings(host_delay=0.0, backoff=0.01, respect_robots=False, allow_internal=LOCAL)
        async with make_client(fs) as client:
            fetcher = Fetcher(client, fs)
            found = await discover(src, fetcher, states or {})
        return found, fetcher.attempts

    return asyncio.run(go())


def article(i: int, seen: datetime, **extra: str) -> dict[str, str]:
    return {
        "url": f"https://outlet{i}.example/story-{i}.html",
        "title": f"Story {i}",
        "seendate": seen.strftime("%Y%m%dT%H%M%SZ"),
        "domain": f"outlet{i}.example",
        "language": "Russian",
        "sourcecountry": "Russia",
    } | extra


def test_rate_limit_text_is_a_rate_limit_not_a_malformed_answer(httpserver):
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data(RATE_TEXT, content_type="text/plain")
    found, attempts = ask(sources(httpserver.url_for("/api/v2/doc/doc")))
    (result,) = found.sources
    assert not result.ok and result.reason == "rate_limited" and "limit requests" in (result.detail or "")
    assert len(attempts) == 1


def test_a_429_is_asked_once_per_run(httpserver):
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data(RATE_TEXT, status=429, content_type="text/plain")
    found, attempts = ask(sources(httpserver.url_for("/api/v2/doc/doc")))
    assert [(r.ok, r.reason) for r in found.sources] == [(False, "rate_limited")]
    assert len(attempts) == 1  # retrying would lengthen GDELT's penalty


def test_an_html_error_page_for_a_bad_query_is_a_typed_error_with_gdelts_words(httpserver):
    page = "<html><body><p>Queries containing OR'd terms must be surrounded by ().</p></body></html>"
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data(page, content_type="text/html")
    found, _ = ask(sources(httpserver.url_for("/api/v2/doc/doc"), query="IT OR tech Russia"))
    (result,) = found.sources
    assert result.reason == "gdelt_query_error"
    assert "Queries containing OR'd terms must be surrounded by ()" in (result.detail or "")


def test_invalid_escapes_in_one_title_lose_nothing(httpserver):
    now = datetime.now(UTC)
    good = [article(i, now - timedelta(hours=i)) for i in range(3)]
    body = json.dumps({"articles": good})
    # As GDELT sends them: \' and \x are not JSON escapes; a valid \\ and \" must survive.
    body = body.replace('"Story 1"', r'"Story 1: \'leak\' \x41 C:\\dir \"q\""')
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data(body, content_type="application/json")
    found, _ = ask(sources(httpserver.url_for("/api/v2/doc/doc")))
    assert found.sources[0].ok and found.sources[0].items == 3
    titles = {c.title for c in found.candidates}
    assert r"Story 1: \'leak\' \x41 C:\dir " + '"q"' in titles


def test_seendate_language_and_domain_become_the_candidates_metadata(httpserver):
    seen = datetime(2026, 11, 30, 7, 45, 12, tzinfo=UTC)
    body = json.dumps({"articles": [article(7, seen, language="Russian", domain="fontanka.ru")]})
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data(body, content_type="application/json")
    found, _ = ask(sources(httpserver.url_for("/api/v2/doc/doc")))
    (c,) = found.candidates
    assert c.seen_at == "2026-11-30T07:45:12+00:00" and c.language == "ru" and c.outlet == "fontanka.ru"
    assert seendate("20261130T074512Z") == seen and seendate("2026-11-30") is None


def test_full_answers_page_back_with_enddatetime_at_the_oldest_seendate(httpserver):
    now = datetime.now(UTC).replace(microsecond=0)
    stories = [article(i, now - timedelta(hours=2 * i + 1)) for i in range(7)]
    asked: list[dict[str, str]] = []

    def api(request: Request) -> Response:
        args = dict(request.args)
        asked.append(args)
        lo = datetime.strptime(args["startdatetime"], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        hi = datetime.strptime(args["enddatetime"], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        inside = [a for a in stories if lo <= seendate(a["seendate"]) <= hi]  # type: ignore[operator]
        return Response(json.dumps({"articles": inside[: int(args["maxrecords"])]}), content_type="application/json")

    httpserver.expect_request("/api/v2/doc/doc").respond_with_handler(api)
    found, _ = ask(sources(httpserver.url_for("/api/v2/doc/doc"), max_records=3))
    assert found.sources[0].ok and {c.url for c in found.candidates} == {a["url"] for a in stories}
    assert "timespan" not in asked[0] and len({a["startdatetime"] for a in asked}) == 1
    assert all(len(a["startdatetime"]) == 14 and len(a["enddatetime"]) == 14 for a in asked)
    # Each page ends at the oldest seendate of the one before (inclusive: that second comes again);
    # the last page is not full.
    ends = [a["enddatetime"] for a in asked]
    assert ends == sorted(ends, reverse=True) and len(set(ends)) == len(ends) == 4
    assert ends[1] == seendate(stories[2]["seendate"]).strftime("%Y%m%d%H%M%S")  # type: ignore[union-attr]


def test_the_window_starts_an_hour_before_the_last_good_answer(httpserver):
    httpserver.expect_request("/api/v2/doc/doc").respond_with_data('{"articles": []}', content_type="application/json")
    src = sources(httpserver.url_for("/api/v2/doc/doc"))
    last = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    key = source_keys(src)[0][0]
    ask(src, {key: SourceState(last_ok_at=last)})
    (req, _) = httpserver.log[-1]
    assert req.args["startdatetime"] == (last - timedelta(hours=1)).strftime("%Y%m%d%H%M%S")


def test_the_lenient_loader_keeps_valid_json_as_it_is():
    text = r'{"t": "a\\x \"b\" \u0041\n"}'
    assert load_lenient(text) == json.loads(text)


def test_the_sample_site_answers_a_bad_query_as_gdelt_does(sample_site):
    src = replace(sources(f"{sample_site.base}/gdelt/api/v2/doc/doc"), gdelt_query="IT OR tech Russia")
    found, _ = ask(src)
    assert found.sources[0].reason == "gdelt_query_error" and "surrounded by ()" in (found.sources[0].detail or "")
    found, _ = ask(
        sources(f"{sample_site.base}/gdelt/api/v2/doc/doc", query='("IT specialists" OR programmers) Russia')
    )
    assert found.sources[0].ok and found.candidates
    assert all(c.seen_at and c.language in ("en", "ru") for c in found.candidates)
