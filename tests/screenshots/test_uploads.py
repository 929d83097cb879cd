"""Uploaded screenshots: type by header, size cap, metadata stripped, active PDFs refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from kanalvakt.screenshots.uploads import clean_upload
from screenshots import files


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (msgids) whatever an earlier test activated."""
    with translation.override("en"):
        yield


def upload(data: bytes, name="screenshot.bin"):
    return clean_upload(SimpleUploadedFile(name, data))


def test_png_is_re_encoded_without_its_text_metadata():
    original = files.png_with_text("Author: Anna Andersson")
    assert b"Anna Andersson" in original
    clean = upload(original)
    assert clean.content_type == "image/png" and (clean.width, clean.height) == (64, 48)
    assert b"Anna Andersson" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).getpixel((0, 0)) == (20, 120, 60)


def test_jpeg_loses_exif_and_gps():
    original = files.jpeg_with_gps()
    assert b"PhoneMaker" in original
    clean = upload(original)
    assert clean.content_type == "image/jpeg"
    assert b"PhoneMaker" not in clean.data and b"Exif" not in clean.data
    assert not Image.open(io.BytesIO(clean.data)).getexif()


def test_pdf_is_rewritten_without_document_information():
    original = files.pdf()
    assert b"Anna Andersson" in original
    clean = upload(original)
    assert clean.content_type == "application/pdf" and clean.data.startswith(b"%PDF-")
    assert b"Anna Andersson" not in clean.data


@pytest.mark.parametrize(
    "extra", [files.PDF_WITH_JAVASCRIPT_EXTRA, files.PDF_WITH_EMBEDDED_FILE_EXTRA]
)
def test_pdf_with_javascript_or_embedded_files_is_refused(extra):
    with pytest.raises(ValidationError, match="active content"):
        upload(files.pdf(extra))


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\x00" * 40,  # another image type
        b"<html><script>alert(1)</script></html>",  # a page pretending to be an image
        b"\x89PNG\r\n\x1a\n" + b"not really a png" * 4,  # right header, broken body
        b"%PDF-1.7\nnot a pdf at all\n",
        files.png_with_text()[:60],  # truncated
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(ValidationError):
        upload(data)


def test_the_size_is_capped(settings):
    settings.SCREENSHOT_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="larger than"):
        upload(files.png_with_text("x" * 4000))


def test_the_pixel_count_is_capped(settings):
    settings.SCREENSHOT_UPLOAD_MAX_PIXELS = 1000
    out = io.BytesIO()
    Image.new("L", (2000, 2000)).save(out, format="PNG")
    with pytest.raises(ValidationError, match="too many pixels"):
        upload(out.getvalue())
