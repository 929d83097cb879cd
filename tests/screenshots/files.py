"""Files for the upload tests: real PNG/JPEG with metadata, and hand-built PDFs."""

import io


def png_with_text(text="Author: Anna Andersson", size=(64, 48)) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_gps(size=(64, 48)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (56.0, 22.0, 48.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf(extra_catalog: str = "", info: str = "/Author (Anna Andersson)") -> bytes:
    """A one-page PDF with a correct cross-reference table; `extra_catalog` is added to
    the document catalog (e.g. an /OpenAction with JavaScript)."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {extra_catalog} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        "<< /Length 35 >>\nstream\nBT /F1 12 Tf 20 100 Td (Osby) Tj ET\nendstream",
        f"<< {info} >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


PDF_WITH_JAVASCRIPT_EXTRA = "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"
PDF_WITH_EMBEDDED_FILE_EXTRA = (
    "/Names << /EmbeddedFiles << /Names [(x.exe) << /Type /Filespec /F (x.exe) >>] >> >>"
)
