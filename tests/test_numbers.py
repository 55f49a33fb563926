"""Number grammar on its own: values, intervals, qualifiers and rejection reasons."""

from __future__ import annotations

import pytest

from extractors.numbers import find_mentions, parse_digits
from extractors.sentences import split_sentences


@pytest.mark.parametrize(
    "raw, magnitude, value",
    [
        ("100,000", False, 100000),
        ("100.000", False, 100000),
        ("100 000", False, 100000),
        ("100\u202f000", False, 100000),
        ("1.3", True, 1.3),
        ("1,3", True, 1.3),
        ("1,300", False, 1300),
        ("1,300,000.5", False, 1300000.5),
        ("1.300.000,5", False, 1300000.5),
        ("12,5", False, 12.5),
    ],
)
def test_parse_digits(raw, magnitude, value):
    assert parse_digits(raw, magnitude) == value


@pytest.mark.parametrize(
    "text, value, low, high, qualifier, percent",
    [
        ("about 1.3 million", 1.3e6, 1.3e6, 1.3e6, "approx", False),
        ("up to 170,000", 170000, None, 170000, "at_most", False),
        ("more than 100,000", 100000, 100000, None, "at_least", False),
        ("between 50,000 and 70,000", 60000, 50000, 70000, "range", False),
        ("50,000–70,000", 60000, 50000, 70000, "range", False),
        ("от 50 до 70 тыс.", 60000, 50000, 70000, "range", False),
        ("около 100 тыс.", 100000, 100000, 100000, "approx", False),
        ("свыше 1,5 млн", 1.5e6, 1.5e6, None, "at_least", False),
        ("10 per cent", 10, 10, 10, "exact", True),
        ("15 процентов", 15, 15, 15, "exact", True),
        ("etwa 10 Prozent", 10, 10, 10, "approx", True),
        ("100K", 100000, 100000, 100000, "exact", False),
        ("twenty-five percent", 25, 25, 25, "exact", True),
        ("a hundred thousand", 100000, 100000, 100000, "exact", False),
        ("two-thirds", 200 / 3, 200 / 3, 200 / 3, "exact", True),
        ("каждый десятый", 10, 10, 10, "exact", True),
    ],
)
def test_mentions(text, value, low, high, qualifier, percent):
    mentions, rejected = find_mentions(text)
    assert len(mentions) == 1 and not rejected, (mentions, rejected)
    m = mentions[0]
    assert (m.qualifier, m.percent) == (qualifier, percent)
    assert m.value == pytest.approx(value)
    assert m.low == (None if low is None else pytest.approx(low))
    assert m.high == (None if high is None else pytest.approx(high))


def test_money_has_a_currency():
    (m,), _ = find_mentions("to less than $7 billion")
    assert (m.value, m.currency, m.qualifier) == (7e9, "USD", "at_most")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("in 2022", "year"),
        ("on May 17", "date"),
        ("February 24 invasion", "date"),
        ("a 31-year-old", "age"),
        ("at 8 a.m.", "time"),
        ("ten months later", "duration"),
        ("2,000 miles", "distance"),
        ("the 9M544 missile", "model_number"),
        ("5 Comment(s)", "counter"),
        ("1500 / 1500", "counter"),
        ("by 1.5 times", "ratio"),
        ("tens of thousands of", None),
        ("on 2025-10-14", "date"),
        ("call +7 495 123-45-67", "phone"),
        ("see https://x.org/story?id=100000", "url"),
    ],
)
def test_rejections(text, reason):
    mentions, rejected = find_mentions(text)
    assert not mentions
    if reason:
        assert reason in {r.reason for r in rejected}


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = (
        'Mr. Ivanov left at 8 a.m. on Monday. "It is over," he said.\nHeadline without a stop\nU.S. officials agreed.'
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Ivanov left at 8 a.m. on Monday.",
        '"It is over," he said.',
        "Headline without a stop",
        "U.S. officials agreed.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [1, 1, 2, 3]
