"""Streaming importers for export files ("download your data" archives).

Each module has ``iter_import(path, identity)`` yielding CapturedItem,
CaptureError or Skipped one by one, in bounded memory whatever the file size.
"""
