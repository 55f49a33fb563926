"""Cue words: the topic file's lists compiled into matchers.

A cue is a word or phrase; each of its words matches as a prefix ("left" matches "left",
"emigra" matches "emigrated", "эмигра" every Russian inflection), so one entry covers an
inflected family. A cue with an upper-case letter ("IT") is matched case-sensitively and as
a whole word, because "it" the pronoun is everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.figures import CUE_GROUPS

_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]+")


class Lemmas:
    """Russian words to their dictionary form (pymorphy3), so that one cue such as "вернуться"
    matches "вернулись", "возвращаются" and "вернувшихся". Built on first use (the dictionary
    takes a moment to load) and cached per word: only sentences that hold a number ask."""

    def __init__(self) -> None:
        self._morph: Any = None
        self._cache: dict[str, str] = {}

    def word(self, w: str) -> str:
        lemma = self._cache.get(w)
        if lemma is None:
            if self._morph is None:
                import pymorphy3

                self._morph = pymorphy3.MorphAnalyzer()
            parses = self._morph.parse(w)
            lemma = parses[0].normal_form if parses else w.lower()
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[w] = lemma
        return lemma

    def text(self, text: str) -> str:
        """The text with each Cyrillic word replaced by its lemma; other words stay as written."""
        return _CYRILLIC_WORD.sub(lambda m: self.word(m.group(0)), text)


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
            folded.append(r"\s+".join(re.escape(t) + r"\w*" for t in tokens))
    parts = []
    if folded:
        parts.append("(?i:" + "|".join(folded) + ")")
    if exact:
        parts.append("|".join(exact))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")") if parts else None


@dataclass(frozen=True)
class Cues:
    """Compiled cue groups; build with `Cues.from_mapping(topic_cues)`."""

    words: Mapping[str, tuple[str, ...]]
    _patterns: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False, compare=False)
    _group_cache: dict[str, dict[str, bool]] = field(default_factory=dict, repr=False, compare=False)
    _lemmas: Lemmas = field(default_factory=Lemmas, repr=False, compare=False)

    @classmethod
    def from_mapping(cls, words: Mapping[str, Sequence[str]]) -> Cues:
        frozen = {g: tuple(words.get(g, ())) for g in CUE_GROUPS}
        cues = cls(frozen)
        for g in CUE_GROUPS:
            cues._patterns[g] = _compile(frozen[g])
        return cues

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

    def lemma_text(self, text: str) -> str:
        return self._lemmas.text(text) if _CYRILLIC.search(text) else text

    def finditer(self, group: str, text: str) -> list[re.Match[str]]:
        p = self._patterns.get(group)
        return list(p.finditer(text)) if p else []

    def count(self, group: str, text: str) -> int:
        p = self._patterns.get(group)
        return len(p.findall(text)) if p else 0
