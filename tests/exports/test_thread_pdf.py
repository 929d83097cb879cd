"""Thread renderings: PDF/A-3b files typeset by Kanalvakt's own writer (ADR 0114).

Read back with poppler (pdftotext, pdftoppm: FreeType must draw the embedded subsets),
pypdf (the PDF/A parts) and fontTools (the font programs).
"""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from kanalvakt.exports.pdfa.font import font
from kanalvakt.exports.sip_pdf import render_thread
from pdf_text import pdf_text

CHANNEL, CREATOR = "Osby kommun på Facebook", "Osby kommun"


def item(number, text, kind="comment", author="Åsa Öberg"):
    return {
        "id": number,
        "kind": kind,
        "kind_label": "Kommentar",
        "author": author,
        "created": "2026-03-01 10:00",
        "edited": "",
        "deleted": "",
        "status_label": "Allmän handling (inkommen)",
        "text": text,
    }


def ink(data: bytes, page: int = 1) -> float:
    """Share of dark pixels when poppler draws the page (0 if it draws nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        source, image = Path(folder) / "in.pdf", Path(folder) / "page"
        source.write_bytes(data)
        done = subprocess.run(
            ["pdftoppm", "-gray", "-singlefile", "-r", "40", "-f", str(page), "-l", str(page),
             str(source), str(image)],
            capture_output=True, check=True, timeout=60,
        )  # fmt: skip
        pixels = image.with_suffix(".pgm").read_bytes().split(b"\n", 3)[3]  # after the header
    assert b"Error" not in done.stderr, done.stderr
    return sum(1 for value in pixels if value < 128) / len(pixels)


def qpdf_check(data: bytes) -> str:
    """qpdf's structural check (cross-reference table, object syntax, stream encodings)."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (scripts/ensure_system_packages.sh installs it)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        done = subprocess.run(["qpdf", "--check", file.name], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def thread():
    items = [item(1, "Vi bygger om torget i Osby i vår.", kind="post", author=CREATOR)]
    items += [
        item(n, f"Kommentar nummer {n}: när blir det klart? Tack för svar!") for n in range(2, 60)
    ]
    items.append(item(60, "Svar: i maj.\nAndra raden.", kind="reply", author=CREATOR))
    return items


@pytest.mark.req("R7.2")
def test_a_thread_is_a_readable_pdf_a_with_every_item(thread):
    data = render_thread(CHANNEL, CREATOR, 7, thread)
    text = pdf_text(data)
    assert "Tråd i Osby kommun på Facebook" in text
    assert "Osby kommun · Tråd 7 · 60 inlägg" in text
    for number in (2, 31, 59):
        assert f"Kommentar nummer {number}: när blir det klart?" in text
    assert "Svar: i maj.\nAndra raden." in text and "Arkiv-id 60" in text
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    pages = len(reader.pages)
    footers = re.findall(r"^(\d+) ?/ ?(\d+)$", text, re.MULTILINE)  # pdftotext drops spaces
    assert footers == [(str(n), str(pages)) for n in range(1, pages + 1)]
    assert ink(data) > 0.005 and ink(data, pages) > 0.001


def test_the_pdf_a_parts_are_there_and_agree(thread):
    data = render_thread(CHANNEL, CREATOR, 7, thread)
    assert data.startswith(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") and data.endswith(b"%%EOF\n")
    reader = PdfReader(io.BytesIO(data), strict=True)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp  # PDF/A: the metadata stream is not compressed
    xml = xmp.get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>" in xml
    assert f'<rdf:li xml:lang="x-default">Tråd i {CHANNEL}</rdf:li>' in xml
    assert reader.metadata.title == f"Tråd i {CHANNEL}" and reader.metadata.author == CREATOR
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile
    assert len(reader.trailer["/ID"]) == 2
    assert "No syntax or stream encoding errors found" in qpdf_check(data)
    assert render_thread(CHANNEL, CREATOR, 7, thread) == data  # same thread, same bytes


def test_fonts_are_embedded_subsets_whose_widths_match_the_program(thread):
    data = render_thread(CHANNEL, CREATOR, 7, thread)
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2
    for ref in fonts.values():
        type0 = ref.get_object()
        cid_font = type0["/DescendantFonts"][0].get_object()
        assert cid_font["/CIDToGIDMap"] == "/Identity"
        tag, name = str(cid_font["/BaseFont"])[1:].split("+")
        assert len(tag) == 6 and tag.isupper() and name.startswith("DejaVuSans")
        program = cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        embedded = TTFont(io.BytesIO(program), checkChecksums=2)  # raises on a bad checksum
        assert len(program) < 120_000  # a subset, not the 740 kB font
        shipped = font(name)
        widths = cid_font["/W"]
        used = {int(widths[i]): int(widths[i + 1][0]) for i in range(0, len(widths), 2)}
        order = embedded.getGlyphOrder()
        for gid, width in used.items():
            advance = embedded["hmtx"][order[gid]][0]
            assert abs(advance * 1000 / embedded["head"].unitsPerEm - width) <= 1
            assert width == shipped.widths[gid]
        glyf = embedded["glyf"]
        assert glyf[order[shipped.gid_of["å"]]].numberOfContours != 0 or name.endswith("Bold")
        assert glyf[order[shipped.gid_of["Q"]]].numberOfContours == 0  # not used: empty
        assert len(order) < shipped.glyph_count  # glyphs after the last one used are cut


def test_hostile_and_odd_text_is_drawn_as_text(thread):
    nasty = (
        "</p><script>alert(1)</script> (paren) \\back\\slash %%EOF endstream\x00\x07 "
        "tab\there ❤️ 😀 " + "x" * 3000 + "\r\nslut"
    )
    data = render_thread(CHANNEL, CREATOR, 8, [item(1, nasty), item(2, "漢字 och 𝄞")])
    assert b"<script>" not in data and b"(paren)" not in data  # text is glyph ids, not bytes
    text = pdf_text(data)
    assert "</p><script>alert(1)</script> (paren) \\back\\slash %%EOF endstream" in text
    assert "here ❤ 😀" in text and "slut" in text  # the tab is spaces: pdftotext splits there
    assert text.count("x") >= 3000
    assert "漢字 och 𝄞" in text  # not in the font: drawn as � but extracted as written
    assert ink(data) > 0.005


def test_right_to_left_text_goes_through_the_shaping_renderer():
    data = render_thread(CHANNEL, CREATOR, 9, [item(1, "شكرا لكم على المعلومات")])
    assert PdfReader(io.BytesIO(data)).metadata.producer.startswith("WeasyPrint")
    assert "المعلومات" in pdf_text(data)


def test_text_is_cleaned_to_what_can_be_drawn():
    from kanalvakt.exports.pdfa.layout import clean

    assert clean("a\r\nb\rc\u2028d\u2029e") == "a\nb\nc\nd\ne"  # every line break kept
    assert clean("tab\there\u200b\x00\ufe0f") == "tab    here"  # nothing invisible drawn
    assert clean("a\u030a") == "å"  # composed: one glyph, no shaping needed
