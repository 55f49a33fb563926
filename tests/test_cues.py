"""Cue words: language packs picked by the article's language, lemmas for Russian, topic errors."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.topic import load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures

from .conftest import TOPIC

WORDS = {
    "departure": ("left",),
    "en": {"departure": ("fled",)},
    "de": {"departure": ("verlassen",)},
    "ru": {"departure": ("уехать",)},
}


def test_a_pack_applies_to_its_language_only():
    cues = Cues.from_mapping(WORDS)
    assert cues.for_language("de").has("departure", "Sie haben das Land verlassen")
    assert not cues.for_language("en").has("departure", "Sie haben das Land verlassen")
    assert cues.for_language("en").has("departure", "they fled")
    assert cues.for_language("de").has("departure", "they left")  # shared words apply everywhere


def test_a_language_without_a_pack_reads_every_pack():
    cues = Cues.from_mapping(WORDS).for_language("ro")
    assert cues.has("departure", "verlassen") and cues.has("departure", "уехать")


def test_a_close_language_without_a_pack_borrows_its_neighbours_pack():
    words = {
        **WORDS,
        "no": {"departure": ("forlatt",)},
        "sr": {"departure": ("napustil",)},
        "lv": {"departure": ("pamet",)},
    }
    cues = Cues.from_mapping(words)
    # Danish and Nynorsk read with the Norwegian pack, Croatian and Bosnian with the Serbian one.
    for code, pack in (("da", "no"), ("nn", "no"), ("hr", "sr"), ("bs", "sr"), ("ltg", "lv")):
        assert cues.for_language(code).words == cues.for_language(pack).words
    assert cues.for_language("da").has("departure", "de har forlatt landet")
    assert not cues.for_language("da").has("departure", "Sie haben das Land verlassen")
    # Without the neighbour's pack, every pack as before.
    assert Cues.from_mapping(WORDS).for_language("da").has("departure", "verlassen")


def test_hebrew_and_arabic_cues_match_after_a_glued_clitic():
    cues = Cues.from_mapping({"departure": ("ברחו", "غادر")})
    assert cues.has("departure", "רוסים שברחו מארצם")  # "that fled"
    assert cues.has("departure", "وغادر المبرمجون")  # "and left"
    assert not cues.has("departure", "ערב טוב")


def test_russian_cues_match_inflected_forms_through_lemmas():
    cues = Cues.from_mapping(WORDS).for_language("ru")
    assert cues.has("departure", "айтишники уехали в Армению")  # уехали -> уехать
    assert cues.has("departure", "число уехавших программистов")  # уехавших -> уехать


def test_the_language_is_detected_when_not_given():
    cues = Cues.from_mapping(load_topic(TOPIC).cue_words)
    german = "Rund 60.000 russische IT-Fachkräfte haben Russland seit Kriegsbeginn verlassen, schätzt der Verband."
    assert cues.language_of(german) == "de"
    figures = extract_figures(german, cues).figures
    assert [(f.metric, f.value) for f in figures] == [("it_emigrants", 60000)]
    # The same article read with the English pack only finds no departure verb.
    assert not [f for f in extract_figures(german, cues, language="en").figures if f.metric == "it_emigrants"]


def test_rebuilt_from_its_key_the_cues_are_the_same():
    cues = Cues.from_mapping(load_topic(TOPIC).cue_words)
    again = Cues.from_key(cues.key)
    assert again.words == cues.words and again.for_language("fr").words == cues.for_language("fr").words


@pytest.mark.parametrize(
    ("cues_toml", "key"),
    [
        ('[cues]\nbogus = ["x"]\n', "cues.bogus"),
        ('[cues.de]\ndeparture = ["verlassen"]\nbogus = ["x"]\n', "cues.de.bogus"),
        ('[cues]\ndeparture = "left"\n', "cues.departure"),
    ],
)
def test_a_bad_cue_table_names_its_key(tmp_path, cues_toml, key):
    topic = tmp_path / "t.toml"
    topic.write_text(cues_toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_topic(topic)
    assert key in str(err.value) and str(topic) in str(err.value)


def test_russian_future_tense_is_read_from_the_verb():
    from extractors.cues import Lemmas

    lemmas = Lemmas()
    assert lemmas.has_future("в апреле уедут ещё многие")
    assert lemmas.has_future("страну покинут")  # a future verb as likely as a short participle
    assert not lemmas.has_future("к концу апреля уехали многие")
