"""The delivery of an access request: PDF (WeasyPrint), CSV and the decision (beslut).

Only masked copies reach the documents for items released masked: the masked words are
replaced before rendering, so they are in no layer of the PDF. An image of an item
released masked goes out only as its masked copy; one without is left out (fail closed).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Media
from kanalvakt.public.municipality import municipality_context
from kanalvakt.records.access_models import AccessRequestItem

logger = logging.getLogger(__name__)
Decision = AccessRequestItem.Decision
DEFAULT_APPEAL_COURT = "Kammarrätten i Göteborg"  # Osby is in its district
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass
class Entry:
    """One item as it goes out: masked where it must be."""

    row: AccessRequestItem
    title: str
    text: str
    author: str
    images: list[str] = field(default_factory=list)  # data: URIs
    images_left_out: int = 0


@dataclass
class Documents:
    pdf: bytes
    csv: bytes
    decision: bytes | None
    released: int
    masked: int
    withheld: int

    def files(self):
        yield "pdf", self.pdf
        yield "csv", self.csv
        if self.decision is not None:
            yield "decision", self.decision


def appeal_court() -> str:
    return getattr(settings, "ACCESS_REQUEST_APPEAL_COURT", DEFAULT_APPEAL_COURT)


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _author(row: AccessRequestItem, municipality: str) -> str:
    return municipality if row.item.author_is_owner else row.item.author_display_name


def entry_for(row: AccessRequestItem, municipality: str) -> Entry:
    item = row.item
    copy = row.latest_text_copy() if row.decision == Decision.RELEASE_MASKED else None
    if copy is not None:
        entry = Entry(row, copy.masked_title, copy.masked_text, copy.masked_author)
        if item.author_is_owner:
            entry.author = municipality
    else:
        entry = Entry(row, item.title, item.display_text, _author(row, municipality))
    masked_images = row.latest_image_copies() if row.decision == Decision.RELEASE_MASKED else {}
    for media in Media.objects.filter(item=item).exclude(file="").order_by("pk"):
        if media.mime_type not in IMAGE_TYPES:
            continue
        if row.decision == Decision.RELEASE_MASKED:
            masked = masked_images.get(media.pk)
            data = _read(masked.file) if masked else None
            mime = "image/png"
        else:
            data, mime = _read(media.file), media.mime_type
        if data is None:
            entry.images_left_out += 1
        else:
            entry.images.append(_data_uri(data, mime))
    return entry


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A cell a spreadsheet will not run as a formula: a comment from the public beginning
    with "=" gets a leading apostrophe in the CSV (the PDF keeps the text as written)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(request, entries: list[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["begaran", "handling", "konto", "plattform", "typ", "publicerad", "skribent",
         "beslut", "bestammelse", "rubrik", "text", "adress"]
    )  # fmt: skip
    for entry in entries:
        item = entry.row.item
        cells = [
            request.reference,
            item.pk,
            item.channel.display_name,
            item.platform,
            item.get_kind_display(),
            timezone.localtime(item.created_on_platform_at).isoformat(),
            entry.author,
            entry.row.get_decision_display(),
            entry.row.provision,
            entry.title,
            entry.text,
            item.url,
        ]
        writer.writerow([_cell(cell) for cell in cells])
    # With a byte order mark: spreadsheet programs then read the Swedish letters right.
    return out.getvalue().encode("utf-8-sig")


def build_documents(request, rows: list[AccessRequestItem], now) -> Documents:
    with translation.override("sv"):
        municipality = municipality_context()
        released = [r for r in rows if r.decision in (Decision.RELEASE, Decision.RELEASE_MASKED)]
        withheld = [r for r in rows if r.decision == Decision.WITHHOLD]
        masked = [r for r in rows if r.decision == Decision.RELEASE_MASKED]
        entries = [entry_for(r, municipality["municipality_name"]) for r in released]
        context = {
            **municipality,
            "request": request,
            "entries": entries,
            "withheld": withheld,
            "masked": masked,
            "now": now,
            "appeal_court": appeal_court(),
        }
        pdf = _pdf("records/access_delivery_pdf.html", context)
        decision = _pdf("records/access_decision_pdf.html", context) if withheld or masked else None
        return Documents(pdf, _csv(request, entries), decision, len(released), len(masked),
                         len(withheld))  # fmt: skip


EXTENSIONS = {"pdf": "pdf", "csv": "csv", "decision": "pdf"}
FILENAMES = {"pdf": "handlingar", "csv": "handlingar", "decision": "beslut"}


def filename(request, key: str) -> str:
    return f"{request.reference}-{FILENAMES[key]}.{EXTENSIONS[key]}"


def store(request, key: str, data: bytes) -> tuple[str, str]:
    """(storage name, sha256); content-addressed, so a name always means its bytes."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"access/deliveries/{digest[:2]}/{digest}.{EXTENSIONS[key]}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name, digest


def mail_delivery(delivery, documents: Documents) -> None:
    """Send the documents as attachments once the delivery is committed."""
    request = delivery.request
    address = delivery.emailed_to
    with translation.override("sv"):
        subject = _("Your request for public records %(ref)s") % {"ref": request.reference}
        body = render_to_string(
            "records/access_email.txt",
            {**municipality_context(), "request": request, "delivery": delivery},
        )
    attachments = [
        (filename(request, key), data, "application/pdf" if key != "csv" else "text/csv")
        for key, data in documents.files()
    ]

    def send():
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for attachment in attachments:
            message.attach(*attachment)
        try:
            message.send()
        except OSError:
            # The delivery stands and can be downloaded from the staff page; logged for ops.
            logger.exception("Could not e-mail the delivery of %s", request.reference)

    transaction.on_commit(send)
