"""Personnummer and samordningsnummer in running text (R7.6), on Skatteverket's test numbers."""

import datetime as dt
import json
from pathlib import Path

import pytest
from personnummer import personnummer as personnummer_package

from kanalvakt.moderation.detectors import personnummer, screen

DATA = Path(__file__).parent / "data" / "personnummer"
TODAY = dt.date(2026, 1, 1)


def _test_numbers() -> list[str]:
    numbers = set()
    for name in ("allPins.json", "allCoords.json", "skatteverket_testpersonnummer_2024.json"):
        numbers.update(json.loads((DATA / name).read_text()))
    return sorted(numbers)


def _formats(twelve: str) -> list[str]:
    short_sep = "+" if int(twelve[:4]) <= TODAY.year - 100 else "-"
    return [twelve, f"{twelve[:8]}-{twelve[8:]}", f"{twelve[2:8]}{short_sep}{twelve[8:]}"]


@pytest.mark.req("R7.6")
def test_every_skatteverket_test_number_is_found_inside_a_sentence():
    numbers = _test_numbers()
    assert len(numbers) > 43_000
    missed = []
    for number in numbers:
        for written in _formats(number):
            text = f"Hej! Mitt nummer är {written}, varför har jag inte fått svar?"
            found = personnummer.find(text, TODAY)
            if [text[n.start : n.end] for n in found] != [written]:
                missed.append(written)
    assert missed == []


@pytest.mark.req("R7.6")
def test_samordningsnummer_are_recognised_as_such():
    found = personnummer.find("Samordningsnummer 0112652219.", TODAY)
    assert len(found) == 1 and found[0].coordination


def _cases(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text())


@pytest.mark.req("R7.6")
@pytest.mark.parametrize("case", _cases("list.json"), ids=lambda c: c["separated_format"])
def test_valid_and_invalid_cases_of_the_personnummer_spec(case):
    for key in ("long_format", "short_format", "separated_format", "separated_long"):
        text = f"Personen med nummer {case[key]} har hört av sig."
        assert bool(personnummer.find(text, TODAY)) is case["valid"], case[key]


@pytest.mark.req("R7.6")
def test_structured_valid_and_invalid_strings():
    structured = json.loads((DATA / "structured.json").read_text())
    for kind in structured.values():
        for value in kind["string"]["valid"]:
            assert personnummer.find(f"Nummer: {value}.", TODAY), value
        for value in kind["string"]["invalid"]:
            assert not personnummer.find(f"Nummer: {value}.", TODAY), value


@pytest.mark.req("R7.6")
@pytest.mark.parametrize("case", _cases("orgnumber.json"), ids=lambda c: c["separated_format"])
def test_organisation_numbers_are_not_personnummer(case):
    for key in ("short_format", "separated_format"):
        assert personnummer.find(f"Vårt organisationsnummer {case[key]}.", TODAY) == []
        assert personnummer.find(f"Föreningen {case[key]} har möte.", TODAY) == []


@pytest.mark.req("R7.6")
@pytest.mark.parametrize(
    "text",
    [
        "Ring mig på 0701740635 efter fem.",
        "Mobil: 070-174 06 35",
        "Mötet är 2024-03-15 kl 18.",
        "Datum 20240315, tid 1800.",
        "OCR 4608239986 på inbetalningskortet.",
        "Fakturanummer 19980604-7712",
        "Ordernummer 5704289999 har inte kommit.",
        "Kundnummer: 8112189876",
        "Det kostar 1234567890 kronor.",
        "Född 1990-01-01.",
        "Nummer 991231-0000 är inte giltigt.",
        "Framtida 20991231-1234.",
    ],
)
def test_phone_numbers_dates_and_reference_numbers_are_not_personnummer(text):
    assert personnummer.find(text, TODAY) == []


def test_a_number_called_a_personnummer_is_reported_even_after_a_reference_word():
    text = "Kundnummer är mitt personnummer 4608239986"
    assert personnummer.find(text, TODAY)


def test_agrees_with_the_personnummer_package_on_valid_test_numbers():
    for number in _test_numbers()[::500]:
        if int(number[6:8]) >= 60:
            continue  # the package checks samordningsnummer dates more strictly than Skatteverket
        assert personnummer.is_valid(number, TODAY) == personnummer_package.valid(number)


@pytest.mark.req("R7.6")
def test_screen_flags_a_personnummer_as_confidential_with_its_span():
    text = "Bengt, personnr 19560130-2176, vill ha svar."
    flag = next(f for f in screen(text) if f.category == "confidential")
    assert flag.rule == "confidential.personnummer"
    assert [text[a:b] for a, b in flag.spans] == ["19560130-2176"]
