"""`drainwatch extract URL` fetches with the pipeline's fetcher and the topic's [fetch] limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from drainwatch.cli import main

from .conftest import TOPIC

PAGE = """<html lang="en"><head><title>Tech staff abroad</title></head><body><article>
<h1>Tech staff abroad</h1>
<p>Officials at the digital ministry said on Tuesday that roughly 90,000 IT specialists had left
Russia during the previous year and had not come back.</p>
<p>The ministry added that it would publish a fuller count in the spring, once employers had
filed their annual reports on staff working from other countries.</p>
</article></body></html>"""


def topic_allowing(tmp_path: Path, *, max_bytes: int | None = None) -> Path:
    extra = f"max_bytes = {max_bytes}\n" if max_bytes else ""
    path = tmp_path / "topic.toml"
    path.write_text(TOPIC.read_text() + '\n[fetch]\nallow_internal = ["127.0.0.1"]\n' + extra)
    return path


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/story").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    return httpserver


def test_a_url_on_an_allowed_address_gives_its_figures(site: HTTPServer, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", "--topic", str(topic_allowing(tmp_path)), site.url_for("/story")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["metric"], r["value"]) for r in rows] == [("it_emigrants", 90000)]


def test_an_internal_address_is_refused_unless_the_topic_allows_it(site: HTTPServer) -> None:
    result = CliRunner().invoke(main, ["extract", site.url_for("/story")])
    assert result.exit_code != 0
    assert site.url_for("/story") in result.output
    assert "internal" in result.output


def test_a_page_over_the_size_cap_is_refused(site: HTTPServer, tmp_path: Path) -> None:
    topic = topic_allowing(tmp_path, max_bytes=200)
    result = CliRunner().invoke(main, ["extract", "--topic", str(topic), site.url_for("/story")])
    assert result.exit_code != 0
    assert site.url_for("/story") in result.output
    assert "too_large" in result.output or "too large" in result.output
