"""One typed settings object, built once at the entry point and passed down.

Order of override: the topic file, then environment variables, then CLI flags.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError
from .fetch_settings import FetchSettings
from .topic import Topic, load_topic

DEFAULT_DB = Path("drainwatch.duckdb")
DEFAULT_OUTBOX = Path("outbox")
DEFAULT_MAIL = "drainwatch@localhost"
ENV = "environment"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str | None = None
    """SMTP server; when unset, alerts are written as .eml files to the outbox folder."""
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    ca_file: str | None = None
    """Extra CA bundle for a private server's certificate."""
    mail_from: str = DEFAULT_MAIL
    mail_to: tuple[str, ...] = (DEFAULT_MAIL,)
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class WarehouseSettings:
    db_path: Path = DEFAULT_DB
    """The DuckDB file holding articles, figures, findings, alerts and runs."""
    outbox_dir: Path = DEFAULT_OUTBOX
    """Where alert emails are written as .eml files when no SMTP server is configured."""


@dataclass(frozen=True)
class Settings:
    topic: Topic
    fetch: FetchSettings
    smtp: SmtpSettings
    warehouse: WarehouseSettings


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(ENV, key, f"must be a whole number, got {raw!r}") from None


def _bool(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(ENV, key, f"must be 0 or 1, got {raw!r}")


def load_settings(
    topic_file: str | Path,
    env: Mapping[str, str] | None = None,
    *,
    db: str | Path | None = None,
    outbox: str | Path | None = None,
) -> Settings:
    env = os.environ if env is None else env
    topic = load_topic(topic_file)
    ca_file = env.get("DRAINWATCH_SMTP_CA_FILE") or None
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(ENV, "DRAINWATCH_SMTP_CA_FILE", f"no such file: {ca_file}")
    mail_to = tuple(a.strip() for a in env.get("DRAINWATCH_MAIL_TO", "").split(",") if a.strip())
    smtp = SmtpSettings(
        host=env.get("DRAINWATCH_SMTP_HOST") or None,
        port=_int(env, "DRAINWATCH_SMTP_PORT", 587),
        user=env.get("DRAINWATCH_SMTP_USER") or None,
        password=env.get("DRAINWATCH_SMTP_PASSWORD") or None,
        starttls=_bool(env, "DRAINWATCH_SMTP_STARTTLS", False),
        ca_file=ca_file,
        mail_from=env.get("DRAINWATCH_MAIL_FROM") or DEFAULT_MAIL,
        mail_to=mail_to or topic.alert.recipients or (DEFAULT_MAIL,),
    )
    if smtp.user and not smtp.password:
        raise ConfigError(ENV, "DRAINWATCH_SMTP_PASSWORD", "must be set when DRAINWATCH_SMTP_USER is")
    fetch = replace(topic.fetch, user_agent=env.get("DRAINWATCH_USER_AGENT") or topic.fetch.user_agent)
    warehouse = WarehouseSettings(
        db_path=Path(db or env.get("DRAINWATCH_DB") or DEFAULT_DB),
        outbox_dir=Path(outbox or env.get("DRAINWATCH_OUTBOX") or DEFAULT_OUTBOX),
    )
    return Settings(topic, fetch, smtp, warehouse)


SERVED_PATHS = "DRAINWATCH_SERVED_PATHS"
"""Set by `drainwatch serve` for the runs it starts: the topic file, database and outbox it
was started with, as JSON."""


def check_served_paths(
    topic_file: str | Path, db: str | Path | None, outbox: str | Path | None, env: Mapping[str, str] | None = None
) -> None:
    """Under `drainwatch serve`, a run may use only the paths serve was started with.

    serve's Prefect API takes run parameters from anyone who can reach it, unauthenticated;
    without this check a run could be pointed at any file as its database or outbox."""
    env = os.environ if env is None else env
    raw = env.get(SERVED_PATHS)
    if not raw:
        return
    served = json.loads(raw)
    for name, value in (("topic_file", topic_file), ("db", db), ("outbox", outbox)):
        if value is None:
            continue
        if Path(value).resolve() != Path(served[name]).resolve():
            raise ConfigError(
                "run parameters", name, f"{value} is not the path `drainwatch serve` was started with ({served[name]})"
            )
