"""Delivering an alert: over SMTP when a server is configured, else as an .eml file."""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from pathlib import Path

from core.errors import AlertError
from core.settings import SmtpSettings

ATTEMPTS = 3
BACKOFF_S = 0.5


def _transient(exc: BaseException) -> bool:
    """Worth another try: no connection, a dropped one, or a 4xx answer."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def deliver(message: bytes, alert_id: str, recipients: tuple[str, ...], smtp: SmtpSettings, outbox: Path) -> str:
    """Hand the message over; returns the transport used. Raises AlertError on failure.

    SMTP is tried up to ATTEMPTS times with doubling pauses when the failure is transient;
    an alert that still fails stays queued for the next run."""
    if smtp.configured:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                _send_smtp(message, recipients, smtp)
                return "smtp"
            except AlertError as exc:
                if attempt == ATTEMPTS or not _transient(exc.__cause__ or exc):
                    raise
                time.sleep(BACKOFF_S * 2 ** (attempt - 1))
    _write_eml(message, alert_id, outbox)
    return "outbox"


def _send_smtp(message: bytes, recipients: tuple[str, ...], smtp: SmtpSettings) -> None:
    where = f"smtp://{smtp.host}:{smtp.port}"
    context = ssl.create_default_context(cafile=smtp.ca_file) if (smtp.starttls or smtp.port == 465) else None
    try:
        if smtp.port == 465:
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host or "", smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host or "", smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.starttls:
                client.starttls(context=context)
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            refused = client.sendmail(smtp.mail_from, list(recipients), message)
    except (smtplib.SMTPException, OSError) as exc:
        raise AlertError(where, f"{type(exc).__name__}: {exc}") from exc
    if refused:
        raise AlertError(where, f"recipients refused: {', '.join(refused)}")


def _write_eml(message: bytes, alert_id: str, outbox: Path) -> None:
    # Named by alert id and written atomically: a resend after a crash replaces, never doubles.
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        final = outbox / f"{alert_id}.eml"
        tmp = outbox / f".{alert_id}.eml.tmp"
        tmp.write_bytes(message)
        os.replace(tmp, final)
    except OSError as exc:
        raise AlertError(str(outbox), f"cannot write .eml ({exc.strerror})") from None
