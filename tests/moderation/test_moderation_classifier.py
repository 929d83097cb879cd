"""The statistical classifier adds to the explainable rules and never replaces them."""

import json
from pathlib import Path

import pytest

from kanalvakt.moderation.classifier import ClassifierModel, screen_with_model, train
from kanalvakt.moderation.detectors import screen

DEV = Path(__file__).parent / "data" / "moderation-dev.jsonl"


@pytest.fixture(scope="module")
def model():
    items = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line]
    return train([(i["text"], i["labels"]) for i in items])


def test_trains_one_estimator_per_category_with_examples(model):
    assert model.trained_on == 300
    assert "commercial" in model.estimators


def test_save_and_load_round_trip(model, tmp_path):
    path = tmp_path / "model.pkl"
    model.save(path)
    loaded = ClassifierModel.load(path)
    text = "Köp billiga solglasögon, 50 % rabatt idag"
    assert loaded.probabilities(text) == pytest.approx(model.probabilities(text))


def test_statistical_flags_are_marked_and_only_add_categories(model):
    model.threshold = 0.0  # everything passes: shows the merge rule
    text = "Jävla skit"
    rules = screen(text)
    combined = screen_with_model(text, model)
    assert [f for f in combined if not f.statistical] == rules
    statistical = [f for f in combined if f.statistical]
    assert statistical and all(f.rule == "statistical.char_ngram" for f in statistical)
    assert not {f.category for f in statistical} & {f.category for f in rules}
    model.threshold = 0.7


def test_without_a_model_only_the_rules_run():
    text = "Du är en idiot, Jonas."
    assert screen_with_model(text, None) == screen(text)


def test_training_needs_examples():
    with pytest.raises(ValueError):
        train([])
