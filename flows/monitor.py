"""The `monitor` Prefect flow: discover → fetch → extract → store → compare → alert.

Tasks wrap whole stages (never one task per article); each stage is a plain function in its
own module, and each task that writes opens the DuckDB file for one short transaction.
Settings are built here, at the flow's entry, from the topic file, the environment and the
flow's parameters (the SMTP password never becomes a Prefect parameter).
"""

from __future__ import annotations

import email.policy
import logging
import uuid
from dataclasses import dataclass

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from drainwatch.errors import AlertError
from drainwatch.records import Candidate, Discovery, Extracted, Failure, Fetched, RunSummary
from drainwatch.settings import Settings, load_settings
from extractors.records import CORE_METRICS
from warehouse import alerts as outbox_table
from warehouse.compare import assign_findings
from warehouse.db import connect
from warehouse.snapshot import write_snapshot
from warehouse.store import (
    fail_run, finish_run, known_urls, record_failures, record_sources, start_run, store_articles, sync_baseline,
)

from .digest import compose
from .discover import discover
from .extract import extract_articles
from .fetch import fetch_pages
from .http import make_client
from .failure_notice import end_failure_streak, notify_failure
from .mailer import deliver

log = logging.getLogger("drainwatch")


@dataclass(frozen=True, slots=True)
class AlertOutcome:
    sent: int
    queued: int
    failures: tuple[Failure, ...]


@task(name="discover", cache_policy=NO_CACHE)
async def discover_task(settings: Settings) -> tuple[Discovery, int]:
    """New article URLs; returns them with the count of all URLs the sources listed."""
    async with make_client(settings.fetch) as client:
        found = await discover(settings.topic.sources, client)
    with connect(settings.warehouse.db_path) as con:
        record_sources(con, found.sources)
        known = known_urls(con, [c.url for c in found.candidates] + [c.discovered_url for c in found.candidates])
    new = tuple(c for c in found.candidates if c.url not in known and c.discovered_url not in known)
    return Discovery(new, found.sources), len(found.candidates)


@task(name="fetch", cache_policy=NO_CACHE)
async def fetch_task(settings: Settings, candidates: tuple[Candidate, ...]) -> Fetched:
    async with make_client(settings.fetch) as client:
        return await fetch_pages(candidates, client, settings.fetch)


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(settings: Settings, fetched: Fetched) -> Extracted:
    return extract_articles(fetched.pages, settings.topic.cues())


@task(name="store", cache_policy=NO_CACHE)
def store_task(settings: Settings, run_id: str, extracted: Extracted, failures: tuple[Failure, ...]) -> tuple[int, int]:
    with connect(settings.warehouse.db_path) as con:
        record_failures(con, run_id, failures)
        return store_articles(con, run_id, extracted.articles)


@task(name="compare", cache_policy=NO_CACHE)
def compare_task(settings: Settings, run_id: str) -> int:
    topic = settings.topic
    with connect(settings.warehouse.db_path) as con:
        sync_baseline(con, topic)
        return len(assign_findings(con, topic.name, run_id, CORE_METRICS))


@task(name="alert", cache_policy=NO_CACHE)
def alert_task(settings: Settings, run_id: str) -> AlertOutcome:
    """Queue one digest for the findings not alerted yet, then send everything queued."""
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
        if findings:
            alert_id, msg = compose(
                findings, topic_title=topic.title, prefix=topic.alert.subject_prefix, mail_from=smtp.mail_from,
                mail_to=smtp.mail_to, run_id=run_id, list_id=topic.name,
            )
            outbox_table.queue_alert(
                # CRLF line ends: smtplib sends bytes as they are, and SMTP wants CRLF.
                con, run_id, alert_id, str(msg["Subject"]), str(msg["Message-ID"]), smtp.mail_to,
                msg.as_bytes(policy=email.policy.SMTP),
                [f.finding_id for f in findings],
            )
        queued = outbox_table.queued_alerts(con)
        for q in queued:
            try:
                transport = deliver(q.message, q.alert_id, q.recipients, smtp, settings.warehouse.outbox_dir)
            except AlertError as exc:
                outbox_table.mark_failed(con, q.alert_id, str(exc))
                failures.append(Failure("alert", None, "alert_not_sent", str(exc)))
                continue
            outbox_table.mark_sent(con, q.alert_id, transport)
            sent += 1
        record_failures(con, run_id, failures)
    return AlertOutcome(sent, len(queued) - sent, tuple(failures))


async def run_pipeline(settings: Settings, run_id: str) -> RunSummary:
    with connect(settings.warehouse.db_path) as con:
        start_run(con, run_id, settings.topic.name)
    try:
        discovery, listed = await discover_task(settings)
        log.info("discovered %d URLs, %d new", listed, len(discovery.candidates))
        fetched = await fetch_task(settings, discovery.candidates)
        extracted = extract_task(settings, fetched)
        failures = fetched.failures + extracted.failures
        source_failures = tuple(
            Failure("discover", s.url, s.reason or "error", s.detail or "") for s in discovery.sources if not s.ok
        )
        articles_new, figures_new = store_task(settings, run_id, extracted, source_failures + failures)
        findings_new = compare_task(settings, run_id)
        outcome = alert_task(settings, run_id)
    except BaseException as exc:
        with connect(settings.warehouse.db_path) as con:
            fail_run(con, run_id, f"{type(exc).__name__}: {exc}")
        raise
    errors = source_failures + failures + outcome.failures
    summary = RunSummary(
        run_id=run_id,
        status="partial" if errors else "complete",
        sources_ok=sum(1 for s in discovery.sources if s.ok),
        sources_failed=len(source_failures),
        articles_discovered=listed,
        articles_new=articles_new,
        pages_failed=len(failures),
        figures_new=figures_new,
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
    settings = load_settings(topic_file, db=db, outbox=outbox)
    from prefect.runtime import flow_run

    run_id = str(flow_run.id or uuid.uuid4())
    try:
        summary = await run_pipeline(settings, run_id)
    except Exception as exc:
        notify_failure(settings, run_id, f"{type(exc).__name__}: {exc}")
        raise
    end_failure_streak(settings)
    return summary
