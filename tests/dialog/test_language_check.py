"""Advice on outgoing drafts (R5.1): LIX, platform length, injected detectors."""

import pytest

from kanalvakt.dialog.language_check import (
    DEFAULT_PLATFORM_LIMITS,
    check_draft,
    lix,
    platform_length,
)

pytestmark = pytest.mark.req("R5.1")


def codes(advice):
    return [a.code for a in advice]


def test_lix_by_hand():
    # 6 words, 2 sentences, 2 long words (Kommunen, Välkommen): 6/2 + 100·2/6.
    result = lix("Kommunen har öppet i dag. Välkommen!")
    assert (result.words, result.sentences, result.long_words) == (6, 2, 2)
    assert result.score == pytest.approx(36.3, abs=0.05)
    assert result.band_sv == "medelsvår (normal tidningstext)"


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Vi har öppet. Kom hit. Det är kul.", "very_easy"),
        (
            "Kommunfullmäktiges sammanträdesprotokoll publiceras efter justeringen "
            "tillsammans med tjänsteskrivelser, bilagor och reservationer.",
            "very_hard",
        ),
    ],
)
def test_lix_bands(text, band):
    assert lix(text).band == band


def test_links_are_not_words():
    assert lix("Läs mer på https://www.osby.se/kommun-och-politik.").words == 3


def test_too_long_for_x_is_an_error_but_fine_on_facebook():
    text = "Hej! " + "Simhallen har öppet i sommar. " * 10
    assert len(text) > 280
    x_advice = check_draft(text, "x")
    assert x_advice[0].code == "too_long" and x_advice[0].severity == "error"
    assert "too_long" not in codes(check_draft(text, "facebook"))


def test_links_count_23_on_x():
    text = "Läs mer: https://www.osby.se/" + "a" * 100
    assert platform_length(text, "x") == len("Läs mer: ") + 23
    assert platform_length(text, "mastodon") == len(text)


def test_limits_table_can_be_replaced():
    advice = check_draft("Välkommen till Osby!", "x", limits={"x": 10})
    assert "too_long" in codes(advice)
    assert DEFAULT_PLATFORM_LIMITS["instagram"] == 2200


def test_unknown_platform_is_a_warning():
    assert "unknown_platform" in codes(check_draft("Hej!", "myspace"))


def test_hard_text_gets_a_readability_warning_in_swedish():
    text = (
        "Samhällsbyggnadsförvaltningens handläggningstider för bygglovsansökningar "
        "förväntas förlängas väsentligt under semesterperioden."
    )
    advice = [a for a in check_draft(text, "facebook") if a.code.startswith("lix_")]
    assert advice[0].severity == "warning"
    assert "mycket svår" in advice[0].message_sv


def test_shouting_and_repeated_punctuation():
    advice = check_draft("VI HAR STÄNGT IDAG PÅ GRUND AV STORMEN!!", "facebook")
    assert {"shouting", "repeated_punctuation"} <= set(codes(advice))


def test_injected_detector_flags_become_advice_most_severe_first():
    seen = []

    def detectors(text):
        seen.append(text)
        return ["profanity_obscene", {"category": "confidential", "evidence": "19121212-1212"}]

    advice = check_draft("Ring oss om ärendet.", "facebook", detectors=detectors)
    assert seen == ["Ring oss om ärendet."]
    assert advice[0].code == "flag_confidential" and advice[0].severity == "error"
    assert advice[0].evidence == "19121212-1212"
    assert "flag_profanity_obscene" in codes(advice)


def test_empty_draft():
    assert codes(check_draft("   ", "x")) == ["empty"]
