"""Question detection (R3.1): forms of Swedish questions, and what is not one."""

import pytest

from kanalvakt.dialog.questions import detect_question

pytestmark = pytest.mark.req("R3.1")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("När töms soptunnorna i Rya?", "interrogative_word"),
        ("Går det att boka idrottshallen på helgen?", "verb_first"),
        ("Får man grilla vid badplatsen?", "verb_first"),
        ("Jag undrar om biblioteket har öppet i påsk.", "indirect_request"),
        ("Skulle vilja veta vem som ansvarar för gatubelysningen", "indirect_request"),
        ("hur söker man plats på fritids", "interrogative_word"),
        ("Kan ni ringa mig om fakturan", "verb_first"),
        ("Is the library open on Sundays?", "question_mark"),
    ],
)
def test_questions_to_the_municipality_are_detected_with_their_cue(text, cue):
    result = detect_question(text)
    assert result.is_question
    assert cue in {c.code for c in result.cues}
    assert result.explanation_sv.startswith("Fråga till kommunen")
    assert result.score > 0.5


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Vem bryr sig om vad vi tycker?", "rhetorical_phrase"),
        ("Hur svårt kan det vara att laga en gatlykta?", "rhetorical_phrase"),
        ("Fyra miljoner på en ny skylt?!", "exclamation_question"),
        ("Kan det bli bättre än så här? Nej!", "rhetorical_phrase"),
        ("@Lisa Berg har du sett bilderna?", "mention"),
        ("Vem vill följa med på loppisen på lördag?", "peer_request"),
        ("Trött på elräkningen? Byt till oss, länk i bio", "commercial"),
        ("Har du skulder? Vi löser dem, skriv DM", "to_commenter"),
        ("Vad har nämnden egentligen gjort i år? Ingenting.", "rhetorical_particle"),
    ],
)
def test_rhetorical_commenter_and_advertising_questions_are_not(text, cue):
    result = detect_question(text)
    assert not result.is_question
    assert cue in {c.code for c in result.cues}
    assert result.explanation_sv.startswith("Frågeform")


@pytest.mark.parametrize(
    "text",
    [
        "När jag var liten fanns det ett bibliotek i byn.",
        "Vilket fint väder idag!",
        "Hur som helst, tack för en fin kväll.",
        "Har bott här i trettio år och trivs.",
        "Tack för snabbt svar!",
        "",
        "👍👍",
    ],
)
def test_statements_are_not_questions(text):
    result = detect_question(text)
    assert not result.is_question
    assert result.cues == ()
    assert result.explanation_sv.startswith("Ingen fråga")


def test_criticism_and_profanity_do_not_hide_a_real_question():
    result = detect_question("Vad i helvete, varför har ni stängt återvinningen en tisdag??")
    assert result.is_question


def test_question_after_a_statement_is_found():
    result = detect_question("Vattnet är brunt igen. Är det säkert att dricka det?")
    assert result.is_question
    assert any(c.evidence == "är det" for c in result.cues)


def test_cues_carry_their_evidence():
    result = detect_question("Hej, jag undrar när simhallen öppnar igen?")
    evidence = {c.code: c.evidence for c in result.cues}
    assert evidence["indirect_request"] == "undrar när"
    assert evidence["question_mark"] == "?"
    assert "”undrar när”" in result.explanation_sv
