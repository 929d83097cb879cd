"""Side-by-side comparison with off-the-shelf tools, on the same comments.

- confidential data: Presidio (presidio-analyzer) with only its Swedish personnummer
  recogniser and the ``no_op`` NLP engine (no spaCy model), against our personnummer
  detector and our whole ``confidential`` category;
- profanity: better-profanity loaded with the Swedish LDNOOBW word list that ships in
  the repository (src/kanalvakt/moderation/lexicon/third_party/ldnoobw/sv.txt).

Run through ``bench/moderation_speed.py --compare``. Dev-only dependencies.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from kanalvakt.moderation.detectors import personnummer, screen

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests/moderation/data/moderation-dev.jsonl"
SV_WORDS = ROOT / "src/kanalvakt/moderation/lexicon/third_party/ldnoobw/sv.txt"
PNR_SENTENCES = 2000


def _rate(fn, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return len(texts) / (time.perf_counter() - start)


def _pr(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def presidio_analyzer():
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SePersonnummerRecognizer

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": "sv", "model_name": "none"}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["sv"])
    registry.add_recognizer(SePersonnummerRecognizer())
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["sv"])
    return lambda text: [r for r in engine.analyze(text, language="sv") if r.score >= 0.5]


def profanity_filter():
    from better_profanity import Profanity

    words = [w.strip() for w in SV_WORDS.read_text("utf-8").splitlines() if w.strip()]
    return Profanity(words)


def pnr_sentences() -> list[tuple[str, bool]]:
    """Skatteverket test numbers (positive) and look-alikes (negative) in sentences."""
    data = ROOT / "tests/moderation/data/personnummer"
    pins = json.loads((data / "allPins.json").read_text())[:: 41_000 // (PNR_SENTENCES // 2)]
    out = [(f"Mitt personnummer är {p[:8]}-{p[8:]}, när får jag svar?", True) for p in pins]
    negatives = [
        "Fakturanummer 19980604-7712 har kommit två gånger.",
        "Ring mig på 0701740635 efter fem.",
        "Vårt organisationsnummer är 802005-1952.",
        "Mötet är 2024-03-15 kl 18.",
        "OCR 4608239986 på inbetalningskortet.",
        "Ordernummer 5704289999 har inte kommit.",
    ]
    for i in range(len(out)):
        out.append((negatives[i % len(negatives)], False))
    return out


def compare(texts: list[str], ours_rate: float) -> None:
    items = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line]
    dev_texts = [i["text"] for i in items]

    print("\n## confidential data (Presidio SE_PERSONNUMMER, no_op NLP engine)")
    presidio = presidio_analyzer()
    ours_pnr = lambda t: personnummer.find(t)  # noqa: E731
    sentences = pnr_sentences()
    for name, fn in (("presidio", presidio), ("kanalvakt personnummer", ours_pnr)):
        p, r = _pr([bool(fn(t)) for t, _ in sentences], [g for _, g in sentences])
        n = len(sentences)
        print(f"{name:<26} personnummer sentences (n={n}): precision {p:.3f} recall {r:.3f}")
    gold_conf = ["confidential" in i["labels"] for i in items]
    presidio_pred = [bool(presidio(t)) for t in dev_texts]
    ours_conf = [any(f.category == "confidential" for f in screen(t)) for t in dev_texts]
    for name, pred in (("presidio", presidio_pred), ("kanalvakt confidential", ours_conf)):
        p, r = _pr(pred, gold_conf)
        print(
            f"{name:<26} dev set 'confidential' (n={len(items)}): precision {p:.3f} recall {r:.3f}"
        )
    presidio_rate = _rate(presidio, texts)
    pnr_rate = _rate(ours_pnr, texts)
    print(
        f"speed: presidio {presidio_rate:,.0f}/s, kanalvakt personnummer {pnr_rate:,.0f}/s "
        f"(x{pnr_rate / presidio_rate:.1f}), kanalvakt all detectors {ours_rate:,.0f}/s "
        f"(x{ours_rate / presidio_rate:.1f})"
    )

    print("\n## profanity (better-profanity with the Swedish LDNOOBW list)")
    bp = profanity_filter()
    gold_prof = ["profanity_obscene" in i["labels"] for i in items]
    bp_pred = [bp.contains_profanity(t) for t in dev_texts]
    ours_prof = [any(f.category == "profanity_obscene" for f in screen(t)) for t in dev_texts]
    for name, pred in (("better-profanity", bp_pred), ("kanalvakt profanity", ours_prof)):
        p, r = _pr(pred, gold_prof)
        flagged_clean = sum(pr and not i["labels"] for pr, i in zip(pred, items, strict=True))
        print(
            f"{name:<26} dev set 'profanity_obscene': precision {p:.3f} recall {r:.3f}, "
            f"unlabelled comments flagged {flagged_clean}"
        )
    bp_rate = _rate(bp.contains_profanity, texts)
    print(
        f"speed: better-profanity {bp_rate:,.0f}/s, kanalvakt all detectors {ours_rate:,.0f}/s "
        f"(x{ours_rate / bp_rate:.1f})"
    )
