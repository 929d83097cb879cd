"""Content-addressed storage of screenshot files in Django's default storage.

A file's name is derived from its SHA-256, so the same bytes are stored once and a name
always means the same content; `verify` recomputes the hash of what storage returns.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def name_for(sha256: str, content_type: str) -> str:
    return f"screenshots/sha256/{sha256[:2]}/{sha256}.{EXTENSIONS[content_type]}"


def store(data: bytes, content_type: str) -> tuple[str, str]:
    """Store `data` (once) and return (storage name, sha256)."""
    digest = sha256_of(data)
    name = name_for(digest, content_type)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name, digest


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def verify(name: str, sha256: str) -> bool:
    try:
        return sha256_of(read(name)) == sha256
    except FileNotFoundError:
        return False
