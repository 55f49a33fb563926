"""Attribution: who stated the figures of each sentence, under one canonical name.

A sentence with a speech cue ("said", "according to", "по словам", "заявлял", "laut",
"selon", ...) names its speakers: actors of the topic's [speakers] table near the cue, a
pronoun or "the ministry"/"ведомство" for the last person or organisation named, and
names read by grammar ("X, title, said", "said X", "according to X", "«Верстка»"). Known
actors win over names read by grammar, people over organisations over outlets; when two of
the winning rank are named, each number takes the one named last before it ("RAEC
estimated A, and Russoft B"). A headline "Name: ..." names a person. A sentence with no
attribution of its own takes the speaker of a quote it opens (closed later in the
paragraph), of a following "Об этом сообщил X" or "This forecast was made by X", else of
the nearest attributed sentence before it in its paragraph; a quoted paragraph takes that of
a "sagte er:" ending the paragraph before or a "– Gref said." opening the one after.
A surname alone ("Shadayev said") is resolved to the full name used earlier in the article.
Only paragraphs with a number (and their neighbours) are attributed: attribution is costly.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from core.figures import Sentence

from .budget import Budget
from .names import Hit, Names

# Capitals and small letters of the Latin alphabets covered too ("Šadajev", "Łukasz", "Ștefan").
_UP = "A-ZА-ЯЁІЇЄÀ-ÖØ-ÞĄĆČĎĘĚŁŃŇŐŘŚŞŠŢŤŮŰŹŻŽȘȚ"
_LOW = "a-zа-яёіїєß-öø-ÿąćčďęěłńňőřśşšţťůűźżžșță"
_CAP = rf"(?:[{_UP}][{_LOW}'’]+(?:[A-ZА-ЯЁ][a-zа-яё]+)*(?:-[A-ZА-ЯЁa-zа-яё]+)?|[A-ZА-ЯЁ]{{2,6}})"
# The lookahead lets the regex engine skip to capitals quickly (the hot path of attribution).
NAME = (
    rf"(?=[{_UP}])(?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+{_CAP}|{_CAP})"
    rf"(?:\s+(?:(?:of|for|and|the|de|du|von|der)\s+)?{_CAP})*"
)
_NAME = re.compile(NAME)
_EN_VERBS = (
    r"said|says|say|told|tells|wrote|writes|estimated|estimates|estimate|acknowledged|"
    r"stated|states|reported|reports|announced|announces|noted|notes|suggested|admitted|claimed|added|"
    r"explained|believes|calculated|counted|found|warned|quoted|cited|highlighted|stressed|emphasi[sz]ed|"
    r"pointed\s+out|indicated|revealed|forecast|forecasts|predicted|predicts|projected|expects|warns|"
    r"thinks|argues|argued|insists|insisted|observed|confirmed|confirms|claims|maintains|concluded"
)
_DE_VERBS = (
    r"sagte|sagt|erklärte|erklärt|berichtet|berichtete|schätzt|schätzte|eingeräumt|räumte|betonte|"
    r"beteuerte|führte|fügte|teilte|bestätigt|bestätigte|meldet|meldete|nennt|nannte|schreibt|schrieb|zitiert|"
    r"warnt|warnte|spricht|sprach|geht\s+davon\s+aus|ging\s+davon\s+aus|schätzen|berichten|erklären"
)
# A name follows an English or German verb at once ("said Orlov"); in other languages a title of a few
# lower-case words may come between ("a déclaré le ministre Jean Dupont", "заявил глава
# ассоциации X"), so the English and German verbs (German titles are capitalised) are kept
# apart. Estonian and Hungarian postpositions ("X sõnul", "X szerint") have no name after them.
_VERBS = (
    rf"(?:{_EN_VERBS}|"
    # Russian verbs by stem, both aspects, every person and gender: "заявлял", "сообщило", "оценивала".
    r"(?:сказа|говори|заяви|заявля|сообщи|сообща|отмети|отмеча|оцени|оценива|насчита|подсчита|подсчитыва|утвержда|"
    r"ожида|прогнозиру|прогнозирова|счита|призна|признава|рассказа|рассказыва|поясни|поясня|добави|добавля|"
    r"уточни|уточня|подчеркну|подчеркива|пише|писа|цитиру|озвучи|озвучива|предположи|предполага|напомни|напомина|"
    r"подтверди|подтвержда|указа|указыва|полага|констатирова|предупреди|предупрежда)"
    r"(?:л[аио]?|т|ет|ют|ят|ит|ем|ал[аио]?|в|вш\w+)|"
    # Ukrainian, the same way: "повідомив", "зазначила", "оцінюють".
    r"(?:повідоми|повідомля|зазначи|зазнача|оціни|оцінюва|оціню|розповіда|розпові|підрахува|наголоси|наголошу|"
    r"додава|дода|заявля|сказа|каза)(?:в|ла|ло|ли|є|ють|ючи)|"
    rf"{_DE_VERBS}|a\s+déclaré|déclare|estime|a\s+indiqué|affirme|a\s+affirmé|a\s+cité|cite|"
    r"a\s+estimé|a\s+annoncé|annonce|a\s+précisé|précise|a\s+expliqué|explique|indique|souligne|a\s+souligné|"
    r"a\s+rapporté|rapporte|a\s+assuré|assure|a\s+dit|a\s+reconnu|reconnaît|"
    r"mówi|wskazuje|wskazał\w*|zaznaczył\w*|zaznacza|podkreślił\w*|podkreśla|przyznał\w*|wyliczył\w*|szacują|"
    r"informuje|alarmuje|"
    # Polish, Italian, Spanish, Romanian, Estonian, Hungarian, Slovak and Czech; Estonian
    # "sõnul"/"hinnangul" and Hungarian "szerint" follow the name like a verb.
    r"powiedział\w*|przekazał\w*|oświadczył\w*|poinformował\w*|szacuje|szacował\w*|ocenił\w*|ocenia|"
    r"stwierdził\w*|dodał\w*|podał\w*|podaje|twierdzi|"
    r"ha\s+detto|ha\s+affermato|ha\s+dichiarato|ha\s+spiegato|ha\s+aggiunto|ha\s+riferito|ha\s+stimato|"
    r"ha\s+sottolineato|afferma|dichiara|aveva\s+detto|aveva\s+dichiarato|aveva\s+stimato|"
    r"dijo|afirmó|declaró|señaló|explicó|añadió|estimó|aseguró|indicó|"
    r"a\s+spus|a\s+declarat|a\s+afirmat|a\s+precizat|a\s+explicat|a\s+adăugat|a\s+estimat|a\s+anunţat|"
    r"a\s+anunțat|declară|estimează|spune|spun|susține|susţine|"
    r"ütles|märkis|teatas|teatab|hindas|lisas|kinnitas|sõnul|hinnangul|andmetel|"
    r"közölte|mondta|szerint|uviedol|uviedla|povedal|povedala|řekl|uvedl|uvedla|"
    r"uvádí|uvádza|odhaduje|odhadl|odhadol|tvrdí|napsal|napísal|sdělil|oznámil|informoval|"
    # Norwegian, Danish, Swedish; Portuguese; Serbian, Bosnian, Croatian; Latvian, Lithuanian.
    r"sier|siger|sa\s+at|sagde|sade|säger|uttalte|udtalte|uppger|uppgav|opplyser|oplyser|anslår|anslog|"
    r"disse(?=\s+(?:que|o|a|à|ao)\s)|afirmou|declarou|estimou|explicou|acrescentou|informou|"
    r"rekao|rekla|izjavio|izjavila|naveo|navela|navodi|procenio|procijenio|saopštio|podseća|podsjeća|piše|kaže|"
    r"podatak|podaci|"
    r"sacīja|paziņoja|norādīja|norāda|atgādina|ziņo|teigė|sakė|pareiškė|nurodė|"
    # Bulgarian; Hungarian, Spanish, Italian beyond the above; Turkish ("X'e göre" follows the
    # name); Hebrew, Arabic, Georgian (their names are found as known actors only).
    r"каза|заяви|съобщи|посочи|обясни|според|nyilatkozta|becsülte|jelentette|írja|"
    r"informó|reconoció|calcula|estima|spiega|sostiene|stima|riferisce|ha\s+reso\s+noto|"
    r"dedi|açıkladı|belirtti|göre|אמר|אמרה|לדברי|לפי|מסר|הודיע|העריך|قال|بحسب|حسب|وفقا|أعلن|صرح|أوضح|"
    r"განაცხადა|თქმით|მონაცემებით)"
)
# Names after a cue, matched where the cue ends (the cue search already found it):
# "according to (the) X", "по данным X", "laut X"; "said X"; in Russian a title may come
# between verb and name: "заявил заместитель министра Андрей Петров".
_AFTER_SOURCE = re.compile(
    rf"\w*(?:\s+(?:to|данным|на|of))?\s+(?:the\s+|des\s+|der\s+|du\s+|de\s+la\s+|dem\s+)?(?P<name>{NAME})"
)
_AFTER_VERB = re.compile(rf"\s+(?P<name>{NAME})")
# Up to six lower-case words of title: "заявил глава российской ассоциации электронных
# коммуникаций Сергей Плуготаренко".
_AFTER_TITLED_VERB = re.compile(rf"\s+(?:[{_LOW}\-]+\s+){{0,6}}(?P<name>{NAME})")
_NAME_AT_ONCE = re.compile(rf"(?:{_EN_VERBS}|{_DE_VERBS})")
_NAME_BEFORE = frozenset({"sõnul", "hinnangul", "andmetel", "szerint", "göre", "თქმით", "მონაცემებით"})
_NAME_VERB = re.compile(
    rf"(?<![\w])(?:the\s+|The\s+)?(?P<name>{NAME})(?:\s*,\s*[^,]{{2,90}}?,)?\s+(?:\w+ly\s+)?{_VERBS}(?!\w)"
)
_CLAUSE_VERB = re.compile(r"\s+(?:was|is|were|are|had|has|have|would|will|could|might|may|did|does)\b")
# An outlet or company named in quotes: "издание «Верстка» оценивает".
_QUOTED_NAME = re.compile(r"«(?P<name>[A-ZА-ЯЁ][^«»]{1,30})»")
_PERSON_PRONOUN = re.compile(
    r"(?<!\w)(?:(?:he|she)\s+(?:\w+ly\s+)?(?:said|says|added|told|wrote|explained|estimated|estimates|noted|believes|expects|predicted|predicts|reckons)|"
    # "the minister said", "says the economist": a person named before by a title.
    r"the\s+(?:minister|economist|expert|analyst|official|director|professor|researcher|chairman|founder)\s+"
    r"(?:also\s+)?(?:said|says|added|notes|noted|estimated|estimates|explained)|"
    r"(?:said|says|added|noted|explained)\s+the\s+(?:minister|economist|expert|analyst|official|director|professor|"
    r"researcher|chairman|founder)|"
    r"(?:он|она)\s+(?:также\s+)?(?:сказал|заявил|добавил|отметил|уточнил|пояснил|оценил|оценива|считает|полагает|прогнозир|подчеркнул|рассказал|сообщил|предположил|напомнил|озвучил|подтвердил|говорил)\w*|по\s+(?:его|её|ее)\s+(?:словам|данным|оценке|оценкам)|"
    # "«...», — сказал он": the verb before the pronoun, after a quote.
    r"(?:сказал|заявил|добавил|отметил|уточнил|пояснил|подчеркнул|рассказал|сообщил|говорит|считает|полагает)\w*\s+(?:он|она)(?!\w)|"
    # "министр говорил, что ...": a person named before by a title.
    r"(?:министр|вице-премьер|премьер|замминистра|экономист|демограф|аналитик|эксперт|политик|чиновник)\s+(?:также\s+|ранее\s+|тогда\s+)?"
    r"(?:сказал|заявил|заявлял|говорил|добавил|отметил|отмечал|уточнил|пояснил|оценил|оценивал|подчеркнул|рассказал|сообщил|сообщал|признал|признавал)\w*|"
    r"(?:sagte|erklärte|beteuerte|fügte|führte|betonte|räumte|schätzte)\s+(?:er|sie)|(?:a-t-il|a-t-elle)|"
    r"(?:за\s+його\s+словами)|(?:в|во)\s+(?:его|её|ее)\s+(?:выступлении|докладе|интервью)|"
    r"in\s+(?:his|her)\s+(?:speech|remarks|interview|address)|according\s+to\s+(?:him|her)|selon\s+(?:lui|elle)|laut\s+(?:ihm|ihr)|"
    r"(?:ha\s+(?:affermato|detto|aggiunto)\s+il\s+ministro)|secondo\s+lui|según\s+él|(?:według|zdaniem)\s+niego|"
    r"(?:conform|potrivit)\s+\w+\s+sale|tema\s+(?:sõnul|hinnangul)|(?:ta|tema)\s+(?:ütles|märkis|lisas|teatas|hindas)|"
    r"(?:powiedział|dodał|zaznaczył)\s+on|(?:ha\s+)?(?:aggiunto|spiegato)\s+lui|"
    r"ifølge\s+(?:ham|henne)|enligt\s+(?:honom|henne)|segundo\s+(?:ele|ela)|prema\s+njegovim\s+rečima|"
    r"(?:sier|sade|säger|sagde|siger)\s+(?:han|hun|hon))(?!\w)",
)  # this and the next three: lower case, run on the lower-cased sentence
_ORG_ANAPHORA = re.compile(
    r"(?<!\w)(?:(?:по\s+данным|по\s+оценкам|по\s+словам|согласно\s+данным)\s+(?:ведомства|министерства|ассоциации|службы)|"
    r"за\s+даними\s+(?:відомства|міністерства|служби)|(?:according\s+to\s+)?the\s+(?:agency|ministry|association)\s+(?:said|says|estimates|estimated)|"
    r"according\s+to\s+the\s+(?:agency|ministry|association|bank|service|department|organi[sz]ation)(?![\w'’])|"
    r"so\s+der\s+verband|so\s+das\s+ministerium|laut\s+(?:dem\s+)?(?:ministerium|verband))(?!\w)",
)
# Words one of which _ORG_ANAPHORA needs: a cheap test before the regex.
_ORG_NOUNS = (
    "ведомств",
    "министерств",
    "ассоциаци",
    "служб",
    "відомств",
    "міністерств",
    "agency",
    "ministry",
    "association",
    "bank",
    "service",
    "department",
    "organis",
    "organiz",
    "verband",
    "ministerium",
)
# "a source of the outlet": the outlet named last is the speaker.
_OUTLET_ANAPHORA = re.compile(
    r"(?<!\w)(?:(?:источник|собеседник)\w*\s+(?:\w+\s+)?издания|(?:a\s+)?source\s+(?:told|at|for)\s+the\s+(?:outlet|newspaper|publication))(?!\w)",
)
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|„[^“”]*[“”]|\"[^\"]*\"")
_COLLECTIVE = re.compile(
    r"(?<!\w)the\s+(?P<name>government|kremlin|authorities)\s+(?:\w+ly\s+)?(?:estimates|estimated|said|says|reported|believes)(?!\w)"
)
# "Об этом сообщил X": the sentence names the speaker of the one before it.
# "Об этом сообщил X", "This forecast was made by X": the sentence names the speaker of the one before.
_THIS_WAS_SAID = re.compile(
    r"^(?:Об\s+этом|Про\s+це|Sellest|Lo\s+ha|Lo\s+hanno|O\s+tym|(?:This|These|Such|Эти|Такие|Этот|Такой|Такую|Эту|Diese|Ces|Ce)\s+(?:forecast|figures?|data|estimates?|"
    r"numbers?|прогноз\w*|данные|оценк\w*|цифр\w*|Prognose|Zahlen|Daten|Schätzung|chiffres?|données|estimation|prévision))(?!\w)"
)
# A paragraph after a quote that names who spoke: "– Gref said."
_DASH = "–—-"

# Anchored at word starts: an unanchored alternation is tried at every character.
_ANY_CUE = re.compile(
    rf"(?<!\w)(?:(?P<verb>{_VERBS})(?!\w)|according|citing|data\s+from|figures\s+from|(?:analysis|study|survey|research)\s+by|по\s+(?:словам|данным|оценк|подсч|информац|мнени|прогноз|его|её|ее)|"
    r"согласно|данны|за\s+(?:даними|словами|його)|(?:в|во)\s+(?:его|её|ее)\s+(?:выступлени|доклад|интервью)|"
    r"in\s+(?:his|her)\s+(?:speech|remarks|interview|address)|(?:provided|published|compiled|conducted|prepared)(?:\s+to(?:\s+[\w-]+){1,3})?\s+by|laut|selon|d['’]après|zufolge|według|powołuj\w*\s+się|secondo|según|potrivit|conform|podľa|podle|so\s+der|ifølge|iflg|enligt|segundo|de\s+acordo\s+com|prema|saskaņā\s+ar|pasak|nach\s+(?:angaben|schätzung|daten|berechnung|einschätzung|ansicht)|jak\s+(?:podaje|podał|wynika)|wynika\s+z|a-t-il|a-t-elle|со\s+ссылкой|цитиру)",
    # No IGNORECASE: run on the lower-cased sentence, several times faster.
)
_CYRILLIC = re.compile(r"[а-яё]")
# A number in words. Every branch starts with a plain letter (both cases spelled out, no
# "[Pp]"), so that the regex engine skips to candidate letters in C: this is searched on
# every paragraph next to a figure.
_NUMBER_WORD = re.compile(
    r"Percent|percent|Prozent|prozent|Proz|proz|Миллион|миллион|Мільйон|мільйон|Million|million|Milli|milli|"
    r"Thousand|thousand|Tausend|tausend|Hundert|hundert|Hundred|hundred|тысяч|тисяч|Процент|процент|сотн|"
    r"mille|cent|Трет|трет|Четверт|четверт|Половин|половин|Кажд|кажд|third|Quarter|quarter|Half|half|"
    r"Drittel|drittel|Hälfte|hälfte|tiers|moitié|Protsen|protsen|Procent|procent|sută|tuhat|Tys|tys|"
    r"Milion|milion|Miljon|miljon|milioane|mila\b|mii\b|"
    r"Prosent|prosent|százalék|tusen|tusind|milh|hiljad|tūkst|posto|odsto"
)
_DIGIT = re.compile(r"\d")
_NEAR_CUE = 50  # an actor this far (characters) from a speech cue can be its speaker
# A headline "Минцифры: ..." or "Shadayev: ...": who speaks, then a colon.
_HEADLINE_COLON = re.compile(r"^(?P<name>[^:\d.!?]{2,50}):\s")
# Capitalised labels that open headlines and are no speaker: "UPDATE: ...", "ВИДЕО: ...".
_HEADLINE_LABELS = frozenset(
    "UPDATE UPDATED BREAKING VIDEO PHOTO PHOTOS EXCLUSIVE LIVE OPINION ANALYSIS WATCH LISTEN READ "
    "ВИДЕО ФОТО ОПРОС ИНФОГРАФИКА ЭКСКЛЮЗИВ МНЕНИЕ СРОЧНО ОБНОВЛЕНО".split()
)
_CONNECTORS = frozenset("of for and the de du von der und et и".split())

QUOTE_OPENERS = "\"“«'‘„"
_SPEECH_DASHES = ("– ", "— ")

ORG_WORDS = frozenset(
    """Ministry Association Council Agency Service Bank Institute Committee Government Defence
    Defense University Center Centre Office Union Party Group Duma Chamber Fund Foundation
    Department Commission Bureau Academy Rosstat RAEC HeadHunter Kremlin Federation Survey
    Министерство Минцифры Ассоциация Росстат""".split()
)
TITLE_WORDS = frozenset(
    """Minister Deputy Prime President Senator Chairman Chairwoman Mr Mrs Ms Dr Professor Director
    CEO Head Chief Governor Mayor Secretary Spokesman Spokeswoman Vice General Digital
    Development Russian British Russia Foreign Interior Finance Economy Labour Labor Official
    Analyst Economist Founder Partner Managing Executive Premier Министр Глава Президент Премьер
    Minister Digitalminister Chef Ministre Laut Selon Mass Media Communications Affairs Technology
    Technologies Information Statistics Spezialist Experte Expertin Analystin Ökonom Ökonomin Direktor
    Leiter Leiterin Sprecher Sprecherin Präsident Ministerpräsident Regierungschef Expert Specialist
    Researcher Spokesperson Ambassador""".split()
)
NOT_NAMES = frozenset(
    """The A An In On At By For From But And Or As If It This That These Those There Here When While
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Related Updates Read Photo Об По Согласно
    Die Der Das Le La Les Ранее Еще Ещё Также Im Am Zum Zur Vom Beim Bei Nach Seit Dies Diese Es Er
    Wir Ich Auch Und Aber En Au Dans Depuis Il Elle В На С Из За К Он Она Они Это Как Januar Februar
    März Juni Juli Oktober Dezember Janvier Février Mars Avril Mai Juin Juillet Août""".split()
)


def clean_name(raw: str) -> str | None:
    """A person's name without its titles, an organisation's name as written; None if neither."""
    words = [w.rstrip(".") for w in raw.split()]
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    if not words:
        return None
    if any(w in ORG_WORDS for w in words):
        return " ".join(words)
    titled = bool(words) and words[0] in TITLE_WORDS
    while words and (words[0] in TITLE_WORDS or words[0] in ("of", "for", "the")):
        words = words[1:]
    if not words or words[-1] in TITLE_WORDS or any(w in NOT_NAMES for w in words):
        return None
    if titled and len(words) > 2 and any(w in ("of", "for") for w in raw.split()):
        words = words[-2:]  # "Deputy Minister of Statistics Olga Fedorova": the domain, then the name
    return " ".join(words)


def _person_like(name: str) -> bool:
    """Two to four capitalised words, none a title, an organisation's word, a connector or an
    acronym: "Lena Marsh", not "Mass Media" or "Leaders of Russia" (German nouns are capitalised too)."""
    words = name.split()
    return 2 <= len(words) <= 4 and not any(
        w in ORG_WORDS or w in TITLE_WORDS or w.lower() in _CONNECTORS or w.isupper() or not w[:1].isupper()
        for w in words
    )


def _surname_key(word: str) -> str:
    """A surname's key in every case: "Шадаева", "Шадаевым" and "Шадаев" give one key."""
    return re.sub(r"(?:ым|ой|ом|ем|ою|ей|ого|ому|а|у|е|ы|я|ю)$", "", word) if len(word) > 4 else word


LOOKBACK = 60
"""Sentences a pronoun or "the ministry" looks back for whom it means (articles name them
within a few paragraphs)."""


@dataclass(frozen=True, slots=True)
class Said:
    """Who stated the figures of one sentence: (offset in the sentence, speaker), in order.
    A number takes the speaker named last before it, else the first one."""

    speakers: tuple[tuple[int, str], ...] = ()
    earlier: tuple[tuple[int, str], ...] = ()
    """Organisations and people of a lower rank than the speakers, by where they are named: a
    number said before every speaker is named ("в РАЭК оценили N, а премьер X утверждал, что
    M") takes the one of these named last before it."""

    def at(self, offset: int) -> str | None:
        if self.earlier and all(at > offset for at, _ in self.speakers):
            prior = [name for at, name in self.earlier if at <= offset]
            if prior:
                return prior[-1]
        chosen = self.speakers[0][1] if self.speakers else None
        for at, name in self.speakers:
            if at <= offset:
                chosen = name
        return chosen

    @property
    def last(self) -> str | None:
        return self.speakers[-1][1] if self.speakers else None


@dataclass(frozen=True, slots=True)
class _Candidate:
    at: int
    end: int
    name: str
    rank: int  # 30 person, 20 organisation, 10 outlet (known, or a pronoun; 6 less when only
    # near a cue); 25 a person's name read by grammar, 0 any other name read by grammar


@dataclass
class SpeakerTracker:
    """Per-article memory: full names seen, and who was named in each sentence."""

    names: Names = field(default_factory=Names)
    full_names: dict[str, str] = field(default_factory=dict)  # surname key -> full name
    article: str = ""
    """The whole text, for "по данным ведомства" before the agency is named."""
    offset: int = 0
    """Where the sentence being attributed starts in `article`."""
    seen: list[str] = field(default_factory=list)
    """Each sentence remembered."""
    _people: list[str | None] = field(default_factory=list)
    """Per sentence read so far, the last person named there (by grammar)."""
    _hits_of: dict[int, list[Hit]] = field(default_factory=dict)
    _article_orgs: list[tuple[int, str]] | None = None

    def _hits(self, text: str) -> list[Hit]:
        """The known actors of the sentence about to be remembered (kept for `last`)."""
        i = len(self.seen)
        hits = self._hits_of.get(i)
        if hits is None:
            hits = self._hits_of[i] = self.names.find(text)
        return hits

    def remember(self, text: str) -> None:
        self.seen.append(text)

    def _catch_up(self) -> None:
        """Reads the names of the sentences remembered since the last call: only a surname
        alone or a pronoun needs them, so most articles never pay for it."""
        for text in self.seen[len(self._people) :]:
            person = None
            for m in _NAME.finditer(text):
                name = clean_name(m.group(0))
                if not name or any(w in ORG_WORDS for w in name.split()):
                    continue
                parts = name.split()
                if len(parts) >= 2:
                    if not _person_like(name):
                        continue
                    self.full_names[_surname_key(parts[-1])] = name
                    person = name
                elif _surname_key(parts[0]) in self.full_names:
                    person = self.full_names[_surname_key(parts[0])]
            self._people.append(person)

    def full_name(self, surname: str) -> str | None:
        self._catch_up()
        return self.full_names.get(_surname_key(surname))

    def last(self, kind: str) -> str | None:
        """The person, organisation or outlet named last; known actors are looked for only
        here, when a pronoun or "the agency" asks, since most sentences never need them."""
        self._catch_up()
        # Within LOOKBACK sentences: a page naming no one would otherwise be read back to
        # its start for every pronoun, quadratic in its length.
        for i in range(len(self.seen) - 1, max(-1, len(self.seen) - 1 - LOOKBACK), -1):
            text, person = self.seen[i], self._people[i]
            hits = self._hits_of.get(i)
            if hits is None:
                hits = self._hits_of[i] = self.names.find(text)
            named = [(h.start, h.canonical) for h in hits if h.kind == kind]
            if named:  # a known actor before a name read by grammar, as in attribution
                return max(named)[1]
            if kind == "people" and person is not None:
                return person
        return None

    def _plausible(self, name: str, sentence: str, at: int) -> bool:
        """A lone capitalised word opening a sentence ("Recruiters say") is a common noun,
        unless it is a surname seen before, a known actor or an acronym."""
        if " " in name or sentence[:at].strip(" \"'“‘«(„"):
            return True
        return (
            self.full_name(name) is not None
            or name.isupper()
            or any(w in ORG_WORDS for w in name.split())
            or self.names.canonical(name) is not None
        )

    def resolve(self, name: str) -> str:
        """The canonical name: a known actor's, else a surname's full name seen before, else
        the name in the nominative."""
        known = self.names.canonical(name)
        if known is not None:
            return known.canonical
        parts = name.split()
        full = self.full_name(parts[0]) if len(parts) == 1 else None
        if full is not None:
            known = self.names.canonical(full)
            return known.canonical if known is not None else self.names.nominative(full)
        return self.names.nominative(name)

    def _rank(self, name: str, written: str) -> int:
        known = self.names.canonical(name)
        if known is not None:
            return known.rank * 10
        return 25 if _person_like(written) else 0

    def attribute(self, sentence: str) -> Said:
        """The speakers `sentence` names itself; call before `remember(sentence)`, so that
        a pronoun points to someone named before."""
        low = sentence.lower()  # same offsets; matched case-sensitively, which is much faster
        if len(low) != len(sentence):
            low = sentence
        cue_matches = list(_ANY_CUE.finditer(low))
        cues = [(m.start(), m.end()) for m in cue_matches]
        verbs = any(m.group("verb") for m in cue_matches)
        # Names the grammar ties to a cue: after a source cue, before a verb, after a verb.
        tied: list[tuple[re.Match[str], bool]] = [
            (n, False)
            for m in cue_matches
            if not m.group("verb")
            for n in [_AFTER_SOURCE.match(sentence, m.end())]
            if n
        ]
        if verbs:
            tied += [(n, False) for n in _NAME_VERB.finditer(sentence)]
            for m in cue_matches:
                if m.group("verb"):
                    if m.group("verb") in _NAME_BEFORE:
                        continue
                    after = _AFTER_VERB if _NAME_AT_ONCE.fullmatch(m.group("verb")) else _AFTER_TITLED_VERB
                    n = after.match(sentence, m.end())
                    if n:
                        tied.append((n, True))
        if "«" in sentence:
            tied += [(n, False) for n in _QUOTED_NAME.finditer(sentence)]
        headline = _HEADLINE_COLON.match(sentence) if ":" in sentence else None
        if headline and len(headline.group("name").split()) <= 4:
            # Only a person: "Минцифры: ..." over a story is the ministry's head speaking.
            name = clean_name(headline.group("name"))
            if name and all(w[:1].isupper() for w in name.split()) and self._rank(self.resolve(name), name) >= 25:
                return Said(((0, self.resolve(name)),))
            # "Министр связи Никифоров обеспокоен: ...": a known person named in a title.
            known = self.names.canonical(headline.group("name"))
            if known is not None and known.kind == "people":
                return Said(((0, known.canonical),))
            if (
                known is None
                and name
                and name.isupper()
                and " " not in name
                and len(name) >= 3
                and name not in _HEADLINE_LABELS
                and not self.names.is_place(name)
            ):
                return Said(((0, name),))  # "IIDF: ...": an organisation no table knows, by its acronym
        if not cues:
            return Said()
        found: list[_Candidate] = []
        titled: list[tuple[int, int]] = []  # spans of "title + unknown person's name"
        for m, after_verb in tied:
            name = clean_name(m.group("name"))
            if after_verb and _CLAUSE_VERB.match(sentence, m.end("name")):
                continue  # "said Orlov was right": the subject of what was said
            if name and self._plausible(name, sentence, m.start("name")) and not self.names.is_place(name):
                canonical = self.resolve(name)
                rank = self._rank(canonical, name) if m.re is not _QUOTED_NAME else 0
                found.append(_Candidate(m.start("name"), m.end("name"), canonical, rank))
                if rank == 25:
                    titled.append((m.start("name"), m.end("name")))
        # A person the grammar ties to a cue outranks any actor merely near one: the table
        # need not be searched (the costliest step of attribution).
        # Unless a cue stands well before the first such person, with its own speaker to find.
        first_person = min((c.at for c in found if c.rank >= 25), default=None)
        near = (
            self._hits(sentence) if first_person is None or any(b + _NEAR_CUE < first_person for _, b in cues) else []
        )
        for hit in near:
            # A known title ("digital development minister") before someone else's name is
            # that person's title, not the minister the table knows.
            if any(a <= hit.start and hit.end <= b for a, b in titled):
                continue
            if any(hit.start - b <= _NEAR_CUE and a - hit.end <= _NEAR_CUE for a, b in cues):
                # Merely near a cue: below a name the grammar ties to the verb.
                found.append(_Candidate(hit.start, hit.end, hit.canonical, hit.rank * 10 - 6))
        pronoun = _PERSON_PRONOUN.search(low)
        if pronoun:
            self._catch_up()
            before = SpeakerTracker(self.names, dict(self.full_names))
            # Names inside a quote are what the speaker talks about, not who speaks.
            before.remember(_QUOTED.sub(" ", sentence[: pronoun.start()]))
            named = before.last("people") or self.last("people")
            if named:
                person = self.resolve(named)
                found.append(_Candidate(pronoun.start(), pronoun.end(), person, 30))
        anaphora = _ORG_ANAPHORA.search(low) if any(w in low for w in _ORG_NOUNS) else None
        if anaphora:
            # An agency named only after its data (a cut lead): the first one named later.
            if self._article_orgs is None:  # scanned once per article, on first need
                self._article_orgs = [
                    (h.start, h.canonical) for h in self.names.find(self.article) if h.kind == "organisations"
                ]
            org = self.last("organisations") or next((c for at, c in self._article_orgs if at >= self.offset), None)
            if org:
                found.append(_Candidate(anaphora.start(), anaphora.end(), org, 20))
        outlet = _OUTLET_ANAPHORA.search(low) if "издания" in low or "source" in low else None
        source = self.last("outlets") if outlet else None
        if outlet and source:
            found.append(_Candidate(outlet.start(), outlet.end(), source, 21))
        collective = _COLLECTIVE.search(low) if "the " in low else None
        if collective:
            name = collective.group("name")
            speaker = self.resolve(name) if name != "kremlin" else "Kremlin"
            found.append(_Candidate(collective.start(), collective.end(), speaker, 10))
        if not found:
            return Said()
        if max(c.rank for c in found) == 0:  # names read by grammar only: the first pattern's first one
            return Said(((0, found[0].name),))
        # Each cue keeps its best candidate; of those, the best kind (person, organisation,
        # outlet) speaks, and when two cues name two of that kind, each for its own numbers.
        per_cue: dict[int, _Candidate] = {}
        for c in found:
            cue = min(range(len(cues)), key=lambda i: max(cues[i][0] - c.end, c.at - cues[i][1], 0), default=0)
            if cue not in per_cue or c.rank > per_cue[cue].rank:
                per_cue[cue] = c
        tier = max((c.rank + 6) // 10 for c in per_cue.values())
        chosen: list[tuple[int, str]] = []
        for c in sorted((c for c in per_cue.values() if (c.rank + 6) // 10 == tier), key=lambda c: c.at):
            if not chosen or chosen[-1][1] != c.name:
                chosen.append((c.at, c.name))
        # Outlets stay messengers: "according to Reuters, N left, the minister said".
        earlier = sorted((c.at, c.name) for c in per_cue.values() if (c.rank + 6) // 10 < tier and c.rank >= 14)
        return Said(tuple(chosen), tuple(earlier))


def _opens_quote(text: str) -> bool:
    """Whether a quote opened in `text` is still open at its end."""
    german = text.count("„")  # „...“ in German; “...” in English
    curly = german - text.count("“") - text.count("”") if german else text.count("“") - text.count("”")
    return text.count("«") > text.count("»") or curly > 0 or text.count('"') % 2 == 1


def _read_for(sentences: Sequence[Sentence], wanted: Collection[int]) -> set[int]:
    """The paragraphs whose own attributions decide those of the `wanted` sentences: their
    paragraphs and the paragraphs of the sentences just before and after each of these
    (below, a sentence reads its paragraph, the sentence after it, and the paragraphs
    before and after its own)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, s in enumerate(sentences):
        first.setdefault(s.paragraph, i)
        last[s.paragraph] = i
    out: set[int] = set()
    for i in wanted:
        p = sentences[i].paragraph
        out.add(p)
        for j in (first[p] - 1, last[p] + 1):
            if 0 <= j < len(sentences):
                out.add(sentences[j].paragraph)
    return out


def attribute_sentences(
    text: str,
    sentences: Sequence[Sentence],
    names: Names,
    budget: Budget | None = None,
    wanted: Collection[int] | None = None,
) -> list[Said]:
    """One `Said` per sentence of an article, in order (see the module docstring); stops
    with ExtractionBudgetExceeded when `budget` is spent. With `wanted` (sentence indexes),
    only those sentences' `Said` is exact: the others' may be left empty."""
    tracker = SpeakerTracker(names, article=text)
    texts: dict[int, list[str]] = {}
    for s in sentences:
        texts.setdefault(s.paragraph, []).append(s.text)
    has_number: dict[int, bool] = {}

    def numberish(p: int) -> bool:
        # Asked lazily, a paragraph at a time, digits first: the number-word pattern is slower.
        if p not in has_number:
            has_number[p] = any(_DIGIT.search(t) or _NUMBER_WORD.search(t) for t in texts.get(p, ()))
        return has_number[p]

    def known(p: int) -> bool:
        return has_number.get(p, False)

    # Only a paragraph with a number has figures to attribute, and the paragraphs around one:
    # "sagte er:" before a quote, "– Gref said." after one. The others are only remembered.
    read = _read_for(sentences, wanted) if wanted is not None else texts.keys()
    for i in wanted or ():
        numberish(sentences[i].paragraph)  # asked first: they hold numbers, found at once
    numbered = {
        p
        for p in read
        if known(p - 1) or known(p) or known(p + 1) or numberish(p) or numberish(p - 1) or numberish(p + 1)
    }
    own: list[Said] = []
    for s in sentences:
        if budget is not None:
            budget.check()
        tracker.offset = s.start
        own.append(tracker.attribute(s.text) if s.paragraph in numbered else Said())
        tracker.remember(s.text)
    out = list(own)
    paragraphs: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        paragraphs.setdefault(s.paragraph, []).append(i)
    for i, s in enumerate(sentences):
        if own[i].speakers:
            continue
        same = paragraphs[s.paragraph]
        later = [j for j in same if j > i]
        # A quote opened here and closed in a later sentence that names its speaker; a
        # paragraph opened by a dash is direct speech ("– Up to 10 % left ..., says X").
        if _opens_quote(s.text) or s.text[:1] in QUOTE_OPENERS or (i == same[0] and s.text[:2] in _SPEECH_DASHES):
            closing = next((j for j in later if own[j].speakers), None)
            if closing is not None and not any(_opens_quote(sentences[k].text) for k in later if k < closing):
                out[i] = Said(((0, own[closing].speakers[0][1]),))
                continue
        nxt = i + 1
        if nxt < len(sentences) and _THIS_WAS_SAID.match(sentences[nxt].text) and own[nxt].speakers:
            out[i] = Said(((0, own[nxt].speakers[0][1]),))
            continue
        earlier = [j for j in same if j < i and out[j].speakers]
        if earlier:
            out[i] = Said(((0, out[earlier[-1]].last or ""),))
            continue
        if sentences[same[0]].text[:1] in QUOTE_OPENERS:
            # A quoted paragraph: "sagte er:" ends the paragraph before, or "– Gref said."
            # opens the one after.
            before, after = same[0] - 1, same[-1] + 1
            if before >= 0 and sentences[before].text.rstrip().endswith(":") and own[before].speakers:
                out[i] = Said(((0, own[before].last or ""),))
            elif after < len(sentences) and sentences[after].text[:1] in _DASH and own[after].speakers:
                out[i] = Said(((0, own[after].speakers[0][1]),))
    return out
