"""A small PDF/A-3b writer for archive renderings of text (docs/decisions/0114)."""
