"""`drainwatch sources discover URL`: an outlet's feeds and news sitemaps, ready to paste
into a topic file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click

from core.errors import DrainwatchError
from core.topic import default_topic_path

from .run_cmd import Exit, fail


@click.group()
def sources() -> None:
    """Find sources for a topic file."""


@sources.command(name="discover")
@click.argument("url")
@click.option(
    "--topic",
    "topic_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Topic file whose [fetch] settings (politeness, timeouts) apply. Default: the bundled topic.",
)
def discover_sources(url: str, topic_file: Path | None) -> None:
    """Find the feeds and news sitemaps of the outlet at URL (its front page or a section).

    Reads the page's <link rel=alternate> and feed links and the sitemaps named in
    robots.txt (trafilatura's feed and sitemap finders), checks each, and prints the lines
    to add under [sources] in a topic file. Exit status 1 when nothing was found.
    """
    from core.settings import load_settings
    from flows.find_sources import OutletSources, find_sources
    from flows.http import Fetcher, make_client

    if not url.startswith(("http://", "https://")):
        raise Exit(f"{url}: must be an http(s) URL", 2)
    try:
        settings = load_settings(topic_file or default_topic_path())
    except DrainwatchError as exc:
        raise fail(exc) from None

    async def go() -> OutletSources:
        async with make_client(settings.fetch) as client:
            return await find_sources(url, Fetcher(client, settings.fetch))

    found = asyncio.run(go())
    for f in found.feeds:
        click.echo(f"feed          {f.url}  ({f.items} items{': ' + f.title if f.title else ''})")
    for m in found.news_sitemaps:
        click.echo(f"news sitemap  {m.url}  ({m.articles} articles)")
    for p in found.problems:
        click.echo(f"could not read: {p}", err=True)
    if not found.feeds and not found.news_sitemaps:
        raise Exit(f"{url}: no feed or news sitemap found", 1)
    click.echo("\n# under [sources] in your topic file:")
    if found.feeds:
        click.echo("feeds = [" + ", ".join(json.dumps(f.url) for f in found.feeds) + "]")
    if found.news_sitemaps:
        click.echo("news_sitemaps = [" + ", ".join(json.dumps(m.url) for m in found.news_sitemaps) + "]")
