"""Numbers written as words: cardinals ("twenty-five", "a hundred", "сто", "zehn", "cent"),
shares ("half", "a third", "two-thirds", "one in ten", "каждый десятый") and the word for
"one" before a magnitude ("a million", "eine Million", "un million", "один миллион").

The words of each language are data (the tables below); a new language is a new table and
tests, not new code. Shares come back as percent (a third -> 33.3); the caller learns that
from `is_share`. "One" alone is left out on purpose: "one of the sources" is far more common
than a count, and "ein"/"un" are articles, so those count only before a magnitude.
"""

from __future__ import annotations

import re

# Cardinals per language, with the inflected forms a number takes in running text
# (Russian "четырех тысяч", "пяти миллионов"). Words that multiply ("hundred", "cent")
# are in HUNDREDS instead.
CARDINALS: dict[str, dict[str, int]] = {
    "en": {
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    },
    "ru": {
        "два": 2, "две": 2, "двух": 2, "двум": 2, "двумя": 2,
        "три": 3, "трех": 3, "трёх": 3, "трем": 3, "трём": 3, "тремя": 3,
        "четыре": 4, "четырех": 4, "четырёх": 4, "четырем": 4, "четырём": 4, "четырьмя": 4,
        "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8,
        "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "одиннадцати": 11,
        "двенадцать": 12, "двенадцати": 12, "пятнадцать": 15, "пятнадцати": 15,
        "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40,
        "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60,
        "семьдесят": 70, "семидесяти": 70, "восемьдесят": 80, "восьмидесяти": 80,
        "девяносто": 90, "девяноста": 90, "сто": 100, "ста": 100, "двести": 200, "двухсот": 200,
        "триста": 300, "трехсот": 300, "трёхсот": 300, "четыреста": 400, "четырехсот": 400,
        "пятьсот": 500, "пятисот": 500, "шестьсот": 600, "шестисот": 600, "семьсот": 700,
        "семисот": 700, "восемьсот": 800, "восьмисот": 800, "девятьсот": 900, "девятисот": 900,
    },
    "de": {
        "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
        "zehn": 10, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30,
        "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    },
    "fr": {
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "huit": 8, "neuf": 9,
        "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60,
    },
    # Only words that are no common word of another covered language: Italian "due", "sei",
    # "otto", Spanish "dos", "once" and Romanian "opt" are left out.
    "it": {
        "tre": 3, "quattro": 4, "cinque": 5, "sette": 7, "nove": 9, "dieci": 10, "venti": 20,
        "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80,
    },
    "es": {
        "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
        "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
        "ochenta": 80,
    },
    "ro": {
        "doi": 2, "două": 2, "trei": 3, "patru": 4, "cinci": 5, "şase": 6, "șase": 6, "şapte": 7, "șapte": 7,
        "nouă": 9, "zece": 10, "douăzeci": 20, "treizeci": 30, "patruzeci": 40, "cincizeci": 50,
    },
    "pl": {
        "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "pięciu": 5, "sześć": 6, "siedem": 7,
        "osiem": 8, "dziewięć": 9, "dziesięć": 10, "dziesięciu": 10, "dwadzieścia": 20, "trzydzieści": 30,
        "czterdzieści": 40, "pięćdziesiąt": 50,
    },
    # Serbian, Bosnian, Croatian (Czech and Slovak share "dva", "tri"): not "pet" (English) nor
    # "sto" (Italian).
    "sr": {
        "dva": 2, "tri": 3, "dvije": 2, "dve": 2, "četiri": 4, "šest": 6, "sedam": 7, "osam": 8, "devet": 9, "deset": 10,
        "dvadeset": 20, "trideset": 30, "četrdeset": 40, "pedeset": 50, "šezdeset": 60, "sedamdeset": 70,
    },
    "et": {
        "kaks": 2, "kolm": 3, "neli": 4, "viis": 5, "kuus": 6, "seitse": 7, "kaheksa": 8, "üheksa": 9,
        "kümme": 10, "kakskümmend": 20, "kolmkümmend": 30, "nelikümmend": 40, "viiskümmend": 50,
    },
}  # fmt: skip
# Italian writes thousands as one word ("cinquantamila", "centomila"): every such word of the
# Italian numbers below, "duemila" to "novecentomila".
_IT_GLUED = {
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
    "undici": 11, "dodici": 12, "quindici": 15, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50,
    "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90, "cento": 100, "duecento": 200, "trecento": 300,
    "quattrocento": 400, "cinquecento": 500, "seicento": 600, "settecento": 700, "ottocento": 800, "novecento": 900,
}  # fmt: skip
CARDINALS["it"].update({w + "mila": v * 1000 for w, v in _IT_GLUED.items()})
# Hungarian writes a number as one word ("ötvenezer", "százezer"): tens and hundreds before
# "ezer" (thousand); not "hat" (six), a German and English word.
_HU = {
    "két": 2, "három": 3, "négy": 4, "öt": 5, "hét": 7, "nyolc": 8, "kilenc": 9, "tíz": 10, "húsz": 20,
    "harminc": 30, "negyven": 40, "ötven": 50, "hatvan": 60, "hetven": 70, "nyolcvan": 80, "kilencven": 90,
    "száz": 100, "kétszáz": 200, "háromszáz": 300, "ötszáz": 500,
}  # fmt: skip
CARDINALS["hu"] = {**_HU, **{w + "ezer": v * 1000 for w, v in _HU.items()}}
# German glues them too ("fünfzigtausend", "hunderttausend"); "Zehntausende" stays vague.
_DE_GLUED = {**CARDINALS["de"], "hundert": 100, "zweihundert": 200, "dreihundert": 300, "fünfhundert": 500}
CARDINALS["de"].update({w + "tausend": v * 1000 for w, v in _DE_GLUED.items()})
# Left out as too often something else: German "elf" and French "sept" (English words or
# abbreviations).
HUNDREDS = {"hundred": "en", "hundert": "de", "cent": "fr", "cents": "fr"}
"""Words that multiply what stands before them by a hundred ("two hundred", "deux cents"), or
are a hundred alone ("cent mille")."""
FRACTIONAL = {
    "полтора": 1.5,
    "полторы": 1.5,
    "полутора": 1.5,
    "anderthalb": 1.5,
    "eineinhalb": 1.5,
    "half a": 0.5,
    "eine halbe": 0.5,
    "einer halben": 0.5,
    "un demi": 0.5,
    "mezzo": 0.5,
    "medio": 0.5,
    "meio": 0.5,
    "pół": 0.5,
    "пів": 0.5,
    "půl": 0.5,
}
"""One and a half: read only before a magnitude, like the words for one."""
LONE_MAGNITUDES = {
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллиону": 1e6,
    "миллионом": 1e6,
    "мільйон": 1e6,
    "полмиллиона": 5e5,
    "полумиллиона": 5e5,
    # "napustilo milion građana", "milion osób": Serbian, Croatian, Polish, Slovak.
    "milion": 1e6,
    "milijun": 1e6,
    "egymillió": 1e6,
    "півмільйона": 5e5,
    "מיליון": 1e6,
    "כמיליון": 1e6,  # about a million: Hebrew glues the hedge to the word
}
"""A magnitude with no number before it is one of it ("ищет миллион программистов"); only the
singular forms: the plural ("миллионов") is vague."""
ONE_BEFORE_MAGNITUDE = frozenset(
    {"a", "an", "one", "ein", "eine", "einer", "un", "une", "один", "одна", "одного", "одну", "одной"}
    | {"um", "uma", "ett"}  # Portuguese, Swedish
)
"""The word for one (often an article): a number only right before a magnitude word."""

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
    "a tenth": 10.0,
    "one tenth": 10.0,
    "one-tenth": 10.0,
    "ein zehntel": 10.0,
    "ein fünftel": 20.0,
    "un dixième": 10.0,
    "un cinquième": 20.0,
    "половина": 50.0,
    "половину": 50.0,
    "треть": 100 / 3,
    "трети": 100 / 3,  # "до трети уехавших": the genitive after a preposition
    "половины": 50.0,
    "две трети": 200 / 3,
    "четверть": 25.0,
    "die hälfte": 50.0,
    "ein drittel": 100 / 3,
    "zwei drittel": 200 / 3,
    "ein viertel": 25.0,
    "la moitié": 50.0,
    "un tiers": 100 / 3,
    "deux tiers": 200 / 3,
    "un quart": 25.0,
    # Italian, Spanish, Portuguese, Romanian, Polish, Czech, Slovak, Serbian, Latvian,
    # Norwegian, Swedish, Ukrainian; Hungarian shares carry their possessive ("harmaduk": a
    # third of them).
    "la metà": 50.0,
    "un terzo": 100 / 3,
    "due terzi": 200 / 3,
    "un quarto": 25.0,
    "la mitad": 50.0,
    "un tercio": 100 / 3,
    "dos tercios": 200 / 3,
    "metade": 50.0,
    "um terço": 100 / 3,
    "dois terços": 200 / 3,
    "jumătate": 50.0,
    "o treime": 100 / 3,
    "połowa": 50.0,
    "jedna trzecia": 100 / 3,
    "polovina": 50.0,
    "polovica": 50.0,
    "třetina": 100 / 3,
    "tretina": 100 / 3,
    "trećina": 100 / 3,
    "trešdaļa": 100 / 3,
    "halvparten": 50.0,
    "hälften": 50.0,
    "en tredjedel": 100 / 3,
    "третина": 100 / 3,
    "egyharmad": 100 / 3,
    "egyharmada": 100 / 3,
    "egyharmaduk": 100 / 3,
    "harmada": 100 / 3,
    "harmaduk": 100 / 3,
    "kétharmad": 200 / 3,
    "kétharmada": 200 / 3,
    "kétharmaduk": 200 / 3,
    "negyede": 25.0,
    "negyedük": 25.0,
    "fele": 50.0,
    "felük": 50.0,
    "tizede": 10.0,
    "tizedük": 10.0,
}
_EVERY_NTH = {
    "каждый второй": 50.0,
    "каждый третий": 100 / 3,
    "каждый четвёртый": 25.0,
    "каждый четвертый": 25.0,
    "каждый пятый": 20.0,
    "каждый десятый": 10.0,
    "every second": 50.0,
    "every third": 100 / 3,
    "every fourth": 25.0,
    "every fifth": 20.0,
    "every tenth": 10.0,
    "jeder zweite": 50.0,
    "jeder dritte": 100 / 3,
    "jeder vierte": 25.0,
    "jeder fünfte": 20.0,
    "jeder zehnte": 10.0,
    "co drugi": 50.0,
    "co trzeci": 100 / 3,
    "co czwarty": 25.0,
    "co piąty": 20.0,
    "co dziesiąty": 10.0,
    "každý druhý": 50.0,
    "každý třetí": 100 / 3,
    "každý pátý": 20.0,
    "každý desátý": 10.0,
    "кожен другий": 50.0,
    "кожен третій": 100 / 3,
    "кожен десятий": 10.0,
}

_EN = CARDINALS["en"]
_EN_DIGIT = {"one": 1, **{k: v for k, v in _EN.items() if v < 10}}
_EN_TENS = {k: v for k, v in _EN.items() if v >= 20}
_ALL: dict[str, int] = {w: v for table in CARDINALS.values() for w, v in table.items()}


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_WORD = rf"(?:(?:{_alt(_EN_TENS)})-(?:{_alt(_EN_DIGIT)})|{_alt(_ALL)}|{_alt(HUNDREDS)}|(?:a|one)\s+hundred)"
# A cardinal is a run of number words ("two hundred and fifty", "двести пятьдесят",
# "deux cent"), read by parse_word_number.
_CARDINAL = rf"{_WORD}(?:\s+(?:and\s+)?{_WORD})*"
_ONE_IN_N = r"one\s+in\s+(?:" + _alt({**CARDINALS["en"]}) + r"|\d+)"
# "per cent" and "pour cent" are percent signs, not a hundred.
WORD_NUMBER_RE = rf"(?<!per\s)(?<!pour\s)(?:{_ONE_IN_N}|{_alt({**_SHARES, **_EVERY_NTH})}|{_CARDINAL}|{_alt(LONE_MAGNITUDES)})(?![\w-])"
ONE_WORD_RE = rf"(?:{_alt(ONE_BEFORE_MAGNITUDE | set(FRACTIONAL))})"
"""The words for one and one and a half; numbers.py reads them only before a magnitude."""


# Common words that are part of a number only beside another word: "eine halbe Million",
# "every second"; "every"/"jeder" bring them back.
_AMBIGUOUS = ("eine", "einer", "une", "second", "zweite")
_EVERY = frozenset({"every", "jeder", "jede", "jedes"})

# Words that every word number contains at least one of; "a", "one", "in", "and" and
# "every" are left out because nearly every sentence has them. A sentence without any of
# these (or a magnitude word, for "a million") cannot hold a word number, which spares the
# big pattern on most sentences.
TRIGGER_WORDS = frozenset(
    t
    for phrase in [*_ALL, *HUNDREDS, *FRACTIONAL, *_SHARES, *_EVERY_NTH, *LONE_MAGNITUDES]
    for t in phrase.replace("-", " ").split()
    if t not in ("a", "one", "in", "and", "каждый", "every", "jeder", "la", "die", "un", "ein", *_AMBIGUOUS)
    and t not in ("co", "o", "en", "um", "due", "dos", "dois", "jedna", "každý", "кожен")
)


STARTERS = frozenset(
    re.split(r"[\s-]", phrase)[0]
    for phrase in [
        *_ALL,
        *HUNDREDS,
        *FRACTIONAL,
        *ONE_BEFORE_MAGNITUDE,
        *_SHARES,
        *_EVERY_NTH,
        *LONE_MAGNITUDES,
        "one",
        "a",
    ]
)
"""The first word of every word number: the word-number pattern is tried only where one stands."""

_ONE_TOKENS = frozenset(t for w in ONE_BEFORE_MAGNITUDE | FRACTIONAL.keys() for t in w.split()[-1:])


def may_hold_word_number(text: str, magnitude_words: frozenset[str] = frozenset()) -> bool:
    words = re.findall(r"\w+", text.lower().replace("-", " "))
    if not TRIGGER_WORDS.isdisjoint(words):
        return True
    if not _EVERY.isdisjoint(words) and not frozenset(_AMBIGUOUS).isdisjoint(words):
        return True
    # A magnitude counts only right after a word for one ("a million", "eine halbe Million").
    if magnitude_words.isdisjoint(words):
        return False
    return any(w in magnitude_words and words[i - 1] in _ONE_TOKENS for i, w in enumerate(words) if i)


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
        d = float(n) if n.isdigit() else _EN.get(n)
        return 100.0 / d if d else None
    if w in FRACTIONAL:
        return FRACTIONAL[w]
    if w in LONE_MAGNITUDES:
        return LONE_MAGNITUDES[w]
    if w in ONE_BEFORE_MAGNITUDE:
        return 1.0
    total = 0.0
    for part in w.replace(" and ", " ").split():
        if part in ("a", "one"):
            total += 1
        elif part in HUNDREDS:
            total = max(total, 1.0) * 100  # a float: 'hundred' repeated overflows to inf, not an error
        elif "-" in part:
            tens, unit = part.split("-", 1)
            total += _EN_TENS.get(tens, 0) + _EN_DIGIT.get(unit, 0)
        elif part in _ALL:
            total += _ALL[part]
        else:
            return None
    return total or None
