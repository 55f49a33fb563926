"""A topic file (TOML) read into typed records.

A section the file leaves out falls back to the bundled default topic
(topics/russia-it-emigration.toml), so a copy with only [sources] changed is a full topic;
[sources] falls back key by key.
Errors name the file and the key.
"""

from __future__ import annotations

import ipaddress
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from .errors import ConfigError
from .fetch_settings import FetchSettings
from .figures import CUE_GROUPS, METRICS, QUALIFIERS, UNITS

DEFAULT_TOPIC = "russia-it-emigration.toml"
SPEAKER_KINDS = ("people", "organisations", "outlets")
SECTIONS = ("topic", "sources", "schedule", "alert", "cues", "speakers", "baseline", "fetch")
FREE_FORM = ("cues", "speakers")
"""Sections whose keys are data (language packs, names), checked where they are read."""


@dataclass(frozen=True, slots=True)
class NewsQuery:
    """One news-search query and the edition it is asked in (Google's `ceid`, COUNTRY:lang)."""

    q: str
    edition: str = "US:en"

    @property
    def params(self) -> dict[str, str]:
        country, _, lang = self.edition.partition(":")
        # Google's own links: hl=en-US&gl=US&ceid=US:en, hl=ru&gl=RU&ceid=RU:ru.
        return {"hl": f"{lang}-{country}" if lang == "en" else lang, "gl": country, "ceid": self.edition}


@dataclass(frozen=True, slots=True)
class Sources:
    feeds: tuple[str, ...]
    gdelt_doc_api: str
    gdelt_query: str
    gdelt_timespan: str
    gdelt_max_records: int
    news_search_rss: str
    news_search_queries: tuple[NewsQuery, ...]
    news_search_when: str = "7d"
    """Appended to each query as `when:7d`, so that results are recent ("" leaves it out)."""
    news_search_max_links: int = 15
    """Links per query a run resolves to the publisher's URL (two requests each); the rest wait."""
    news_sitemaps: tuple[str, ...] = ()
    """Publisher news sitemaps (Google News format): their articles of the last two days."""
    prefiltered_feeds: frozenset[str] = frozenset()
    """Feeds whose items are kept only when their title or summary names the topic's subject."""


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    metrics: tuple[str, ...]
    """Metrics that alert; other figures are stored only."""
    min_relative_change: float
    """Smallest change against the nearest baseline value that alerts (0 = any change)."""
    digest: str
    """"run" (one digest per run) or "daily" (at most one per UTC day)."""
    subject_prefix: str
    require_second_source: bool = False
    """Hold a finding until a second outlet reports it."""
    recipients: tuple[str, ...] = ()
    max_digest_bytes: int = 1_000_000
    """A digest larger than this is sent as several emails (mail servers refuse big ones)."""


@dataclass(frozen=True, slots=True)
class Schedule:
    cron: str
    timezone: str


@dataclass(frozen=True, slots=True)
class BaselineFact:
    metric: str
    value: float
    low: float | None
    high: float | None
    qualifier: str
    unit: str
    speaker: str | None
    outlet: str | None
    url: str | None
    date: str | None
    period: str | None


@dataclass(frozen=True)
class Topic:
    path: str
    name: str
    title: str
    sources: Sources
    alert: AlertPolicy
    schedule: Schedule
    cue_words: Mapping[str, Any]
    """Cue words: group -> words for every language, and language code -> {group -> words},
    one language pack per code ([cues] and [cues.<language>] of the file); and under
    "speakers", kind -> {canonical name -> aliases} ([speakers.<kind>] of the file)."""
    baseline: tuple[BaselineFact, ...]
    fetch: FetchSettings


def default_topic_path() -> Path:
    return Path(str(resources.files("topics") / DEFAULT_TOPIC))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(str(path), "", "topic file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read ({exc.strerror})") from None


class _Reader:
    """Typed access to one section, with errors that name file and key."""

    def __init__(self, file: str, section: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ConfigError(file, section, "must be a table")
        self.file, self.section, self.data = file, section, data
        self.asked: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.section}.{key}" if self.section else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, allow_none: bool = False) -> Any:
        self.asked.add(key)
        if key not in self.data:
            if default is ...:
                raise ConfigError(self.file, self._key(key), "missing")
            return default
        value = self.data[key]
        if value is None and allow_none:
            return None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise ConfigError(self.file, self._key(key), f"must be {name}, got {value!r}")
        return value

    def reject_unknown(self) -> None:
        """Call after reading the section: a key nothing asked for is a typo ("cronn",
        "min_relativ_change"), an error rather than a setting silently left at its default."""
        unknown = sorted(set(self.data) - self.asked)
        if unknown:
            known = ", ".join(sorted(self.asked))
            raise ConfigError(self.file, self._key(unknown[0]), f"unknown setting (known: {known})")

    def strings(self, key: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(key, list, default)
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(self.file, self._key(key), "must be a list of strings")
        return tuple(value)

    def url(self, key: str) -> str:
        value = self.get(key, str)
        if value and not value.startswith(("http://", "https://")):
            raise ConfigError(self.file, self._key(key), f'must be an http(s) URL or "", got {value!r}')
        return value


def load_topic(path: str | Path) -> Topic:
    path = Path(path)
    data = _read_toml(path)
    default_path = default_topic_path()
    defaults = data if path.resolve() == default_path.resolve() else _read_toml(default_path)
    file = str(path)

    for key in data:
        if key not in SECTIONS:
            raise ConfigError(file, key, f"unknown section (known: {', '.join(SECTIONS)})")
    readers: list[_Reader] = []

    def section(name: str) -> _Reader:
        reader = (
            _Reader(file, name, data[name])
            if name in data
            else _Reader(str(default_path), name, defaults.get(name, {}))
        )
        readers.append(reader)
        return reader

    meta = section("topic")
    sources = _sources(file, data, str(default_path), defaults)
    al = section("alert")
    metrics = al.strings("metrics")
    for m in metrics:
        if m not in METRICS:
            raise ConfigError(al.file, "alert.metrics", f"unknown metric {m!r} (known: {', '.join(METRICS)})")
    change = al.get("min_relative_change", float, 0.0)
    if not (math.isfinite(change) and change >= 0):
        raise ConfigError(al.file, "alert.min_relative_change", f"must be a number >= 0, got {change}")
    digest = al.get("digest", str, "run")
    if digest not in ("run", "daily"):
        raise ConfigError(al.file, "alert.digest", f'must be "run" or "daily", got {digest!r}')
    alert = AlertPolicy(
        metrics,
        change,
        digest,
        al.get("subject_prefix", str, "drainwatch:"),
        require_second_source=al.get("require_second_source", bool, False),
        recipients=al.strings("recipients", ()),
        max_digest_bytes=al.get("max_digest_bytes", int, 1_000_000),
    )
    for key, text in [("subject_prefix", alert.subject_prefix), *(("recipients", r) for r in alert.recipients)]:
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            # A line break would end the header and start another, and the email module refuses it.
            raise ConfigError(al.file, f"alert.{key}", f"must be one line without control characters, got {text!r}")
    if alert.max_digest_bytes < 20_000:
        raise ConfigError(al.file, "alert.max_digest_bytes", f"must be at least 20000, got {alert.max_digest_bytes}")
    sch = section("schedule")
    schedule = Schedule(
        check_cron(sch.file, "schedule.cron", sch.get("cron", str, "0 */6 * * *")),
        check_timezone(sch.file, "schedule.timezone", sch.get("timezone", str, "UTC")),
    )
    cue_words = _cue_words(section("cues"))
    cue_words["speakers"] = _speakers(section("speakers"))
    baseline_data = data["baseline"] if "baseline" in data else defaults.get("baseline", [])
    baseline_file = file if "baseline" in data else str(default_path)
    if not isinstance(baseline_data, list):
        raise ConfigError(baseline_file, "baseline", "must be an array of tables ([[baseline]])")
    baseline = tuple(_baseline_fact(baseline_file, i, row) for i, row in enumerate(baseline_data))
    fetch = _fetch_settings(file, data.get("fetch", {}))
    topic = Topic(
        fetch=fetch,
        path=file,
        name=meta.get("name", str, path.stem),
        title=meta.get("title", str, path.stem),
        sources=sources,
        alert=alert,
        schedule=schedule,
        cue_words=cue_words,
        baseline=baseline,
    )
    for reader in readers:
        if reader.section in FREE_FORM:
            continue
        reader.reject_unknown()
    return topic


SOURCE_KEYS = (
    "feeds",
    "news_sitemaps",
    "gdelt_doc_api",
    "gdelt_query",
    "gdelt_timespan",
    "gdelt_max_records",
    "news_search_rss",
    "news_search_queries",
    "news_search_when",
    "news_search_max_links",
)


def _sources(file: str, data: Mapping[str, Any], default_file: str, defaults: Mapping[str, Any]) -> Sources:
    """[sources] key by key: a key the file leaves out is taken from the default topic (a
    file with only `feeds` keeps the default GDELT and news search), and the keys of a
    source the file switches off ("" for gdelt_doc_api or news_search_rss) are not needed.
    An unknown key is an error that names it."""
    mine = _Reader(file, "sources", data.get("sources", {}))
    for key in mine.data:
        if key not in SOURCE_KEYS:
            raise ConfigError(file, f"sources.{key}", f"unknown setting (known: {', '.join(SOURCE_KEYS)})")
    fallback = _Reader(default_file, "sources", defaults.get("sources", {}))

    def src(key: str) -> _Reader:
        return mine if key in mine.data else fallback

    gdelt = src("gdelt_doc_api").url("gdelt_doc_api")
    news_search = src("news_search_rss").url("news_search_rss")
    feeds, prefiltered = _feeds(src("feeds"))
    news_sitemaps = src("news_sitemaps").strings("news_sitemaps", ())
    for i, sitemap in enumerate(news_sitemaps):
        if not sitemap.startswith(("http://", "https://")):
            raise ConfigError(
                src("news_sitemaps").file, f"sources.news_sitemaps[{i}]", f"must be an http(s) URL, got {sitemap!r}"
            )
    sources = Sources(
        feeds=feeds,
        gdelt_doc_api=gdelt,
        gdelt_query=src("gdelt_query").get("gdelt_query", str, ... if gdelt else ""),
        gdelt_timespan=src("gdelt_timespan").get("gdelt_timespan", str, "7d"),
        gdelt_max_records=src("gdelt_max_records").get("gdelt_max_records", int, 75),
        news_search_rss=news_search,
        news_search_queries=_news_queries(src("news_search_queries"), required=bool(news_search)),
        news_search_when=src("news_search_when").get("news_search_when", str, "7d"),
        news_search_max_links=src("news_search_max_links").get("news_search_max_links", int, 15),
        news_sitemaps=news_sitemaps,
        prefiltered_feeds=prefiltered,
    )
    if not 1 <= sources.gdelt_max_records <= 250:
        raise ConfigError(
            src("gdelt_max_records").file,
            "sources.gdelt_max_records",
            f"must be 1 to 250, got {sources.gdelt_max_records}",
        )
    return sources


def _feeds(r: _Reader) -> tuple[tuple[str, ...], frozenset[str]]:
    """Each entry a URL, or {url = "...", prefilter = true} for a general-news feed whose items
    are kept only when their title or summary has one of the topic's subject cues."""
    urls, prefiltered = [], set()
    for i, entry in enumerate(r.get("feeds", list, [])):
        key = f"sources.feeds[{i}]"
        if isinstance(entry, dict):
            if not isinstance(entry.get("url"), str) or set(entry) - {"url", "prefilter"}:
                raise ConfigError(r.file, key, f'must be a URL or {{url = "...", prefilter = true}}, got {entry!r}')
            if not isinstance(entry.get("prefilter", False), bool):
                raise ConfigError(r.file, f"{key}.prefilter", f"must be true or false, got {entry['prefilter']!r}")
            url = entry["url"]
            if entry.get("prefilter", False):
                prefiltered.add(url)
        elif isinstance(entry, str):
            url = entry
        else:
            raise ConfigError(r.file, key, f"must be an http(s) URL, got {entry!r}")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(r.file, key, f"must be an http(s) URL, got {url!r}")
        urls.append(url)
    return tuple(urls), frozenset(prefiltered)


def _news_queries(r: _Reader, required: bool) -> tuple[NewsQuery, ...]:
    """Each entry a string (the US English edition) or a table {q = "...", edition = "RU:ru"}."""
    out = []
    for i, entry in enumerate(r.get("news_search_queries", list, ... if required else [])):
        key = f"sources.news_search_queries[{i}]"
        if isinstance(entry, str):
            out.append(NewsQuery(entry))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("q"), str) or set(entry) - {"q", "edition"}:
            raise ConfigError(r.file, key, f'must be a string or {{q = "...", edition = "RU:ru"}}, got {entry!r}')
        edition = entry.get("edition", "US:en")
        if not (isinstance(edition, str) and len(edition.split(":")) == 2 and all(edition.split(":"))):
            raise ConfigError(r.file, f"{key}.edition", f'must be COUNTRY:language such as "RU:ru", got {edition!r}')
        out.append(NewsQuery(entry["q"], edition))
    return tuple(out)


def _cue_words(r: _Reader) -> dict[str, Any]:
    out: dict[str, Any] = {g: r.strings(g, ()) for g in CUE_GROUPS}
    for key, value in r.data.items():
        if key in CUE_GROUPS:
            continue
        if not (isinstance(value, dict) and len(key) == 2 and key.isalpha() and key.islower()):
            raise ConfigError(
                r.file, f"cues.{key}", f"neither a cue group ({', '.join(CUE_GROUPS)}) nor a language pack [cues.xx]"
            )
        pack = _Reader(r.file, f"cues.{key}", value)
        for group in value:
            if group not in CUE_GROUPS:
                raise ConfigError(r.file, f"cues.{key}.{group}", f"unknown cue group (known: {', '.join(CUE_GROUPS)})")
        out[key] = {g: pack.strings(g, ()) for g in CUE_GROUPS}
    return out


def _speakers(r: _Reader) -> dict[str, dict[str, tuple[str, ...]]]:
    """[speakers.people], [speakers.organisations], [speakers.outlets]: canonical name -> aliases."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, table in r.data.items():
        if kind not in SPEAKER_KINDS:
            raise ConfigError(
                r.file, f"speakers.{kind}", f"unknown kind of speaker (known: {', '.join(SPEAKER_KINDS)})"
            )
        rows = _Reader(r.file, f"speakers.{kind}", table)
        out[kind] = {name: rows.strings(name) for name in table}
    return out


_AT_LEAST_ONE = frozenset(
    {
        "timeout",
        "total_timeout",
        "max_concurrency",
        "per_host_concurrency",
        "max_bytes",
        "attempts",
        "max_pages_per_run",
        "batch_size",
        "page_budget",
        "max_page_attempts",
    }
)
"""[fetch] settings for which 0 means nothing can ever happen."""


def check_cron(file: str, key: str, cron: str) -> str:
    """A cron expression of five fields that can ever fire (cronsim, as serve's scheduler reads it)."""
    if len(cron.split()) != 5:
        raise ConfigError(file, key, f"must have five fields, got {cron!r}")
    try:
        next(CronSim(cron, datetime(2000, 1, 1)))
    except (CronSimError, StopIteration) as exc:
        raise ConfigError(file, key, f"not a valid cron expression: {cron!r} ({exc or 'never fires'})") from None
    return cron


def check_timezone(file: str, key: str, name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(file, key, f"unknown time zone {name!r} (an IANA name such as Europe/Berlin)") from None
    return name


def _fetch_settings(file: str, data: Any) -> FetchSettings:
    """The optional [fetch] section: any FetchSettings field, defaults for the rest."""
    from dataclasses import fields

    r = _Reader(file, "fetch", data)
    known = {f.name: f for f in fields(FetchSettings)}
    values: dict[str, Any] = {}
    for key in data:
        if key not in known:
            raise ConfigError(file, f"fetch.{key}", f"unknown setting (known: {', '.join(sorted(known))})")
        default = getattr(FetchSettings(), key)
        if key == "host_delays":
            table = _Reader(file, "fetch.host_delays", r.get(key, dict))
            values[key] = tuple((str(h), table.get(h, float)) for h in table.data)
            for host, delay in values[key]:
                if not (math.isfinite(delay) and delay >= 0):
                    raise ConfigError(
                        file, f"fetch.host_delays.{host}", f"must be a number of seconds >= 0, got {delay}"
                    )
        elif key == "allow_internal":
            values[key] = r.strings(key)
            for i, entry in enumerate(values[key]):
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ConfigError(
                        file, f"fetch.allow_internal[{i}]", f"must be an IP address or network, got {entry!r}"
                    ) from None
        else:
            kind = float if isinstance(default, float) else type(default)
            values[key] = value = r.get(key, kind)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if not math.isfinite(value):
                raise ConfigError(file, f"fetch.{key}", f"must be a finite number, got {value}")
            if key in _AT_LEAST_ONE and value <= 0:
                # attempts = 0 fetched nothing, max_concurrency = 0 hung, batch_size = 0 looped
                raise ConfigError(file, f"fetch.{key}", f"must be > 0, got {value}")
            if value < 0:
                raise ConfigError(file, f"fetch.{key}", f"must be >= 0, got {value}")
    return FetchSettings(**values)


def _baseline_fact(file: str, i: int, row: Any) -> BaselineFact:
    r = _Reader(file, f"baseline[{i}]", row)
    metric = r.get("metric", str)
    if metric not in METRICS:
        raise ConfigError(file, f"baseline[{i}].metric", f"unknown metric {metric!r}")
    unit = r.get("unit", str)
    if unit not in UNITS:
        raise ConfigError(file, f"baseline[{i}].unit", f"must be one of {', '.join(UNITS)}, got {unit!r}")
    qualifier = r.get("qualifier", str, "exact")
    if qualifier not in QUALIFIERS:
        raise ConfigError(file, f"baseline[{i}].qualifier", f"must be one of {', '.join(QUALIFIERS)}")
    value = r.get("value", float)
    opt = lambda k: r.get(k, str, None, allow_none=True)  # noqa: E731
    fact = BaselineFact(
        metric=metric,
        value=value,
        low=r.get("low", float, None, allow_none=True),
        high=r.get("high", float, None, allow_none=True),
        qualifier=qualifier,
        unit=unit,
        speaker=opt("speaker"),
        outlet=opt("outlet"),
        url=opt("url"),
        date=opt("date"),
        period=opt("period"),
    )
    r.reject_unknown()
    return fact
