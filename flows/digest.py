"""The alert digest: one email per run listing new findings, plain text and HTML."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from core.records import short_hash
from warehouse.alerts import FindingForAlert

METRIC_LABELS = {
    "it_emigrants": "IT emigrants",
    "it_emigrants_share": "Share of IT workforce that left",
    "it_emigrants_forecast": "Expected IT departures",
    "it_returned": "IT specialists who returned",
    "it_remote_abroad": "Working remotely from abroad",
    "it_shortage": "IT shortage",
    "it_workforce": "IT workforce",
    "emigrants_total": "All emigrants",
}
_QUALIFIER_WORDS = {"approx": "about ", "at_most": "up to ", "at_least": "at least ", "exact": "", "range": ""}

# What one finding may add to a digest, so that no page can make the email too big for the
# mail server and so hold back every other finding (issue 15).
MAX_QUOTE = 600
"""Characters of the quoted sentence."""
MAX_FIELD = 200
"""Characters of an outlet, speaker or period."""
MAX_URL = 1000
"""A longer source URL is not linked: a cut link would lead nowhere."""
MAX_SOURCES = 20
"""Sources listed per finding; the rest are counted."""


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _url(url: str) -> str | None:
    return url if len(url) <= MAX_URL else None


HEADROOM = 8_000
"""Bytes of a digest that are not its findings: headers, titles, the footer."""


def split_by_size(findings: Sequence[FindingForAlert], max_bytes: int) -> list[list[FindingForAlert]]:
    """Findings in groups whose digest stays under `max_bytes`, in order; a finding too big
    alone still gets a digest of its own."""
    groups: list[list[FindingForAlert]] = []
    size = 0
    for f in findings:
        # Both parts, quoted-printable (up to three bytes per byte of UTF-8), plus headers.
        cost = 3 * (len(_text([f], "").encode()) + len(_html([f], "").encode()))
        if not groups or size + cost > max_bytes - HEADROOM:
            groups.append([])
            size = 0
        groups[-1].append(f)
        size += cost
    return groups


def format_value(
    value: float | None, unit: str, low: float | None = None, high: float | None = None, qualifier: str = "exact"
) -> str:
    if value is None:
        return "?"

    def num(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"

    suffix = " %" if unit == "percent" else ""
    if qualifier == "range" and low is not None and high is not None:
        return f"{num(low)}–{num(high)}{suffix}"
    return f"{_QUALIFIER_WORDS.get(qualifier, '')}{num(value)}{suffix}"


def format_change(f: FindingForAlert) -> str:
    if f.comparison == "new_metric" or f.baseline_value is None:
        return "new metric (no baseline)"
    pct = (f.relative_change or 0.0) * 100
    return f"{pct:+.0f} % vs baseline {format_value(f.baseline_value, f.unit)}"


def subject_line(prefix: str, findings: Sequence[FindingForAlert]) -> str:
    # Headline the biggest change against the baseline; a new metric only when nothing compares.
    biggest = max(findings, key=lambda f: (f.comparison != "new_metric", abs(f.relative_change or 0)))
    label = METRIC_LABELS.get(biggest.metric, biggest.metric)
    n = len(findings)
    head = f"{n} new figure{'s' if n != 1 else ''}"
    change = (
        "new metric"
        if biggest.comparison == "new_metric"
        else f"{(biggest.relative_change or 0) * 100:+.0f} % vs baseline"
    )
    return f"{prefix} {head}: {label} {format_value(biggest.value, biggest.unit)} ({change})".strip()


def alert_id_for(finding_ids: Sequence[str]) -> str:
    return short_hash(*sorted(finding_ids))


def compose(
    findings: Sequence[FindingForAlert],
    *,
    topic_title: str,
    prefix: str,
    mail_from: str,
    mail_to: Sequence[str],
    run_id: str,
    list_id: str,
) -> tuple[str, EmailMessage]:
    """The digest as an EmailMessage and its alert id (derived from the findings)."""
    alert_id = alert_id_for([f.finding_id for f in findings])
    msg = EmailMessage()
    msg["Subject"] = subject_line(prefix, findings)
    msg["From"] = mail_from
    msg["To"] = ", ".join(mail_to)
    msg["Date"] = format_datetime(datetime.now(UTC))
    # Derived from the findings alone: a resend of the same alert carries the same id.
    msg["Message-ID"] = f"<{alert_id}@drainwatch>"
    msg["List-Id"] = f"drainwatch {topic_title} <{list_id}.drainwatch>"
    msg["X-Drainwatch-Run"] = run_id
    msg["X-Drainwatch-Alert"] = alert_id
    # Quoted-printable keeps every line under SMTP's 998-octet limit whatever the content.
    msg.set_content(_text(findings, topic_title), cte="quoted-printable")
    msg.add_alternative(_html(findings, topic_title), subtype="html", cte="quoted-printable")
    return alert_id, msg


def _text(findings: Sequence[FindingForAlert], title: str) -> str:
    lines = [f"drainwatch: {len(findings)} new figure(s) on {title}", ""]
    for i, f in enumerate(findings, 1):
        lines.append(
            f"{i}. {METRIC_LABELS.get(f.metric, f.metric)}: {format_value(f.value, f.unit, f.low, f.high, f.qualifier)}"
        )
        lines.append(f"   Change: {format_change(f)}")
        lines.append(f"   Speaker: {clip(f.speaker or 'not attributed', MAX_FIELD)}")
        periods = sorted({s.period for s in f.sources if s.period})
        if periods:
            lines.append(f"   Period: {clip('; '.join(periods), MAX_FIELD)}")
        if f.sources:
            lines.append(f'   "{clip(f.sources[0].sentence, MAX_QUOTE)}"')
        lines.append(f"   Sources ({len(f.sources)}):")
        for s in f.sources[:MAX_SOURCES]:
            where = _url(s.url) or f"(a URL of {len(s.url):,} characters, not shown)"
            lines.append(
                f"   - {clip(s.outlet or 'unknown outlet', MAX_FIELD)}{', ' + s.published if s.published else ''}: {where}"
            )
        if len(f.sources) > MAX_SOURCES:
            lines.append(f"   - and {len(f.sources) - MAX_SOURCES} more")
        lines.append("")
    lines.append("Figures equal to the baseline (within 2 %) are recorded but not sent.")
    return "\n".join(lines) + "\n"


def _link(url: str, outlet: str | None) -> str:
    label = html.escape(clip(outlet or url, MAX_FIELD))
    if _url(url) is None:
        return f"{label} (a URL of {len(url):,} characters, not shown)"
    return f'<a href="{html.escape(url)}" style="color:#0b57d0">{label}</a>'


def _html(findings: Sequence[FindingForAlert], title: str) -> str:
    e = html.escape
    cards = []
    for f in findings:
        colour = {"higher": "#b3261e", "lower": "#1b6e3a"}.get(f.comparison, "#6b4fbb")
        sources = "".join(
            f'<li style="margin:2px 0">{_link(s.url, s.outlet)}{" · " + e(s.published) if s.published else ""}</li>'
            for s in f.sources[:MAX_SOURCES]
        )
        if len(f.sources) > MAX_SOURCES:
            sources += f'<li style="margin:2px 0">and {len(f.sources) - MAX_SOURCES} more</li>'
        quote = e(clip(f.sources[0].sentence, MAX_QUOTE)) if f.sources else ""
        periods = clip("; ".join(sorted({s.period for s in f.sources if s.period})), MAX_FIELD)
        cards.append(
            '<div style="border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:0 0 14px 0">'
            f'<div style="font-size:13px;color:#555">{e(METRIC_LABELS.get(f.metric, f.metric))}</div>'
            f'<div style="font-size:22px;font-weight:bold">{e(format_value(f.value, f.unit, f.low, f.high, f.qualifier))}</div>'
            f'<div style="color:{colour};font-weight:bold">{e(format_change(f))}</div>'
            f'<div style="margin-top:6px">Speaker: {e(clip(f.speaker or "not attributed", MAX_FIELD))}'
            f"{' · Period: ' + e(periods) if periods else ''}</div>"
            f'<blockquote style="margin:8px 0;padding-left:10px;border-left:3px solid #ccc;color:#333">{quote}</blockquote>'
            f'<ul style="margin:4px 0 0 18px;padding:0">{sources}</ul></div>'
        )
    return (
        '<!DOCTYPE html><html><body style="font-family:Arial,Helvetica,sans-serif;max-width:680px;margin:0 auto;color:#111">'
        f'<h2 style="font-size:18px">{len(findings)} new figure(s): {e(title)}</h2>'
        + "\n".join(cards)
        + '<p style="font-size:12px;color:#777">Figures equal to the baseline (within 2 %) are recorded but not sent.</p>'
        "</body></html>"
    )
