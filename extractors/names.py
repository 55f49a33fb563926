"""Canonical names of the people, organisations and outlets who state figures.

The topic file's [speakers] section lists, per kind, each actor's canonical name and its
aliases in any language or script ("Шадаев", "Schadajew", "Maksout Chadaïev"). An alias
matches in running text case-insensitively (an all-capitals acronym case-sensitively), a
Russian or Ukrainian word in any inflection ("Шадаева", "Росстатом"), a German word with its
endings ("Verbandes"). A name that is in no list is put in the nominative (pymorphy3) so
that "по словам Ивана Петрова" and "Иван Петров заявил" still give one speaker.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.topic import SPEAKER_KINDS as KINDS

# Kinds of speaker, in the order one wins over another in the same sentence: a person
# named with an organisation in the title ("RAEC head Sergei Plugotarenko") is the speaker,
# and an outlet is only the messenger of a person ("..., Mishustin was quoted by TASS").
RANK = {"people": 3, "organisations": 2, "outlets": 1}

_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_ENDING = re.compile(r"(?:[аяоеёиыуюйьъіїє]{1,2})$")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    canonical: str
    kind: str

    @property
    def rank(self) -> int:
        return RANK[self.kind]


def _word_pattern(word: str) -> str:
    if word.isupper() or not any(c.isalpha() for c in word):  # acronyms and symbols as written
        return re.escape(word)
    if _CYRILLIC.search(word):
        # One stem for every case ending: "Шадаев" matches "Шадаева", "Росстат" "Росстатом".
        stem = _ENDING.sub("", word) if len(word) >= 5 else word
        return re.escape(stem) + r"\w{0,3}"
    return re.escape(word) + (r"\w{0,2}" if len(word) >= 5 else "")


def _trie(keys: list[str]) -> str:
    """One regex for many short literals, branching letter by letter: a flat alternation of
    a hundred keys is tried key by key at every word start."""
    heads: dict[str, list[str]] = {}
    ends = False
    for k in keys:
        if k:
            heads.setdefault(k[0], []).append(k[1:])
        else:
            ends = True
    branches = [re.escape(h) + _trie(rest) for h, rest in sorted(heads.items())]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends else body


def _first_stem(alias: str) -> str:
    """The literal start of an alias's pattern: its first word, a Russian one without its ending."""
    word = alias.split()[0]
    if _CYRILLIC.search(word) and not word.isupper() and len(word) >= 5:
        return _ENDING.sub("", word)
    return word


def _alias_pattern(alias: str) -> str:
    words = alias.split()
    body = r"\s+".join(_word_pattern(w) for w in words)
    if alias.isupper():
        return body
    return "(?i:" + body + ")"


@dataclass(frozen=True)
class Names:
    """The [speakers] table, compiled on first use: `find` and `canonical` map any alias to
    its canonical name, `nominative` puts an unknown Russian name in the nominative."""

    table: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    """kind -> ((canonical, aliases), ...), as nested tuples (hashable, picklable)."""
    _compiled: list[Any] = field(default_factory=list, repr=False, compare=False)
    _morph: list[Any] = field(default_factory=list, repr=False, compare=False)
    _nominative: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _canonical: dict[str, Hit | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_mapping(cls, speakers: Mapping[str, Mapping[str, Sequence[str]]]) -> Names:
        return cls(
            tuple(
                (kind, tuple((c, tuple(a)) for c, a in speakers.get(kind, {}).items()))
                for kind in KINDS
                if kind in speakers
            )
        )

    def _index(self) -> dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]]:
        """Aliases grouped by the first (up to three) letters of their first word's stem:
        at each word start only the few aliases that can begin there are tried, since one
        alternation of every alias costs milliseconds per sentence."""
        if not self._compiled:
            groups: dict[str, list[tuple[str, str, str]]] = {}
            for kind, rows in self.table:
                for canonical, aliases in rows:
                    for alias in dict.fromkeys((canonical, *aliases)):
                        if alias.strip():
                            key = _first_stem(alias)[:3].lower()
                            groups.setdefault(key, []).append((alias, canonical, kind))
            built: dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]] = {}
            for key, targets in groups.items():
                # Longest first, so that "Russian Association for Electronic Communications"
                # wins over "Russian" at the same place.
                targets.sort(key=lambda t: len(t[0]), reverse=True)
                body = "|".join(f"({_alias_pattern(a)})" for a, _, _ in targets)
                built[key] = (re.compile(r"(?:" + body + r")(?!\w)(?:['’]s)?"), [(c, k) for _, c, k in targets])
            self._compiled.append(built)
            self._compiled.append(sorted({len(k) for k in built}, reverse=True))
            # Where an alias can start, found by the regex engine in the lower-cased text (a
            # case-sensitive alternation is several times faster than an IGNORECASE one).
            self._compiled.append(re.compile(r"(?<!\w)" + _trie(list(built))))
        index: dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]] = self._compiled[0]
        return index

    def find(self, text: str) -> list[Hit]:
        """Every alias in `text`, leftmost-longest, with its canonical name and kind."""
        index = self._index()
        if not index:
            return []
        hits: list[Hit] = []
        done = 0
        lengths: list[int] = self._compiled[1]
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer ("İ"): slower, same result
            low = "".join(ch.lower()[:1] for ch in text)
        for w in self._compiled[2].finditer(low):
            pos = w.start()
            if pos < done:
                continue
            best = None
            for n in lengths:
                group = index.get(low[pos : pos + n])
                if group is None:
                    continue
                m = group[0].match(text, pos)
                if m and (best is None or m.end() > best[0].end()):
                    best = (m, group[1])
            if best is not None:
                m, targets = best
                canonical, kind = targets[(m.lastindex or 1) - 1]
                hits.append(Hit(m.start(), m.end(), canonical, kind))
                done = m.end()
        return hits

    def canonical(self, name: str) -> Hit | None:
        """The best-ranked known actor named in `name` ("главы Минцифры Максута Шадаева" gives
        Maksut Shadayev), or None when it names none."""
        if name not in self._canonical:
            if len(self._canonical) > 50_000:
                self._canonical.clear()
            hits = self.find(name)
            self._canonical[name] = max(hits, key=lambda h: h.rank) if hits else None
        return self._canonical[name]

    def nominative(self, name: str) -> str:
        """A Russian or Ukrainian name in the nominative: a person's every word ("Ивана
        Петрова" → "Иван Петров"), an organisation's head noun and the adjectives before it
        ("Министерства внутренних дел" → "Министерство внутренних дел"). Other names as written."""
        if not _CYRILLIC.search(name):
            return name
        done = self._nominative.get(name)
        if done is None:
            done = self._nominative[name] = _nominative(self._analyzer(), name)
        return done

    def is_place(self, name: str) -> bool:
        """Whether a one-word Russian or Ukrainian name is a place ("в России оценили": where it
        was said, not who said it); a known actor never is."""
        if " " in name or not _CYRILLIC.search(name) or self.canonical(name) is not None:
            return False
        parses = self._analyzer().parse(name)
        return bool(parses) and "Geox" in parses[0].tag

    def _analyzer(self) -> Any:
        if not self._morph:
            import pymorphy3

            self._morph.append(pymorphy3.MorphAnalyzer())
        return self._morph[0]


_PERSON_TAGS = ("Name", "Surn", "Patr")


def _nominative(morph: Any, name: str) -> str:
    words = name.split()
    parses = [
        morph.parse(w) if _CYRILLIC.search(w) and not w.isupper() and w.replace("-", "").isalpha() else []
        for w in words
    ]
    tagged = [bool(ps) and any(t in p.tag for p in ps[:3] for t in _PERSON_TAGS) for ps in parses]
    run = next((i for i, t in enumerate(reversed(tagged)) if not t), len(tagged))  # person words at the end
    if 2 <= run < len(words):
        # "Москва Сергея Собянина", "Казахстана Марат Ахметжанов": the place or title before
        # a person's name is not part of it.
        words, parses = words[-run:], parses[-run:]
    person = any(parses) and all(any(t in p.tag for p in ps[:3] for t in _PERSON_TAGS) for ps in parses if ps)
    gender = None
    out = []
    for w, ps in zip(words, parses, strict=True):
        if person and ps:
            # One person: a plural reading ("Ахметжанов" as many Ахметжаны) is a misreading.
            candidates = [p for p in ps if any(t in p.tag for t in _PERSON_TAGS) and p.tag.number != "plur"]
            if not candidates:
                out.append(w)
                continue
            if gender:
                candidates = [p for p in candidates if p.tag.gender == gender] or candidates
            gender = gender or candidates[0].tag.gender
            out.append(_form(candidates, {"nomn"}, w))
        elif ps and gender is None and ps[0].tag.POS in ("NOUN", "ADJF"):
            # The head noun and the adjectives before it; what follows is its complement.
            out.append(_form([p for p in ps if p.tag.POS == ps[0].tag.POS], {"nomn", "sing"}, w))
            if ps[0].tag.POS == "NOUN":
                gender = ps[0].tag.gender or "neut"
        else:
            out.append(w)
    return " ".join(out)


def _form(parses: list[Any], grammemes: set[str], written: str) -> str:
    """The first parse's form with `grammemes` that keeps the written stem (pymorphy3 may
    inflect "высшей" to "высочайшая"); the word as written when it is already nominative."""
    if parses[0].tag.case == "nomn":
        return written
    keep = written[: max(2, len(written) - 2)].lower()
    for parse in parses[:4]:
        form = parse.inflect(grammemes)
        if form is None or not str(form.word).replace("ё", "е").startswith(keep.replace("ё", "е")):
            continue
        word = str(form.word)
        if "ё" not in written.lower():
            word = word.replace("ё", "е")
        return word[:1].upper() + word[1:] if written[:1].isupper() else word
    return written
