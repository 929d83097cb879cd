"""The hook for the archive's integrity log (a later issue): sent after a screenshot and its
files have been committed, with the SHA-256 of each file.

    @receiver(screenshot_stored)
    def log_it(sender, screenshot, files, **kwargs):
        for f in files: integrity_log.append(f.sha256, ...)
"""

from django.dispatch import Signal

# sender=Screenshot, screenshot=<Screenshot>, files=[<ScreenshotFile>, …]
screenshot_stored = Signal()
