"""Property tests: no input crashes the extractors, and every figure is well formed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import METRICS, QUALIFIERS, UNITS
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures

from .conftest import TOPIC

CUES = Cues.from_mapping(load_topic(TOPIC).cue_words)
WORDS = st.sampled_from(
    "about around up to more than at least between and from to IT specialists programmers people Russians "
    "left fled returned shortage deficit workforce could percent % per cent thousand million K M тыс. млн "
    "около более до уехали вернулись дефицит айтишников человек Russia России of them из них said according "
    'Maksut Shadayev he said , . ; — - -- ( ) " « » 2022 May 17 31-year-old $ € 9M544 / \n'.split(" ")
)
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
)
SENTENCES = st.lists(st.one_of(WORDS, NUMBERS), max_size=40).map(" ".join)


def _well_formed(text: str) -> None:
    ex = extract_figures(text, CUES)
    for f in ex.figures:
        assert f.metric in METRICS and f.unit in UNITS and f.qualifier in QUALIFIERS
        if f.value is not None:
            if f.low is not None:
                assert f.low <= f.value
            if f.high is not None:
                assert f.value <= f.high
        assert text[f.sentence_start : f.sentence_end] == f.sentence
        assert f.sentence_start <= f.number_start < f.number_end <= f.sentence_end
        assert text[f.number_start : f.number_end] == f.number_text
        assert (f.currency is not None) == (f.unit == "money")
    for r in ex.rejected:
        assert text[r.start : r.end] == r.text


@settings(max_examples=300, deadline=None)
@given(SENTENCES)
def test_topic_shaped_text(text):
    _well_formed(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    _well_formed(text)
