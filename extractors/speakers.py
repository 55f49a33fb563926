"""Attribution: who stated the figures of a sentence.

Patterns, tried in order: "according to X", "X(, title,) said", "said X", "he/she said"
(the last person named before), "the government estimates"; a quoted sentence with no
attribution of its own continues the speaker of the sentence before it in its paragraph.
A surname alone ("Shadayev said") is resolved to the full name used earlier in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CAP = r"(?:[A-ZА-ЯЁ][a-zа-яё]+(?:[A-ZА-ЯЁ][a-zа-яё]+)*(?:-[A-ZА-ЯЁa-zа-яё]+)?|[A-ZА-ЯЁ]{2,6})"
NAME = rf"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?{_CAP}(?:\s+(?:(?:of|for|and|the|de|du|von|der)\s+)?{_CAP})*"
_VERBS = (
    r"(?:said|says|say|told|tells|wrote|writes|estimated|estimates|estimate|acknowledged|"
    r"stated|states|reported|reports|announced|noted|suggested|admitted|claimed|added|"
    r"explained|believes|calculated|counted|found|warned|сказал[аи]?|заявил[аи]?|сообщил[аи]?|"
    r"отметил[аи]?|оценил[аи]?|подсчитал[аи]?|sagte|erklärte|a\s+déclaré|estime)"
)
_ACCORDING = re.compile(
    rf"(?<!\w)(?i:according\s+to|citing|по\s+(?:словам|данным|оценк[еа]м?|подсчетам|подсчётам)|laut|selon)\s+(?:the\s+)?(?P<name>{NAME})"
)
# Russian puts the title between verb and name: "заявил заместитель министра Андрей Петров".
_VERB_TITLE_NAME = re.compile(
    rf"(?<!\w)(?:сказал|заявил|сообщил|отметил|подсчитал)[аи]?\s+(?:[а-яё\-]+\s+){{0,3}}(?P<name>{NAME})"
)
_NAME_VERB = re.compile(
    rf"(?<![\w])(?:the\s+|The\s+)?(?P<name>{NAME})(?:\s*,\s*[^,]{{2,90}}?,)?\s+(?:\w+ly\s+)?{_VERBS}(?!\w)"
)
_VERB_NAME = re.compile(rf"(?<!\w){_VERBS}\s+(?P<name>{NAME})")
_PRONOUN = re.compile(
    r"(?<!\w)(?:he|she|он|она)\s+(?:\w+ly\s+)?(?:said|says|added|told|wrote|explained|estimated|сказал|заявил|сказала|заявила)(?!\w)",
    re.IGNORECASE,
)
_COLLECTIVE = re.compile(
    r"(?<!\w)(?:the|The)\s+(?P<name>government|ministry|Kremlin|authorities)\s+(?:\w+ly\s+)?(?:estimates|estimated|said|says|reported|believes)(?!\w)"
)

# Anchored at word starts: an unanchored alternation is tried at every character.
_ANY_CUE = re.compile(
    rf"(?<!\w)(?:(?:{_VERBS}|he|she|он|она)(?!\w)|according|citing|по\s+(?:словам|данным|оценк|подсч)|laut|selon)",
    re.IGNORECASE,
)

QUOTE_OPENERS = "\"“«'‘"

ORG_WORDS = frozenset(
    """Ministry Association Council Agency Service Bank Institute Committee Government Defence
    Defense University Center Centre Office Union Party Group Duma Chamber Fund Foundation
    Department Commission Bureau Academy Rosstat RAEC HeadHunter Kremlin Federation Survey
    Министерство Минцифры Ассоциация Росстат""".split()
)
TITLE_WORDS = frozenset(
    """Minister Deputy Prime President Senator Chairman Chairwoman Mr Mrs Ms Dr Professor Director
    CEO Head Chief Governor Mayor Secretary Spokesman Spokeswoman Vice General Digital
    Development Russian British Russia Foreign Interior Finance Economy Labour Labor Official
    Analyst Economist Founder Partner Managing Executive Premier Министр Глава Президент Премьер""".split()
)
NOT_NAMES = frozenset(
    """The A An In On At By For From But And Or As If It This That These Those There Here When While
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Related Updates Read Photo""".split()
)


def clean_name(raw: str) -> str | None:
    """A person's name without its titles, an organisation's name as written; None if neither."""
    words = [w.rstrip(".") for w in raw.split()]
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    if not words:
        return None
    if any(w in ORG_WORDS for w in words):
        return " ".join(words)
    while words and (words[0] in TITLE_WORDS or words[0] in ("of", "for", "the")):
        words = words[1:]
    if not words or words[-1] in TITLE_WORDS or any(w in NOT_NAMES for w in words):
        return None
    return " ".join(words)


@dataclass
class SpeakerTracker:
    """Per-article memory: full names seen, and the last person named."""

    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name
    last_person: str | None = None

    def remember(self, text: str) -> None:
        for m in re.finditer(NAME, text):
            name = clean_name(m.group(0))
            if not name or any(w in ORG_WORDS for w in name.split()):
                continue
            parts = name.split()
            if len(parts) >= 2:
                self.full_names[parts[-1]] = name
                self.last_person = name
            elif parts[0] in self.full_names:
                self.last_person = self.full_names[parts[0]]

    def _plausible(self, name: str, sentence: str, at: int) -> bool:
        """A lone capitalised word opening a sentence ("Recruiters say") is a common noun,
        unless it is a surname seen before or an acronym."""
        if " " in name or sentence[:at].strip(" \"'“‘«("):
            return True
        return name in self.full_names or name.isupper() or any(w in ORG_WORDS for w in name.split())

    def resolve(self, name: str) -> str:
        parts = name.split()
        if len(parts) == 1 and parts[0] in self.full_names:
            return self.full_names[parts[0]]
        return name

    def attribute(self, sentence: str, previous_speaker: str | None, same_paragraph: bool) -> str | None:
        """The speaker of `sentence`; call before `remember(sentence)` for pronoun resolution."""
        if not _ANY_CUE.search(sentence):  # no speech verb or "according to": only a quote can continue
            return previous_speaker if same_paragraph and previous_speaker and sentence[:1] in QUOTE_OPENERS else None
        for pattern in (_ACCORDING, _NAME_VERB, _VERB_NAME, _VERB_TITLE_NAME):
            for m in pattern.finditer(sentence):
                name = clean_name(m.group("name"))
                if name and self._plausible(name, sentence, m.start("name")):
                    return self.resolve(name)
        pronoun = _PRONOUN.search(sentence)
        if pronoun:
            before = SpeakerTracker(dict(self.full_names), self.last_person)
            before.remember(sentence[: pronoun.start()])
            if before.last_person:
                return before.last_person
        collective = _COLLECTIVE.search(sentence)
        if collective:
            return collective.group("name").lower() if collective.group("name") != "Kremlin" else "Kremlin"
        if same_paragraph and previous_speaker and sentence[:1] in QUOTE_OPENERS:
            return previous_speaker
        return None
