"""Statistical classifier trained on moderators' decisions; adds to the rules, never replaces them.

Character n-grams (which cope with Swedish inflection, compounds and misspellings)
feed one logistic regression per category. A flag from it is marked
``statistical=True`` and only added for a category the explainable rules did not
flag. Nothing here is needed for the rules to work: with no trained model,
``screen_with_model(text, None)`` is just the rules.

    model = train([("Köp billiga klockor på ...", ["commercial"]), ("Tack!", []), ...])
    model.save(path); model = ClassifierModel.load(path)
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kanalvakt.core.textnorm import normalize

from .detectors import CATEGORIES, Flag, ScreenContext, screen
from .detectors.terms import Lexicon

FORMAT_VERSION = 1
DEFAULT_THRESHOLD = 0.7


@dataclass
class ClassifierModel:
    vectorizer: object
    estimators: dict[str, object]  # category -> fitted LogisticRegression
    threshold: float = DEFAULT_THRESHOLD
    trained_on: int = 0
    meta: dict[str, object] = field(default_factory=dict)

    def probabilities(self, text: str) -> dict[str, float]:
        features = self.vectorizer.transform([normalize(text).text])
        return {c: float(est.predict_proba(features)[0, 1]) for c, est in self.estimators.items()}

    def predict(self, text: str) -> list[Flag]:
        flags = []
        for category, p in self.probabilities(text).items():
            if p >= self.threshold:
                flags.append(
                    Flag(
                        category=category,
                        score=round(p, 3),
                        spans=((0, len(text)),),
                        rule="statistical.char_ngram",
                        explanation_sv="Den statistiska modellen, tränad på moderatorernas "
                        f"tidigare beslut, bedömer texten som trolig ({p:.0%}).",
                        severity=1,
                        statistical=True,
                    )
                )
        return flags

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as fh:
            pickle.dump({"version": FORMAT_VERSION, "model": self}, fh)

    @classmethod
    def load(cls, path: str | Path) -> ClassifierModel:
        # Only load models this installation wrote itself: pickle runs code.
        with open(path, "rb") as fh:
            payload = pickle.load(fh)  # noqa: S301
        if payload.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported classifier format {payload.get('version')!r}")
        return payload["model"]


def train(
    examples: Iterable[tuple[str, Sequence[str]]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_examples: int = 3,
) -> ClassifierModel:
    """Fit on (text, categories) pairs, e.g. moderators' decisions; retrain at will.

    A category needs ``min_examples`` positive and negative examples, or it is left
    to the rules alone.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    pairs = [(normalize(text).text, set(labels)) for text, labels in examples]
    if not pairs:
        raise ValueError("no training examples")
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True, max_features=200_000
    )
    matrix = vectorizer.fit_transform([t for t, _ in pairs])
    estimators = {}
    for category in CATEGORIES:
        y = [category in labels for _, labels in pairs]
        positives = sum(y)
        if positives < min_examples or len(y) - positives < min_examples:
            continue
        est = LogisticRegression(max_iter=1000, class_weight="balanced", C=4.0)
        est.fit(matrix, y)
        estimators[category] = est
    return ClassifierModel(vectorizer, estimators, threshold, len(pairs))


def screen_with_model(
    text: str,
    model: ClassifierModel | None,
    context: ScreenContext | None = None,
    lexicon: Lexicon | None = None,
) -> list[Flag]:
    """Rule flags, plus statistical flags for categories the rules left unflagged."""
    flags = screen(text, context, lexicon)
    if model is None:
        return flags
    ruled = {f.category for f in flags}
    extra = [f for f in model.predict(text) if f.category not in ruled]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(flags + extra, key=lambda f: order[f.category])
