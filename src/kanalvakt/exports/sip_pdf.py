"""PDF/A-3b renderings of threads.

A thread is typeset by Kanalvakt's own PDF/A writer (``exports.pdfa``): ~2 ms for a
30-item thread, against ~0.25 s with WeasyPrint, which made a 100,000-item package take
minutes (docs/decisions/0114). Threads with right-to-left or shaped scripts (Arabic,
Hebrew, Indic, Thai, combining marks) still go through WeasyPrint, whose text shaping
(Pango/HarfBuzz) draws them correctly; they are rare in a Swedish municipality's channels.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kanalvakt.exports.pdfa.document import FontUse, write_pdf
from kanalvakt.exports.pdfa.font import font
from kanalvakt.exports.pdfa.layout import MM, Flow, Style, needs_shaping

PDF_VARIANT = "pdf/a-3b"
STYLE = (Path(__file__).parent / "templates" / "exports" / "thread_pdf.css").read_text()
GREY = "0.2 0.2 0.2"


def render_thread(channel: str, creator: str, thread_id, items: list[dict]) -> bytes:
    """One thread as PDF/A-3b bytes, in Swedish; the same thread gives the same bytes."""
    with translation.override("sv"):
        if any(needs_shaping(item["text"] + item["author"]) for item in items):
            from weasyprint import HTML

            html = _thread_html(channel, creator, thread_id, items)
            return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
        return _typeset(channel, creator, thread_id, items)


def _labels(channel, creator, thread_id, count):
    title = _("Thread in %(channel)s") % {"channel": channel}
    items = ngettext("%(count)d item", "%(count)d items", count) % {"count": count}
    return title, f"{creator} · {_('Thread')} {thread_id} · {items}"


def _note(item) -> str:
    note = f"{item['status_label']} · {_('Archive id')} {item['id']}"
    if item["edited"]:
        note += f" · {_('edited')} {item['edited']}"
    if item["deleted"]:
        note += f" · {_('deleted on the platform')} {item['deleted']}"
    return note


def _typeset(channel, creator, thread_id, items) -> bytes:
    regular = FontUse(font("DejaVuSans"), "F1")
    bold = FontUse(font("DejaVuSans-Bold"), "F2")
    body, small = Style(regular, 9, 12.15), Style(regular, 8, 10.8, GREY)
    flow = Flow()
    title, meta = _labels(channel, creator, thread_id, len(items))
    flow.paragraph(title, Style(bold, 13, 16))
    flow.space(2 * MM)
    flow.paragraph(meta, small)
    flow.space(4 * MM)
    for item in items:
        indent = 8 * MM if item["kind"] == "reply" else 0
        flow.keep(1.5 * MM + 2 * body.leading + small.leading)  # header, note, a first line
        flow.rule(indent)
        flow.space(1.5 * MM)
        head = f"{item['kind_label']} · {item['author']} · {item['created']}"
        flow.paragraph(head, Style(bold, 9, 12.15), indent)
        flow.paragraph(_note(item), small, indent)
        flow.paragraph(item["text"], body, indent)
        flow.space(1.5 * MM)
    flow.footer(lambda number, count: f"{number} / {count}", Style(regular, 8, 10.8))
    return write_pdf(flow.contents(), [regular, bold], title, creator)


def _thread_html(channel, creator, thread_id, items) -> str:
    """The same thread as HTML, for WeasyPrint (scripts that need shaping)."""
    title, meta = (escape(text) for text in _labels(channel, creator, thread_id, len(items)))
    parts = [
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="{escape(creator)}"><meta name="generator" '
        f'content="Kanalvakt"><style>{STYLE}</style></head><body><h1>{title}</h1>'
        f'<p class="meta">{meta}</p>'
    ]
    for item in items:
        parts.append(
            f'<div class="item {item["kind"]}"><p class="head">'
            f"{escape(str(item['kind_label']))} · {escape(item['author'])} · "
            f'{item["created"]}</p><p class="note">{escape(_note(item))}</p>'
            f'<p class="text">{escape(item["text"])}</p></div>'
        )
    parts.append("</body></html>")
    return "".join(parts)
