"""From article text to figures: segment, read numbers, attach meaning, attribute, dedupe.

`extract_figures(text, cues)` is the one entry point; it is pure (no I/O) and never raises
on odd input. Each number that does not become a figure is kept as `Rejected` with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from core.figures import Extraction, Figure, Mention, Rejected, Unit, plausible

from .budget import Budget
from .cues import Cues
from .numbers import find_mentions
from .periods import find_period
from .sentences import split_sentences
from .speakers import attribute_sentences

_CLAUSE_BREAK = re.compile(
    r",\s+(?:though|although|while|but|whereas|however|yet)\s|;\s|\s(?:but|whereas|while)\s"
    r"|,\s+(?:а|но|хотя|однако|при этом|причём|причем|тогда как|в то время как|тоді як|а також)\s"
    r"|\s(?:тогда как|в то время как|тоді як)\s|,\s+(?:während|aber|doch|alors que|tandis que|mais)\s",
    re.IGNORECASE,
)
_PREDICATE_DASH = re.compile(r"^\s+[—–]\s+")
_SUBJECT_END = re.compile(r"[,.;:()\[\]—–\"“”«»!?]| -- | - ")
_FURNITURE = re.compile(
    r"^\W*(?:related(?:\s+\w+)?\s*:|read\s+(?:more|also)\b|see\s+also\b|читайте\s+также|смотрите\s+также|advertisement\b|subscribe\b)",
    re.IGNORECASE,
)
_APPOSITION = re.compile(r"(?:,|—|–|--)\s*(?:or|или|soit|oder)\s*$", re.IGNORECASE)
_RELATIVE = re.compile(r"\s*(?:who|that|which|которые|кто|die|qui)\b", re.IGNORECASE)
_RELATIVE_IN = re.compile(r"\b(?:who|that|which|которые|кто|die|qui)\b", re.IGNORECASE)
# Between two numbers that share the noun after the second: "600-700 thousand to almost 1
# million people", "50,000 or 70,000 IT workers".
_SHARED_NOUN_GAP = re.compile(
    r"^\s+(?:to|or|and|до|или|и|bis|oder|und|à|ou|et)\s+(?:\w+\s+){0,2}$|^\s*[-–—]\s*$", re.IGNORECASE
)
# "..., though not IT workers": the sentence says its people are not IT people.
_IT_DENIED = re.compile(
    r"(?<!\w)(?:not|nicht|pas|не)\s+(?:(?:the|des|der|die)\s+)?(?:IT\b|ИТ|tech\b|айтишник|программист|programmer)",
    re.IGNORECASE,
)
_CHANGE_RATE = re.compile(
    r"(?:grew|grown|rose|risen|increased|decreased|declined|fell|fallen|dropped|jumped|climbed|up|down|"
    r"вырос\w*|вырастет|увеличил\w*|сократил\w*|снизил\w*|упал\w*|gestiegen|stieg|gesunken|sank|"
    r"augmenté|diminué|progressé|reculé)\s+(?:by|на|um|de)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# "a loan at 4%", "кредит под 4%", "ставка 13%": a rate, not a share of people.
_RATE_BEFORE = re.compile(
    r"(?<!\w)(?:под|ставк\w*|at\s+a\s+rate\s+of|interest\s+(?:rate\s+)?of|rate\s+of|à\s+un\s+taux\s+de)\s*$",
    re.IGNORECASE,
)
# "..., and those are IT specialists alone": the sentence says its people are the IT people.
_IT_IDENTITY = re.compile(
    r"(?<!\w)(?:only|just|alone|all of them|exclusively|solely|только|лишь|исключительно|allein|nur|"
    r"ausschließlich|seulement|uniquement)(?!\w)",
    re.IGNORECASE,
)
_GENERAL = re.compile(
    r"(?<!\w)(?:overall|in total|altogether|all in all|всего|в целом|insgesamt|au total)(?!\w)", re.IGNORECASE
)
_MOVES = ("remote", "returned", "departure", "shortage")
_DIGIT = re.compile(r"\d")
# A count that opens "Of Russia's 2 million IT workers, ..." is the base of what follows.
_OF_BASE = re.compile(
    r"^\W*(?:of|out of|из|von|unter|sur|parmi)\s+(?:(?:the|all|russia[’']s|den|les|всех|)\s*)*$", re.IGNORECASE
)
# "That's more than 100,000 people.": a sentence that restates the figure before it.
_RESTATEMENT = re.compile(
    r"^\W*(?:that[’']s|that is|this is|this means|it is|these are|это|то есть|das sind|das ist|das seien|"
    r"cela représente|soit|c[’']est)\b",
    re.IGNORECASE,
)
# A place named as where people left from: "из Беларуси", "from Belarus", "aus der Ukraine".
_ORIGIN = re.compile(r"(?<!\w)(?:из|from|out of|aus(?:\s+der)?|din|desde)\s+(?P<place>\w+)", re.IGNORECASE)
# "1.2 million more than last year", "на 20 тысяч больше, чем": a difference, not a count.
_DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:more|fewer|less|больше|меньше|mehr|weniger|de\s+plus|de\s+moins)\s*,?\s+(?:than|чем|als|que|qu['’])(?!\w)",
    re.IGNORECASE,
)
# "increase the enrollment by 2.5 times - to about 200 thousand", "увеличить приём до 200 тысяч":
# the number is a target someone sets, not a count of the topic.
_TARGET_BEFORE = re.compile(
    r"(?<!\w)(?:increase|raise|bring|expand|boost|увеличить|нарастить|довести|расширить|увеличивать)(?!\w)"
    r"(?:[^.;:]|(?<=\d)\.(?=\d)){0,80}(?<!\w)(?:to|до)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(r"\D*")  # a mention's qualifier words ("до", "up to") before its digits
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
    asked: str | None  # the movement a question just before asked about ("How many left? About N.")
    foreign: bool  # the number's own noun phrase names another country ("of developers from Poland")
    segment: str  # the clause between the neighbouring numbers: where this number's modality is said
    it_wave: bool  # the sentence names a wave of leaving that the article has tied to IT people
    it_count_elsewhere: bool  # another clause of the sentence counts IT people
    restates_departure: bool  # "That's 100,000 people." right after a departure of IT people
    num: tuple[int, int]  # the number's offsets in the clause
    base: tuple[int, int]  # a share's base ("of those who left") in the clause, or empty
    previous: str  # the sentence before, for "их число" (their number): the group and movement it named
    it_counted_before: bool  # the last sentence with a number, a few back at most, counted IT people, or the next says they are IT people


def _clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Where each clause of the sentence starts and ends (see _CLAUSE_BREAK)."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return spans


def _clause_span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    return next((sp for sp in spans if offset < sp[1]), spans[-1])


def _segment(sentence: str, spans: list[tuple[int, int, int, int]], i: int, base: tuple[int, int]) -> str:
    """The words of number i's clause that are its own: from the number before it in the
    clause (or the clause start) to the number after it (or the clause end), without a
    share's base."""
    start, end, clause_start, clause_end = spans[i]
    left = max([clause_start] + [e for s, e, c, _ in spans[:i] if c == clause_start])
    right = min([clause_end] + [s for s, e, c, _ in spans[i + 1 :] if c == clause_start])
    if right < clause_end:
        # Another number follows in the clause: "50,000 had left by April, predicting that the
        # number would rise to 100,000": past a comma, the words are the next number's.
        comma = sentence.find(", ", end, right)
        if comma >= 0:
            right = comma
    if base[0] < base[1]:
        return sentence[left : base[0]] + " " + sentence[base[1] : right]
    return sentence[left:right]


def _subject_after(sentence: str, offset: int, cues: Cues) -> str:
    """The counted noun phrase right after the number ("IT specialists", "of them"), or ""."""
    rest = sentence[offset:]
    dash = _PREDICATE_DASH.match(rest)
    if dash:
        # "50-70 тысяч — ИТ-специалисты": the noun after a dash says what the number is.
        rest = rest[dash.end() :]
    m = _SUBJECT_END.search(rest)
    head = " ".join((rest[: m.start()] if m else rest).split()[:5])
    if dash and not cues.has("it_subject", " ".join(head.split()[:2])):
        return ""
    end = 0
    for group in ("it_subject", "general_people", "worker_nouns", "things", "anaphora", "workforce"):
        for hit in cues.finditer(group, head):
            end = max(end, hit.end())
    return head[:end].strip()


def _inner_subject(m: Mention, offset: int, sentence: str, cues: Cues) -> str:
    """A range's noun said after its first number: "500,000 Russians, possibly a million"."""
    if m.qualifier != "range":
        return ""
    start = m.start - offset
    for w in re.finditer(r"\S+", m.text):
        if w.end() < len(m.text) and _DIGIT.search(w.group()):
            found = _subject_after(sentence, start + w.end(), cues)
            if found:
                return found
    return ""


def _subject_kind(subject: str, cues: Cues, lead: str = "") -> str:
    """What the number counts, from the words after it (and "of them"/"из них" just before)."""
    head = " ".join(subject.split()[:4])
    if cues.has("anaphora", head) and not cues.has("it_subject", head):
        return "anaphora"
    if cues.has("anaphora", lead):
        return "anaphora"
    first3 = " ".join(subject.split()[:3])
    if cues.has("things", first3) and not _people_before_thing(first3, cues):
        return "thing"  # "300 IT companies" counts companies, not people
    if cues.has("it_subject", head):
        return "it"
    if cues.has("general_people", first3):
        return "people"
    if cues.has("worker_nouns", head):
        return "worker"
    return "none"


def _people_before_thing(head: str, cues: Cues) -> bool:
    """ "10% of employees of IT companies": the people named before the companies are counted."""
    thing = min(m.start() for m in cues.finditer("things", head)) if cues.finditer("things", head) else len(head)
    people = [m.start() for g in ("worker_nouns", "general_people") for m in cues.finditer(g, head)]
    return bool(people) and min(people) < thing


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
    texts = ((ctx.clause, 0), (cues.lemma_text(ctx.clause), -1))  # the lemmas once, not per group
    for rank, g in enumerate(groups):
        for text, shift in texts:
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


# Who gave a figure is not where it applies: "..., according to the U.S. Commerce Department".
_SOURCE_PHRASE = re.compile(
    r"(?<!\w)(?:according\s+to|citing|по\s+данным|по\s+оценк\w+|по\s+словам|согласно|со\s+ссылкой\s+на|laut|"
    r"selon|d['’]après)(?!\w)[^,;:]*",
    re.IGNORECASE,
)


def _without_sources(clause: str) -> str:
    """The clause with its source phrases blanked out (offsets kept)."""
    return _SOURCE_PHRASE.sub(lambda m: " " * len(m.group()), clause)


def _other_country_first(clause: str, at: int, cues: Cues) -> bool:
    """Whether the clause is about another country: it names only another one, or the country
    named last before the number is another one ("Germany lacks 137,000, unlike Russia").
    A country in a source's name ("according to the U.S. Commerce Department") does not count."""
    clause = _without_sources(clause)
    others = cues.finditer("other_country", clause)
    if not others:
        return False
    ours = cues.finditer("country", clause)
    if not ours:
        return True
    last_other = max((m.start() for m in others if m.start() < at), default=-1)
    last_ours = max((m.start() for m in ours if m.start() < at), default=-1)
    return last_other > last_ours


# Between two countries of one list: "Ukraine, Belarus and Russia", "России и Белоруссии".
_LIST_JOIN = re.compile(
    r"^(?:\s*,\s*(?:and\s+|и\s+|und\s+|et\s+)?|\s+(?:and|or|и|или|und|oder|et|ou)\s+)$", re.IGNORECASE
)


def _country_list(clause: str, cues: Cues) -> bool:
    """Whether the clause lists Russia with other countries ("IT workers in Ukraine, Belarus
    and Russia"): a workforce or shortage of that region, not Russia's."""
    hits = sorted(
        [(m.start(), m.end(), False) for m in cues.finditer("other_country", clause)]
        + [(m.start(), m.end(), True) for m in cues.finditer("country", clause)]
    )
    return any(
        a[2] != b[2] and bool(_LIST_JOIN.match(clause[a[1] : b[0]])) for a, b in zip(hits, hits[1:], strict=False)
    )


def _names_other_country(scope: str, cues: Cues) -> bool:
    return cues.has("other_country", scope) and not cues.has("country", scope)


def _scope_after(clause: str, end: int) -> str:
    """The number's own noun phrase: the words after it up to a comma, bracket or dash."""
    rest = clause[end : end + 60]
    m = _SUBJECT_END.search(rest)
    return rest[: m.start()] if m else rest


def _base_move(ctx: _Context, cues: Cues) -> str | None:
    if ctx.base[0] - ctx.num[1] > 30:  # "train 1 million ... to replace those who left": not its own
        return None
    base = ctx.clause[ctx.base[0] : ctx.base[1]]
    return next((g for g in ("returned", "departure") if base and cues.has(g, base)), None)


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
    if kind == "people" and (ctx.it_wave or ctx.restates_departure) and not cues.has("country", ctx.subject):
        kind = "it"  # "50,000 people left in the first wave", the wave being one of IT specialists
    if (
        kind == "people"
        and not ctx.sentence_it
        and ctx.it_counted_before
        and not cues.has("population", ctx.subject)
        and not cues.has("population", ctx.segment)  # "an outflow of population, N people"
        and not cues.has("country", ctx.subject)
        and not _GENERAL.search(ctx.clause)
        and any(cues.has(g, ctx.segment) for g in ("departure", "wave", "shortage"))
    ):
        # "N people left" right after a count of IT people: "people" is only the counter word
        # ("человек", "Personen"), and the people counted are those IT people; "Russians",
        # "citizens", "overall" or a country in the noun phrase say the count is everyone.
        kind = "it"
    if kind in ("none", "people") and not ctx.subject.strip() and cues.has("anaphora", ctx.before):
        kind = "anaphora"  # "в апреле их число может достичь ста тысяч": their number
    if kind == "people" and _APPOSITION.search(ctx.lead):
        kind = "worker"  # "10% of the IT workforce, or about 50,000 people": the same group
    if (
        kind == "people"
        and ctx.sentence_it
        and not ctx.other_it_number
        and (cues.has("departure", ctx.clause) or cues.has("returned", ctx.clause))
        and not cues.has("country", ctx.subject)
        and (
            cues.has("it_subject", ctx.clause)
            or _IT_IDENTITY.search(ctx.sentence)
            # "20,000 IT specialists left, while about 300 people return each year"
            or (ctx.it_count_elsewhere and not _GENERAL.search(ctx.clause))
        )
    ):
        # "70-100 thousand people will leave, and those are only IT specialists": in a sentence
        # about IT people that counts no IT people elsewhere, "people" are those IT people.
        kind = "worker"
    clause = ctx.clause
    relevant = any(cues.has(g, ctx.sentence) for g in ("it_subject", "departure", "returned", "remote", "shortage"))
    if m.currency:
        return ("other", "money") if relevant else None
    if _DIFFERENCE_AFTER.match(ctx.clause[ctx.num[1] :]) or (
        not m.percent and _TARGET_BEFORE.search(ctx.before + _LEAD_WORDS.match(m.text).group())  # type: ignore[union-attr]
    ):
        return ("other", "percent" if m.percent else "people" if kind != "thing" else "count") if relevant else None
    if m.value is not None and m.value <= 0:
        return ("other", "percent" if m.percent else "count") if relevant else None  # none is not a figure
    count_unit: Unit = "people" if kind in ("it", "people", "worker") else "count"
    if kind == "thing":
        return ("other", "count") if relevant else None
    industry = (
        cues.has("workforce", ctx.before) and cues.has("it_subject", ctx.before) and not cues.has("things", ctx.before)
    )
    # A survey named before a share of IT people is its source ("a poll found that 15% of IT
    # specialists left"); before a count, or a share of respondents, it is the poll itself.
    survey_source = m.percent and kind == "it"
    polled = not m.percent and cues.has("sample", _scope_after(ctx.clause, ctx.num[1]))  # "2,000 IT workers surveyed"
    if (
        (cues.has("sample", ctx.lead) or cues.has("sample", ctx.before) or polled)
        and not industry
        and not survey_source
    ):
        # The size of a poll or a company's headcount; "the IT industry employs" is the workforce.
        return ("other", count_unit) if relevant else None
    it_ctx = (
        kind == "it"
        or (kind == "anaphora" and (ctx.sentence_it or ctx.previous_it))
        # "80% of them" a few sentences after a count of IT people; "half of those who left"
        # names its own group (everyone who left), so only a bare pronoun reaches that far.
        or (kind == "anaphora" and ctx.it_counted_before and not cues.has("departure", ctx.subject + " " + ctx.lead))
        or (kind in ("worker", "none") and (ctx.sentence_it or ctx.previous_it))
        # "Another 70,000 specialists may follow" a few sentences after a count of IT people.
        or (kind == "worker" and ctx.it_counted_before)
        # A bare count of departures in an article whose headline is about IT people.
        or (kind == "none" and not m.percent and ctx.article_it and cues.has("departure", ctx.clause))
    )
    predicate = ctx.predicate  # the clause without the base of a share ("of those who left")
    # Modality belongs to the number's own verb: "100,000 have left, with 50,000 more expected
    # to leave" is one past figure and one forecast. The words between the neighbouring
    # numbers of the clause are that number's; a base ("of those who left") is not.
    own = ctx.segment
    # A negation belongs to the return it denies: in the number's own words, or in the clause
    # when the return is said only there ("100,000 left and did not return, or 10%").
    negated = cues.has("negation", own) or (
        not cues.has("returned", own) and cues.has("returned", clause) and cues.has("negation", clause)
    )
    forecast = cues.has("forecast", own) or cues.future_tense(own)
    intention = cues.has("intention", own)
    # Attachment: of the movement and stock cues in the clause, the one nearest the number
    # says what the number measures ("the country lacked 100,000, and 50,000 more left").
    # The workforce is a stock, named also as the base of shares ("10% of the IT workforce
    # left"): it decides only where no movement is said.
    if (
        not m.percent
        and kind == "it"
        and _OF_BASE.search(ctx.before)
        and _DIGIT.search(ctx.clause[ctx.num[1] :])
        and not _other_country_first(clause, ctx.num[0], cues)
        and not cues.has("sample", clause)
    ):
        return "it_workforce", "people"  # "Of Russia's 2 million IT workers, 100,000 left": the base
    own_moves = any(cues.has(g, own) for g in _MOVES)
    near = (
        # "The need is put at 170,000, while a million people are employed in the sector": a
        # stock said in the number's own segment is not the movement of its neighbour's.
        ("workforce" if not m.percent and own != clause and not own_moves and cues.has("workforce", own) else None)
        or _nearest(ctx, cues, _MOVES)
        or ("departure" if cues.has("wave", own) else None)  # "the first wave was 50-70 thousand"
        or ("workforce" if cues.has("workforce", predicate) else None)
        or ctx.asked  # the answer to "How many IT specialists left?" has no verb of its own
        or ("departure" if ctx.restates_departure and not own_moves else None)
    )
    if near is None and not m.percent:
        # "The 100,000 IT specialists who left could be replaced": with no movement of its own,
        # a count is of those its relative clause names, in that clause's tense.
        near = _base_move(ctx, cues)
        if near:
            base = ctx.clause[ctx.base[0] : ctx.base[1]]
            forecast = cues.has("forecast", base) or cues.future_tense(base)
            negated = False
    if kind == "anaphora" and near in (None, "workforce") and not m.percent and ctx.previous:
        # "Their number may reach 100,000": the number of those the sentence before saw move.
        near = next((g for g in _MOVES if cues.has(g, ctx.previous)), near)
    if not it_ctx and kind in ("none", "worker") and not m.percent and ctx.article_it and near == "shortage":
        it_ctx = True  # "the need is put at 170,000 specialists" in an article headed by IT people
    if near == "returned" and negated:
        near = "departure"
    returned, remote, departure, shortage = (near == g for g in ("returned", "remote", "departure", "shortage"))
    if (shortage or near == "workforce") and (
        _other_country_first(clause, ctx.num[0], cues) or _country_list(clause, cues)
    ):
        return ("other", count_unit) if relevant else None  # another country's shortage or workforce
    if ctx.foreign:
        return ("other", count_unit) if relevant else None  # "2% of developers from Poland"
    if m.percent and (_CHANGE_RATE.search(ctx.before[-50:]) or _RATE_BEFORE.search(ctx.lead)):
        return ("other", "percent") if relevant else None  # "grew by 15%": a rate of change, not a share
    if m.percent:
        if cues.has("sample", ctx.subject) or cues.has("sample", ctx.clause[ctx.num[1] : ctx.num[1] + 20]):
            return ("other", "percent") if relevant else None  # "47% of respondents": a poll's answer
        if it_ctx and not intention:
            # A share's base is those who left, so a return or remote work anywhere in the
            # clause outranks the departure that only names the base.
            if (remote or cues.has("remote", predicate)) and not forecast:
                return "it_remote_abroad", "percent"
            if (returned or cues.has("returned", predicate)) and not negated:
                if forecast:
                    return ("other", "percent") if relevant else None  # "would return": not a return yet
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
        if (remote or returned) and forecast:
            return ("other", count_unit) if relevant else None  # returns yet to come are no metric
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
    elif (
        (kind == "people" or (kind == "none" and cues.has("general_people", ctx.before))) and departure and not returned
    ):
        # "The number of Russians who left is estimated at 700,000": the people named before it.
        return "emigrants_total", "people"
    elif kind == "people" and ctx.sentence_it and near == "workforce":
        return "it_workforce", "people"
    return ("other", count_unit) if relevant else None


def _asked(question: str, cues: Cues) -> str | None:
    """The movement a question is about ("How many IT specialists left?"), if it names IT people."""
    if not cues.has("it_subject", question):
        return None
    return next((g for g in ("returned", "remote", "departure", "shortage") if cues.has(g, question)), None)


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
    clock = Budget(budget)
    cues = cues.for_language(language or cues.language_of(text))
    on_topic = is_on_topic(text, cues)
    if not on_topic:
        # The article's own on_topic = false says why it has no figures; reading every
        # number of an off-topic page would only cost time.
        return Extraction((), (), False)
    sentences = split_sentences(text)
    figures: list[Figure] = []
    # (figure, sentence, offset in it): attributed after the loop, and only where figures are,
    # since attribution is the costliest step and most numbered sentences give no figure.
    unattributed: list[tuple[int, int, int]] = []
    rejected: list[Rejected] = []

    # Whether a sentence names IT people is asked only of sentences with numbers and of the
    # sentence before each (Russian ones go through the lemmas, which is slow).
    def names_it(k: int) -> bool:
        t = sentences[k].text
        return cues.has("it_subject", t) and not _IT_DENIED.search(t)

    it_counted_at = -9  # the index of the last sentence with a number, if it was about IT people
    previous_departure = False
    asked: str | None = None
    # A paragraph that names a wave of leaving and counts IT people ties the article's waves to IT.
    it_waves = False
    paragraph_span: dict[int, tuple[int, int]] = {}
    waveless: set[int] = set()
    for s in sentences:
        first = paragraph_span.get(s.paragraph, (s.start, s.end))[0]
        paragraph_span[s.paragraph] = (first, s.end)
    article_it = bool(sentences) and cues.has("it_subject", sentences[0].text)
    for index, s in enumerate(sentences):
        clock.check()
        mentions, dropped = find_mentions(text, s.start, s.end)
        figures_before = len(figures)
        rejected.extend(dropped)
        sentence_it = bool(mentions) and names_it(index)
        previous_it = bool(mentions) and index > 0 and names_it(index - 1)
        if not it_waves and sentence_it and mentions and s.paragraph not in waveless:
            # Tied only by a counted IT sentence: "many IT specialists were in the first wave"
            # does not make the wave's head count an IT one.
            first, last = paragraph_span[s.paragraph]
            it_waves = cues.search("wave", text[first:last])
            waveless.add(s.paragraph)  # searched once: per sentence it is quadratic
        furniture = bool(_FURNITURE.match(s.text))
        subjects = [
            _subject_after(s.text, m.end - s.start, cues) or _inner_subject(m, s.start, s.text, cues) for m in mentions
        ]
        for i in range(len(mentions) - 2, -1, -1):
            # "from 600-700 thousand to almost 1 million people": both count the last noun.
            if _SHARED_NOUN_GAP.match(text[mentions[i].end : mentions[i + 1].start]):
                subjects[i] = subjects[i + 1]
        foreign = [_names_other_country(_scope_after(s.text, m.end - s.start), cues) for m in mentions]
        for i in range(1, len(mentions)):
            # "2% of developers from Poland moved, while 1% deleted their data": the same group.
            if foreign[i - 1] and not subjects[i]:
                foreign[i] = True
        # Country names are matched as written (no lemmas: their prefixes cover the cases).
        if mentions and not cues.search("country", s.text):
            # "Ukrainians have fled the country. ... 16% of the tech workforce left the country":
            # a sentence naming no country is about the one its paragraph named before.
            prev = sentences[index - 1] if index else None
            if (
                prev is not None
                and prev.paragraph == s.paragraph
                and cues.search("other_country", prev.text)
                and not cues.search("country", prev.text)
            ):
                foreign = [True] * len(mentions)
            elif any(cues.search("other_country", o.group("place")) for o in _ORIGIN.finditer(s.text)):
                foreign = [True] * len(mentions)  # "из Беларуси уехало 5 тысяч": leaving another country
        it_counted = [_subject_kind(sub, cues) == "it" for sub in subjects]
        restates = bool(mentions) and previous_departure and previous_it and bool(_RESTATEMENT.match(s.text))
        # "N people will leave. These are IT specialists alone.": the next sentence says who they are.
        following = sentences[index + 1] if mentions and index + 1 < len(sentences) else None
        it_named_next = bool(
            following
            and following.paragraph == s.paragraph
            and _RESTATEMENT.match(following.text)
            and _IT_IDENTITY.search(following.text)
            and cues.has("it_subject", following.text)
        )
        # Each number's offsets in the sentence and its clause's there.
        sentence_clauses = _clause_spans(s.text) if mentions else []
        spans = [
            (m.start - s.start, m.end - s.start, *_clause_span_at(sentence_clauses, m.start - s.start))
            for m in mentions
        ]
        clauses = [s.text[c0:c1] for _, _, c0, c1 in spans]
        for i, m in enumerate(mentions):
            if furniture:
                rejected.append(Rejected(m.text, m.start, m.end, "page_furniture", s.text))
                continue
            clause = clauses[i]
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
                asked,
                foreign[i],
                _segment(s.text, spans, i, (base_start + spans[i][2], base_end + spans[i][2])),
                it_waves and cues.has("wave", s.text),
                any(it_counted[j] and clauses[j] != clause for j in range(len(mentions)) if j != i),
                restates,
                (max(in_clause, 0), max(in_clause, 0) + (m.end - m.start)),
                (base_start, base_end),
                sentences[index - 1].text if index else "",
                it_counted_at >= index - 3 or it_named_next,
            )
            decided = classify(m, ctx, cues)
            if decided is None:
                rejected.append(Rejected(m.text, m.start, m.end, "off_topic_sentence", s.text))
                continue
            metric, unit = decided
            if not plausible(unit, m.value, m.low, m.high):  # "250 %" of a workforce, 20 billion people
                rejected.append(Rejected(m.text, m.start, m.end, "implausible", s.text))
                continue
            unattributed.append((len(figures), index, m.start - s.start))
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
                    speaker=None,
                    period=find_period(s.text),
                    sentence=s.text,
                    sentence_start=s.start,
                    sentence_end=s.end,
                    number_text=m.text,
                    number_start=m.start,
                    number_end=m.end,
                )
            )
        # The last count of the topic: of IT people (named here, or "people" that an earlier
        # count made IT people), or of everyone; numbers that are no figure ("two waves") leave it.
        new = figures[figures_before:]
        if any(f.metric.startswith("it_") for f in new) or (
            sentence_it and any(f.unit in ("people", "percent") for f in new)
        ):
            it_counted_at = index
        elif any(f.metric != "other" for f in new):
            it_counted_at = -9
        previous_departure = bool(mentions) and (cues.has("departure", s.text) or asked == "departure")
        # A question's movement carries into the answer that follows it, and no further.
        asked = _asked(s.text, cues) if s.text.rstrip("\"'”»").endswith("?") else None
    if unattributed:
        said = attribute_sentences(text, sentences, cues.names, clock, {i for _, i, _ in unattributed})
        for k, index, at in unattributed:
            figures[k] = replace(figures[k], speaker=said[index].at(at))
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
