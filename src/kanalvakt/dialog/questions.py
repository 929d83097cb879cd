"""Detect questions addressed to the municipality in Swedish comments (R3.1).

A transparent, rule-based scorer: every rule that fires becomes a `Cue`
(code, weight, the text that triggered it), so a moderator can see *why* a
comment was put on the response-time clock. Positive cues are the forms a
Swedish question takes (question mark, interrogative word followed by a
verb, verb-first yes/no question, indirect requests such as "jag undrar");
negative cues catch what looks like a question but wants no answer from the
municipality: rhetorical questions, questions to other commenters, and
advertising.

Pure Python; no Django import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Raw score at which a comment counts as a question. A question mark alone
# reaches it; any negative cue of weight ≥ 0.5 then needs a second positive
# cue to compensate.
QUESTION_THRESHOLD = 2.0


@dataclass(frozen=True)
class Cue:
    code: str
    weight: float
    evidence: str


@dataclass(frozen=True)
class QuestionResult:
    is_question: bool
    score: float  # 0..1, logistic of the raw score around QUESTION_THRESHOLD
    cues: tuple[Cue, ...]
    explanation_sv: str
    raw_score: float = 0.0


# --- lexicon -------------------------------------------------------------


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


WH_WORDS = _lexicon("hur när var vart varifrån varför vem vems vilken vilket vilka vad va vafan")
# Common finite verb forms; anything else counts as finite only when it looks
# like a present/passive form followed by its subject (see _looks_finite).
FINITE_VERBS = _lexicon("""
    är e var va har hade kan kunde ska skall skulle får fick går gick finns fanns
    gäller gällde blir blev kommer kom gör gjorde vill ville måste behöver bör
    borde brukar tänker stämmer hinner funkar fungerar ligger låg står stod
    händer hände hänt öppnar stänger vet visste menar tar tog tror räcker krävs
    behövs ingår känner hjälper planerar kostar betyder heter sker ansvarar
    beslutar bestämmer äger sköter gäller töms hämtas läggs tänds börjar slutar
    """)
SUBJECT_PRONOUNS = _lexicon(
    "det de dom den detta dessa man ni i jag ja vi du han hon någon nån kommunen folk alla"
)
# Words that may sit between a wh-word and its verb ("hur länge är", "vilken
# dag töms", "hur i helvete ska").
WH_MODIFIERS_MAX = 2
EXPLETIVES = _lexicon("fan helvete i sjutton tusan jävla jäkla the hell")
LEADING_FILLERS = _lexicon("""
    hej hejsan hallå hallo tjena tja tjenare hörru hörni yo wtf omg men och ok okej
    alltså asså snälla btw ps eh öh jo jaha aha kommunen osby kommun hello hi
    """)
IDIOMS_NOT_QUESTIONS = re.compile(
    r"\b(hur|vem|vad|var|när|vilken|vilket) (\w+ )?som helst\b|\bhur mycket som helst\b"
    r"|^vem vet\b(?!\s*\?)|^vad (ni|du|man|de) än\b"
)
# Verbs that open a yes/no question even with a noun subject and no question
# mark ("gäller förbudet även …"); they rarely open a subject-less statement.
NOUN_SUBJECT_QUESTION_VERBS = _lexicon("gäller finns stämmer ingår krävs behövs öppnar")
EN_QUESTION_STARTS = _lexicon(
    "how when where why who which what is are can could do does will would should"
)

INDIRECT_REQUESTS = [
    re.compile(p)
    for p in (
        # Not "man undrar" (musing) nor "den som undrar" (relative clause).
        r"(?<!man )(?<!kan )(?<!som )\bundrar (om|hur|när|var|vart|varför|vem|vems|vilken|"
        r"vilket|vilka|vad|över|lite|bara|också)\b",
        r"\b(skulle|ville) (gärna |bara )?vilja (veta|fråga)\b",
        r"\b(vill|ville|behöver|måste) (gärna |bara |också )?(veta|få veta|fråga)\b",
        r"\b(jag|vi) har en fråga\b",
        r"\bvore (tacksam|tacksamma|glad|glada) (om|för)\b",
        r"\btacksam(ma|t)? för (svar|besked|info|information)\b",
        r"\b(någon|nån) som vet\b",
        r"\bkan (ni|någon|nån) (berätta|förklara|svara)\b",
        r"\bi (was )?wonder(ing)?\b|\b(would like|want) to know\b",
    )
]

RHETORICAL_PHRASES = [
    r"\bhur (kan|får|ska) (man|ni|de|dom|du|någon|nån|folk|en) (vara|bli) så\b",
    r"\bhur \w+ (får|kan) (man|du|ni|de|dom|folk) (vara|bli)\b",
    r"\bhur (svårt|svår) kan det (vara|va)\b",
    r"\bvem bryr sig\b",
    r"\bvem tar ansvar(et)?\b",
    r"\bär det bara jag som\b",
    r"\bvad (trodde|väntade) (ni|du|de|dom|man)\b",
    r"\bhur tänkte (ni|du|de|dom|man)( nu| där| här)?\s*[?!]",
    r"\bvad (är|e) det för fel på\b",
    r"\bvem (kunde|kan) (ana|tro|gissa)\b",
    r"\bvem (har|vill|skulle) inte\b",
    r"\bvad vore\b",
    r"\bhur länge ska (vi|man|ni) (behöva |få )?(stå ut|acceptera|tåla|finna oss|tolerera)\b",
    r"\bhur ska (vi|man|jag|någon|nån) kunna (lita|tro)\b",
    r"\bvarför (ens|bry sig|göra)\b",
    r"\bkan det bli (bättre|sämre|värre)\b",
    r"\bvad (ska|kan) man (säga|göra)\s*[.!…]",
    r"\bvad mer kan man (begära|önska)\b",
    r"\bman (kan |får )?(ju )?undra(r)?\b",
    r"\bfrågan är (väl|ju)\b",
    r"\bundrar inte på\b",
    r"\beller hur\s*\?",
    r"\bvisste (ni|du) att\b",
    r"\bhur var det (nu )?(man|jag|de|dom) sa\b",
    r"\b(är|e) (ni|du|de|dom) (seriösa?|allvarliga?|galna?|dumma?|inte kloka?|helt \w+)\b",
    r"\bskämtar (ni|du)\b",
    r"\bär det (så )?(konstigt|märkligt|underligt|konstigt då) att\b",
    r"\bhur många gånger ska (vi|man|jag) (behöva )?\b",
    r"\bdet bästa (ni|de|dom|man|kommunen) kunde\b",
    r"\bwhy would anyone\b|\bwho cares\b|\bwhat were (you|they) thinking\b",
]
RHETORICAL_RE = re.compile("|".join(f"(?:{p})" for p in RHETORICAL_PHRASES))
# Particles that turn a question into a reproach ("vad har de egentligen
# gjort?", "har du ens läst?").
RHETORICAL_PARTICLES = {
    "egentligen": 1.5,
    "ens": 1.5,
    "verkligen": 1.0,
    "annars": 1.0,
    "någonsin": 1.0,
    "nånsin": 1.0,
}
INDIGNANT_VARFOR_SKA = re.compile(r"\bvarför (ska|skall) (?!jag\b)\w+")

PEER_REQUESTS = re.compile(
    r"\bvem (vill|hänger|följer|hakar|är) (med|på)\b"
    r"|\bvem vill (följa|hänga|haka|ha|köpa|låna)\b"
    r"|\b(någon|nån) som vill\b"
    r"|\b(vill|kan) (någon|nån) (\w+ ){0,2}?(låna|köpa|sälja|ha|skjutsa|följa med|hänga på|"
    r"ge bort|byta)\b"
    r"|\bhar (någon|nån) (en|ett|några|lite) .{0,40}?\b(låna|låna ut|sälja|över|ge bort)\b"
    r"|\b(ska vi ses|ses vi)\b"
    # Appeals to fellow readers: "är det fler som …", "har ni också märkt …".
    r"|\b(är det|finns det) (någon|nån|fler) (mer |fler |annan )?(än jag )?som\b"
    r"|\b(någon|nån) mer som\b"
    r"|\b(har|är) (ni|du|någon|nån) (också|fler) (märkt|sett|upplevt|noterat|irriterade?)\b"
)
SECOND_PERSON_SINGULAR = re.compile(r"\b(du|dig|dej|din|ditt|dina)\b")
VOCATIVE_NAME = re.compile(
    r"^\s*[A-ZÅÄÖ][a-zåäöé]+\s*,|,\s*[A-ZÅÄÖ][a-zåäöé]+\s*[?!.]*\s*$|\b(du|dig) [A-ZÅÄÖ][a-zåäöé]+"
)
MENTION = re.compile(r"@(\w[\w.]*(?: [A-ZÅÄÖ][\wåäö]+)?)")
ADDRESSES_MUNICIPALITY = re.compile(r"\b(ni|er|era|ert|kommunen|hej|hejsan|hallå)\b")

STRONG_AD_MARKERS = [
    r"\b(https?://|www\.)\S+|\b[\w-]+\.(se|com|net|nu|org|io|xyz|live|online|cc|to|shop)\b",
    r"(\+46|\b0\d{1,3})[\s-]?\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b",
    r"\blänk(en)? i (bio|profilen)\b",
    r"\b(dm|pm|inbox)\b",
    r"\b(whatsapp|telegram|snap|signal)\b",
    r"\b(ring|kontakta|mejla) oss\b",
    r"\bvi (fixar|erbjuder|säljer|levererar|söker|löser)\b",
    r"\brabatt(kod)?\b",
    r"\bkampanj\b",
    r"\bbeställ\b",
    r"\bregistrera dig\b",
    r"\bskriv \w+ i kommentarerna\b",
    r"\bbyt till\b",
    r"\bdemo\b",
    r"\b(vill|ska) (ni|du) (köpa|beställa|prova|testa)\b",
    r"\b(hos|till) oss\b",
    r"\bannonsera\b",
    r"\bsäljer\b",
    r"\bintresserade?\s*\?",
]
WEAK_AD_MARKERS = [r"\bboka\b", r"\bköp\b", r"\bgratis\b", r"\d\s?kr\b", r"\btjäna\b", r"\bvinn\b"]
STRONG_AD_RE = [re.compile(p) for p in STRONG_AD_MARKERS]
WEAK_AD_RE = [re.compile(p) for p in WEAK_AD_MARKERS]

JOKING = re.compile(r"😂|🤣|😆|\bhaha\w*|\blol\b|\bxd\b")
SARCASM = re.compile(r"🙄|😏|\s/s\b")
# A reply that opens with one of these answers the writer's own question.
SELF_ANSWER_OPENERS = _lexicon("nej nä nix knappast")
SELF_ANSWER_WORDS = _lexicon("ja ingen inget ingenting aldrig noll precis exakt")
SELF_ANSWER_PHRASES = re.compile(
    r"^(ingen vet|ingen aning|inte en chans|svaret är|(uppenbarligen|tydligen|antagligen) inte)\b"
)
# Short verdicts after a question mark it as a complaint, not a request.
VERDICTS = re.compile(
    r"\b(typiskt|skandal\w*|otroligt|sjukt|pinsamt|skämmigt|oacceptabelt|löjligt|patetiskt|"
    r"skärpning|hopplöst|bedrövligt|uselt|suck|fy)\b"
)
SELF_ANSWER_MARKERS = re.compile(r"\b(såklart|självklart|förstås|givetvis|naturligtvis)\b")
THANKS = re.compile(r"\b(tack|tackar|mvh|hälsningar|thanks|thank you)\b|🙏|😊|🙂")

SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")
# Clauses end at commas, colons, dashes and at emoji (anything that is not a
# word character, space or ordinary punctuation).
CLAUSE_SPLIT = re.compile(r"[,;:\u2013\u2014]+|(?:(?![\w\s?!.'’%&/@#\-])\S)+")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")

CUE_TEXT_SV = {
    "question_mark": "frågetecken",
    "interrogative_word": "frågeord med verb ({})",
    "verb_first": "omvänd ordföljd som i en ja/nej-fråga ({})",
    "indirect_request": "indirekt fråga ({})",
    "english_question": "engelsk fråga ({})",
    "addresses_municipality": "vänder sig till kommunen ({})",
    "rhetorical_phrase": "retorisk formulering ({})",
    "rhetorical_particle": "retoriskt laddat ord ({})",
    "indignant_why_should": "upprört 'varför ska …' ({})",
    "exclamation_question": "frågetecken med utropstecken ({})",
    "self_answered": "skribenten besvarar själv frågan ({})",
    "exclamation_follows": "kort utrop efter frågan ({})",
    "verdict_follows": "kort omdöme efter frågan ({})",
    "to_commenter": "riktad till en enskild person, inte kommunen ({})",
    "vocative_name": "tilltalar en namngiven person ({})",
    "mention": "nämner en annan användare ({})",
    "peer_request": "vänder sig till andra läsare ({})",
    "commercial": "reklam eller försäljning ({})",
    "joking": "skämtsam ton ({})",
    "sarcasm": "ironisk ton ({})",
}


# --- sentence analysis ---------------------------------------------------


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _strip_fillers(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) - 1 and words[i] in LEADING_FILLERS:
        i += 1
    return words[i:]


def _looks_finite(word: str, following: str | None) -> bool:
    if word in FINITE_VERBS:
        return True
    if word in SUBJECT_PRONOUNS or len(word) < 3:
        return False
    # Present tense (-r) or s-passive verbs count when the subject follows
    # them: inversion ("ansöker man", "töms glasigloon") marks a question.
    if word.endswith(("r", "s")) and following is not None:
        return following in SUBJECT_PRONOUNS or word.endswith(("as", "es", "ms", "ts", "ds"))
    return False


def _interrogative_clause(words: list[str], marked: bool) -> str | None:
    """The wh-word if the clause is a wh-question ('när öppnar ni')."""
    if not words or words[0] not in WH_WORDS:
        return None
    rest = words[1:]
    if marked:
        return words[0]
    skipped = 0
    while rest and skipped <= WH_MODIFIERS_MAX:
        word, following = rest[0], rest[1] if len(rest) > 1 else None
        if word in SUBJECT_PRONOUNS:
            return None  # "när jag var liten": subordinate clause, not a question
        if _looks_finite(word, following):
            return words[0]
        if word not in EXPLETIVES and words[0] not in {"hur", "vilken", "vilket", "vilka", "vad"}:
            return None
        rest, skipped = rest[1:], skipped + 1
    return None


def _verb_first_clause(words: list[str], marked: bool) -> str | None:
    """'kan ni …', 'finns det …': verb then subject, the yes/no question order."""
    if len(words) < 2 or (words[0] in WH_WORDS and words[0] not in FINITE_VERBS):
        return None
    verb = words[0]
    subject = words[1] if words[1] != "inte" or len(words) < 3 else words[2]
    if verb in FINITE_VERBS or verb in NOUN_SUBJECT_QUESTION_VERBS:
        if subject in SUBJECT_PRONOUNS or (marked and subject not in NOT_SUBJECTS):
            return f"{verb} {subject}"
        definite_noun = subject.endswith(("en", "et", "na")) and subject not in NOT_SUBJECTS
        if verb in NOUN_SUBJECT_QUESTION_VERBS and definite_noun:
            return f"{verb} {subject}"
        return None
    # Verbs outside the lexicon only with a question mark and a pronoun
    # subject ("planerar ni …?"); "i" there is a preposition, not Skånska "I".
    if marked and verb.endswith("r") and subject in SUBJECT_PRONOUNS - {"i"}:
        return f"{verb} {subject}"
    return None


NOT_SUBJECTS = _lexicon("""
    bara inte så också nog väl ju redan att verkligen aldrig alltid inget ingen
    ingenting mycket gärna hoppas mer lite snart precis helt typ sakna bli bott
    """)


@dataclass
class _Sentence:
    text: str
    lower: str
    marked: bool  # ends with a question mark
    exclaims: bool


def _split_sentences(text: str) -> list[_Sentence]:
    sentences = []
    for part in SENTENCE_SPLIT.split(text.strip()):
        stripped = part.strip()
        if not WORD.search(stripped):
            continue
        tail = re.search(r"[?!.…]*$", re.sub(r"[^\w?!.…]+$", "", stripped)).group()
        sentences.append(
            _Sentence(stripped, stripped.lower(), "?" in tail, "!" in tail and "?" not in tail)
        )
    return sentences


def _sentence_cues(sentence: _Sentence, following: _Sentence | None) -> list[Cue]:
    cues: list[Cue] = []
    lower = sentence.lower
    if sentence.marked:
        cues.append(Cue("question_mark", 2.0, "?"))
        if re.search(r"\?\s*!|!\s*\?", sentence.text):
            cues.append(Cue("exclamation_question", -3.0, "?!"))
    if IDIOMS_NOT_QUESTIONS.search(lower) and not sentence.marked:
        return cues
    for number, clause in enumerate(CLAUSE_SPLIT.split(sentence.text)):
        words = _strip_fillers(_words(clause))
        if not words or (number > 0 and not sentence.marked):
            continue  # an unmarked question must open its sentence
        if sentence.exclaims and not sentence.marked:
            break
        wh = _interrogative_clause(words, sentence.marked)
        v1 = None if wh else _verb_first_clause(words, sentence.marked)
        english = sentence.marked and words[0] in EN_QUESTION_STARTS and not (wh or v1)
        weight = 0.5 if sentence.marked else 2.0
        if wh:
            cues.append(Cue("interrogative_word", weight, " ".join(words[:3])))
        elif v1:
            cues.append(Cue("verb_first", weight, v1))
        elif english:
            cues.append(Cue("english_question", 0.5, " ".join(words[:3])))
        if wh or v1 or english:
            break
    for pattern in INDIRECT_REQUESTS:
        if match := pattern.search(lower):
            cues.append(Cue("indirect_request", 2.5, match.group()))
            break
    cues.extend(_rhetoric_cues(sentence, following))
    return cues


def _rhetoric_cues(sentence: _Sentence, following: _Sentence | None) -> list[Cue]:
    cues = []
    lower = sentence.lower
    if match := RHETORICAL_RE.search(lower):
        cues.append(Cue("rhetorical_phrase", -3.0, match.group().strip(" ?!")))
    words = set(_words(lower))
    for particle, weight in RHETORICAL_PARTICLES.items():
        if particle in words:
            cues.append(Cue("rhetorical_particle", -weight, particle))
    if match := INDIGNANT_VARFOR_SKA.search(lower):
        cues.append(Cue("indignant_why_should", -1.5, match.group()))
    if SECOND_PERSON_SINGULAR.search(lower) and "kommun" not in lower:
        cues.append(Cue("to_commenter", -2.0, SECOND_PERSON_SINGULAR.search(lower).group()))
        if match := VOCATIVE_NAME.search(sentence.text):
            cues.append(Cue("vocative_name", -1.0, match.group().strip(" ,?!.")))
    if following is not None and sentence.marked:
        answer = _words(following.lower)
        if answer and (
            (answer[0] in SELF_ANSWER_OPENERS and len(answer) <= 8)
            or (answer[0] in SELF_ANSWER_WORDS and len(answer) <= 2)
            or SELF_ANSWER_PHRASES.search(following.lower)
            or (SELF_ANSWER_MARKERS.search(following.lower) and len(answer) <= 5)
        ):
            cues.append(Cue("self_answered", -2.0, following.text))
        elif len(answer) <= 4 and VERDICTS.search(following.lower):
            cues.append(Cue("verdict_follows", -1.5, following.text))
        elif following.exclaims and len(answer) <= 3 and not THANKS.search(following.lower):
            cues.append(Cue("exclamation_follows", -1.0, following.text))
    return cues


def _text_cues(text: str, has_question_form: bool) -> list[Cue]:
    """Cues that belong to the whole comment rather than one sentence."""
    if not has_question_form:
        return []
    lower = text.lower()
    cues = []
    for match in MENTION.finditer(text):
        if "kommun" not in match.group(1).lower():
            cues.append(Cue("mention", -3.0, match.group()))
            break
    if match := PEER_REQUESTS.search(lower):
        cues.append(Cue("peer_request", -3.0, match.group()))
    strong = [m.group() for r in STRONG_AD_RE if (m := r.search(lower))]
    weak = [m.group() for r in WEAK_AD_RE if (m := r.search(lower))]
    if len(strong) + 0.5 * len(weak) >= 2:
        cues.append(Cue("commercial", -3.0, ", ".join(strong + weak)))
    if match := JOKING.search(lower):
        cues.append(Cue("joking", -1.5, match.group()))
    if match := SARCASM.search(lower):
        cues.append(Cue("sarcasm", -1.0, match.group().strip()))
    if match := ADDRESSES_MUNICIPALITY.search(lower):
        cues.append(Cue("addresses_municipality", 0.5, match.group()))
    return cues


POSITIVE_FORMS = {"question_mark", "interrogative_word", "verb_first", "indirect_request"}


def detect_question(text: str) -> QuestionResult:
    """Is `text` a real question to the municipality? With the cues as evidence."""
    sentences = _split_sentences(text or "")
    best_score, best_cues = 0.0, []
    for index, sentence in enumerate(sentences):
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        cues = _sentence_cues(sentence, following)
        score = sum(c.weight for c in cues)
        if any(c.code in POSITIVE_FORMS for c in cues) and (not best_cues or score > best_score):
            best_score, best_cues = score, cues
    text_cues = _text_cues(text or "", bool(best_cues))
    cues = tuple(best_cues + text_cues)
    raw = sum(c.weight for c in cues)
    is_question = bool(best_cues) and raw >= QUESTION_THRESHOLD
    score = 1.0 / (1.0 + math.exp(-(raw - QUESTION_THRESHOLD + 0.5) * 2))
    return QuestionResult(is_question, round(score, 3), cues, _explain(is_question, cues), raw)


def _describe(cues: Iterable[Cue]) -> str:
    return ", ".join(CUE_TEXT_SV[c.code].format(f"”{c.evidence}”") for c in cues)


def _explain(is_question: bool, cues: tuple[Cue, ...]) -> str:
    positive = [c for c in cues if c.weight > 0]
    negative = [c for c in cues if c.weight < 0]
    if is_question:
        text = f"Fråga till kommunen: {_describe(positive)}."
        if negative:
            text += f" Trots: {_describe(negative)}."
        return text
    if not positive:
        return "Ingen fråga: inget frågetecken, frågeord eller formulering som ”jag undrar”."
    return (
        f"Frågeform ({_describe(positive)}), men ingen fråga till kommunen: {_describe(negative)}."
    )
