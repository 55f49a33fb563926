"""The `monitor` Prefect flow: discover → process (fetch, extract, store; batch by batch)
→ compare → alert, under a run lock.

Tasks wrap whole stages (never one task per article); each stage is a plain function in its
own module, and every write opens the DuckDB file for one short transaction.
Settings are built here, at the flow's entry, from the topic file, the environment and the
flow's parameters (the SMTP password never becomes a Prefect parameter).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import logging
import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run

from core.errors import AlertError, WarehouseError
from core.figures import CORE_METRICS
from core.lifeline import keeping_signal_mask, watch_parent
from core.records import Extracted, Failure, Fetched, RunSummary, SourceResult
from core.settings import Settings, check_served_paths, load_settings
from extractors.cues import Cues
from warehouse import alerts as outbox_table
from warehouse.compare import assign_findings
from warehouse.db import connect, transaction
from warehouse.fetchstate import (
    known_links,
    last_request_starts,
    pending_candidates,
    record_attempts,
    record_discovery,
    record_page_failures,
    source_states,
)
from warehouse.lock import RunInProgress, run_lock
from warehouse.snapshot import write_snapshot
from warehouse.store import (
    abort_dead_runs,
    fail_run,
    finish_run,
    record_failures,
    start_run,
    store_articles,
    sync_baseline,
)

from .digest import compose, split_by_size
from .discover import discover
from .extract import extract_articles
from .failure_notice import end_failure_streak, notify_failure
from .fetch import fetch_pages
from .http import Fetcher, make_client
from .mailer import deliver

log = logging.getLogger("drainwatch")


@dataclass(frozen=True, slots=True)
class AlertOutcome:
    sent: int
    queued: int
    failures: tuple[Failure, ...]


@dataclass(frozen=True, slots=True)
class DiscoverOutcome:
    sources: tuple[SourceResult, ...]
    listed: int  # URLs the sources listed this run
    added: int  # of them new to the candidates table
    failures: tuple[Failure, ...]  # the sources that failed


@task(name="discover", cache_policy=NO_CACHE)
async def discover_task(settings: Settings, run_id: str) -> DiscoverOutcome:
    """Ask the sources (conditionally) and add the URLs they list to the candidates table."""
    with connect(settings.warehouse.db_path) as con:
        states, last_starts, links = source_states(con), last_request_starts(con), known_links(con)
    async with make_client(settings.fetch) as client:
        fetcher = Fetcher(client, settings.fetch, last_starts)
        subject = Cues.from_mapping(settings.topic.cue_words)
        found = await discover(settings.topic.sources, fetcher, states, links, lambda t: subject.has("it_subject", t))
    failures = tuple(Failure("discover", s.url, s.reason or "error", s.detail or "") for s in found.sources if not s.ok)
    with connect(settings.warehouse.db_path) as con:
        added = record_discovery(con, found.sources, found.candidates)
        with transaction(con):
            record_attempts(con, run_id, fetcher.attempts)
        record_failures(con, run_id, failures)
    return DiscoverOutcome(found.sources, len(found.candidates), added, failures)


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    articles_new: int
    figures_new: int
    failures: tuple[Failure, ...]


POOL_FROM = 8  # smaller batches are extracted in-process: starting workers costs more


@task(name="process", cache_policy=NO_CACHE)
async def process_task(settings: Settings, run_id: str) -> ProcessOutcome:
    """Fetch, extract and store the waiting candidates, one batch at a time.

    Each batch is stored in its own transaction, so memory stays flat and a killed run
    keeps every finished batch; extraction uses every core through a process pool. Three
    batches are in flight: one downloads, one is extracted, one is stored."""
    db, fetch = settings.warehouse.db_path, settings.fetch
    cues = Cues.from_mapping(settings.topic.cue_words)
    tried: list[str] = []
    failures: list[Failure] = []
    articles_new = figures_new = done = 0
    with contextlib.ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        with connect(db) as con:
            last_starts = last_request_starts(con)
            waiting = con.execute("SELECT count(*) FROM candidates WHERE status = 'discovered'").fetchall()[0][0]
        total = min(waiting, fetch.max_pages_per_run)
        log.info(
            "%d pages to fetch%s",
            total,
            f" ({waiting - total} wait for later runs)" if waiting > total else "",
            extra={"progress": {"stage": "fetch", "total": total}},
        )
        async with make_client(fetch) as client:
            fetcher = Fetcher(client, fetch, last_starts)

            async def fetch_next() -> tuple[int, Fetched] | None:
                with connect(db) as con:
                    batch = pending_candidates(con, min(fetch.batch_size, fetch.max_pages_per_run - len(tried)), tried)
                if not batch:
                    return None
                tried.extend(c.url for c in batch)
                return len(batch), await fetch_pages(batch, fetcher)

            def store_batch(fetched: Fetched, extracted: Extracted) -> tuple[int, int, tuple[Failure, ...]]:
                batch_failures = fetched.failures + extracted.failures
                with connect(db) as con:
                    record_failures(con, run_id, batch_failures)
                    with transaction(con):
                        record_page_failures(con, batch_failures, fetch.max_page_attempts)
                        record_attempts(con, run_id, fetched.attempts)
                    added, figs = store_articles(con, run_id, extracted.articles)
                return added, figs, batch_failures

            async def stored(job: asyncio.Task[tuple[int, int, tuple[Failure, ...]]], size: int, pages: int) -> None:
                nonlocal articles_new, figures_new, done, failures
                added, figs, batch_failures = await job
                articles_new, figures_new = articles_new + added, figures_new + figs
                failures += batch_failures
                done += size
                log.info(
                    "%d of %d pages done: %d fetched, %d new articles, %d failed",
                    done,
                    total,
                    pages,
                    added,
                    len(batch_failures),
                    extra={"progress": {"stage": "extract", "done": done, "total": total}},
                )

            # The next batch downloads while this one is extracted, and this one is stored
            # while the next one is extracted: the pool never waits for the store.
            upcoming: asyncio.Task[tuple[int, Fetched] | None] | None = asyncio.create_task(fetch_next())
            stack.callback(lambda: upcoming.cancel() if upcoming is not None and not upcoming.done() else None)
            storing: tuple[asyncio.Task[tuple[int, int, tuple[Failure, ...]]], int, int] | None = None
            try:
                while upcoming is not None:
                    got = await upcoming
                    if got is None:
                        break
                    size, fetched = got
                    more = len(tried) < fetch.max_pages_per_run
                    upcoming = asyncio.create_task(fetch_next()) if more else None
                    if pool is None and len(fetched.pages) >= POOL_FROM:
                        workers = fetch.extract_workers or os.cpu_count() or 1
                        with keeping_signal_mask():
                            pool = stack.enter_context(
                                ProcessPoolExecutor(
                                    workers,
                                    mp_context=multiprocessing.get_context("spawn"),
                                    # No worker outlives a killed run.
                                    initializer=watch_parent,
                                    initargs=(os.getpid(),),
                                )
                            )
                    extracted = await asyncio.to_thread(
                        extract_articles, fetched.pages, cues, pool, settings.topic.fetch.page_budget
                    )
                    if storing is not None:
                        # Batches are stored one at a time, in order.
                        previous, storing = storing, None
                        await stored(*previous)
                    job = asyncio.create_task(asyncio.to_thread(store_batch, fetched, extracted))
                    storing = (job, size, len(fetched.pages))
                if storing is not None:
                    previous, storing = storing, None
                    await stored(*previous)
            finally:
                if storing is not None:
                    # A batch already extracted is still stored when the next one fails: its
                    # thread cannot be stopped, and the connection must close before we go.
                    await asyncio.wait([storing[0]])
    return ProcessOutcome(articles_new, figures_new, tuple(failures))


@task(name="compare", cache_policy=NO_CACHE)
def compare_task(settings: Settings, run_id: str) -> int:
    topic = settings.topic
    with connect(settings.warehouse.db_path) as con:
        sync_baseline(con, topic)
        return len(assign_findings(con, topic.name, run_id, CORE_METRICS))


@task(name="alert", cache_policy=NO_CACHE)
def alert_task(settings: Settings, run_id: str) -> AlertOutcome:
    """Queue a digest for the findings not alerted yet (several if one would be too big),
    then send everything queued."""
    topic, smtp = settings.topic, settings.smtp
    failures: list[Failure] = []
    sent = 0
    with connect(settings.warehouse.db_path) as con:
        policy = topic.alert
        findings = outbox_table.findings_to_alert(
            con, topic.name, policy.metrics, policy.min_relative_change, 2 if policy.require_second_source else 1
        )
        if policy.digest == "daily" and outbox_table.alerted_today(con, topic.name):
            findings = []  # they wait for tomorrow's digest
        # Several digests when one would be too big for a mail server: no finding may hold
        # back the others.
        for group in split_by_size(findings, policy.max_digest_bytes):
            alert_id, msg = compose(
                group,
                topic_title=topic.title,
                prefix=topic.alert.subject_prefix,
                mail_from=smtp.mail_from,
                mail_to=smtp.mail_to,
                run_id=run_id,
                list_id=topic.name,
            )
            outbox_table.queue_alert(
                # CRLF line ends: smtplib sends bytes as they are, and SMTP wants CRLF.
                con,
                run_id,
                alert_id,
                str(msg["Subject"]),
                str(msg["Message-ID"]),
                smtp.mail_to,
                msg.as_bytes(policy=email.policy.SMTP),
                [f.finding_id for f in group],
            )
        queued = outbox_table.queued_alerts(con)
    log.info("%d alert(s) to send", len(queued), extra={"progress": {"stage": "alert", "total": len(queued)}})
    # The file is closed while the SMTP server is talked to (retries, timeouts): readers
    # are not locked out, and each result is recorded in its own short transaction.
    for q in queued:
        try:
            transport = deliver(q.message, q.alert_id, q.recipients, smtp, settings.warehouse.outbox_dir)
        except AlertError as exc:
            with connect(settings.warehouse.db_path) as con:
                outbox_table.mark_failed(con, q.alert_id, str(exc))
            failures.append(Failure("alert", None, "alert_not_sent", str(exc)))
            continue
        with connect(settings.warehouse.db_path) as con:
            outbox_table.mark_sent(con, q.alert_id, transport)
        sent += 1
        log.info("alert %s sent by %s", q.alert_id, transport, extra={"progress": {"stage": "alert", "advance": 1}})
    with connect(settings.warehouse.db_path) as con:
        record_failures(con, run_id, failures)
    return AlertOutcome(sent, len(queued) - sent, tuple(failures))


async def run_pipeline(settings: Settings, run_id: str) -> RunSummary:
    with connect(settings.warehouse.db_path) as con:
        # Under the run lock: a run still `running` is one whose process died.
        aborted = abort_dead_runs(con)
        start_run(con, run_id, settings.topic.name)
    if aborted:
        log.warning("marked %d run(s) aborted: their process ended before they finished", aborted)
    try:
        discovered = await discover_task(settings, run_id)
        log.info("sources listed %d URLs, %d new", discovered.listed, discovered.added)
        processed = await process_task(settings, run_id)
        findings_new = compare_task(settings, run_id)
        outcome = alert_task(settings, run_id)
    except BaseException as exc:
        stopped = isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt, TerminationSignal))  # Ctrl-C, SIGTERM
        try:
            with connect(settings.warehouse.db_path) as con:
                if stopped:
                    fail_run(con, run_id, "stopped by a signal (Ctrl-C or SIGTERM)", status="aborted")
                else:
                    fail_run(con, run_id, f"{type(exc).__name__}: {exc}")
        except WarehouseError as also:  # the warehouse itself may be what failed
            log.error("could not record the failed run: %s", also)
        raise
    source_failures = discovered.failures
    page_failures = processed.failures
    errors = source_failures + page_failures + outcome.failures
    summary = RunSummary(
        run_id=run_id,
        status="partial" if errors else "complete",
        sources_ok=sum(1 for s in discovered.sources if s.ok and not s.skipped),
        sources_failed=len(source_failures),
        articles_discovered=discovered.listed,
        articles_new=processed.articles_new,
        pages_failed=len(page_failures),
        figures_new=processed.figures_new,
        findings_new=findings_new,
        alerts_sent=outcome.sent,
        alerts_queued=outcome.queued,
        errors=errors,
    )
    with connect(settings.warehouse.db_path) as con:
        finish_run(con, summary)
        # Readers fall back to this copy while a later run holds the file.
        write_snapshot(con, settings.warehouse.db_path)
    return summary


@flow(name="monitor", description="Discover, fetch and extract news figures; compare with the baseline; alert.")
async def monitor(topic_file: str, db: str | None = None, outbox: str | None = None) -> RunSummary:
    check_served_paths(topic_file, db, outbox)
    settings = load_settings(topic_file, db=db, outbox=outbox)
    # Progress at the edge: Prefect shows these loggers (PREFECT_LOGGING_EXTRA_LOGGERS) at INFO.
    for name in ("drainwatch", "flows", "warehouse"):
        logging.getLogger(name).setLevel(logging.INFO)

    run_id = str(flow_run.id or uuid.uuid4())
    try:
        with run_lock(settings.warehouse.db_path):
            summary = await run_pipeline(settings, run_id)
    except RunInProgress:
        raise  # not a failure of the warehouse or the sources: nobody needs an email
    except Exception as exc:
        notify_failure(settings, run_id, f"{type(exc).__name__}: {exc}")
        raise
    end_failure_streak(settings)
    return summary
