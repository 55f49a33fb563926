"""Number grammar: find numbers in a sentence and normalise them, with no notion of meaning.

A `Mention` carries the value in base units (people as a count, percent as 0-100, money in
units of its currency), the interval the text states and the qualifier (hedge or bound).
Numbers that are not quantities (years, dates, ages, times, distances, model numbers,
page counters, URLs) come back as `Rejected` with the reason, so nothing is silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.figures import Mention, Qualifier, Rejected, RejectReason, plausible

from .words import (
    ONE_WORD_RE,
    STARTERS,
    WORD_NUMBER_RE,
    is_share,
    may_hold_word_number,
    parse_word_number,
)

_SP = "[ \u00a0\u202f\u2009]"  # ordinary, non-breaking, narrow and thin spaces
DIGITS = (
    rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"  # 100,000 / 1,300,000.5
    rf"|\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?![.,]?\d)"  # 100.000 / 1.300.000,5
    rf"|\d{{1,3}}(?:{_SP}\d{{3}})+(?:,\d+)?(?!\d)"  # 100 000 / 1 300 000
    rf"|\d{{1,3}}(?:['’]\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 70'000 (Swiss)
    rf"|\d+(?:[.,]\d+)?"  # 1500 / 1.3 / 1,3
)

MAGNITUDES: dict[str, float] = {
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "tsd": 1e3,
    "тыс": 1e3,
    "тысяча": 1e3,
    "тысячи": 1e3,
    "тысяч": 1e3,
    "тис": 1e3,
    "tys": 1e3,
    "mille": 1e3,
    "milliers": 1e3,
    "tausend": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "mio": 1e6,
    "млн": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "millionen": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "mrd": 1e9,
    "млрд": 1e9,
    "миллиард": 1e9,
    "миллиарда": 1e9,
    "миллиардов": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "milliarden": 1e9,
    # Italian, Spanish, Romanian, Estonian: "100 mila", "70 mil", "50 de mii", "100 tuhat".
    "mila": 1e3,
    "mil": 1e3,
    "mii": 1e3,
    "de mii": 1e3,
    "tuhat": 1e3,
    "tuhande": 1e3,
    "milioni": 1e6,
    "milione": 1e6,  # "un milione": the singular, for the word for one before it
    "miliardo": 1e9,
    "millones": 1e6,
    "millón": 1e6,
    "milioane": 1e6,
    "de milioane": 1e6,
    "miljon": 1e6,
    "miljonit": 1e6,
    "miliardi": 1e9,
    "mil millones": 1e9,
    # Slovak, Czech, Hungarian: "100 tisíc", "70 tis.", "100 ezer", "1,2 millió".
    "tisíc": 1e3,
    "tis": 1e3,
    "ezer": 1e3,
    "millió": 1e6,
    "milliárd": 1e9,
    # Norwegian, Danish, Swedish: "100 tusen", "1,2 millioner", "3 miljoner".
    "tusen": 1e3,
    "tusind": 1e3,
    "millioner": 1e6,
    "miljoner": 1e6,
    "milliarder": 1e9,
    "miljarder": 1e9,
    # Portuguese: "100 mil", "1 milhão", "2 milhões".
    "milhão": 1e6,
    "milhao": 1e6,
    "milhões": 1e6,
    "bilhão": 1e9,
    "bilhões": 1e9,
    # Bulgarian, Turkish, Hebrew, Arabic: "50 хиляди", "100 bin", "100 אלף", "100 ألف".
    "хиляди": 1e3,
    "хиляда": 1e3,
    "хил": 1e3,
    "bin": 1e3,
    "binden": 1e3,
    "bini": 1e3,
    "אלף": 1e3,
    "אלפים": 1e3,
    "מיליון": 1e6,
    "מיליארד": 1e9,
    "ألف": 1e3,
    "الف": 1e3,
    "آلاف": 1e3,
    "مليون": 1e6,
    "ملايين": 1e6,
    "مليار": 1e9,
}
# Russian magnitudes take every case ("тысячах", "миллионом"): matched by stem.
_MAGNITUDE_STEMS = {
    "тысяч": 1e3,
    "миллион": 1e6,
    "миллиард": 1e9,
    "тисяч": 1e3,
    "мільйон": 1e6,
    "мільярд": 1e9,
    "tysi": 1e3,  # Polish tysiąc, tysięcy
    "milion": 1e6,
    "milión": 1e6,  # Slovak milión, miliónov
    "miliard": 1e9,
    # Serbian, Bosnian, Croatian ("50 hiljada", "tisuća", "milijuna"), Latvian and Lithuanian
    # ("100 tūkstoši", "tūkstančių", "miljoni", "milijonų").
    "hiljad": 1e3,
    "tisuć": 1e3,
    "milijun": 1e6,
    "milijon": 1e6,
    "tūkst": 1e3,
    "miljon": 1e6,
    "miljard": 1e9,
    "milijard": 1e9,
    "tisíc": 1e3,  # Czech and Slovak "tisíce", "tisícov"
    # Bulgarian ("1,2 милиона"), Turkish ("milyondan"), Georgian ("ათასი", "მილიონი").
    "милион": 1e6,
    "милиард": 1e9,
    "milyon": 1e6,
    "milyar": 1e9,
    "ათას": 1e3,
    "მილიონ": 1e6,
    "მილიარდ": 1e9,
}
_ABBREVIATED = ("тыс", "тис", "tys", "tis", "млн", "млрд", "tsd", "mio", "mrd", "mn", "bn", "mln", "хил")
_MAG_WORDS = [
    *(rf"{stem}\w*" for stem in _MAGNITUDE_STEMS),
    *sorted((k for k in MAGNITUDES if len(k) > 1 and k not in _ABBREVIATED), key=len, reverse=True),
]
MAGNITUDE_WORDS = frozenset(k for k in MAGNITUDES if len(k) > 2 and k not in _ABBREVIATED)


def magnitude_of(word: str) -> float:
    w = word.strip().rstrip(".").lower()
    if w in MAGNITUDES:
        return MAGNITUDES[w]
    return next((v for stem, v in _MAGNITUDE_STEMS.items() if w.startswith(stem)), 1.0)


# Single-letter magnitudes (100K, 1.3M, $7B) only when glued to the digits; only
# abbreviations take a full stop, so "billion." at a sentence end keeps its stop.
MAGNITUDE = (
    rf"(?:{_SP}?(?:(?:{'|'.join(_MAG_WORDS)})(?![\w])|(?:{'|'.join(_ABBREVIATED)})\.?(?![\w]))"
    rf"|(?<=\d)[KkMB](?![\w]))"
)
PERCENT = (
    r"(?:\s?%|\s?(?:percent|per\s+cent|pct|процент(?:а|ов)?|проц\.|відсот\w*|Prozent|pour\s+cent|pourcent"
    r"|procent\w*|proc\.|protsen\w*|per\s+cento|por\s+ciento|la\s+sut[ăa]"
    # Norwegian, Hungarian ("11 százaléka": its share), Portuguese, Serbian/Bosnian/Croatian.
    r"|prosent\w*|százalék\w*|por\s+cento|posto|odsto|procen(?:at|ata|ta)\b|percentá|percentách"
    # Hebrew, Arabic, Georgian.
    r"|אחוז(?:ים)?|٪|(?:بال|في\s+ال)(?:مئة|مائة)|პროცენტ\w*"
    r")(?!\w))"
)
# Turkish puts the percent before the number: "yüzde 10", "%10".
PERCENT_BEFORE = r"(?:[Yy]üzde\s|%(?=\d))"
CURRENCY_PREFIX = r"(?:US\$|\$|€|£|₽)"
CURRENCY_SUFFIX = (
    r"(?:\s?(?:dollars|euros?|pounds|rubles|roubles|руб(?:лей|ля)?\.?|долларов|евро|USD|EUR|RUB|GBP)(?!\w))"
)
_CURRENCY_CODES = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₽": "RUB",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pounds": "GBP",
    "rubles": "RUB",
    "roubles": "RUB",
    "руб": "RUB",
    "рублей": "RUB",
    "рубля": "RUB",
    "долларов": "USD",
    "евро": "EUR",
    "usd": "USD",
    "eur": "EUR",
    "rub": "RUB",
    "gbp": "GBP",
}


def _mention_pattern(number: str) -> re.Pattern[str]:
    # A hyphen may join a range ("50-70"), but not a name ("COVID-19", "Shahed-136").
    return re.compile(
        rf"(?<![\w.,/])(?<![^\W\d_\u0590-\u05ff]-)(?:(?P<pctpre>{PERCENT_BEFORE})?(?P<cur>{CURRENCY_PREFIX})?{_SP}?"
        rf"(?P<num>{number})(?P<mag>{MAGNITUDE})?"
        rf"(?P<pct>{PERCENT})?(?P<cursuf>{CURRENCY_SUFFIX})?)",
        re.IGNORECASE,
    )


# Two patterns: the word-number alternation is big, and only worth trying on sentences that
# hold one of its words.
_DIGIT_MENTION_RE = _mention_pattern(DIGITS)
_TOKEN = re.compile(r"[^\W\d_]+")
# "1/3 of those who left": a small fraction is a share; "1500 / 1500" stays a counter.
_FRACTION_MENTION_RE = _mention_pattern(r"[1-9]/(?:10|[2-9])(?![\d/.,]\d)")
_FRACTION_HINT = re.compile(r"(?<![\d/])[1-9]/(?:10|[2-9])(?![\d/])")
# "a million", "eine Million", "полтора миллиона": the word for one only before a magnitude.
_MAG_AHEAD = rf"{_SP}(?:{'|'.join(_MAG_WORDS)})(?!\w)"
# "un à deux millions": also as the first number of a range whose second has a magnitude.
_ONE_GLUE = r"(?:\s*[-–]\s*|\s+(?:to|à|bis|до)\s+)"
_WORD_MENTION_RE = _mention_pattern(
    # The words for one first: "half a million" is not "half".
    rf"{ONE_WORD_RE}(?={_MAG_AHEAD}|{_ONE_GLUE}[^\W\d]+{_MAG_AHEAD})|{WORD_NUMBER_RE}"
)


def _mention_matches(text: str, start: int, end: int, sentence: str) -> list[re.Match[str]]:
    found = list(_DIGIT_MENTION_RE.finditer(text, start, end))
    more: list[re.Match[str]] = []
    if may_hold_word_number(sentence, MAGNITUDE_WORDS):
        # Tried only where a word that can open a word number stands: the pattern is big.
        word_end = -1
        for token in _TOKEN.finditer(text, start, end):
            # A word inside the last word number is not tried again: on a run of number
            # words that would read the rest of the run from every word.
            if token.start() >= word_end and token.group().lower() in STARTERS:
                found_word = _WORD_MENTION_RE.match(text, token.start(), end)
                if found_word:
                    more.append(found_word)
                    word_end = found_word.end()
    if "/" in sentence and _FRACTION_HINT.search(sentence):
        more += _FRACTION_MENTION_RE.finditer(text, start, end)
    if more:  # "one in 10" is one mention, not two: the earlier, longer match wins
        merged, last_end = [], -1
        for m in sorted(found + more, key=lambda m: (m.start(), -m.end())):
            if m.start() >= last_end:
                merged.append(m)
                last_end = m.end()
        found = merged
    return found


# One interval grammar for every language; the words are data. A dash always joins two
# numbers; "to"/"bis"/"à" join them alone or after "from"/"von"/"de"; "до" only after "от";
# "and"/"und"/"et"/"и" only after "between"/"zwischen"/"entre"/"между".
RANGE_DASHES = frozenset({"-", "–", "—", "--"})
# Per joining word, the words that may open the range before the first number: Spanish and
# Italian "de/da 150 a 300", Polish "od 150 do 300", Romanian "de la 150 la 300" (the word
# before the first number is then "la").
RANGE_TO = {
    "to": ("from",),
    "bis": ("von",),
    "à": ("de",),
    "a": ("de", "da"),
    "до": ("от",),
    "do": ("od",),
    "la": ("la",),
    "al": ("dal",),
    "kuni": ("",),
}
# Estonian "70 000 kuni 100 000" needs no opening word.
RANGE_TO_ALONE = frozenset({"to", "bis", "à", "kuni"})
RANGE_AND = {"and": "between", "und": "zwischen", "et": "entre", "и": "между", "i": "između"}
_RANGE_GLUE = re.compile(
    r"^(?:\s*(?:-|–|—|--)\s*|\s+(?:" + "|".join(sorted({*RANGE_TO, *RANGE_AND}, key=len, reverse=True)) + r")\s+)$",
    re.IGNORECASE,
)
_RANGE_LEAD = re.compile(
    r"(?:^|(?<=\W))(?P<w>"
    + "|".join({*(w for ws in RANGE_TO.values() for w in ws if w), *RANGE_AND.values()})
    + r")\s*$",
    re.IGNORECASE,
)
# "at least 500,000, possibly close to a million", "не менее 500 тысяч, а то и миллион",
# "10 000 voire 20 000": a lower number, then a larger one that may be true, state an interval.
_RANGE_MAYBE = re.compile(
    r"^(?:\s+[^\W\d_]+){0,3}(?:\s*,)?\s+(?:(?:and|or|а|и|und|oder)\s+)?(?:possibly|perhaps|maybe|probably|even|if\s+not|"
    r"возможно,?(?:\s+и)?|может\s+быть,?(?:\s+и)?|то\s+и|даже|möglicherweise|vielleicht(?:\s+sogar)?|sogar|voire|"
    r"peut-être)\s+(?:(?:close\s+to|as\s+many\s+as|as\s+high\s+as|up\s+to|nearly|almost|about|around|"
    r"около|почти|до|порядка|bis\s+zu|fast|knapp|jusqu['’]à|près\s+de|presque)\s+)?$",
    re.IGNORECASE,
)
# "rose from 50 to 70", "est passé de 10 à 20", "вырос с 50 до 70": a change, not an interval.
_CHANGE_BEFORE = re.compile(
    r"(?:rose|risen|grew|grown|fell|fallen|dropped|increased?|decreased?|climbed|jumped|raise|"
    r"passée?s?|augmenté|diminué|baissé|gestiegen|gesunken|stieg|sank|вырос\w*|сократил\w*|увеличил\w*|"
    r"снизил\w*|упал\w*)\s+(?:by\s+\S+\s+)?(?:—\s*)?(?:from|de|von)\s*$",
    re.IGNORECASE,
)

# Hedges and bounds read just before the number (lower case, longest first).
QUALIFIER_WORDS: tuple[tuple[str, Qualifier], ...] = (
    ("as many as", "at_most"),
    ("as high as", "at_most"),
    ("as much as", "at_most"),
    ("no more than", "at_most"),
    ("not more than", "at_most"),
    ("up to", "at_most"),
    ("less than", "at_most"),
    ("fewer than", "at_most"),
    ("under", "at_most"),
    ("не более", "at_most"),
    ("не больше", "at_most"),
    ("менее", "at_most"),
    ("до", "at_most"),
    ("bis zu", "at_most"),
    ("jusqu'à", "at_most"),
    ("jusqu’à", "at_most"),
    ("more than", "at_least"),
    ("at least", "at_least"),
    ("upwards of", "at_least"),
    ("in excess of", "at_least"),
    ("over", "at_least"),
    ("above", "at_least"),
    ("не менее", "at_least"),
    ("не меньше", "at_least"),
    ("более", "at_least"),
    ("больше", "at_least"),
    ("свыше", "at_least"),
    ("понад", "at_least"),
    ("mehr als", "at_least"),
    ("mindestens", "at_least"),
    ("höchstens", "at_most"),
    ("weniger als", "at_most"),
    ("ungefähr", "approx"),
    ("schätzungsweise", "approx"),
    ("zirka", "approx"),
    ("knapp", "approx"),
    ("moins de", "at_most"),
    ("quelque", "approx"),
    ("quelques", "approx"),
    ("ponad", "at_least"),
    ("około", "approx"),
    ("prawie", "approx"),
    ("близько", "approx"),
    ("майже", "approx"),
    ("über", "at_least"),
    ("plus de", "at_least"),
    ("au moins", "at_least"),
    ("an estimated", "approx"),
    ("approximately", "approx"),
    ("about", "approx"),
    ("around", "approx"),
    ("roughly", "approx"),
    ("nearly", "approx"),
    ("almost", "approx"),
    ("some", "approx"),
    ("circa", "approx"),
    ("ca.", "approx"),
    ("close to", "approx"),
    ("около", "approx"),
    ("порядка", "approx"),
    ("примерно", "approx"),
    ("почти", "approx"),
    ("приблизительно", "approx"),
    ("около", "approx"),
    ("etwa", "approx"),
    ("rund", "approx"),
    ("fast", "approx"),
    ("environ", "approx"),
    ("près de", "approx"),
    ("presque", "approx"),
    # Italian, Spanish, Polish, Romanian, Estonian.
    ("fino a", "at_most"),
    ("fino al", "at_most"),
    ("fino ai", "at_most"),
    ("più di", "at_least"),
    ("oltre", "at_least"),
    ("almeno", "at_least"),
    ("quasi", "approx"),
    ("hasta", "at_most"),
    ("más de", "at_least"),
    ("al menos", "at_least"),
    ("unos", "approx"),
    ("unas", "approx"),
    ("cerca de", "approx"),
    ("alrededor de", "approx"),
    ("casi", "approx"),
    ("co najmniej", "at_least"),
    ("blisko", "approx"),
    ("peste", "at_least"),
    ("cel puţin", "at_least"),
    ("cel puțin", "at_least"),
    ("până la", "at_most"),
    ("aproape", "approx"),
    ("aproximativ", "approx"),
    ("kuni", "at_most"),
    ("umbes", "approx"),
    ("ligi", "approx"),
    ("üle", "at_least"),
    ("vähemalt", "at_least"),
    # Hungarian, Slovak, Czech, Ukrainian.
    ("körülbelül", "approx"),
    ("mintegy", "approx"),
    ("közel", "approx"),
    ("több mint", "at_least"),
    ("legalább", "at_least"),
    ("akár", "at_most"),
    ("približne", "approx"),
    ("přibližně", "approx"),
    ("takmer", "approx"),
    ("téměř", "approx"),
    ("viac ako", "at_least"),
    ("vyše", "at_least"),
    ("více než", "at_least"),
    ("nejméně", "at_least"),
    ("najmenej", "at_least"),
    ("приблизно", "approx"),
    ("щонайменше", "at_least"),
    # Norwegian, Danish, Swedish.
    ("opptil", "at_most"),
    ("inntil", "at_most"),
    ("op til", "at_most"),
    ("upp till", "at_most"),
    ("uppemot", "at_most"),
    ("rundt", "approx"),
    ("runt", "approx"),
    ("omkring", "approx"),
    ("omtrent", "approx"),
    ("ungefär", "approx"),
    ("cirka", "approx"),
    ("nesten", "approx"),
    ("næsten", "approx"),
    ("nästan", "approx"),
    ("mer enn", "at_least"),
    ("mere end", "at_least"),
    ("mer än", "at_least"),
    ("fler än", "at_least"),
    ("drygt", "at_least"),
    ("minst", "at_least"),
    # Portuguese; Serbian, Bosnian, Croatian; Latvian; Lithuanian.
    ("mais de", "at_least"),
    ("quase", "approx"),
    ("pelo menos", "at_least"),
    ("até", "at_most"),
    ("em torno de", "approx"),
    ("por volta de", "approx"),
    ("aproximadamente", "approx"),
    ("skoro", "approx"),
    ("gotovo", "approx"),
    ("oko", "approx"),
    ("približno", "approx"),
    ("više od", "at_least"),
    ("preko", "at_least"),
    ("najmanje", "at_least"),
    ("aptuveni", "approx"),
    ("gandrīz", "approx"),
    ("vairāk nekā", "at_least"),
    ("vairāk kā", "at_least"),
    ("vismaz", "at_least"),
    ("līdz", "at_most"),
    ("apie", "approx"),
    ("beveik", "approx"),
    ("daugiau nei", "at_least"),
    ("daugiau kaip", "at_least"),
    ("mažiausiai", "at_least"),
    ("iki", "at_most"),
    # Czech and Slovak.
    ("zhruba", "approx"),
    ("kolem", "approx"),
    ("okolo", "approx"),
    ("asi", "approx"),
    ("cca", "approx"),
    ("cca.", "approx"),
    ("až", "at_most"),
    # German, French, Polish, Ukrainian.
    ("nahezu", "approx"),
    ("annähernd", "approx"),
    ("beinahe", "approx"),
    ("weit über", "at_least"),
    ("gut", "at_least"),
    ("plus d'", "at_least"),
    ("près d'", "approx"),
    ("pas moins de", "at_least"),
    ("quasiment", "approx"),
    ("autour de", "approx"),
    ("à peu près", "approx"),
    ("ok.", "approx"),
    ("niemal", "approx"),
    ("mniej więcej", "approx"),
    ("przeszło", "at_least"),
    ("powyżej", "at_least"),
    ("nawet", "at_most"),
    ("aż", "at_most"),
    ("більше ніж", "at_least"),
    ("більш ніж", "at_least"),
    ("менше ніж", "at_most"),
    ("орієнтовно", "approx"),
    # Bulgarian, Turkish, Hebrew, Arabic, Georgian.
    ("над", "at_least"),
    ("повече от", "at_least"),
    ("близо", "approx"),
    ("yaklaşık", "approx"),
    ("en az", "at_least"),
    ("neredeyse", "approx"),
    ("כ-", "approx"),
    ("כ־", "approx"),
    ("כמעט", "approx"),
    ("למעלה מ-", "at_least"),
    ("יותר מ-", "at_least"),
    ("לפחות", "at_least"),
    ("עד", "at_most"),
    ("نحو", "approx"),
    ("حوالي", "approx"),
    ("حوالى", "approx"),
    ("قرابة", "approx"),
    ("ما يقرب من", "approx"),
    ("أكثر من", "at_least"),
    ("ما لا يقل عن", "at_least"),
    ("حتى", "at_most"),
    ("დაახლოებით", "approx"),
    ("თითქმის", "approx"),
)
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=[\s(\"'«“]))(?P<q>"
    + "|".join(re.escape(w) for w, _ in sorted(QUALIFIER_WORDS, key=lambda p: -len(p[0])))
    + r")\s*$",
    re.IGNORECASE,
)
_QUALIFIER_OF = {w: q for w, q in QUALIFIER_WORDS}

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre)"
)
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTHS}\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th|-?й|-?го|-?е|-?я|er|e|ème)\b", re.IGNORECASE)
_AGE_AFTER = re.compile(
    r"^(?:-|\s)?(?:years?-old|year-old|years?\s+old|-летн\w*|\s?лет\b(?=\s+от\s+роду))",
    re.IGNORECASE,
)
_DECADE_AFTER = re.compile(r"^s\b")  # late-20s, the 1990s
_TIME_AFTER = re.compile(r"^(?:\s?(?:a\.m\.|p\.m\.|am\b|pm\b|h\b|ч\.)|:\d\d)", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    r"^\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|"
    r"секунд\w*|минут\w*|час\w*|дн\w*|день|недел\w*|месяц\w*|лет\b|года?\b|годы|"
    r"Jahren?|Monaten?|Tagen?|ans\b|mois\b|jours\b)(?!\w)",
    re.IGNORECASE,
)
_DISTANCE_AFTER = re.compile(
    r"^\s*(?:of\s+)?(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|feet|ft|yards?|"
    r"километр\w*|км\b|метр\w*|Kilometer\w*)(?!\w)",
    re.IGNORECASE,
)
_RATIO_AFTER = re.compile(r"^\s*(?:times|fold|раз[а]?\b|mal\b|fois\b)", re.IGNORECASE)
_COUNTER_AFTER = re.compile(
    r"^\s*(?:/\s*\d+|comments?\b|comment\(s\)|views?\b|shares?\b|likes?\b|replies\b|"
    r"reposts?\b|просмотр\w*|комментари\w*)",
    re.IGNORECASE,
)
_YEAR_PHRASE_AFTER = re.compile(r"^\s*(?:г\.|гг\.|год\w*|году)", re.IGNORECASE)
# Addresses start at a token's start, with bounded runs before "@" and ".com/": an unbounded
# \S+ there backtracks over the rest of a long token from each of its characters, quadratic
# on "1.1.1.1..." (issue 15). The leftmost match started at the token's start anyway.
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]{1,64}@[^\s@]{1,253}\.\w+|(?<!\S)[^\s/]{1,253}\.(?:com|ru|org|net|io)/\S*",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"\+\d[\d ()\-]{7,}\d|\(\d{3}\)\s?\d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b")
_DATE_RE = re.compile(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b")
_HALF_PERIOD = re.compile(
    r"(?:\b(?:first|second|1st|2nd|latter|former)\s+half|(?:перв|втор)\w+\s+половин\w*)$", re.IGNORECASE
)
_HALF_DURATION = re.compile(r"^\s+(?:an?\s+)?(?:hour|day|week|month|year|century|decade)\b", re.IGNORECASE)
# URLs, phone numbers and numeric dates, in one scan; the group name is the reject reason.
_BLOCKED_RE = re.compile(
    f"(?P<url>{_URL_RE.pattern})|(?P<phone>{_PHONE_RE.pattern})|(?P<date>{_DATE_RE.pattern})", re.IGNORECASE
)
_MAY_BLOCK = re.compile(r"\d[-./]\d|://|www\.|@|\+\s?\d|\(\d")
_DIGIT = re.compile(r"\d")
_BEFORE_RE = re.compile(
    r"(?:(?P<vague>\b(?:tens|hundreds|dozens|десятки|сотни|Zehntausende)\s+of|\b(?:десятки|сотни))"
    r"|(?P<age>\b(?:aged|age of|ages of|в возрасте|im Alter von|âgé de))"
    rf"|(?P<month>\b{_MONTHS}\.?)"
    r"|(?P<slash>\d\s*/))\s*$",
    re.IGNORECASE,
)
_TOKEN_CHARS = re.compile(r"[\w\-/.]")
TOKEN_REACH = 40


@dataclass(frozen=True, slots=True)
class _Single:
    text: str
    start: int
    end: int
    value: float | None
    percent: bool
    currency: str | None
    magnitude: float


def parse_digits(raw: str, has_magnitude: bool) -> float:
    """Read `raw` (digits with any separator convention) as a float.

    A single separator followed by exactly three digits is a thousands separator unless a
    magnitude word follows ("1,300" is 1300, "1,3 млн" is 1.3 million).
    """
    s = re.sub(f"{_SP}|['’]", "", raw)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        s = s.replace(thousands, "").replace(decimal, ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        head, _, tail = s.rpartition(sep)
        if s.count(sep) > 1 or (len(tail) == 3 and not has_magnitude):
            s = s.replace(sep, "")
        else:
            s = head.replace(sep, "") + "." + tail
    return float(s)


def _single(m: re.Match[str]) -> _Single:
    mag_text = (m.group("mag") or "").strip().rstrip(".").lower()
    magnitude = magnitude_of(mag_text) if mag_text else 1.0
    num = m.group("num")
    fraction = "/" in num
    if fraction:
        over, under = num.split("/")
        base: float | None = 100 * int(over) / int(under) if int(over) < int(under) else None
    elif num[0].isdigit():
        base = parse_digits(num, bool(mag_text))
    else:
        base = parse_word_number(num)
    share = fraction or (not num[0].isdigit() and is_share(num))
    cur = m.group("cur") or (m.group("cursuf") or "").strip().rstrip(".")
    currency = _CURRENCY_CODES.get(cur.lower()) if cur else None
    value = None if base is None else base * magnitude
    lead = len(m.group(0)) - len(m.group(0).lstrip())
    return _Single(
        m.group(0).strip(),
        m.start() + lead,
        m.end(),
        value,
        bool(m.group("pct") or m.group("pctpre")) or share,
        currency,
        magnitude,
    )


def _reject_reason(text: str, s: _Single, raw_num: str) -> RejectReason | None:
    before, after = text[max(0, s.start - 40) : s.start], text[s.end : s.end + 40]
    # The token around the number, at most TOKEN_REACH characters each way: walking a long
    # "1-1-1-..." to its ends for every number in it would be quadratic.
    whole_token_start, floor = s.start, max(0, s.start - TOKEN_REACH)
    while whole_token_start > floor and _TOKEN_CHARS.match(text[whole_token_start - 1]):
        whole_token_start -= 1
    token_end, ceiling = s.end, min(len(text), s.end + TOKEN_REACH)
    while token_end < ceiling and _TOKEN_CHARS.match(text[token_end]) and text[token_end] not in ".,":
        token_end += 1
    token = text[whole_token_start:token_end]
    plain_integer = raw_num.isdigit()
    lead = _BEFORE_RE.search(before)  # one end-anchored scan for every "what comes before" test
    lead_kind = lead.lastgroup if lead else None
    if lead_kind == "vague":
        return "vague"
    if raw_num.lower().endswith(("half", "половины")) and (
        _HALF_PERIOD.search(before + raw_num) or _HALF_DURATION.match(after)
    ):
        return "date"  # "the first half of 2022", "half an hour"
    if _AGE_AFTER.match(after) or lead_kind == "age" or (plain_integer and _DECADE_AFTER.match(after)):
        return "age"
    if re.search(r"[A-Za-zА-Яа-я]", token) and not s.percent and s.magnitude == 1.0 and not s.currency:
        # 9M544, COVID-19, Shahed-136, mid-2022: digits glued to letters are names, not amounts.
        if re.fullmatch(r"(?:mid|early|late)-\d{4}", token, re.IGNORECASE):
            return "year"
        if raw_num[0].isdigit():
            return "model_number"
    if _TIME_AFTER.match(after):
        return "time"
    if not s.percent and not s.currency:
        if lead_kind == "month" and plain_integer and int(raw_num) <= 31:
            return "date"
        if lead_kind == "month" and plain_integer and len(raw_num) == 4:
            return "year"
        if _DATE_AFTER.match(after) and plain_integer and int(raw_num) <= 31:
            return "date"
        if _ORDINAL_AFTER.match(after):
            return "ordinal"
        if _DURATION_AFTER.match(after) and s.magnitude == 1.0:
            return "duration"
        if _DISTANCE_AFTER.match(after):
            return "distance"
        if _RATIO_AFTER.match(after):
            return "ratio"
        if _COUNTER_AFTER.match(after) or lead_kind == "slash":
            return "counter"
        if plain_integer and len(raw_num) == 4 and 1900 <= int(raw_num) <= 2100 and s.magnitude == 1.0:
            return "year"
        if _YEAR_PHRASE_AFTER.match(after) and plain_integer:
            return "year"
        if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", token):
            return "date"
    return None


MAX_NUMBERS = 20
"""Numbers in one sentence above which it is a list, not prose (real articles have up to 7)."""


def find_mentions(text: str, start: int = 0, end: int | None = None) -> tuple[list[Mention], list[Rejected]]:
    """Numbers in text[start:end], as mentions (with intervals) and rejections (with reasons)."""
    end = len(text) if end is None else end
    sentence = text[start:end]
    if not _DIGIT.search(sentence) and not may_hold_word_number(sentence, MAGNITUDE_WORDS):  # most sentences
        return [], []
    blocked = (
        [(m.start() + start, m.end() + start, m.lastgroup) for m in _BLOCKED_RE.finditer(sentence)]
        if _MAY_BLOCK.search(sentence)
        else []
    )
    singles: list[_Single] = []
    rejected: list[Rejected] = []
    matches = _mention_matches(text, start, end, sentence)
    if len(matches) > MAX_NUMBERS:
        # A list or table of numbers, not a statement. Reading each number and then its
        # clause would make "1 1 1 ..." cost far more than its length (issue 15).
        return [], [
            Rejected(m.group(0).strip(), m.end() - len(m.group(0).lstrip()), m.end(), "number_list", sentence)
            for m in matches
        ]
    for m in matches:
        if not m.group("num").strip():
            continue
        s = _single(m)
        if s.value is None:
            continue
        inside = next((b for b in blocked if b[0] <= s.start < b[1]), None)
        reason: RejectReason | None
        if not plausible("", s.value):
            # 330 nines read as infinity: no unit can hold it, so it is not even classified.
            reason = "implausible"
        elif inside is not None:
            reason = inside[2]  # type: ignore[assignment]
        else:
            reason = _reject_reason(text, s, m.group("num"))
        if reason:
            rejected.append(Rejected(s.text, s.start, s.end, reason, sentence))
        else:
            singles.append(s)
    return _combine(text, singles), rejected


def _qualifier_before(text: str, pos: int) -> tuple[Qualifier, int] | None:
    m = _QUALIFIER_RE.search(text[max(0, pos - 30) : pos])
    if not m:
        return None
    word = m.group("q").lower()
    # "до" and "over"/"under" are prepositions far more often than bounds; trust them only
    # right before a number (already guaranteed by the regex anchoring at `pos`).
    return _QUALIFIER_OF[word], pos - (len(text[max(0, pos - 30) : pos]) - m.start("q"))


def _range(text: str, a: _Single, b: _Single) -> Mention | None:
    """The interval two neighbouring numbers state ("50,000-70,000", "от 50 до 70 тысяч",
    "fünf bis zehn Prozent", "between 5 and 10%"), or None when they are two numbers."""
    glue_m = _RANGE_GLUE.match(text[a.end : b.start])
    maybe = glue_m is None and bool(_RANGE_MAYBE.match(text[a.end : b.start]))
    if not (glue_m or maybe) or a.value is None or b.value is None:
        return None
    # "5 to 10%": the number without a unit takes the other's.
    if a.percent != b.percent and (a.percent or a.currency):
        return None
    if a.currency and b.currency and a.currency != b.currency:
        return None
    glue = text[a.end : b.start].strip().lower()
    before = text[max(0, a.start - 60) : a.start]
    lead = _RANGE_LEAD.search(before[-14:])
    lead_word = lead.group("w").lower() if lead else None
    if glue in RANGE_DASHES or maybe:
        pass
    elif glue in RANGE_TO:
        if lead_word not in RANGE_TO[glue] and not (glue in RANGE_TO_ALONE and lead_word is None):
            return None
    elif RANGE_AND.get(glue) != lead_word:
        return None
    if _CHANGE_BEFORE.search(before):
        return None
    high = b.value
    # "50-70 thousand": the first number takes the second's magnitude, unless that makes it
    # larger than the second ("70,000-100,000 thousand" is a slip for 70,000 to 100,000).
    low = a.value
    if a.magnitude == 1.0 and b.magnitude != 1.0 and a.value * b.magnitude <= high:
        low = a.value * b.magnitude
    elif (
        glue in RANGE_DASHES
        and a.magnitude == b.magnitude == 1.0
        and a.value < 1000
        and high / 10 <= a.value * 1000 <= high
    ):
        low = a.value * 1000  # "70-100.000": the thousands are written once, on the second number
    if not low < high:
        return None
    start = a.start - (len(before[-14:]) - lead.start()) if lead else a.start
    return Mention(
        text[start : b.end], start, b.end, (low + high) / 2, low, high, "range", b.percent, a.currency or b.currency
    )


def _combine(text: str, singles: list[_Single]) -> list[Mention]:
    """Join ranges ("50,000-70,000", "between 50 and 70 thousand") and attach qualifiers."""
    out: list[Mention] = []
    i = 0
    while i < len(singles):
        a = singles[i]
        b = singles[i + 1] if i + 1 < len(singles) else None
        joined = _range(text, a, b) if b is not None else None
        if joined is not None:
            out.append(joined)
            i += 2
            continue
        q = _qualifier_before(text, a.start)
        qualifier: Qualifier = q[0] if q else "exact"
        start = q[1] if q else a.start
        v = a.value
        lo: float | None = None if qualifier == "at_most" else v
        hi: float | None = None if qualifier == "at_least" else v
        out.append(Mention(text[start : a.end], start, a.end, v, lo, hi, qualifier, a.percent, a.currency))
        i += 1
    return out
