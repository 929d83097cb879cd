"""A PDF's text layer as poppler's pdftotext extracts it (what a reader can copy or search)."""

import subprocess


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """``layout`` keeps the page's columns (tables); otherwise reading order."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    done = subprocess.run(command, input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")
