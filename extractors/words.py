"""Numbers written as words: cardinals ("twenty-five", "a hundred", "сто") and shares
("half", "a third", "two-thirds", "one in ten", "каждый десятый").

Shares come back as percent (a third -> 33.3); the caller learns that from `is_share`.
"One" alone is left out on purpose: "one of the sources" is far more common than a count.
"""

from __future__ import annotations

import re

_EN_UNITS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_DIGIT = {"one": 1, **{k: v for k, v in _EN_UNITS.items() if v < 10}}
_RU = {
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "пятнадцать": 15,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "пятьсот": 500,
}
_SHARES = {
    "half": 50.0,
    "a half": 50.0,
    "one half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "one-third": 100 / 3,
    "two thirds": 200 / 3,
    "two-thirds": 200 / 3,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "one-quarter": 25.0,
    "three quarters": 75.0,
    "three-quarters": 75.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "one-fifth": 20.0,
    "половина": 50.0,
    "половину": 50.0,
    "треть": 100 / 3,
    "две трети": 200 / 3,
    "четверть": 25.0,
}
_EVERY_NTH = {
    "каждый второй": 50.0,
    "каждый третий": 100 / 3,
    "каждый четвёртый": 25.0,
    "каждый четвертый": 25.0,
    "каждый пятый": 20.0,
    "каждый десятый": 10.0,
}

_EN_CARDINAL = (
    r"(?:(?:a|one|" + "|".join(_EN_DIGIT) + r")\s+hundred(?:\s+(?:and\s+)?"
    r"(?:(?:" + "|".join(_EN_TENS) + r")(?:-(?:" + "|".join(_EN_DIGIT) + r"))?|" + "|".join(_EN_UNITS) + r"))?"
    r"|(?:" + "|".join(_EN_TENS) + r")(?:-(?:" + "|".join(_EN_DIGIT) + r"))?"
    r"|" + "|".join(sorted(_EN_UNITS, key=len, reverse=True)) + r")"
)
_ONE_IN_N = r"one\s+in\s+(?:" + "|".join(sorted({**_EN_UNITS, **_EN_TENS}, key=len, reverse=True)) + r"|\d+)"
WORD_NUMBER_RE = (
    r"(?:"
    + _ONE_IN_N
    + r"|"
    + "|".join(re.escape(s) for s in sorted({**_SHARES, **_EVERY_NTH}, key=len, reverse=True))
    + r"|"
    + _EN_CARDINAL
    + r"|"
    + "|".join(sorted(_RU, key=len, reverse=True))
    + r")(?![\w-])"
)


# Words that every word number contains at least one of; "a", "one", "in" and "and" are
# left out because nearly every sentence has them. A sentence without any of these cannot
# hold a word number, which spares the big pattern on most sentences.
TRIGGER_WORDS = frozenset(
    t
    for phrase in [*_EN_UNITS, *_EN_TENS, *_RU, *_SHARES, *_EVERY_NTH, "hundred"]
    for t in phrase.replace("-", " ").split()
    if t not in ("a", "one", "in", "and", "каждый")
)


def may_hold_word_number(text: str) -> bool:
    return not TRIGGER_WORDS.isdisjoint(re.findall(r"\w+", text.lower().replace("-", " ")))


def is_share(words: str) -> bool:
    w = " ".join(words.lower().split())
    return w in _SHARES or w in _EVERY_NTH or w.startswith("one in ")


def parse_word_number(words: str) -> float | None:
    """The value of a word number, shares as percent; None when it is not one we read."""
    w = " ".join(words.lower().split())
    if w in _SHARES:
        return _SHARES[w]
    if w in _EVERY_NTH:
        return _EVERY_NTH[w]
    if w.startswith("one in "):
        n = w[len("one in ") :]
        d = float(n) if n.isdigit() else _EN_UNITS.get(n) or _EN_TENS.get(n)
        return 100.0 / d if d else None
    if w in _RU:
        return float(_RU[w])
    total = 0.0
    for part in w.replace(" and ", " ").split():
        if part in ("a", "one"):
            total += 1
        elif part == "hundred":
            total = max(total, 1) * 100
        elif "-" in part:
            tens, unit = part.split("-", 1)
            total += _EN_TENS.get(tens, 0) + _EN_DIGIT.get(unit, 0)
        elif part in _EN_UNITS:
            total += _EN_UNITS[part]
        elif part in _EN_TENS:
            total += _EN_TENS[part]
        else:
            return None
    return total or None
