"""The `drainwatch` command line: a thin click layer over the pipeline and the warehouse.

Every DrainwatchError becomes one line on stderr; configuration errors exit 2.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from core.errors import DrainwatchError
from core.topic import default_topic_path
from extractors.cues import Cues

from . import __version__
from .output import FORMATS, render
from .run_cmd import Exit as _Exit
from .run_cmd import fail as _fail
from .run_cmd import prefect_defaults as _prefect_defaults
from .run_cmd import print_summary, run_once
from .sources_cmd import sources

topic_option = click.option(
    "--topic",
    "topic_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Topic file (TOML). Default: the bundled topics/russia-it-emigration.toml.",
)
db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB file. Default: $DRAINWATCH_DB, else ./drainwatch.duckdb.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drainwatch")
def main() -> None:
    """drainwatch: watch the news for figures on tech-worker emigration.

    Runs discover articles, extract figures, store them in DuckDB, compare them with the
    topic's baseline and email new findings. See README.md for configuration.
    """


@main.command()
@topic_option
@db_option
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for .eml alerts when no SMTP server is set. Default: $DRAINWATCH_OUTBOX, else ./outbox.",
)
def run(topic_file: Path | None, db: Path | None, outbox: Path | None) -> None:
    """Run the monitor once: discover, fetch, extract, store, compare, alert.

    Exit status: 0 complete, 1 partial (some sources or pages failed; what was fetched is
    stored), 2 bad configuration or input.
    """
    from core.settings import load_settings

    topic = str(topic_file or default_topic_path())
    try:
        settings = load_settings(topic, db=db, outbox=outbox)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    summary = run_once(topic, settings.warehouse.db_path, settings.warehouse.outbox_dir)
    print_summary(summary)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@topic_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
def extract(inputs: tuple[str, ...], topic_file: Path | None, fmt: str) -> None:
    """Extract figures from text files, HTML files or URLs (no database involved).

    A .txt file is read as article text; any other file or an http(s) URL is treated as an
    HTML page. Prints one JSON object per figure (FIGURES.md fields plus `source`). A URL is
    fetched under the topic's [fetch] limits, as a run fetches it.
    """
    from .extract_cmd import extract_inputs

    try:
        rows = extract_inputs(inputs, str(topic_file or default_topic_path()))
    except DrainwatchError as exc:
        raise _fail(exc) from None
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    else:
        cols = ["source", "metric", "value", "qualifier", "unit", "speaker", "number_text"]
        click.echo(render(cols, [[r[c] for c in cols] for r in rows], "table"), nl=False)


@main.command(name="eval")
@click.argument("articles", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--gold",
    "gold_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hand labels for ARTICLES, one JSON object per line (the format of seeds_gold.jsonl).",
)
@click.option(
    "--realset",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Score the real-article set in this folder (articles.jsonl, gold.jsonl), e.g. tests/data/realset.",
)
@click.option(
    "--texts",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the real articles' texts. Default: $DRAINWATCH_REALSET, else ~/.cache/drainwatch/realset/texts. "
    "A text missing there is taken from the sibling folder <name>-unverified (its hash not checked), said on stderr.",
)
@click.option(
    "--part",
    type=click.Choice(["dev", "test", "all"]),
    default="dev",
    show_default=True,
    help="With --realset: the development part, the held-back test part, or both.",
)
@click.option(
    "--skip-missing",
    is_flag=True,
    help="With --realset: leave out articles whose text is in neither folder (said on stderr) instead of failing.",
)
@topic_option
@click.option("--verbose", "-v", is_flag=True, help="List every missed and every extra figure, and wrong speakers.")
def evaluate(
    articles: tuple[Path, ...],
    gold_file: Path | None,
    realset: Path | None,
    texts: Path | None,
    part: str,
    skip_missing: bool,
    topic_file: Path | None,
    verbose: bool,
) -> None:
    """Score the extractors on labelled articles: precision, recall and F1 per metric.

    Either ARTICLES with --gold: each article file's gold id is its name up to the first
    underscore (000_x.txt is "000"); a .txt file is read as text, any other file as an HTML
    page. Or --realset DIR: the real-article set, with a table per language and kind.
    """
    from core.topic import load_topic

    from .evaluate import (
        article_id,
        format_report,
        format_table,
        predict,
        read_gold,
        realset_texts_dir,
        score,
        score_realset,
        unverified_dir,
    )
    from .extract_cmd import article_text

    if (realset is None) == (gold_file is None) or (realset is not None and articles):
        raise _Exit("give either ARTICLES with --gold FILE, or --realset DIR", 2)
    try:
        cues = Cues.from_mapping(load_topic(topic_file or default_topic_path()).cue_words)
        if realset is not None:
            parts = ("dev", "test") if part == "all" else (part,)
            texts_dir = texts or realset_texts_dir()
            r = score_realset(realset, texts_dir, cues, parts, skip_missing)
            if r.missing:
                click.echo(f"{len(r.missing)} articles left out, no text: " + ", ".join(r.missing), err=True)
            if r.unverified:
                click.echo(
                    f"{len(r.unverified)} texts unverified (hash differs; from {unverified_dir(texts_dir)}): "
                    + ", ".join(r.unverified),
                    err=True,
                )
            click.echo(format_report(r.overall, verbose), nl=False)
            click.echo(format_table("language", r.by_language) + format_table("kind", r.by_kind), nl=False)
            return
        assert gold_file is not None
        if not articles:
            raise _Exit("--gold needs the ARTICLES it labels", 2)
        gold = read_gold(gold_file)
        predicted = predict(articles, cues, article_text)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    click.echo(format_report(score(predicted, gold, [article_id(a) for a in articles]), verbose), nl=False)


@main.command()
@click.argument("sql")
@db_option
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "parquet"]), default="table", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of the terminal (required for parquet).",
)
@click.option(
    "-p", "--param", "params", type=(str, str), multiple=True, help="Named parameter: -p name value, used as $name."
)
def query(sql: str, db: Path | None, fmt: str, output: Path | None, params: tuple[tuple[str, str], ...]) -> None:
    """Run read-only SQL against the warehouse ('-' reads the SQL from stdin).

    While a run holds the database, the query retries for a few seconds, then answers from
    the Parquet snapshot of the last finished run and says so on stderr.

    The SQL sees the warehouse and nothing else: external access is switched off and the
    configuration locked, so COPY ... TO, read_text/read_csv of files, ATTACH and SET of
    those settings are refused (exit 2). Only --output is written; use `export` for files.

    Example: drainwatch query "SELECT metric, value, comparison FROM findings_overview"
    """
    from .query_cmd import QueryError, QueryRefused, run_query

    if sql == "-":
        sql = sys.stdin.read()
    if fmt == "parquet" and output is None:
        raise _Exit("--format parquet needs --output FILE", 2)
    path = _db_path(db)
    try:
        result = run_query(path, sql, dict(params) if params else None, output if fmt == "parquet" else None)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    except QueryRefused as exc:
        raise _Exit(f"{path}: {exc}", 2) from None
    except QueryError as exc:
        raise _Exit(f"{path}: {exc}", 1) from None
    if result.note:
        click.echo(f"note: {result.note}", err=True)
    if fmt == "parquet":
        click.echo(f"wrote {output}", err=True)
        return
    text = render(result.columns, result.rows, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(result.rows)} rows to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _db_path(db: Path | None) -> Path:
    return db or Path(os.environ.get("DRAINWATCH_DB") or "drainwatch.duckdb")


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export(out_dir: Path, db: Path | None) -> None:
    """Write every table and view of the warehouse as Parquet files into OUT_DIR."""
    from warehouse.db import connect
    from warehouse.snapshot import export_all

    try:
        with connect(_db_path(db), read_only=True) as con:
            written = export_all(con, out_dir)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    click.echo(f"wrote {len(written)} Parquet files to {out_dir}/")


@main.command()
@topic_option
@db_option
def status(topic_file: Path | None, db: Path | None) -> None:
    """Last runs, the next scheduled run and queued alerts."""
    from .status_cmd import status_text

    try:
        click.echo(status_text(_db_path(db), str(topic_file or default_topic_path())), nl=False)
    except DrainwatchError as exc:
        raise _fail(exc) from None


@main.command()
@db_option
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("report"), show_default=True
)
def report(db: Path | None, out_dir: Path) -> None:
    """Write a static HTML report: a chart per metric against the baseline, findings, runs.

    While a run holds the database, it retries for a few seconds, then reports from the
    Parquet snapshot of the last finished run and says so on stderr."""
    from .report import build_report

    try:
        built = build_report(_db_path(db), out_dir)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    if built.note:
        click.echo(f"note: {built.note}", err=True)
    click.echo(f"wrote {built.index}")


@main.command()
@topic_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def baseline(topic_file: Path | None, fmt: str) -> None:
    """Show the topic's seed baseline, the figures new ones are compared with."""
    from core.topic import load_topic

    try:
        topic = load_topic(topic_file or default_topic_path())
    except DrainwatchError as exc:
        raise _fail(exc) from None
    cols = ["metric", "value", "qualifier", "unit", "speaker", "period", "outlet"]
    rows = [[getattr(b, c) for c in cols] for b in topic.baseline]
    click.echo(render(cols, rows, fmt), nl=False)


@main.command()
@topic_option
@db_option
@click.option(
    "--outbox", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder for .eml alerts."
)
@click.option("--cron", default=None, help="Override the topic's [schedule] cron.")
@click.option(
    "--prefect-port",
    type=int,
    default=4200,
    show_default=True,
    help="Port of the local Prefect server started when PREFECT_API_URL is not set.",
)
def serve(topic_file: Path | None, db: Path | None, outbox: Path | None, cron: str | None, prefect_port: int) -> None:
    """Serve the monitor flow on the topic's cron schedule through Prefect (Ctrl-C stops).

    Schedules need a Prefect server. With PREFECT_API_URL set, that server is used;
    otherwise a local one is started on 127.0.0.1 (its state in PREFECT_HOME, so the
    deployment and its schedule survive restarts) and stopped with this command. One run
    at a time; stopping does not pause the schedule. The Prefect API has no login: a run
    asked for through it with another topic file, database or outbox is refused.
    """
    from core.settings import SERVED_PATHS, load_settings
    from core.topic import check_cron

    from .serve_cmd import local_prefect_server

    topic = str(topic_file or default_topic_path())
    try:
        settings = load_settings(topic, db=db, outbox=outbox)
        schedule = check_cron("--cron", "", cron) if cron else settings.topic.schedule.cron
    except DrainwatchError as exc:
        raise _fail(exc) from None
    _prefect_defaults()
    paths = {
        "topic_file": str(Path(topic).resolve()),
        "db": str(settings.warehouse.db_path.resolve()),
        "outbox": str(settings.warehouse.outbox_dir.resolve()),
    }
    # The runs this process starts inherit it: a run asked for through the API with any
    # other path is refused (check_served_paths).
    os.environ[SERVED_PATHS] = json.dumps(paths)
    with local_prefect_server(prefect_port, echo=click.echo):
        from flows.monitor import monitor  # after the server is known: Prefect reads its settings on import

        click.echo(
            f"serving monitor for {settings.topic.name} on cron {schedule!r} ({settings.topic.schedule.timezone}); Ctrl-C to stop"
        )
        monitor.serve(
            name=f"drainwatch-{settings.topic.name}",
            cron=schedule,
            parameters=paths,
            pause_on_shutdown=False,
            limit=1,
        )


@main.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".demo"),
    show_default=True,
    help="Where the demo keeps its topic file, DuckDB file and outbox.",
)
def demo(workdir: Path) -> None:
    """Run the whole pipeline twice on the bundled offline sample news site."""
    from .demo import run_demo

    try:
        code = run_demo(workdir, echo=click.echo)
    except DrainwatchError as exc:
        raise _fail(exc) from None
    sys.exit(code)


main.add_command(sources)
