"""Language per article: py3langid on the text, with the source's language and <html lang>
as hints that decide only when the detector is unsure."""

from __future__ import annotations

from core.records import Candidate, Page
from core.topic import default_topic_path, load_topic
from extractors.cues import Cues
from flows.extract import declared_language, extract_article, guess_language

CUES = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
RUSSIAN = (
    "По оценке исследователей, за три года из страны уехали около ста тысяч айтишников. "
    "Большая часть из них работает удалённо на прежних работодателей, а часть открыла "
    "собственные компании в Армении, Грузии и Сербии. Эксперты ожидают, что дефицит "
    "разработчиков внутри страны сохранится ещё несколько лет."
)


def test_a_confident_detection_beats_a_wrong_hint():
    assert guess_language(RUSSIAN, CUES, ("en", "en")) == "ru"


def test_a_hint_decides_when_the_detector_is_unsure():
    short = "Мобилизация и релокация"  # a headline-sized text: py3langid leans to Bulgarian
    assert guess_language(short, CUES) == "bg"
    assert guess_language(short, CUES, ("ru", None)) == "ru"
    assert guess_language(short, CUES, (None, "ru")) == "ru"


def test_a_hint_the_detector_rules_out_is_ignored():
    assert guess_language("Київ: тисячі IT-фахівців виїхали з країни", CUES, ("en",)) == "uk"


def test_declared_language_takes_the_primary_tag():
    assert declared_language(b'<!DOCTYPE html><html class="x" lang="ru-RU"><head>') == "ru"
    assert declared_language(b"<html><head>") is None


def test_the_article_stores_the_decided_language_and_the_sources_outlet():
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Итоги</title></head>'
        f"<body><article><h1>Итоги трёх лет</h1><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>"
    ).encode()
    url = "http://127.0.0.1/x/story.html"
    candidate = Candidate(url, url, "gdelt-key", "gdelt", "Итоги", language="ru", outlet="example.ru")
    page = Page(candidate, url, 200, "text/html; charset=utf-8", html, "2026-12-01T00:00:00+00:00")
    article = extract_article(page, CUES)
    assert getattr(article, "language", None) == "ru", article
    # No site name on the page: the source's outlet, not the bare host name.
    assert getattr(article, "outlet", None) == "example.ru"
