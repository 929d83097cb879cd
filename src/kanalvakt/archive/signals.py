"""Hooks other apps subscribe to: moderation and dialog screen what capture brings in.

``items_captured`` is sent once per committed ingest batch, after the commit, in the
process that captured (the webhook request, the worker, the import command), with
``channel`` and ``item_ids`` (new items and items with a new version) and ``source``.
Receivers must be quick or enqueue a task: the webhook path waits for them (R4.1: screened
within 2 seconds of the delivery).
"""

from django.dispatch import Signal

items_captured = Signal()
