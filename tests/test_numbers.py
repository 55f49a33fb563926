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
        # One interval grammar for every language: two numbers are one range figure.
        ("70,000 to 80,000", 75000, 70000, 80000, "range", False),
        ("30.000 bis 40.000", 35000, 30000, 40000, "range", False),
        ("200.000 bis 1 Million", 600000, 200000, 1e6, "range", False),
        ("fünf bis zehn Prozent", 7.5, 5, 10, "range", True),
        ("zwischen 5 und 10 Prozent", 7.5, 5, 10, "range", True),
        ("un à deux millions", 1.5e6, 1e6, 2e6, "range", False),
        ("entre 20 000 et 30 000", 25000, 20000, 30000, "range", False),
        ("7-8 тысяч", 7500, 7000, 8000, "range", False),
        ("от 3 до 4 тысяч", 3500, 3000, 4000, "range", False),
        ("между 10 и 20 тысячами", 15000, 10000, 20000, "range", False),
        ("10 to 15%", 12.5, 10, 15, "range", True),
        ("40,000-60,000 thousand", 50000, 40000, 60000, "range", False),  # a slip: not billions
        # Number words and separators of each language.
        ("70'000", 70000, 70000, 70000, "exact", False),
        ("1,7 Millionen", 1.7e6, 1.7e6, 1.7e6, "exact", False),
        ("eine Million", 1e6, 1e6, 1e6, "exact", False),
        ("zehn Prozent", 10, 10, 10, "exact", True),
        ("cent mille", 1e5, 1e5, 1e5, "exact", False),
        ("deux cent mille", 2e5, 2e5, 2e5, "exact", False),
        ("a million", 1e6, 1e6, 1e6, "exact", False),
        ("четырех тысяч", 4000, 4000, 4000, "exact", False),
        ("двести пятьдесят тысяч", 250000, 250000, 250000, "exact", False),
        ("полтора миллиона", 1.5e6, 1.5e6, 1.5e6, "exact", False),
        ("пяти тысячах", 5000, 5000, 5000, "exact", False),
        ("every fifth", 20, 20, 20, "exact", True),
        # Italian, Spanish, Polish, Romanian, Estonian: magnitudes, percent words, hedges, ranges.
        ("circa 45 mila", 45000, 45000, 45000, "approx", False),
        ("fino al 12 per cento", 12, None, 12, "at_most", True),
        ("unos 35 mil", 35000, 35000, 35000, "approx", False),
        ("de 40 a 60 mil", 50000, 40000, 60000, "range", False),
        ("od 200 do 400 tysięcy", 300000, 200000, 400000, "range", False),
        ("peste 30.000", 30000, 30000, None, "at_least", False),
        ("20-40.000", 30000, 20000, 40000, "range", False),  # the thousands written once
        ("de 50-70 de mii", 60000, 50000, 70000, "range", False),
        ("de la 10 la 20 de mii", 15000, 10000, 20000, "range", False),
        ("30 000 kuni 50 000", 40000, 30000, 50000, "range", False),
        ("kuni kümme protsenti", 10, None, 10, "at_most", True),
        ("umbes 60 000", 60000, 60000, 60000, "approx", False),
        ("približne 60 tisíc", 60000, 60000, 60000, "approx", False),
        ("20 tis.", 20000, 20000, 20000, "exact", False),
        ("körülbelül 70 ezer", 70000, 70000, 70000, "approx", False),
        ("1,2 millió", 1.2e6, 1.2e6, 1.2e6, "exact", False),
        # Norwegian, Swedish, Portuguese, Serbian/Croatian, Latvian, Lithuanian, Hungarian, Italian.
        ("opptil 12 prosent", 12, None, 12, "at_most", True),
        ("rundt 40 tusen", 40000, 40000, 40000, "approx", False),
        ("drygt 2 miljoner", 2e6, 2e6, None, "at_least", False),
        ("cerca de 1,5 milhões", 1.5e6, 1.5e6, 1.5e6, "approx", False),
        ("um milhão", 1e6, 1e6, 1e6, "exact", False),
        ("oko 30 hiljada", 30000, 30000, 30000, "approx", False),
        ("između 20.000 i 40.000", 30000, 20000, 40000, "range", False),
        ("četiri miliona", 4e6, 4e6, 4e6, "exact", False),
        ("milijun", 1e6, 1e6, 1e6, "exact", False),
        ("više od 5 tisuća", 5000, 5000, None, "at_least", False),
        ("aptuveni 80 tūkstoši", 80000, 80000, 80000, "approx", False),
        ("daugiau nei 1,1 milijono", 1.1e6, 1.1e6, None, "at_least", False),
        ("8 százaléka", 8, 8, 8, "exact", True),
        ("akár kétharmaduk", 200 / 3, None, 200 / 3, "at_most", True),
        ("settantamila", 70000, 70000, 70000, "exact", False),
        ("trecentomila", 300000, 300000, 300000, "exact", False),
        ("mezzo milione", 5e5, 5e5, 5e5, "exact", False),
        ("co trzeci", 100 / 3, 100 / 3, 100 / 3, "exact", True),
        ("la metà", 50, 50, 50, "exact", True),
        # A lower number, then a larger one that may be true: one interval.
        ("at least 300,000 citizens, possibly close to 600,000", 450000, 300000, 600000, "range", False),
        ("не менее 300 тысяч, а то и 600 тысяч", 450000, 300000, 600000, "range", False),
        ("300 000 voire 600 000", 450000, 300000, 600000, "range", False),
        ("mindestens 300.000, vielleicht sogar 600.000", 450000, 300000, 600000, "range", False),
        # Bulgarian, Turkish (the percent first), Hebrew (a hedge glued by a hyphen), Arabic, Georgian.
        ("над 1,5 милиона", 1.5e6, 1.5e6, None, "at_least", False),
        ("yüzde 20", 20, 20, 20, "exact", True),
        ("%8", 8, 8, 8, "exact", True),
        ("yaklaşık 30 bin", 30000, 30000, 30000, "approx", False),
        ("כ-45 אלף", 45000, 45000, 45000, "approx", False),
        ("نحو 5 بالمئة", 5, 5, 5, "approx", True),
        ("თითქმის 2 მილიონი", 2e6, 2e6, 2e6, "approx", False),
        ("quasi un milione", 1e6, 1e6, 1e6, "approx", False),
        ("mintegy ötvenezer", 50000, 50000, 50000, "approx", False),
        ("egymillió", 1e6, 1e6, 1e6, "exact", False),
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


@pytest.mark.parametrize(
    "text",
    [
        "it rose from 100 to 200 thousand",  # a change, not an interval
        "le chiffre est passé de 10 à 20 %",
        "число выросло с 50 до 70 тысяч",
        "about 600,000, possibly 300,000",  # the maybe-number is no larger: two numbers
    ],
)
def test_a_change_is_two_numbers(text):
    mentions, _ = find_mentions(text)
    assert len(mentions) == 2 and all(m.qualifier != "range" for m in mentions), mentions


@pytest.mark.parametrize("text", ["ein Mann sagte", "un homme a dit", "a man said", "by several per cent"])
def test_articles_and_percent_signs_are_not_numbers(text):
    assert find_mentions(text) == ([], [])


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


def test_a_sentence_end_glued_to_the_next_sentence_still_splits():
    text = "Das sagte er am Montag.Grund sei die Lage. U.S. officials agreed."
    assert [s.text for s in split_sentences(text)] == [
        "Das sagte er am Montag.",
        "Grund sei die Lage.",
        "U.S. officials agreed.",
    ]


def test_a_sentence_may_open_with_any_capital_or_a_caseless_script():
    text = "Bylo to tak. Část odešla. Інші лишились. עזבו רבים. غادر كثيرون. ბევრი წავიდა."
    assert [s.text for s in split_sentences(text)] == [
        "Bylo to tak.",
        "Část odešla.",
        "Інші лишились.",
        "עזבו רבים.",
        "غادر كثيرون.",
        "ბევრი წავიდა.",
    ]
