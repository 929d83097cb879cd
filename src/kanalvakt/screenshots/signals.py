"""Sent after a screenshot and its files have been committed, with the SHA-256 of each file.

The archive's integrity log listens (archive/apps.py): it enqueues `append_to_log`, which
logs every ScreenshotFile not yet logged as a `screenshot` record, so `kanalvakt archive
verify` re-hashes the stored files.
"""

from django.dispatch import Signal

# sender=Screenshot, screenshot=<Screenshot>, files=[<ScreenshotFile>, …]
screenshot_stored = Signal()
