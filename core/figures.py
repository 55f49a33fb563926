"""Records the extractors produce: frozen, typed, with an explicit conversion to rows.

Field meanings follow ../shared/FIGURES.md, which is the contract.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

Qualifier = Literal["exact", "approx", "at_most", "at_least", "range"]
Unit = Literal["people", "percent", "money", "count"]

# The groups the classifier reads; a topic file supplies the words for each.
CUE_GROUPS: tuple[str, ...] = (
    "it_subject",  # the counted are IT people: "IT specialists", "programmers", "айтишники"
    "general_people",  # the counted are people in general: "people", "Russians", "человек"
    "worker_nouns",  # workers of an unstated field: inherit the sentence's subject
    "things",  # the counted are not people: companies, visas, offices
    "departure",  # left, fled, emigrated, уехали
    "returned",  # came back, returned, вернулись
    "remote",  # still working for home employers from abroad
    "shortage",  # shortage, deficit, дефицит
    "workforce",  # the size of the workforce
    "forecast",  # could, expected to, прогноз
    "anaphora",  # "of them", "of those who left": the subject is in the sentence before
    "negation",  # "did not return", "не вернулись": turns a return into a departure
    "intention",  # "want to return", "хотят уехать": a survey's intention, not a fact
    "sample",  # "a survey of 1,200", "с участием 9 тысяч": the size of a poll
    "other_country",  # another country's own workforce or shortage is not the topic's
    "country",  # the topic's country, for article relevance
    "wave",  # "the first wave": an episode of leaving that an article may tie to IT people
    "population",  # of general_people, those that name the country's people at large: "Russians", "россиян"
)

CORE_METRICS: tuple[str, ...] = (
    "it_emigrants",
    "it_emigrants_share",
    "it_emigrants_forecast",
    "it_returned",
    "it_remote_abroad",
    "it_shortage",
    "it_workforce",
    "emigrants_total",
)
METRICS: tuple[str, ...] = CORE_METRICS + ("other",)
UNITS: tuple[str, ...] = ("people", "percent", "money", "count")
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_most", "at_least", "range")

# Why a number in the text did not become a figure; stored so that "why did we miss
# this?" is a SQL query, not a debugging session.
RejectReason = Literal[
    "year",
    "date",
    "time",
    "age",
    "duration",
    "distance",
    "ordinal",
    "model_number",
    "counter",
    "url",
    "phone",
    "ratio",
    "vague",
    "off_topic_sentence",
    "duplicate",
    "page_furniture",
    "implausible",  # not a finite number, or outside what its unit can be (a share over 100 %)
    "number_list",  # one of over 20 numbers in a sentence: a list or table, not a statement
]

# The largest value a figure of each unit can plausibly have. A page could otherwise state
# "999…9 (330 digits) IT specialists", which reads as infinity and swallows every later
# figure of its metric into one finding (issue 15).
PLAUSIBLE_MAX: dict[str, float] = {
    "people": 1e10,  # more than everyone alive
    "percent": 100.0,
    "money": 1e15,  # more than the world's yearly output, in any currency we read
    "count": 1e12,
}
ANY_MAX = max(PLAUSIBLE_MAX.values())
"""A number above this is implausible whatever it turns out to count."""


def plausible(unit: str, *values: float | None) -> bool:
    """Every stated value is a finite number from 0 to the unit's plausible maximum."""
    top = PLAUSIBLE_MAX.get(unit, ANY_MAX)
    return all(v is None or (math.isfinite(v) and 0 <= v <= top) for v in values)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offsets into the article text
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A number as the grammar read it, before any meaning is attached."""

    text: str
    start: int  # offsets into the article text
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier
    percent: bool
    currency: str | None


@dataclass(frozen=True, slots=True)
class Figure:
    metric: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier
    unit: Unit
    currency: str | None
    subject: str | None
    speaker: str | None
    period: str | None
    sentence: str
    sentence_start: int
    sentence_end: int
    number_text: str
    number_start: int
    number_end: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Rejected:
    text: str
    start: int
    end: int
    reason: RejectReason
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Extraction:
    figures: tuple[Figure, ...]
    rejected: tuple[Rejected, ...]
    on_topic: bool
