"""A page's figure extraction has a time budget: no page can stall a run (issue 15)."""

from __future__ import annotations

import pytest

from core.errors import ExtractionBudgetExceeded
from core.records import Candidate, Failure, Page
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures
from flows.extract import extract_article

from .conftest import TOPIC

CUES = Cues.from_mapping(load_topic(TOPIC).cue_words)
ARTICLE = " ".join(
    f"About {n},000 Russian IT specialists left the country in wave {n}, the ministry said." for n in range(1, 400)
)


def test_an_article_over_its_budget_raises():
    with pytest.raises(ExtractionBudgetExceeded):
        extract_figures(ARTICLE, CUES, language="en", budget=1e-9)


def test_within_its_budget_an_article_is_read_whole():
    figures = extract_figures(ARTICLE, CUES, language="en", budget=60).figures
    assert len([f for f in figures if f.metric == "it_emigrants"]) == 399


def test_a_page_over_its_budget_is_dropped_for_good():
    html = f"<html><body><article><p>{ARTICLE}</p></article></body></html>"
    page = Page(
        Candidate("http://127.0.0.1/slow", "http://127.0.0.1/slow", "s", "feed"),
        "http://127.0.0.1/slow",
        200,
        "text/html",
        html.encode(),
        "2025-01-01T00:00:00+00:00",
    )
    result = extract_article(page, CUES, budget=1e-9)
    assert isinstance(result, Failure)
    assert (result.reason, result.terminal, result.url) == ("extraction_budget", True, "http://127.0.0.1/slow")
