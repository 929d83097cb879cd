"""Masking for access requests: text spans replaced, image areas burned in.

Masked text is *replaced* by a marker before anything is rendered, so the hidden words
never reach a page, a PDF or a CSV; masked image pixels are overwritten in a new file
(not covered by an overlay), saved without the original's metadata.
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Common provisions of offentlighets- och sekretesslagen (2009:400); free text is allowed.
COMMON_PROVISIONS = [
    ("OSL 26 kap. 1 §", gettext_lazy("social services")),
    ("OSL 25 kap. 1 §", gettext_lazy("health and medical care")),
    ("OSL 21 kap. 1 §", gettext_lazy("health and sexual life, any authority")),
    ("OSL 21 kap. 3 §", gettext_lazy("protected personal details (e.g. address)")),
    ("OSL 21 kap. 7 §", gettext_lazy("personal data processed against the GDPR")),
    ("OSL 23 kap. 1 §", gettext_lazy("preschool")),
    ("OSL 23 kap. 2 §", gettext_lazy("school: pupil health and special support")),
]
MAX_PROVISION_LENGTH = 300
MAX_SNIPPETS = 50
MAX_RECTANGLES = 50


def clean_provision(chosen: str, other: str = "") -> str:
    provision = (other or chosen or "").strip()
    if not provision:
        raise ValidationError(_("Give the OSL provision the secrecy follows from."))
    if len(provision) > MAX_PROVISION_LENGTH:
        raise ValidationError(_("The provision is too long."))
    return provision


def marker(provision: str) -> str:
    """The text shown where something was masked, always in Swedish (a public document)."""
    with translation.override("sv"):
        return _("[masked – %(provision)s]") % {"provision": provision}


def parse_snippets(value: str) -> list[str]:
    """One snippet a line, exactly as it appears in the text; blank lines ignored."""
    snippets = [line.strip() for line in value.splitlines() if line.strip()]
    if not snippets:
        raise ValidationError(_("Enter at least one piece of text to mask."))
    if len(snippets) > MAX_SNIPPETS:
        raise ValidationError(_("Too many pieces of text at once."))
    return snippets


def find_spans(text: str, snippets: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every snippet, case-insensitive: a name is masked however
    it is capitalised."""
    spans = []
    for snippet in snippets:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(snippet), text, re.I)]
    return spans


def _merge(regions: list[dict]) -> list[dict]:
    """Overlapping or touching regions of one field become one (the first's provision)."""
    merged: list[dict] = []
    for region in sorted(regions, key=lambda r: (r["field"], r["start"], r["end"])):
        last = merged[-1] if merged else None
        if last and last["field"] == region["field"] and region["start"] <= last["end"]:
            last["end"] = max(last["end"], region["end"])
        else:
            merged.append(dict(region))
    return merged


def render_masked(value: str, regions: list[dict]) -> str:
    parts, position = [], 0
    for region in sorted(regions, key=lambda r: r["start"]):
        parts += [value[position : region["start"]], marker(region["provision"])]
        position = region["end"]
    parts.append(value[position:])
    return "".join(parts)


def mask_fields(fields: dict[str, str], snippets: list[str], provision: str, previous=()):
    """(masked fields, regions) of one item's fields: the new snippets' spans added to
    the regions masked before. Regions are offsets into the original, never the words."""
    regions = list(previous)
    for name, value in fields.items():
        regions += [
            {"field": name, "start": start, "end": end, "provision": provision}
            for start, end in find_spans(value, snippets)
        ]
    regions = _merge(regions)
    masked = {
        name: render_masked(value, [r for r in regions if r["field"] == name])
        for name, value in fields.items()
    }
    return masked, regions


def parse_rectangles(value: str) -> list[tuple[int, int, int, int]]:
    """Lines of "x, y, width, height" in pixels from the image's top left corner."""
    rectangles = []
    for line in value.splitlines():
        if not line.strip():
            continue
        numbers = re.findall(r"-?\d+", line)
        if len(numbers) != 4:
            raise ValidationError(_("Write each area as: x, y, width, height."))
        x, y, width, height = (int(n) for n in numbers)
        if x < 0 or y < 0 or width <= 0 or height <= 0:
            raise ValidationError(_("Areas need a positive width and height inside the image."))
        rectangles.append((x, y, width, height))
    if not rectangles:
        raise ValidationError(_("Enter at least one area to mask."))
    if len(rectangles) > MAX_RECTANGLES:
        raise ValidationError(_("Too many areas at once."))
    return rectangles


def burn_rectangles(data: bytes, rectangles: list[tuple[int, int, int, int]]) -> bytes:
    """A new PNG with the areas' pixels replaced by black; no metadata is carried over."""
    from PIL import Image, ImageDraw, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            image = source.convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("The file is not an image that can be masked.")) from error
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for x, y, w, h in rectangles:
        if x >= width or y >= height:
            raise ValidationError(_("Areas need a positive width and height inside the image."))
        draw.rectangle([x, y, min(x + w, width) - 1, min(y + h, height) - 1], fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
