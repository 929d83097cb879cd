"""PDF/A-3b renderings of threads, with a render cache and a process pool.

WeasyPrint needs ~5 ms of CPU per item (≈ 0.25 s for a 50-item thread), so rendering
100,000 items takes minutes even on both cores. A thread's PDF depends only on its HTML,
so renderings are cached by the SHA-256 of that HTML (docs/decisions/0111): an unchanged
thread is rendered once, ever; ``kanalvakt export render-threads`` (or an earlier export)
fills the cache, and a package copies from it. Misses are rendered in worker processes
that only run WeasyPrint (no Django, no database connection), a bounded number in flight.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from html import escape
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PDF_VARIANT = "pdf/a-3b"
STYLE = (Path(__file__).parent / "templates" / "exports" / "thread_pdf.css").read_text()


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "thread-pdf"


def thread_html(channel: str, creator: str, thread_id, items: list[dict]) -> str:
    """The HTML of one thread, in Swedish. Built with escaping by hand, not a Django
    template: rendering a template costs ~0.6 ms per item, a third of the export."""
    with translation.override("sv"):
        return _thread_html(channel, creator, thread_id, items)


def _thread_html(channel, creator, thread_id, items) -> str:
    title = escape(_("Thread in %(channel)s") % {"channel": channel})
    count = ngettext("%(count)d item", "%(count)d items", len(items)) % {"count": len(items)}
    archive_id, edited, deleted = _("Archive id"), _("edited"), _("deleted on the platform")
    parts = [
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="{escape(creator)}"><meta name="generator" '
        f'content="Kanalvakt"><style>{STYLE}</style></head><body><h1>{title}</h1>'
        f'<p class="meta">{escape(creator)} · {_("Thread")} {thread_id} · {count}</p>'
    ]
    for item in items:
        note = f"{escape(str(item['status_label']))} · {archive_id} {item['id']}"
        if item["edited"]:
            note += f" · {edited} {item['edited']}"
        if item["deleted"]:
            note += f" · {deleted} {item['deleted']}"
        parts.append(
            f'<div class="item {item["kind"]}"><p class="head">'
            f"{escape(str(item['kind_label']))} · {escape(item['author'])} · "
            f'{item["created"]}</p><p class="note">{note}</p>'
            f'<p class="text">{escape(item["text"])}</p></div>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(html: str) -> bytes:
    """Runs in a worker process: HTML in, PDF/A bytes out."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def _cached_path(html: str) -> Path:
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return cache_dir() / key[:2] / f"{key}.pdf"


def _store(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)  # atomic: a reader never sees half a PDF


class ThreadRenderer:
    """Hands each thread's PDF to ``deliver(name, path)`` in submission order."""

    def __init__(self, deliver, *, workers: int | None = None, in_flight: int = 8):
        self._deliver = deliver
        self._workers = workers or min(2, os.cpu_count() or 1)
        self._in_flight = in_flight
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[str, Path, Future | None]] = deque()
        self.rendered = 0
        self.cached = 0

    def submit(self, name: str, html: str) -> None:
        path = _cached_path(html)
        if path.exists():
            self.cached += 1
            self._pending.append((name, path, None))
        else:
            self.rendered += 1
            self._pending.append((name, path, self._pool_or_start().submit(render_pdf, html)))
        while len(self._pending) > self._in_flight:
            self._deliver_first()

    def _pool_or_start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: workers must not inherit the parent's database connections.
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=get_context("spawn"), max_tasks_per_child=200
            )
        return self._pool

    def _deliver_first(self) -> None:
        name, path, future = self._pending.popleft()
        if future is not None:
            _store(path, future.result())
        self._deliver(name, path)

    def finish(self) -> None:
        try:
            while self._pending:
                self._deliver_first()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
