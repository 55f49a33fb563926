"""Sentence segmentation that keeps offsets into the article text.

Paragraphs are lines (trafilatura puts one paragraph per line); a headline or caption
without final punctuation is a sentence of its own. Inside a paragraph a sentence ends
at . ! ? or … followed by space and an upper-case letter, digit or opening quote (or glued
to a capitalised word after a lower-case one, where scraping lost the space), except after
an abbreviation, an initial or a decimal point. A sentence over MAX_SENTENCE characters
is cut into pieces, and a paragraph of over MAX_PARAGRAPH sentences is read as several, so
that no hostile page makes the extractors' work grow faster than
its length.
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.figures import Sentence

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no vs etc e.g i.e a.m p.m u.s u.k u.n jan feb mar apr jun jul aug
    sep sept oct nov dec gen col lt sen rep gov inc ltd co corp dept est approx fig al
    т.е т.к т.д т.п тыс млн млрд руб г гг им ул н.э др проф акад
    bzw z.b ca usw mio mrd tsd ok""".split()
)
MAX_SENTENCE = 1000
"""Characters: a longer run without a sentence end is read in pieces of at most this length
(the longest sentence in the labelled and real articles is about 500)."""
MAX_PARAGRAPH = 40
"""Sentences: a longer paragraph is read as several (real ones have up to 12)."""
# What may open a sentence: a capital of the Latin and Cyrillic alphabets covered ("Č", "Ł",
# "Ő", "І"), a digit, or any letter of a script without capitals (Hebrew, Arabic, Georgian).
_OPENER = (
    "A-ZА-ЯЁ0-9ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝĄĆČĎĘĚŁŃŇŐŒŘŚŞŠŢŤŮŰŹŻŽȘȚĀĒĪŪĢĶĻŅĖĮŲİІЇЄҐ"
    "\u05d0-\u05ea\u0621-\u064a\u10d0-\u10fa"
)
_BOUNDARY = re.compile(
    rf"(?<=[.!?…])(?:[\"'”’»)\]]*\s+(?=[\"'“‘«„(\[]*[{_OPENER}])"
    # Scraped text sometimes loses the space: "...sagte er.Ursache sei..."
    r"|(?<=[a-zäöüßéèàа-яё]{3}[.!?])(?=[A-ZÄÖÜА-ЯЁ][a-zäöüßéèàа-яё]))"
)


def _ends_with_abbreviation(chunk: str) -> bool:
    # The last word, found from the end: a search for it from the start is quadratic on a
    # paragraph of "Mr. A Mr. A ...", where every stop is an abbreviation.
    words = chunk[-64:].rsplit(None, 1)
    if not words or not chunk[-64:].strip():
        return False
    word = words[-1].rstrip(".").lstrip("\"'“‘«([").lower()
    if word in ABBREVIATIONS:
        return True
    # Initials such as "J." or "A.B." are not sentence ends.
    return bool(re.fullmatch(r"(?:[a-zа-яё]\.)*[a-zа-яё]", word)) and len(word.replace(".", "")) <= 2


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = 0
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        first = len(sentences)
        start = 0
        for m in _BOUNDARY.finditer(line):
            if _ends_with_abbreviation(line[start : m.start()].rstrip("\"'”’»)]")):
                continue
            _add(sentences, line, line_start, start, m.start(), paragraph)
            start = m.end()
        _add(sentences, line, line_start, start, len(line), paragraph)
        if len(sentences) - first > MAX_PARAGRAPH:
            # Attribution compares the sentences of a paragraph with each other.
            for i in range(first + MAX_PARAGRAPH, len(sentences)):
                part = (i - first) // MAX_PARAGRAPH
                sentences[i] = replace(sentences[i], paragraph=paragraph + part)
            paragraph += (len(sentences) - first - 1) // MAX_PARAGRAPH
    return sentences


def _add(out: list[Sentence], line: str, line_start: int, a: int, b: int, paragraph: int) -> None:
    chunk = line[a:b]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    s = line_start + a + lead
    while len(chunk) > MAX_SENTENCE:
        # No sentence of prose is this long; a page of unpunctuated names or digits is, and
        # everything after splitting looks at a sentence at a time, some of it more than
        # linearly. Cut at the last space before the limit.
        cut = chunk.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE + 1)
        cut = cut if cut > 0 else MAX_SENTENCE
        out.append(Sentence(chunk[:cut].rstrip(), s, s + len(chunk[:cut].rstrip()), paragraph))
        rest = chunk[cut:]
        s += cut + len(rest) - len(rest.lstrip())
        chunk = rest.lstrip()
    if chunk:
        out.append(Sentence(chunk, s, s + len(chunk), paragraph))
