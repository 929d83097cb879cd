"""A minimal PDF/A-3b writer: pages of text and rules, embedded font subsets, sRGB.

What PDF/A-3b (ISO 19005-3, level B) asks of such a file, and where it is done here:
fonts embedded (``font.Font.subset_program``) with widths that match the program (/W from
the same metrics); an sRGB output intent (the ICC profile shipped beside this file); XMP
metadata with ``pdfaid:part=3`` / ``conformance=B``, uncompressed, matching the Info
dictionary; a file identifier; no encryption, no transparency, no external content; a
binary comment after the header. Text carries a ToUnicode map, so it can be searched and
extracted. The output depends only on the input: the same thread gives the same bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from kanalvakt.exports.pdfa.font import REPLACEMENT, Font

A4 = (595.28, 841.89)
ICC_PROFILE = (Path(__file__).parent / "sRGB2014.icc").read_bytes()
PRODUCER = "Kanalvakt"


@dataclass
class FontUse:
    """A font as used in one document: the resource name and the glyphs drawn."""

    font: Font
    resource: str
    gids: set[int] = field(default_factory=set)
    chars: dict[int, str] = field(default_factory=dict)  # gid -> the character it shows
    _seen: set[str] = field(default_factory=set)
    _missing: set[str] = field(default_factory=set)  # characters the font lacks

    def show(self, text: str) -> str:
        """Content operators drawing ``text`` (Identity-H glyph ids). A character the font
        lacks is drawn as U+FFFD inside an /ActualText span, so copying or extracting the
        text still gives the original character."""
        font, chars = self.font, set(text)
        for char in chars.difference(self._seen):
            self._seen.add(char)
            gid = font.gid_of.get(char)
            if gid is None:
                self._missing.add(char)
                gid = font.replacement_gid
            self.gids.add(gid)
            self.chars.setdefault(gid, char if char in font.gid_of else REPLACEMENT)
        if self._missing.isdisjoint(chars):
            return f"<{text.translate(font.hex_table)}> Tj"
        replacement, parts, run = f"{font.replacement_gid:04X}", [], []
        for char in text:
            if char not in self._missing:
                run.append(font.hex_table[ord(char)])
                continue
            if run:
                parts.append(f"<{''.join(run)}> Tj")
                run = []
            actual = char.encode("utf-16-be").hex()
            parts.append(f"/Span << /ActualText <FEFF{actual}> >> BDC <{replacement}> Tj EMC")
        if run:
            parts.append(f"<{''.join(run)}> Tj")
        return " ".join(parts)


class Writer:
    """Collects numbered objects and writes them with a cross-reference table."""

    def __init__(self):
        self._objects: list[bytes | None] = []

    def reserve(self) -> int:
        self._objects.append(None)
        return len(self._objects)

    def put(self, number: int, body: str | bytes) -> int:
        self._objects[number - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return number

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, entries: str, data: bytes, compress: bool = True) -> int:
        if compress:
            data, entries = zlib.compress(data, 6), f"{entries} /Filter /FlateDecode"
        head = f"<< {entries} /Length {len(data)} >>\nstream\n".encode("latin-1")
        return self.add(head + data + b"\nendstream")

    def finish(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self._objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        file_id = hashlib.sha256(out).hexdigest()[:32]  # 16 bytes, like an MD5 id
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += (
            f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R /Info {info} 0 R "
            f"/ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        ).encode("latin-1")
        return bytes(out)


def write_pdf(pages: list[bytes], fonts: list[FontUse], title: str, author: str) -> bytes:
    """A PDF/A-3b file of A4 pages (content streams that use ``fonts`` by resource name)."""
    writer = Writer()
    pages_root = writer.reserve()
    font_refs = " ".join(f"/{use.resource} {_font(writer, use)} 0 R" for use in fonts)
    kids = [
        writer.add(
            f"<< /Type /Page /Parent {pages_root} 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] "
            f"/Resources << /Font << {font_refs} >> >> "
            f"/Contents {writer.stream('', content)} 0 R >>"
        )
        for content in pages
    ]
    writer.put(
        pages_root,
        f"<< /Type /Pages /Count {len(kids)} /Kids [{' '.join(f'{k} 0 R' for k in kids)}] >>",
    )
    icc = writer.stream("/N 3", ICC_PROFILE)
    intent = writer.add(
        "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
        "/RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) "
        f"/DestOutputProfile {icc} 0 R >>"
    )
    metadata = writer.stream("/Type /Metadata /Subtype /XML", _xmp(title, author), compress=False)
    root = writer.add(
        f"<< /Type /Catalog /Pages {pages_root} 0 R /Metadata {metadata} 0 R "
        f"/OutputIntents [{intent} 0 R] /Lang (sv) >>"
    )
    info = writer.add(
        f"<< /Title {_text(title)} /Author {_text(author)} /Producer {_text(PRODUCER)} "
        f"/Creator {_text(PRODUCER)} >>"
    )
    return writer.finish(root, info)


def _font(writer: Writer, use: FontUse) -> int:
    font = use.font
    gids = font.with_components(use.gids)
    name = f"{font.subset_tag(gids)}+{font.name}"
    program = font.subset_program(gids)
    file = writer.stream(f"/Length1 {len(program)}", program)
    descriptor = writer.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 "
        f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 /Ascent {font.ascent} "
        f"/Descent {font.descent} /CapHeight {font.cap_height} /StemV 80 /FontFile2 {file} 0 R >>"
    )
    widths = " ".join(f"{gid} [{font.widths[gid]}]" for gid in sorted(use.gids))
    cid_font = writer.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity >>"
    )
    to_unicode = writer.stream("", _to_unicode(use.chars))
    return writer.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
    )


def _to_unicode(chars: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    pairs = sorted(chars.items())
    for start in range(0, len(pairs), 100):  # at most 100 entries per block
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += (f"<{gid:04X}> <{char.encode('utf-16-be').hex()}>" for gid, char in chunk)
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


def _text(value: str) -> str:
    """A PDF text string: UTF-16BE with byte order mark, as hex (no escaping needed)."""
    return f"<FEFF{value.encode('utf-16-be').hex()}>"


def _xmp(title: str, author: str) -> bytes:
    title, author = escape(title), escape(author)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>sv</rdf:li></rdf:Bag></dc:language></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{PRODUCER}</pdf:Producer></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool></rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()
