"""From article text to figures: segment, read numbers, attach meaning, attribute, dedupe.

`extract_figures(text, cues)` is the one entry point; it is pure (no I/O) and never raises
on odd input. Each number that does not become a figure is kept as `Rejected` with a reason.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from core.errors import ExtractionBudgetExceeded
from core.figures import Extraction, Figure, Mention, Rejected, Unit

from .cues import Cues
from .numbers import find_mentions
from .periods import find_period
from .sentences import split_sentences
from .speakers import attribute_sentences

_CLAUSE_BREAK = re.compile(
    r",\s+(?:though|although|while|but|whereas|however|yet)\s|;\s|\s(?:but|whereas)\s"
    r"|,\s+(?:а|но|хотя|однако|при этом|причём|причем|тогда как|в то время как|тоді як|а також)\s"
    r"|\s(?:тогда как|в то время как|тоді як)\s|,\s+(?:während|aber|doch|alors que|tandis que|mais)\s",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(r"[,.;:()\[\]—–\"“”«»!?]| -- | - ")
_FURNITURE = re.compile(
    r"^\W*(?:related(?:\s+\w+)?\s*:|read\s+(?:more|also)\b|see\s+also\b|читайте\s+также|смотрите\s+также|advertisement\b|subscribe\b)",
    re.IGNORECASE,
)
_APPOSITION = re.compile(r"(?:,|—|–|--)\s*(?:or|или|soit|oder)\s*$", re.IGNORECASE)
_RELATIVE = re.compile(r"\s*(?:who|that|which|которые|кто|die|qui)\b", re.IGNORECASE)
_RELATIVE_IN = re.compile(r"\b(?:who|that|which|которые|кто|die|qui)\b", re.IGNORECASE)
_PLAUSIBLE_BARE_COUNT = 1000
_SMALLEST_HEAD_COUNT = 100  # fewer people than this is an anecdote, not a figure of the topic  # a bare number below this, with no counted noun, is not a head count


@dataclass(frozen=True, slots=True)
class _Context:
    sentence: str
    clause: str
    subject: str
    lead: str  # the few words right before the number
    before: str  # the clause up to the number
    predicate: str  # the clause without the base of a share ("of those who left")
    sentence_it: bool
    previous_it: bool
    previous_departure: bool
    article_it: bool
    other_it_number: bool  # another number of the sentence counts IT people
    num: tuple[int, int]  # the number's offsets in the clause
    base: tuple[int, int]  # a share's base ("of those who left") in the clause, or empty


def _clause_of(sentence: str, offset: int) -> str:
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.start() >= offset:
            return sentence[start : m.start()]
        start = m.end()
    return sentence[start:]


def _subject_after(sentence: str, offset: int, cues: Cues) -> str:
    """The counted noun phrase right after the number ("IT specialists", "of them"), or ""."""
    rest = sentence[offset:]
    m = _SUBJECT_END.search(rest)
    head = " ".join((rest[: m.start()] if m else rest).split()[:5])
    end = 0
    for group in ("it_subject", "general_people", "worker_nouns", "things", "anaphora", "workforce"):
        for hit in cues.finditer(group, head):
            end = max(end, hit.end())
    return head[:end].strip()


def _subject_kind(subject: str, cues: Cues, lead: str = "") -> str:
    """What the number counts, from the words after it (and "of them"/"из них" just before)."""
    head = " ".join(subject.split()[:4])
    if cues.has("anaphora", head) and not cues.has("it_subject", head):
        return "anaphora"
    if cues.has("anaphora", lead):
        return "anaphora"
    first3 = " ".join(subject.split()[:3])
    if cues.has("things", first3):  # "300 IT companies" counts companies, not people
        return "thing"
    if cues.has("it_subject", head):
        return "it"
    if cues.has("general_people", first3):
        return "people"
    if cues.has("worker_nouns", head):
        return "worker"
    return "none"


def _base_of_share(sentence: str, offset: int, cues: Cues) -> tuple[int, int]:
    """Where the counted group is described right after the number: "of those who left",
    "из уехавших", "IT specialists who left Russia". A departure there names who is counted,
    not what the number did, so the clause's verb is looked for outside it."""
    rest = sentence[offset : offset + 70]
    for hit in cues.finditer("anaphora", rest):
        if hit.start() <= 25:
            tail = rest[hit.end() :]
            if not _RELATIVE.match(tail):
                return offset + hit.start(), offset + hit.end()
            words = list(re.finditer(r"\S+", tail))[:2]
            return offset + hit.start(), offset + hit.end() + (words[-1].end() if words else 0)
    rel = _RELATIVE_IN.search(rest)
    if rel and not _SUBJECT_END.search(rest[: rel.start()]):
        words = list(re.finditer(r"\S+", rest[rel.end() :]))[:2]
        return offset + rel.start(), offset + rel.end() + (words[-1].end() if words else 0)
    return offset, offset


def _nearest(ctx: _Context, cues: Cues, groups: tuple[str, ...]) -> str | None:
    """The cue group with a hit nearest the number in its clause, outside a share's base;
    ties go to the group listed first."""
    best: tuple[int, int] | None = None
    chosen = None
    for rank, g in enumerate(groups):
        for text, shift in ((ctx.clause, 0), (cues.lemma_text(ctx.clause), -1)):
            for hit in cues.finditer(g, text):
                if shift == 0 and ctx.base[0] <= hit.start() < ctx.base[1]:
                    continue
                if shift and text is ctx.clause:
                    continue
                a, b = (hit.start(), hit.end()) if shift == 0 else _map_back(ctx.clause, text, hit)
                if shift and ctx.base[0] <= a < ctx.base[1]:
                    continue
                gap = a - ctx.num[1] if a >= ctx.num[1] else (ctx.num[0] - b if b <= ctx.num[0] else 0)
                key = (max(gap, 0), rank)
                if best is None or key < best:
                    best, chosen = key, g
    return chosen


def _map_back(clause: str, lemmas: str, hit: re.Match[str]) -> tuple[int, int]:
    """A lemma-text hit's offsets, approximately, in the clause (by word index)."""
    index = len(lemmas[: hit.start()].split())
    words = list(re.finditer(r"\S+", clause))
    if not words:
        return 0, 0
    w = words[min(index, len(words) - 1)]
    return w.start(), w.end()


def classify(m: Mention, ctx: _Context, cues: Cues) -> tuple[str, Unit] | None:
    """The metric and unit of a mention in its context; None when the sentence is off topic."""
    kind = _subject_kind(ctx.subject, cues, ctx.lead)
    if kind == "people" and _APPOSITION.search(ctx.lead):
        kind = "worker"  # "10% of the IT workforce, or about 50,000 people": the same group
    if (
        kind == "people"
        and ctx.sentence_it
        and not ctx.other_it_number
        and (cues.has("departure", ctx.clause) or cues.has("returned", ctx.clause))
    ):
        # "70-100 thousand people will leave, and those are only IT specialists": in a sentence
        # about IT people that counts no IT people elsewhere, "people" are those IT people.
        kind = "worker"
    clause = ctx.clause
    relevant = any(cues.has(g, ctx.sentence) for g in ("it_subject", "departure", "returned", "remote", "shortage"))
    if m.currency:
        return ("other", "money") if relevant else None
    count_unit: Unit = "people" if kind in ("it", "people", "worker") else "count"
    if kind == "thing":
        return ("other", "count") if relevant else None
    if cues.has("sample", ctx.lead) or cues.has("sample", ctx.before):
        return ("other", count_unit) if relevant else None  # the size of a poll
    it_ctx = (
        kind == "it"
        or (kind == "anaphora" and (ctx.sentence_it or ctx.previous_it))
        or (kind in ("worker", "none") and (ctx.sentence_it or ctx.previous_it))
        # A bare count of departures in an article whose headline is about IT people.
        or (kind == "none" and not m.percent and ctx.article_it and cues.has("departure", ctx.clause))
    )
    predicate = ctx.predicate  # the clause without the base of a share ("of those who left")
    negated = cues.has("negation", clause)
    forecast = cues.has("forecast", clause)
    intention = cues.has("intention", clause)
    # Attachment: of the movement and stock cues in the clause, the one nearest the number
    # says what the number measures ("the country lacked 100,000, and 50,000 more left").
    # The workforce is a stock, named also as the base of shares ("10% of the IT workforce
    # left"): it decides only where no movement is said.
    near = _nearest(ctx, cues, ("remote", "returned", "departure", "shortage")) or (
        "workforce" if cues.has("workforce", predicate) else None
    )
    if near == "returned" and negated:
        near = "departure"
    returned, remote, departure, shortage = (near == g for g in ("returned", "remote", "departure", "shortage"))
    if (shortage or near == "workforce") and cues.has("other_country", clause) and not cues.has("country", clause):
        return ("other", count_unit) if relevant else None  # another country's shortage or workforce
    if m.percent:
        if cues.has("sample", ctx.subject) or cues.has("sample", ctx.clause[ctx.num[1] : ctx.num[1] + 20]):
            return ("other", "percent") if relevant else None  # "47% of respondents": a poll's answer
        if it_ctx and not intention:
            # A share's base is those who left, so a return or remote work anywhere in the
            # clause outranks the departure that only names the base.
            if remote or cues.has("remote", predicate):
                return "it_remote_abroad", "percent"
            if (returned or cues.has("returned", predicate)) and not negated:
                return "it_returned", "percent"
            if departure and kind != "anaphora" and not forecast:  # no metric for a share yet to leave
                return "it_emigrants_share", "percent"
            if near == "workforce" and ctx.previous_departure and not forecast:
                # "That is about 10% of the IT workforce": the share of the departures just named.
                return "it_emigrants_share", "percent"
        return ("other", "percent") if relevant else None
    if kind == "none" and m.value is not None and m.value < _PLAUSIBLE_BARE_COUNT:
        return ("other", "count") if relevant else None
    if intention and not forecast:
        return ("other", count_unit) if relevant else None
    if m.value is not None and m.value < _SMALLEST_HEAD_COUNT:
        return ("other", count_unit) if relevant else None
    if it_ctx or (kind == "people" and shortage and ctx.sentence_it):
        if shortage:
            return "it_shortage", "people"
        if remote:
            return "it_remote_abroad", "people"
        if returned:
            return "it_returned", "people"
        if departure:
            return ("it_emigrants_forecast" if forecast else "it_emigrants"), "people"
        if shortage:
            return "it_shortage", "people"
        if near == "workforce" and kind != "anaphora":
            return "it_workforce", "people"
    elif kind == "people" and departure and not returned:
        return "emigrants_total", "people"
    elif kind == "people" and ctx.sentence_it and near == "workforce":
        return "it_workforce", "people"
    return ("other", count_unit) if relevant else None


def is_on_topic(text: str, cues: Cues) -> bool:
    """An article is on topic when it names people, a movement (leaving, returning, shortage)
    or the workforce, and the country."""
    # Searched directly, group by group, stopping early: the whole text is too big to cache.
    return (
        (cues.search("it_subject", text) or cues.search("general_people", text))
        and any(cues.search(g, text) for g in ("departure", "returned", "remote", "shortage", "workforce"))
        and cues.search("country", text)
    )


def extract_figures(text: str, cues: Cues, language: str | None = None, budget: float | None = None) -> Extraction:
    """Figures of an article. `language` (ISO 639-1) picks the topic's cue pack; without it,
    the language is detected from the text. With a `budget` (seconds), an article that takes
    longer raises ExtractionBudgetExceeded, checked between sentences, so that one hostile
    page cannot stall a run."""
    deadline = None if budget is None else time.monotonic() + budget
    cues = cues.for_language(language or cues.language_of(text))
    on_topic = is_on_topic(text, cues)
    if not on_topic:
        # The article's own on_topic = false says why it has no figures; reading every
        # number of an off-topic page would only cost time.
        return Extraction((), (), False)
    sentences = split_sentences(text)
    said = attribute_sentences(text, sentences, cues.names)
    figures: list[Figure] = []
    rejected: list[Rejected] = []
    previous_it = False
    previous_departure = False
    article_it = bool(sentences) and cues.has("it_subject", sentences[0].text)
    for index, s in enumerate(sentences):
        if deadline is not None and time.monotonic() > deadline:
            raise ExtractionBudgetExceeded(budget or 0.0)
        mentions, dropped = find_mentions(text, s.start, s.end)
        rejected.extend(dropped)
        sentence_it = cues.has("it_subject", s.text)
        furniture = bool(_FURNITURE.match(s.text))
        subjects = [_subject_after(s.text, m.end - s.start, cues) for m in mentions]
        it_counted = [_subject_kind(sub, cues) == "it" for sub in subjects]
        clauses = [_clause_of(s.text, m.start - s.start) for m in mentions]
        for i, m in enumerate(mentions):
            if furniture:
                rejected.append(Rejected(m.text, m.start, m.end, "page_furniture", s.text))
                continue
            clause = _clause_of(s.text, m.start - s.start)
            in_clause = clause.find(text[m.start : m.end])
            base_start, base_end = _base_of_share(clause, max(in_clause, 0) + (m.end - m.start), cues)
            ctx = _Context(
                s.text,
                clause,
                subjects[i],
                text[max(s.start, m.start - 12) : m.start],
                clause[: max(in_clause, 0)],
                clause[:base_start] + clause[base_end:],
                sentence_it,
                previous_it,  # "of them" may point across a paragraph (lists, Q&A)
                previous_departure,
                article_it,
                any(it_counted[j] and clauses[j] == clause for j in range(len(mentions)) if j != i),
                (max(in_clause, 0), max(in_clause, 0) + (m.end - m.start)),
                (base_start, base_end),
            )
            decided = classify(m, ctx, cues)
            if decided is None:
                rejected.append(Rejected(m.text, m.start, m.end, "off_topic_sentence", s.text))
                continue
            metric, unit = decided
            figures.append(
                Figure(
                    metric=metric,
                    value=m.value,
                    low=m.low,
                    high=m.high,
                    qualifier=m.qualifier,
                    unit=unit,
                    currency=m.currency if unit == "money" else None,
                    subject=ctx.subject or None,
                    speaker=said[index].at(m.start - s.start),
                    period=find_period(s.text),
                    sentence=s.text,
                    sentence_start=s.start,
                    sentence_end=s.end,
                    number_text=m.text,
                    number_start=m.start,
                    number_end=m.end,
                )
            )
        previous_it = sentence_it
        previous_departure = bool(mentions) and cues.has("departure", s.text)
    kept, duplicates = _dedupe(figures)
    rejected.extend(duplicates)
    return Extraction(tuple(kept), tuple(sorted(rejected, key=lambda r: r.start)), on_topic)


def _dedupe(figures: list[Figure]) -> tuple[list[Figure], list[Rejected]]:
    """One core figure per (metric, unit, value) per article: captions and headlines
    repeat the body. The attributed copy wins over an unattributed one."""
    best: dict[tuple[object, ...], Figure] = {}
    order: list[tuple[object, ...]] = []
    dropped: list[Rejected] = []
    out: list[Figure] = []
    for f in figures:
        if f.metric == "other":
            out.append(f)
            continue
        key = (f.metric, f.unit, f.value)
        if key not in best:
            best[key] = f
            order.append(key)
            continue
        keep, drop = (f, best[key]) if (f.speaker and not best[key].speaker) else (best[key], f)
        best[key] = keep
        dropped.append(Rejected(drop.number_text, drop.number_start, drop.number_end, "duplicate", drop.sentence))
    out.extend(best[k] for k in order)
    out.sort(key=lambda f: f.number_start)
    return out, dropped
