"""The statistical classifier trained on moderators' decisions (TrainingExample rows).

`kanalvakt moderation train` fits it and writes it to VAR_DIR; screening then adds its
flags to the rules' (never replaces them) for categories the rules left unflagged."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

_cache: dict[str, object] = {}


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "moderation-classifier.pkl"


def train_from_decisions(extra_examples=()) -> tuple[Path, int]:
    from kanalvakt.moderation.classifier import train
    from kanalvakt.moderation.models import TrainingExample

    examples = [(e.text, e.labels) for e in TrainingExample.objects.all()]
    examples.extend(extra_examples)
    model = train(examples)
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    _cache.clear()
    return path, len(examples)


def current_model():
    """The trained model if one was written, reloaded when the file changes."""
    from kanalvakt.moderation.classifier import ClassifierModel

    path = model_path()
    if not path.exists():
        return None
    stamp = path.stat().st_mtime_ns
    if _cache.get("stamp") != stamp:
        _cache["model"] = ClassifierModel.load(path)
        _cache["stamp"] = stamp
    return _cache["model"]
