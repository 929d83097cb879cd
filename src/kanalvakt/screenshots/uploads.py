"""Checking and cleaning a screenshot a person uploads (PNG, JPEG or PDF).

The header must say what the file is, the size and pixel count are capped, and the file
is rewritten so no metadata comes along (camera, GPS, author, software): images are
re-encoded with Pillow, PDFs are re-assembled from their pages with pypdf after refusing
anything that can act (JavaScript, launch actions, embedded files, rich media, XFA forms).
What is stored is the cleaned file; its SHA-256 is what the record keeps.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kanalvakt.screenshots import conf

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"
# PDF names that make a document act rather than show; refused wherever they appear.
ACTIVE_PDF_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/RichMedia",
    "/XFA",
    "/AA",
    "/GoToE",
    "/SubmitForm",
    "/ImportData",
}
ACTIVE_PDF_VALUES = {
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/FileAttachment",
    "/RichMedia",
    "/GoToE",
    "/SubmitForm",
    "/ImportData",
    "/Sound",
    "/Movie",
}
MAX_PDF_OBJECTS = 200_000


@dataclass
class CleanUpload:
    data: bytes
    content_type: str
    width: int | None = None
    height: int | None = None


def read_capped(uploaded) -> bytes:
    limit = conf.get("SCREENSHOT_UPLOAD_MAX_BYTES")
    if getattr(uploaded, "size", 0) and uploaded.size > limit:
        raise ValidationError(_too_large(limit))
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_too_large(limit))
    if not data:
        raise ValidationError(_("The file is empty."))
    return data


def _too_large(limit: int) -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}


def clean_upload(uploaded) -> CleanUpload:
    data = read_capped(uploaded)
    if data.startswith(PNG_MAGIC):
        return _clean_image(data, "PNG")
    if data.startswith(JPEG_MAGIC):
        return _clean_image(data, "JPEG")
    if data.lstrip(b"\r\n\t ")[:5] == PDF_MAGIC:
        return _clean_pdf(data)
    raise ValidationError(_("Upload a PNG or JPEG image or a PDF file."))


def _clean_image(data: bytes, expected: str) -> CleanUpload:
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_pixels = conf.get("SCREENSHOT_UPLOAD_MAX_PIXELS")
    unreadable = _("The image could not be read; it may be damaged.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != expected:
                raise ValidationError(unreadable)
            if probe.width * probe.height > max_pixels:  # from the header, before decoding
                raise Image.DecompressionBombError
            probe.verify()  # structure and checksums, before decoding any pixels
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep what the person saw, lose EXIF
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            if expected == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            if expected == "PNG":
                image.save(out, format="PNG", optimize=False)  # no pnginfo: text chunks dropped
            else:
                image.save(out, format="JPEG", quality=92, exif=b"", icc_profile=None)
            width, height = image.size
    except Image.DecompressionBombError:
        raise ValidationError(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(unreadable) from None
    content_type = "image/png" if expected == "PNG" else "image/jpeg"
    return CleanUpload(out.getvalue(), content_type, width, height)


def _active_parts(reader) -> set[str]:
    """Names of active content anywhere reachable in the document (bounded walk)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValidationError(_("The PDF is too complex to check."))
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in ACTIVE_PDF_KEYS:
                    found.add(name)
                if isinstance(value, NameObject) and value in ACTIVE_PDF_VALUES:
                    found.add(str(value))
                if name != "/Parent":  # the page tree is walked from the root down
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def _clean_pdf(data: bytes) -> CleanUpload:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    unreadable = _("The PDF could not be read; it may be damaged.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("Encrypted PDF files are not accepted."))
        if len(reader.pages) == 0:
            raise ValidationError(unreadable)
        active = _active_parts(reader)
        if active:
            raise ValidationError(
                _(
                    "The PDF contains active content (%(names)s) and is not accepted; print the "
                    "screenshot to a new PDF or upload an image instead."
                )
                % {"names": ", ".join(sorted(active))}
            )
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Metadata", "/PieceInfo", "/Annots"):
                if key in page:
                    del page[key]
            writer.add_page(page)
        writer.metadata = None  # no document information (author, producer, dates)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError):
        raise ValidationError(unreadable) from None
    return CleanUpload(out.getvalue(), "application/pdf")
