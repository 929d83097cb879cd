"""TrueType fonts for PDF/A: metrics, and per-document subsets of exactly the glyphs used.

PDF/A requires every font program embedded. Embedding all of DejaVu Sans (740 kB) in each
of thousands of thread PDFs is out of the question, and fontTools' general subsetter costs
~0.1 s per document. A subset for a CIDFontType2 with ``/CIDToGIDMap /Identity`` only needs
the glyphs used at their original glyph ids, so a subset is: the used glyphs' outlines (and
their composite components), empty outlines elsewhere, the metrics of the used glyphs, and
the hinting tables unchanged — array copying, ~1 ms (docs/decisions/0114).
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REPLACEMENT = "\ufffd"  # drawn for characters the font lacks; the text layer keeps the original
# Tables a TrueType program in a CIDFontType2 needs (ISO 32000-1, 9.9); cmap, names, kerning
# and OpenType layout are not used by PDF readers and stay out.
KEPT_TABLES = ("cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep")
_COMPONENT_FLAGS = ((0x0008, 2), (0x0040, 4), (0x0080, 8))  # scale, x/y scale, 2x2 matrix


class Font:
    """One TrueType font file, read once per process."""

    def __init__(self, path: Path):
        tt = TTFont(path)
        self.name = tt["name"].getDebugName(6) or path.stem
        head, hhea = tt["head"], tt["hhea"]
        scale = 1000 / head.unitsPerEm
        self.ascent = round(hhea.ascent * scale)
        self.descent = round(hhea.descent * scale)
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.cap_height = round(getattr(tt["OS/2"], "sCapHeight", hhea.ascent) * scale)
        order = tt.getGlyphOrder()
        gid_of_name = {name: gid for gid, name in enumerate(order)}
        self.glyph_count = len(order)
        metrics = tt["hmtx"].metrics
        self._metrics = [metrics[name] for name in order]
        self.widths = [round(advance * scale) for advance, _ in self._metrics]  # 1/1000 em
        self.gid_of = {chr(cp): gid_of_name[name] for cp, name in tt.getBestCmap().items()}
        self.replacement_gid = self.gid_of[REPLACEMENT]
        # Per character: its glyph id as 4 hex digits (Identity-H text) and its width.
        self.hex_table = {ord(char): f"{gid:04X}" for char, gid in self.gid_of.items()}
        self.width_of = _Widths({char: self.widths[gid] for char, gid in self.gid_of.items()})
        self.width_of.missing = self.widths[self.replacement_gid]
        self._tables = {tag: tt.reader[tag] for tag in KEPT_TABLES if tag in tt.reader}
        loca = tt["loca"]
        self._offsets = [loca[gid] for gid in range(self.glyph_count + 1)]
        self._components: dict[int, tuple[int, ...]] = {}
        self._glyph_checksums: dict[int, int] = {}
        unchanged = set(self._tables) - {"glyf", "loca", "hmtx", "head", "hhea", "maxp"}
        self._table_checksums = {tag: _checksum(self._tables[tag]) for tag in unchanged}

    def measure(self, text: str) -> int:
        """Advance width of ``text`` in 1/1000 em."""
        return sum(map(self.width_of.__getitem__, text))

    def glyph_data(self, gid: int) -> bytes:
        return self._tables["glyf"][self._offsets[gid] : self._offsets[gid + 1]]

    def _padded_glyph(self, gid: int) -> bytes:
        data = self.glyph_data(gid)
        return data + b"\0" * (-len(data) % 4)

    def _glyph_checksum(self, gid: int) -> int:
        if gid not in self._glyph_checksums:
            self._glyph_checksums[gid] = _checksum(self.glyph_data(gid))
        return self._glyph_checksums[gid]

    def with_components(self, gids) -> set[int]:
        """The glyphs and, recursively, the components of composite glyphs."""
        todo, closed = list(gids), set()
        while todo:
            gid = todo.pop()
            if gid not in closed:
                closed.add(gid)
                todo.extend(self._component_gids(gid))
        return closed

    def _component_gids(self, gid: int) -> tuple[int, ...]:
        if gid not in self._components:
            self._components[gid] = tuple(_components(self.glyph_data(gid)))
        return self._components[gid]

    def subset_program(self, gids: set[int]) -> bytes:
        """A TrueType program with the outlines and metrics of ``gids`` only, same ids.
        Glyphs after the last one used are cut off (maxp's count says so)."""
        count = max(gids) + 1
        loca, glyf, hmtx = (
            array("I", bytes(4 * (count + 1))),
            bytearray(),
            array("H", bytes(4 * count)),
        )
        last, glyf_sum = -1, 0
        for gid in sorted(gids):
            loca[last + 1 : gid + 1] = array("I", [len(glyf)]) * (gid - last)  # empty before
            glyf += self._padded_glyph(gid)
            glyf_sum += self._glyph_checksum(gid)
            advance, lsb = self._metrics[gid]
            hmtx[2 * gid], hmtx[2 * gid + 1] = advance, lsb & 0xFFFF
            last = gid
        loca[count] = len(glyf)
        loca.byteswap()  # big-endian, as TrueType wants
        hmtx.byteswap()
        tables = dict(self._tables)
        tables.update(
            glyf=bytes(glyf),
            loca=loca.tobytes(),
            hmtx=hmtx.tobytes(),
            head=_patched(tables["head"], (8, ">I", 0), (50, ">h", 1)),  # long loca offsets
            hhea=_patched(tables["hhea"], (34, ">H", count)),  # a full metric per glyph
            maxp=_patched(tables["maxp"], (4, ">H", count)),
        )
        return _sfnt(tables, {**self._table_checksums, "glyf": glyf_sum & 0xFFFFFFFF})

    def subset_tag(self, gids: set[int]) -> str:
        """Six capital letters naming this subset (ISO 32000-1, 9.6.4)."""
        digest = hashlib.sha256(repr(sorted(gids)).encode()).digest()
        return "".join(chr(65 + b % 26) for b in digest[:6])


class _Widths(dict):
    missing = 0

    def __missing__(self, char):
        return self.missing


def _patched(table: bytes, *fields) -> bytes:
    data = bytearray(table)
    for offset, layout, value in fields:
        struct.pack_into(layout, data, offset, value)
    return bytes(data)


def _components(data: bytes):
    if len(data) < 10 or struct.unpack_from(">h", data)[0] >= 0:
        return  # empty or simple glyph
    pos, more = 10, True
    while more:
        flags, gid = struct.unpack_from(">HH", data, pos)
        yield gid
        pos += 4 + (4 if flags & 0x0001 else 2)
        pos += sum(size for flag, size in _COMPONENT_FLAGS if flags & flag)
        more = bool(flags & 0x0020)


def _sfnt(tables: dict[str, bytes], checksums: dict[str, int]) -> bytes:
    """The font file. Every table starts 4-byte aligned, so the whole file's checksum (for
    head's checkSumAdjustment) is the directory's plus the tables' — no second pass."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)  # fmt: skip
    offset = len(header) + 16 * count
    directory, body, head_at = bytearray(header), bytearray(), 0
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            head_at = offset + len(body)
        checksum = checksums[tag] if tag in checksums else _checksum(data)
        checksums[tag] = checksum
        directory += struct.pack(">4sIII", tag.encode("latin-1"), checksum,
                                 offset + len(body), len(data))  # fmt: skip
        body += data + b"\0" * (-len(data) % 4)
    total = _checksum(directory) + sum(checksums[tag] for tag in tags)
    font = directory + body
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    words = array("I", data + b"\0" * (-len(data) % 4))
    words.byteswap()
    return sum(words) & 0xFFFFFFFF


@cache
def font(name: str) -> Font:
    return Font(FONT_DIR / f"{name}.ttf")
