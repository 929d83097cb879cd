"""Swedish social-media normalisation keeps a map back to the original text."""

import pytest

from kanalvakt.core.textnorm import normalize, squeeze


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("h0ra", "hora"),
        ("j4vla", "javla"),
        ("sh!t", "shit"),
        ("f i t t a", "fitta"),
        ("H-E-L-V-E-T-E", "helvete"),
        ("f.a.n", "fan"),
        ("jääääävla", "jäävla"),
        ("Ｆｉｔｔａ", "fitta"),  # fullwidth
        ("𝐟𝐢𝐭𝐭𝐚", "fitta"),  # mathematical bold
        ("fіtta", "fitta"),  # Cyrillic і
        ("fi\u200btta", "fitta"),  # zero-width space
        ("ja\u0308vla", "jävla"),  # combining diaeresis
        ("naïve café", "naive café"),
        ("HELVETE", "helvete"),
    ],
)
def test_obfuscations_are_undone(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "plain",
    [
        "4 för 3 på sommardäck",
        "sommar2024",
        "klass 5B",
        "P4 Kristianstad",
        "99 kr",
        "Hej!",
        "@Linnéa",
    ],
)
def test_numbers_and_codes_are_not_turned_into_letters(plain):
    assert normalize(plain).text == plain.lower()


def test_spans_map_back_to_the_original_text():
    raw = "Du är en F i T t A, eller hur?"
    norm = normalize(raw)
    start = norm.text.index("fitta")
    a, b = norm.original_span(start, start + len("fitta"))
    assert raw[a:b] == "F i T t A"


def test_leet_and_elongation_spans_point_into_the_original():
    raw = "vilken j4äääävla dag"
    norm = normalize(raw)
    start = norm.text.index("ja")
    a, b = norm.original_span(start, len(norm.text) - len(" dag"))
    assert raw[a:b] == "j4äääävla"


def test_squeeze_collapses_doubled_letters_with_an_index():
    norm = normalize("jävvla fitta")
    squeezed, index = squeeze(norm)
    assert squeezed == "jävla fita"
    assert norm.text[index[squeezed.index("fita")]] == "f"


def test_plain_text_is_unchanged_apart_from_case():
    raw = "Kommunen sköter detta uselt."
    norm = normalize(raw)
    assert norm.text == raw.lower()
    assert norm.source == tuple(range(len(raw)))
