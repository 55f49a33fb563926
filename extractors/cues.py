"""Cue words: the topic file's lists compiled into matchers.

A cue is a word or phrase; each of its words matches as a prefix ("left" matches "left",
"emigra" matches "emigrated", "эмигра" every Russian inflection), so one entry covers an
inflected family. A cue with an upper-case letter ("IT") is matched case-sensitively and as
a whole word, because "it" the pronoun is everywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.figures import CUE_GROUPS

from .names import Names

_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]+")


class Lemmas:
    """Russian words to their dictionary form (pymorphy3), so that one cue such as "вернуться"
    matches "вернулись", "возвращаются" and "вернувшихся". Built on first use (the dictionary
    takes a moment to load) and cached per word: only sentences that hold a number ask."""

    def __init__(self) -> None:
        self._morph: Any = None
        self._cache: dict[str, tuple[str, bool]] = {}

    def _parse(self, w: str) -> tuple[str, bool]:
        known = self._cache.get(w)
        if known is None:
            if self._morph is None:
                import pymorphy3

                self._morph = pymorphy3.MorphAnalyzer()
            parses = self._morph.parse(w)
            best = parses[0] if parses else None
            known = (
                best.normal_form if best else w.lower(),
                # "покинут" is as often a future verb as a short participle: any likely parse.
                # The first person ("напомним", "отметим") is the writer's aside, not a forecast.
                any(
                    p.tag.POS == "VERB" and p.tag.tense == "futr" and p.tag.person != "1per" and p.score >= 0.3
                    for p in parses
                ),
            )
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[w] = known
        return known

    def word(self, w: str) -> str:
        return self._parse(w)[0]

    def text(self, text: str) -> str:
        """The text with each Cyrillic word replaced by its lemma; other words stay as written."""
        return _CYRILLIC_WORD.sub(lambda m: self.word(m.group(0)), text)

    def has_future(self, text: str) -> bool:
        """Whether a Russian verb in the text is in the future tense ("уедут", "покинут",
        "вернутся"): tense, not a date, says that a figure is a forecast."""
        return any(self._parse(m.group(0))[1] for m in _CYRILLIC_WORD.finditer(text))


# Hebrew and Arabic glue conjunctions, prepositions and the article to the next word
# ("שברחו": that fled, "والمبرمجين": and the programmers): a cue in those scripts also
# matches after them.
_CLITICS = (
    (re.compile(r"[\u05d0-\u05ea]"), "(?:[ובכלמשה]{1,2})?"),
    (re.compile(r"[\u0621-\u064a]"), "(?:[وف]?[بلك]?(?:ال)?)?"),
)


def _clitics(token: str) -> str:
    return next((before for script, before in _CLITICS if script.match(token)), "")


def _compile(words: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for a group; the word-start anchor is outside the alternation so that
    positions inside words fail at once (this is the extractors' hot path)."""
    folded, exact = [], []
    # Longest first, so "IT-специалист" wins over "IT" at the same place.
    for w in sorted(words, key=len, reverse=True):
        tokens = w.split()
        if not tokens:
            continue
        if any(c.isupper() for c in w):
            # Case-sensitive; an all-capitals word ("IT") must end there, a word ending in
            # lower case ("Росси", "IT-специалист") still takes its inflections.
            exact.append(r"\s+".join(re.escape(t) + ("" if t.upper() == t else r"\w*") for t in tokens) + r"(?!\w)")
        else:
            folded.append(r"\s+".join(_clitics(t) + re.escape(t) + r"\w*" for t in tokens))
    parts = []
    if folded:
        parts.append("(?i:" + "|".join(folded) + ")")
    if exact:
        parts.append("|".join(exact))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")") if parts else None


class Languages:
    """Which language a text is in (py3langid), to pick the topic's cue pack. The model is
    loaded on first use, once per process."""

    def __init__(self) -> None:
        self._ident: Any = None

    def _identifier(self) -> Any:
        if self._ident is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._ident = LanguageIdentifier.from_model_file(MODEL_FILE)
        return self._ident

    def of(self, text: str) -> str:
        # The first couple of thousand characters decide as well as the whole text, at a
        # fraction of the cost.
        return str(self._identifier().classify(text[:2000])[0])

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every language with its probability, most likely first; calibrated as py3langid's
        norm_probs (softmax at temperature sqrt(bytes)) without loading the model twice."""
        sample = text[:2000]
        scores = self._identifier().rank(sample)
        if not scores:
            return []
        temperature = math.sqrt(len(sample.encode("utf-8")) or 1)
        top = scores[0][1]
        weights = [(str(lang), math.exp((score - top) / temperature)) for lang, score in scores]
        total = sum(w for _, w in weights)
        return [(lang, w / total) for lang, w in weights]


# Languages the detector tells apart whose news reads with one pack: Norwegian's two written
# forms and Danish; Bosnian, Croatian and Montenegrin with Serbian (Latin script); and the
# regional languages and varieties py3langid may return for a short text in a covered one
# (Latgalian for Latvian, Venetian for Italian, Luxembourgish for German, Macedonian for
# Bulgarian, Galician for Portuguese, Egyptian and Moroccan Arabic, Biblical Hebrew).
CLOSE_LANGUAGES = {
    "nb": "no", "nn": "no", "da": "no", "bs": "sr", "hr": "sr", "me": "sr", "sh": "sr", "ltg": "lv", "vec": "it",
    "lij": "it", "ext": "es", "an": "es", "gl": "pt", "lb": "de", "mk": "bg", "arz": "ar", "ary": "ar", "hbo": "he",
}  # fmt: skip
"""A language without a pack of its own borrows the pack of the language given here."""

PackKey = tuple[tuple[str, tuple[str, ...]], ...]
CuesKey = tuple[PackKey, tuple[tuple[str, PackKey], ...], Any]


def _freeze(words: Mapping[str, Any]) -> CuesKey:
    shared = tuple((g, tuple(words.get(g, ()))) for g in CUE_GROUPS)
    packs = tuple(
        sorted(
            (lang, tuple((g, tuple(pack.get(g, ()))) for g in CUE_GROUPS))
            for lang, pack in words.items()
            if isinstance(pack, Mapping) and lang != "speakers"
        )
    )
    return shared, packs, Names.from_mapping(words.get("speakers", {})).table


@dataclass(frozen=True)
class Cues:
    """Compiled cue groups; build with `Cues.from_mapping(topic.cue_words)`.

    The mapping holds the words of every language (group -> words) and language packs
    (language -> group -> words). `for_language(code)` gives the cues for one language: the
    shared words and that pack; without a pack for the language, every pack.
    """

    words: Mapping[str, tuple[str, ...]]
    key: CuesKey = ((), (), ())
    """The words as nested tuples: hashable, picklable, enough to rebuild these cues."""
    language: str | None = None
    _patterns: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False, compare=False)
    _group_cache: dict[str, dict[str, bool]] = field(default_factory=dict, repr=False, compare=False)
    _lemmas: Lemmas = field(default_factory=Lemmas, repr=False, compare=False)
    _languages: Languages = field(default_factory=Languages, repr=False, compare=False)
    _by_language: dict[str | None, Cues] = field(default_factory=dict, repr=False, compare=False)
    names: Names = field(default_factory=Names, repr=False, compare=False)
    """The topic's speakers ([speakers]), one for all the languages."""

    @classmethod
    def from_mapping(cls, words: Mapping[str, Any]) -> Cues:
        return cls.from_key(_freeze(words))

    @classmethod
    def from_key(cls, key: CuesKey, language: str | None = None) -> Cues:
        shared, packs, speakers = key
        if language not in dict(packs) and CLOSE_LANGUAGES.get(language or "") in dict(packs):
            language = CLOSE_LANGUAGES[language or ""]
        merged = {g: list(w) for g, w in shared} or {g: [] for g in CUE_GROUPS}
        for lang, pack in packs:
            if language is None or lang == language or language not in dict(packs):
                for g, w in pack:
                    merged.setdefault(g, []).extend(w)
        frozen = {g: tuple(dict.fromkeys(merged.get(g, ()))) for g in CUE_GROUPS}
        cues = cls(frozen, key, language, names=Names(speakers))
        for g in CUE_GROUPS:
            cues._patterns[g] = _compile(frozen[g])
        return cues

    def for_language(self, language: str | None) -> Cues:
        """The cues for one language (None: every pack); compiled once per language."""
        if language == self.language:
            return self
        cues = self._by_language.get(language)
        if cues is None:
            cues = self._by_language[language] = Cues.from_key(self.key, language)
            # One lemma and language cache for all the languages' cues.
            object.__setattr__(cues, "_lemmas", self._lemmas)
            object.__setattr__(cues, "_languages", self._languages)
            object.__setattr__(cues, "names", self.names)
        return cues

    def language_of(self, text: str) -> str:
        return self._languages.of(text)

    def language_scores(self, text: str) -> list[tuple[str, float]]:
        return self._languages.ranked(text)

    def search(self, group: str, text: str) -> bool:
        """Uncached: for long texts asked once."""
        p = self._patterns.get(group)
        return bool(p and p.search(text))

    def has(self, group: str, text: str) -> bool:
        """Whether `text` has a cue of `group`; cached per text and group, since a sentence
        is asked once per number and most sentences are asked about one group only."""
        cache = self._group_cache
        known = cache.get(text)
        if known is None:
            if len(cache) > 4096:
                cache.clear()
            known = cache[text] = {}
        found = known.get(group)
        if found is None:
            p = self._patterns.get(group)
            found = bool(p and p.search(text))
            if not found and p and _CYRILLIC.search(text):
                found = bool(p.search(self._lemmas.text(text)))
            known[group] = found
        return found

    def future_tense(self, text: str) -> bool:
        return bool(_CYRILLIC.search(text)) and self._lemmas.has_future(text)

    def lemma_text(self, text: str) -> str:
        return self._lemmas.text(text) if _CYRILLIC.search(text) else text

    def finditer(self, group: str, text: str) -> list[re.Match[str]]:
        p = self._patterns.get(group)
        return list(p.finditer(text)) if p else []

    def count(self, group: str, text: str) -> int:
        p = self._patterns.get(group)
        return len(p.findall(text)) if p else 0
