"""A short email when a run fails as a whole, at most once per failing streak.

The streak is a marker file in the outbox folder: written when the first failing run of a
streak has notified, removed by the next run that does not fail. It does not live in the
warehouse because a broken warehouse is one of the failures it reports.
"""

from __future__ import annotations

import email.policy
import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from core.errors import AlertError
from core.records import short_hash
from core.settings import Settings

from .mailer import deliver

log = logging.getLogger(__name__)
MARKER = ".failing-streak"


def notify_failure(settings: Settings, run_id: str, error: str) -> bool:
    """Email the recipients about a failed run unless this streak was already reported."""
    marker = settings.warehouse.outbox_dir / MARKER
    if marker.exists():
        return False
    smtp, topic = settings.smtp, settings.topic
    msg = EmailMessage()
    notice_id = short_hash("failure", run_id)
    msg["Subject"] = f"{topic.alert.subject_prefix} run failed for {topic.title}"
    msg["From"] = smtp.mail_from
    msg["To"] = ", ".join(smtp.mail_to)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = f"<{notice_id}@drainwatch>"
    msg["List-Id"] = f"drainwatch {topic.title} <{topic.name}.drainwatch>"
    msg.set_content(
        f"A drainwatch run failed as a whole.\n\nrun id: {run_id}\ntopic: {topic.path}\nerror: {error}\n\n"
        "No further notice is sent until a run succeeds again. Details: the runs table, or\n"
        f"  drainwatch query \"SELECT * FROM runs WHERE run_id = '{run_id}'\"\n",
        cte="quoted-printable",
    )
    try:
        deliver(
            msg.as_bytes(policy=email.policy.SMTP),
            f"failure-{notice_id}",
            smtp.mail_to,
            smtp,
            settings.warehouse.outbox_dir,
        )
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{run_id}\n")
    except (AlertError, OSError) as exc:
        log.warning("could not send the failure notice: %s", exc)
        return False
    return True


def end_failure_streak(settings: Settings) -> None:
    (settings.warehouse.outbox_dir / MARKER).unlink(missing_ok=True)
