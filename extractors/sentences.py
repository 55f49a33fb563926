"""Sentence segmentation that keeps offsets into the article text.

Paragraphs are lines (trafilatura puts one paragraph per line); a headline or caption
without final punctuation is a sentence of its own. Inside a paragraph a sentence ends
at . ! ? or … followed by space and an upper-case letter, digit or opening quote (or glued
to a capitalised word after a lower-case one, where scraping lost the space), except after
an abbreviation, an initial or a decimal point.
"""

from __future__ import annotations

import re

from core.figures import Sentence

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no vs etc e.g i.e a.m p.m u.s u.k u.n jan feb mar apr jun jul aug
    sep sept oct nov dec gen col lt sen rep gov inc ltd co corp dept est approx fig al
    т.е т.к т.д т.п тыс млн млрд руб г гг им ул н.э др проф акад
    bzw z.b ca usw mio mrd tsd""".split()
)
_BOUNDARY = re.compile(
    r"(?<=[.!?…])(?:[\"'”’»)\]]*\s+(?=[\"'“‘«„(\[]*[A-ZА-ЯЁ0-9])"
    # Scraped text sometimes loses the space: "...sagte er.Ursache sei..."
    r"|(?<=[a-zäöüßéèàа-яё]{3}[.!?])(?=[A-ZÄÖÜА-ЯЁ][a-zäöüßéèàа-яё]))"
)


def _ends_with_abbreviation(chunk: str) -> bool:
    m = re.search(r"(\S+)\s*$", chunk)
    if not m:
        return False
    word = m.group(1).rstrip(".").lstrip("\"'“‘«([").lower()
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
        start = 0
        for m in _BOUNDARY.finditer(line):
            if _ends_with_abbreviation(line[start : m.start()].rstrip("\"'”’»)]")):
                continue
            _add(sentences, line, line_start, start, m.start(), paragraph)
            start = m.end()
        _add(sentences, line, line_start, start, len(line), paragraph)
    return sentences


def _add(out: list[Sentence], line: str, line_start: int, a: int, b: int, paragraph: int) -> None:
    chunk = line[a:b]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        s = line_start + a + lead
        out.append(Sentence(chunk, s, s + len(chunk), paragraph))
