"""The GDELT DOC 2.0 API (ArtList mode, JSON), as the real service answers.

What the real API does, and what is done about it (the `gdeltdoc` client is the reference):
- errors come as a 200 with plain text or an HTML page, not JSON: a body that does not start
  with `{` is classified, "Please limit requests to one every 5 seconds" as a rate limit
  (the source backs off) and anything else as a query error naming GDELT's own words;
- titles carry invalid JSON escapes (`\\'`, `\\x`): stray backslashes are repaired before
  parsing, and the offending character blanked as a last resort, so one bad title never
  loses the answer;
- at most 250 records an answer, newest first: a full answer pages back with
  `enddatetime` = the oldest `seendate` seen, a few pages a run at most;
- a retry after a 429 lengthens GDELT's penalty: one attempt a run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.records import Candidate
from core.topic import Sources

from .http import normalize_url

MAX_RECORDS = 250  # the API's own ceiling
MAX_WINDOW = timedelta(days=90)  # the DOC API searches the last three months
OVERLAP = timedelta(hours=1)
MAX_PAGES = 8  # pages back per run; the rest of a busy window waits for the next run
API_TIME = "%Y%m%d%H%M%S"
RATE_LIMIT_TEXT = "limit requests"
# A valid escape is consumed whole (so "\\\\x" stays an escaped backslash); a lone one is doubled.
_ESCAPE = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})?')
_TAG = re.compile(r"<[^>]+>")
_SPAN = re.compile(r"^(\d+)\s*(min|minutes?|h|hours?|d|days?|w|weeks?|m|months?)$")
_SPAN_UNITS = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "m": 30}
# GDELT names languages in English; the extractors want ISO 639-1.
LANGUAGES = {
    "English": "en", "Russian": "ru", "Ukrainian": "uk", "German": "de", "French": "fr", "Spanish": "es",
    "Italian": "it", "Portuguese": "pt", "Polish": "pl", "Czech": "cs", "Romanian": "ro", "Hungarian": "hu",
    "Turkish": "tr", "Georgian": "ka", "Armenian": "hy", "Kazakh": "kk", "Serbian": "sr", "Bulgarian": "bg",
    "Finnish": "fi", "Swedish": "sv", "Norwegian": "no", "Danish": "da", "Dutch": "nl", "Estonian": "et",
    "Latvian": "lv", "Lithuanian": "lt", "Hebrew": "he", "Arabic": "ar", "Chinese": "zh", "Japanese": "ja",
    "Greek": "el", "Croatian": "hr", "Slovak": "sk", "Slovenian": "sl", "Belarusian": "be",
}  # fmt: skip


class GdeltRateLimited(ValueError):
    """GDELT asked us to slow down (a 429, or its plain-text notice with a 200)."""


class GdeltQueryError(ValueError):
    """GDELT refused the query (an HTML or text page instead of JSON)."""


@dataclass(frozen=True, slots=True)
class GdeltPage:
    candidates: tuple[Candidate, ...]
    records: int  # articles in the answer, kept or not
    oldest: datetime | None  # the smallest seendate: where the next page ends


def timespan(value: str) -> timedelta:
    """A GDELT timespan ("7d", "24h", "2w", "3m", "15min") as a duration; unknown forms are 7 days."""
    m = _SPAN.match(value.strip().lower())
    if not m:
        return timedelta(days=7)
    unit = m.group(2)
    key = "min" if unit.startswith("min") else unit[0]
    return timedelta(days=int(m.group(1)) * _SPAN_UNITS[key])


def window_params(sources: Sources, start: datetime, end: datetime) -> dict[str, str]:
    return {
        "query": sources.gdelt_query,
        "mode": "ArtList",
        "format": "json",
        "maxrecords": str(min(sources.gdelt_max_records, MAX_RECORDS)),
        "sort": "DateDesc",
        "startdatetime": start.astimezone(UTC).strftime(API_TIME),
        "enddatetime": end.astimezone(UTC).strftime(API_TIME),
    }


def window_start(sources: Sources, last_ok: datetime | None, now: datetime) -> datetime:
    """Since the last good answer (an hour's overlap), else the topic's timespan; never over 90 days."""
    start = last_ok - OVERLAP if last_ok is not None else now - timespan(sources.gdelt_timespan)
    return max(start, now - MAX_WINDOW + timedelta(minutes=1))


def seendate(value: object) -> datetime | None:
    """GDELT's `seendate`, YYYYMMDDTHHMMSSZ (UTC)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def load_lenient(text: str, max_repairs: int = 100) -> object:
    """JSON with GDELT's stray backslashes repaired (kept as literal backslashes); a character
    that still breaks the parse is blanked, as gdeltdoc does, a bounded number of times."""
    try:
        return json.loads(text, strict=False)  # strict=False: raw control characters in titles
    except json.JSONDecodeError:
        text = _ESCAPE.sub(lambda m: m.group(0) if m.group(1) else "\\\\", text)
    for _ in range(max_repairs):
        try:
            return json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            if exc.pos >= len(text):
                raise
            text = text[: exc.pos] + " " + text[exc.pos + 1 :]
    return json.loads(text, strict=False)


def classify_text(body: str) -> ValueError:
    """What a non-JSON answer means."""
    words = " ".join(_TAG.sub(" ", body).split())
    if RATE_LIMIT_TEXT in words.lower():
        return GdeltRateLimited(f"rate limited: {words[:160]}")
    return GdeltQueryError(f"GDELT refused the query: {words[:200] or '(empty page)'}")


def parse_page(body: bytes, source_url: str) -> GdeltPage:
    """One ArtList answer. Raises GdeltRateLimited, GdeltQueryError or ValueError (not JSON)."""
    text = body.decode("utf-8-sig", errors="replace").strip()
    if not text:
        return GdeltPage((), 0, None)  # GDELT answers an empty body when nothing matched
    if not text.startswith("{"):
        raise classify_text(text)
    try:
        data = load_lenient(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON even after repairs ({exc})") from None
    articles = data.get("articles", []) if isinstance(data, dict) else []
    out: list[Candidate] = []
    oldest: datetime | None = None
    for a in articles if isinstance(articles, list) else []:
        if not isinstance(a, dict):
            continue
        seen = seendate(a.get("seendate"))
        if seen is not None and (oldest is None or seen < oldest):
            oldest = seen
        url = a.get("url")
        if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            continue
        title, domain, lang = a.get("title"), a.get("domain"), a.get("language")
        out.append(
            Candidate(
                normalize_url(url),
                url,
                source_url,
                "gdelt",
                title if isinstance(title, str) else None,
                seen_at=seen.isoformat() if seen else None,
                outlet=domain if isinstance(domain, str) and domain else None,
                language=LANGUAGES.get(lang) if isinstance(lang, str) else None,
            )
        )
    return GdeltPage(tuple(out), len(articles) if isinstance(articles, list) else 0, oldest)
