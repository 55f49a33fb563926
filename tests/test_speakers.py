"""Attribution and canonical names, on sentences written for these tests."""

from __future__ import annotations

import pickle
import re

import pytest

from core.errors import ConfigError
from core.topic import default_topic_path, load_topic
from extractors.cues import Cues
from extractors.figures import extract_figures
from extractors.names import Names
from extractors.sentences import split_sentences
from extractors.speakers import attribute_sentences

NAMES = Names.from_mapping(
    {
        "people": {
            "Pavel Orlov": ["Павел Орлов", "Орлов", "Orlov", "Pawel Orlow", "Orlow", "minister of statistics"],
            "Anna Belova": ["Анна Белова", "Белова", "Belova"],
        },
        "organisations": {
            "NAIT": ["НАИТ", "National Association of IT", "Национальная ассоциация ИТ", "Nationaler IT-Verband"],
            "Statistics Office": ["Статистическое управление", "Statistikamt", "Statistics Office"],
            "government estimate": ["government", "правительство"],
        },
        "outlets": {"Daily Ledger": ["Ежедневная газета"]},
    }
)


def speakers(text: str, names: Names = NAMES) -> list[tuple[str | None, ...]]:
    """Per sentence, the speaker of each number in it (of the sentence's start if none)."""
    sentences = split_sentences(text)
    out = []
    for s, said in zip(sentences, attribute_sentences(text, sentences, names), strict=True):
        digits = [m.start() for m in re.finditer(r"\d+(?:[.,]\d+)*", s.text)]
        out.append(tuple(said.at(i) for i in digits) if digits else (said.at(0),))
    return out


def test_aliases_match_in_any_case_and_script():
    assert [h.canonical for h in NAMES.find("по словам Орлова и Беловой")] == ["Pavel Orlov", "Anna Belova"]
    assert NAMES.canonical("Pawel Orlow") is not None
    assert NAMES.canonical("Национальной ассоциации ИТ").canonical == "NAIT"  # type: ignore[union-attr]
    assert NAMES.canonical("des Statistikamts").canonical == "Statistics Office"  # type: ignore[union-attr]
    assert NAMES.canonical("Someone Else") is None


def test_acronyms_match_case_sensitively():
    assert NAMES.find("наит") == []
    assert [h.canonical for h in NAMES.find("НАИТ")] == ["NAIT"]


def test_unknown_russian_names_are_put_in_the_nominative():
    assert NAMES.nominative("Ивана Смирнова") == "Иван Смирнов"
    assert NAMES.nominative("Марии Кузнецовой") == "Мария Кузнецова"
    assert NAMES.nominative("Министерства промышленности") == "Министерство промышленности"
    assert NAMES.nominative("Ivan Smirnov") == "Ivan Smirnov"
    assert NAMES.nominative("Казани Ивана Смирнова") == "Иван Смирнов"  # a place before the name


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("About 5,000 engineers left, the minister of statistics, Pavel Orlov, said.", [("Pavel Orlov",)]),
        ("По словам главы НАИТ Павла Орлова, уехали 5 тысяч инженеров.", [("Pavel Orlov",)]),
        ("Уехали 5 тысяч инженеров, заявлял Орлов журналистам.", [("Pavel Orlov",)]),
        ("Bis zu 5000 Ingenieure seien ausgereist, berichtete der Nationale IT-Verband (NAIT).", [("NAIT",)]),
        ("According to the National Association of IT (NAIT), 5,000 engineers left.", [("NAIT",)]),
        (
            "Ранее НАИТ оценивала отток в 5 тысяч, а Статистическое управление насчитало 7 тысяч.",
            [("NAIT", "Statistics Office")],
        ),
        ("Орлов: уехали 5 тысяч инженеров", [("Pavel Orlov",)]),
        ("The government estimates that 5,000 engineers work abroad.", [("government estimate",)]),
        ("Deputy Minister of Statistics Olga Fedorova said 5,000 engineers left.", [("Olga Fedorova",)]),
        ("Уехали 5 тысяч инженеров, сообщил глава отдела Игорь Смирнов.", [("Игорь Смирнов",)]),
        ("По данным Ивана Смирнова, уехали 5 тысяч инженеров.", [("Иван Смирнов",)]),
        ("Economist Lena Marsh said Orlov was right that 5,000 engineers had left.", [("Lena Marsh",)]),
        # Russian speech verbs in any aspect, tense and gender.
        ("Весной Анна Белова сообщала, что уехали 5 тысяч инженеров.", [("Anna Belova",)]),
        ("Отток в 5 тысяч инженеров НАИТ подсчитывало ещё летом.", [("NAIT",)]),
        ("О 5 тысячах уехавших инженеров говорит Павел Орлов.", [("Pavel Orlov",)]),
        # Speech cues of the other languages covered; a title of lower-case words may come
        # between the verb and the name, except in English and German.
        ("Według szacunków NAIT z Rosji wyjechało 5 tysięcy inżynierów.", [("NAIT",)]),
        ("Dalla Russia sono partiti 5.000 ingegneri, ha affermato il ministro Pavel Orlov.", [("Pavel Orlov",)]),
        ("„Au plecat 5.000 de ingineri”, a spus Anna Belova.", [("Anna Belova",)]),
        ("Umbes 5000 inseneri on lahkunud, ütles Orlov ajakirjanikele.", [("Pavel Orlov",)]),
        ("Según el ministro Pavel Orlov, salieron 5.000 ingenieros.", [("Pavel Orlov",)]),
        ("Bis zu 5000 Ingenieure seien ausgereist, berichtet der Nationale Verband (NAIT).", [("NAIT",)]),
        # Up to six words of title between the verb and the name.
        (
            "«Уехали 5 тысяч инженеров», — заявил председатель совета национальной ассоциации городских архитекторов Игорь Смирнов.",
            [("Игорь Смирнов",)],
        ),
    ],
)
def test_speaker_of_a_sentence(text, want):
    assert speakers(text) == want


def test_person_wins_over_the_outlet_that_quotes_them():
    assert speakers("«Уехали 5 тысяч инженеров», — цитирует Белову Ежедневная газета.") == [("Anna Belova",)]


def test_a_sentence_without_attribution_takes_the_one_before_it_in_its_paragraph():
    text = "Pavel Orlov said 5,000 engineers had left. That is 3% of the sector.\nIt was 4% last year."
    assert speakers(text) == [("Pavel Orlov",), ("Pavel Orlov",), (None,)]


def test_a_quote_takes_the_speaker_named_where_it_closes():
    text = '"Some 5,000 engineers have left. Another 2,000 work abroad," Anna Belova told the forum.'
    assert speakers(text) == [("Anna Belova",), ("Anna Belova",)]


def test_a_paragraph_whose_only_number_is_a_capitalised_word_is_attributed():
    assert speakers("Треть уехавших инженеров вернулась, заявил Орлов.") == [("Pavel Orlov",)]
    assert speakers("Kümme protsenti inseneridest on lahkunud, ütles Belova.") == [("Anna Belova",)]


def test_the_ministry_named_by_no_organisation_is_no_speaker():
    assert speakers("About 5,000 engineers left, the ministry said.") == [(None,)]


def test_ob_etom_names_the_speaker_of_the_sentence_before():
    text = "Из страны уехали 5 тысяч инженеров. Об этом сообщила Анна Белова."
    assert speakers(text)[0] == ("Anna Belova",)
    assert speakers("Dalla Russia sono partiti 5.000 ingegneri. Lo ha detto Anna Belova.")[0] == ("Anna Belova",)
    assert speakers("Venemaalt on lahkunud 5000 inseneri. Sellest teatab Ежедневная газета.")[0] == ("Daily Ledger",)


def test_pronouns_and_surnames_point_to_the_person_named_before():
    text = "Economist Lena Marsh studies migration.\nShe said 5,000 engineers left. Marsh added that 2,000 came back."
    assert speakers(text)[1:] == [("Lena Marsh",), ("Lena Marsh",)]
    ru = "Иван Смирнов выступил на форуме.\nПо его словам, уехали 5 тысяч инженеров."
    assert speakers(ru)[1] == ("Иван Смирнов",)
    # A person named before by a title: "says the economist"; Estonian "ta märkis".
    text = "Economist Lena Marsh studies migration.\nRussia lacks 5,000 engineers, says the economist."
    assert speakers(text)[1] == ("Lena Marsh",)
    et = "Anna Belova rääkis ajakirjanikele. Ta märkis, et välismaal on 5000 inseneri."
    assert speakers(et)[1] == ("Anna Belova",)
    # A pronoun with any speech verb: "он оценивает".
    ru = "Иван Смирнов выступил на форуме. Число уехавших он оценивает в 5 тысяч инженеров."
    assert speakers(ru)[1] == ("Иван Смирнов",)


def test_a_title_or_a_pronoun_with_more_russian_verbs_points_to_the_person_named_before():
    ru = "Иван Смирнов выступил на форуме.\nВ марте министр говорил, что уехали 5 тысяч инженеров."
    assert speakers(ru)[1] == ("Иван Смирнов",)
    ru = "Иван Смирнов выступил на форуме. Он предположил, что уедут ещё 5 тысяч инженеров."
    assert speakers(ru)[1] == ("Иван Смирнов",)


def test_more_speech_verbs_attribute():
    assert speakers("Уехали 5 тысяч инженеров. Такую оценку озвучил Павел Орлов.")[0] == ("Pavel Orlov",)
    assert speakers("Statistics chief Orlov has confirmed that 5,000 engineers left.") == [("Pavel Orlov",)]
    assert speakers("Lena Marsh claims that 5,000 engineers left.") == [("Lena Marsh",)]


def test_a_number_before_the_person_takes_the_organisation_named_before_it():
    text = "В апреле в НАИТ оценили отток в 5 тысяч инженеров, а в мае Павел Орлов утверждал, что уехали 7 тысяч."
    assert speakers(text) == [("NAIT", "Pavel Orlov")]
    # An outlet stays the messenger of the person named after the number.
    assert speakers("According to the Daily Ledger, 5,000 engineers left, Pavel Orlov said.") == [("Pavel Orlov",)]


def test_a_quote_closed_by_verb_then_pronoun_takes_the_person_named_before():
    ru = "Иван Смирнов выступил на форуме.\n«Отток мы оцениваем в 5 тысяч инженеров», — сказал он."
    assert speakers(ru)[1] == ("Иван Смирнов",)


def test_a_headline_naming_a_known_person_with_a_title_before_a_colon():
    assert speakers("Министр статистики Орлов обеспокоен: уехали 5 тысяч инженеров") == [("Pavel Orlov",)]


def test_a_headline_opened_by_an_unknown_acronym_names_that_organisation():
    assert speakers("NCSR: the sector lacks 5,000 engineers") == [("NCSR",)]
    assert speakers("UPDATE: the sector lacks 5,000 engineers") == [(None,)]
    assert speakers("США: в секторе не хватает 5 тысяч инженеров") == [(None,)]


def test_a_place_is_where_it_was_said_not_who_said_it():
    assert speakers("В Казани оценили отток в 5 тысяч инженеров.") == [(None,)]
    assert speakers("В НАИТ оценили отток в 5 тысяч инженеров.") == [("NAIT",)]


def test_according_to_the_agency_or_the_bank_is_the_organisation_named_before():
    text = "The Statistics Office published a report.\nAccording to the agency, 5,000 engineers left."
    assert speakers(text)[1] == ("Statistics Office",)
    names = Names.from_mapping({"organisations": {"Northern Bank": ["Northern Bank"]}})
    text = "The Northern Bank published a report.\nAccording to the bank, 5,000 engineers left."
    assert speakers(text, names)[1] == ("Northern Bank",)


def test_a_pronoun_skips_names_inside_the_quote():
    text = 'Pavel Orlov spoke next.\n"Some 5,000 engineers went to Lena Marsh Company," he said.'
    assert speakers(text)[1] == ("Pavel Orlov",)


def test_the_agency_is_the_organisation_named_before_or_after():
    before = "Статистическое управление опубликовало доклад.\nПо данным ведомства, уехали 5 тысяч инженеров."
    assert speakers(before)[1] == ("Statistics Office",)
    after = "По данным ведомства, уехали 5 тысяч инженеров.\nДоклад НАИТ вышел в пятницу."
    assert speakers(after)[0] == ("NAIT",)


def test_one_speaker_across_languages_with_the_topic_table():
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    texts = [
        "Around 100,000 IT specialists have left Russia, Maxut Shadayev said.",
        "Рунет покинули около 100 тысяч IT-специалистов из России, сообщил глава Минцифры Максут Шадаев.",
        "Rund 100.000 IT-Fachkräfte haben Russland verlassen, sagte Digitalminister Schadajew.",
        "Environ 100 000 spécialistes de l'informatique ont quitté la Russie, selon le ministre Maksout Chadaïev.",
    ]
    found = {f.speaker for t in texts for f in extract_figures(t, cues).figures if f.metric == "it_emigrants"}
    assert found == {"Maksut Shadayev"}


def test_the_table_travels_with_the_cues_key():
    cues = Cues.from_mapping(load_topic(default_topic_path()).cue_words)
    again = Cues.from_key(pickle.loads(pickle.dumps(cues.key)))
    assert again.names.canonical("РАЭК") is not None
    assert again.names.canonical("РАЭК") == cues.names.canonical("РАЭК")


def test_speakers_section_errors_name_the_key(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text('[speakers.experts]\n"A B" = ["C"]\n')
    with pytest.raises(ConfigError, match="speakers.experts"):
        load_topic(bad)
    bad.write_text('[speakers.people]\n"A B" = "C"\n')
    with pytest.raises(ConfigError, match=r"speakers\.people\.A B"):
        load_topic(bad)


def test_a_quoted_paragraph_takes_the_speaker_of_the_colon_before_or_the_dash_after():
    colon = "Pavel Orlov spoke at the forum. He said:\n“Some 5,000 engineers have left.”"
    assert speakers(colon)[-1] == ("Pavel Orlov",)
    dash = "“Some 5,000 engineers have left this year.”\n– Belova said."
    assert speakers(dash)[0] == ("Anna Belova",)


def test_this_forecast_names_the_speaker_of_the_sentence_before():
    text = "About 5,000 engineers will leave next year. This forecast was made by the National Association of IT."
    assert speakers(text)[0] == ("NAIT",)


def test_capitalised_nouns_are_not_people():
    text = "Die Mehrzahl von Ingenieuren sei ausgereist.\nIm März sagte er, 5000 seien zurückgekehrt."
    assert speakers(text)[1] == (None,)
    assert speakers("Im März berichtete das Statistikamt, 5000 seien gegangen.") == [("Statistics Office",)]


def test_his_speech_and_provided_by_attribute():
    speech = "Pavel Orlov spoke at the forum.\nIn his speech he gave other figures. Some 5,000 engineers work abroad."
    assert speakers(speech)[-1] == ("Pavel Orlov",)
    provided = "A study provided to the Daily Ledger by Anna Belova covers 2024. It counts 5,000 departures."
    assert speakers(provided)[-1] == ("Anna Belova",)
