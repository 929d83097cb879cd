"""The hand-off of a registration to the registrar (R7.4, R7.6): a PDF rendering, a JSON
record and an XML record (namespace `NS`, schema `handoff_registration.xsd`, ADR 0105),
by e-mail after the commit or as a zip for download.

Masked registrations leave the sender, the description and the items' authors out of all
three files; the staff UI still shows them to those allowed to read registrations.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from kanalvakt.archive.models import ItemVersion, Media
from kanalvakt.records.registration_models import Registration

logger = logging.getLogger(__name__)

NS = "urn:kanalvakt:registration:1"
SCHEMA_FILE = Path(__file__).with_name("handoff_registration.xsd")
SCHEMA_NAME = "kanalvakt-registration-1.xsd"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


@dataclass(frozen=True)
class HandOffFile:
    name: str
    content: bytes
    mime_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class HandOffBundle:
    registration_id: int
    case_number: str
    files: tuple[HandOffFile, ...]

    def digests(self) -> dict[str, str]:
        return {f.name: f.sha256 for f in self.files}

    def zip_name(self) -> str:
        return f"{base_name(self.case_number, self.registration_id)}.zip"

    def zip_bytes(self) -> bytes:
        """The three files plus the XML schema, for a download."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for f in self.files:
                archive.writestr(f.name, f.content)
            archive.writestr(SCHEMA_NAME, SCHEMA_FILE.read_bytes())
        return buffer.getvalue()


def base_name(case_number: str, pk: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", case_number).strip("-") or "utan-diarienummer"
    return f"registrering-{slug}-{pk}"


def _clean(value) -> str:
    return _CONTROL.sub("", str(value or ""))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None):
    return datetime.fromisoformat(value) if value else None


def registration_record(registration: Registration) -> dict:
    """The registration and its items as the JSON record holds them (and the XML mirrors)."""
    masked = registration.masked
    links = registration.links.select_related("item__channel").order_by("pk")
    items = [link.item for link in links]
    versions, media = {}, {}
    for v in ItemVersion.objects.filter(item__in=items).order_by("item_id", "number"):
        versions.setdefault(v.item_id, []).append(
            {"number": v.number, "sha256": v.sha256, "captured_at": _iso(v.captured_at)}
        )
    for m in Media.objects.filter(item__in=items).exclude(sha256="").order_by("item_id", "pk"):
        media.setdefault(m.item_id, []).append(
            {"sha256": m.sha256, "mime_type": m.mime_type, "size": m.size}
        )
    return {
        "schema": NS,
        "id": registration.pk,
        "state": registration.state,
        "case_number": registration.case_number,
        "received_on": _iso(registration.received_on),
        "direction": registration.direction,
        "sender": {"masked": masked, "value": "" if masked else registration.sender},
        "description": {"masked": masked, "value": "" if masked else registration.description},
        "confidentiality": (
            {
                "provision": registration.osl_provision,
                "marked_at": _iso(registration.confidential_marked_at),
                "marked_by": registration.confidential_marked_by,
            }
            if registration.confidential
            else None
        ),
        "registered_at": _iso(registration.registered_at),
        "registered_by": registration.registered_by,
        "origin": registration.origin,
        "generated_at": _iso(timezone.now()),
        "items": [
            {
                "id": item.pk,
                "platform": item.platform,
                "external_id": item.external_id,
                "kind": item.kind,
                "channel": {"id": item.channel_id, "name": str(item.channel)},
                "url": item.url,
                "author": {"masked": masked, "value": "" if masked else item.author_display_name},
                "created_at": _iso(item.created_on_platform_at),
                "captured_at": _iso(item.captured_at),
                "deleted_on_platform_at": _iso(item.deleted_on_platform_at),
                "text": item.display_text,
                "content_hash": item.content_hash,
                "versions": versions.get(item.pk, []),
                "media": media.get(item.pk, []),
            }
            for item in items
        ],
    }


def _el(parent, tag: str, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _maskable(parent, tag: str, value: dict):
    return _el(parent, tag, value["value"] or None, masked=str(value["masked"]).lower())


def record_xml(record: dict, rendition: HandOffFile) -> bytes:
    """The XML record of `handoff_registration.xsd`; validated before it leaves."""
    root = etree.Element(f"{{{NS}}}registration", nsmap={None: NS})
    root.set("id", str(record["id"]))
    root.set("schemaVersion", "1")
    _el(root, "state", record["state"])
    _el(root, "caseNumber", record["case_number"])
    _el(root, "receivedOn", record["received_on"])
    _el(root, "direction", record["direction"])
    _maskable(root, "sender", record["sender"])
    _maskable(root, "description", record["description"])
    if record["confidentiality"]:
        mark = _el(root, "confidentiality")
        _el(mark, "provision", record["confidentiality"]["provision"])
        _el(mark, "markedAt", record["confidentiality"]["marked_at"])
        _el(mark, "markedBy", record["confidentiality"]["marked_by"])
    _el(root, "registeredAt", record["registered_at"])
    _el(root, "registeredBy", record["registered_by"])
    if record["origin"]:
        _el(root, "origin", record["origin"])
    _el(root, "generatedAt", record["generated_at"])
    _el(
        root,
        "rendition",
        fileName=rendition.name,
        mediaType=rendition.mime_type,
        sha256=rendition.sha256,
    )
    items = _el(root, "items", count=len(record["items"]))
    for entry in record["items"]:
        item = _el(items, "item", id=entry["id"])
        _el(item, "platform", entry["platform"])
        _el(item, "externalId", entry["external_id"])
        _el(item, "kind", entry["kind"])
        _el(item, "channel", entry["channel"]["name"], id=entry["channel"]["id"])
        if entry["url"]:
            _el(item, "url", entry["url"])
        _maskable(item, "author", entry["author"])
        _el(item, "createdAt", entry["created_at"])
        _el(item, "capturedAt", entry["captured_at"])
        if entry["deleted_on_platform_at"]:
            _el(item, "deletedOnPlatformAt", entry["deleted_on_platform_at"])
        _el(item, "text", entry["text"])
        _el(item, "contentHash", entry["content_hash"])
        versions = _el(item, "versions")
        for v in entry["versions"]:
            _el(
                versions,
                "version",
                number=v["number"],
                sha256=v["sha256"],
                capturedAt=v["captured_at"],
            )
        for m in entry["media"]:
            attrs = {
                "sha256": m["sha256"],
                "mimeType": m["mime_type"] or "application/octet-stream",
            }
            if m["size"] is not None:
                attrs["size"] = m["size"]
            _el(item, "media", **attrs)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema().assertValid(etree.fromstring(data))
    return data


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def render_pdf(registration: Registration, record: dict) -> bytes:
    from weasyprint import HTML

    from kanalvakt.public.municipality import municipality_context

    times = ("created_at", "captured_at", "deleted_on_platform_at")
    items = [
        {**item, **{f"{key}_dt": _parse(item[key]) for key in times}} for item in record["items"]
    ]
    with translation.override("sv"):
        html = render_to_string(
            "records/registration_handoff.html",
            {
                **municipality_context(),
                "registration": registration,
                "record": record,
                "items": items,
                "generated_at": timezone.now(),
            },
        )
    return HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()


def build_bundle(registration: Registration) -> HandOffBundle:
    record = registration_record(registration)
    name = base_name(registration.case_number, registration.pk)
    pdf = HandOffFile(f"{name}.pdf", render_pdf(registration, record), "application/pdf")
    record["rendition"] = {"file_name": pdf.name, "sha256": pdf.sha256}
    xml = HandOffFile(f"{name}.xml", record_xml(record, pdf), "application/xml")
    text = json.dumps(record, ensure_ascii=False, indent=2)
    return HandOffBundle(
        registration.pk,
        registration.case_number,
        (pdf, HandOffFile(f"{name}.json", text.encode(), "application/json"), xml),
    )


def registrar_addresses() -> list[str]:
    """The configured registrar address, else the people with the Registrator role."""
    if settings.RECORDS_REGISTRAR_EMAIL:
        return [a.strip() for a in settings.RECORDS_REGISTRAR_EMAIL.split(",") if a.strip()]
    from kanalvakt.organisation.roles import Role
    from kanalvakt.registry.actions import people_in_role

    return sorted({p.email for p in people_in_role(Role.REGISTRAR) if p.email})


def send_on_commit(bundle: HandOffBundle, recipients: list[str]) -> None:
    def send():
        with translation.override("sv"):
            subject = _("Registration %(case)s from Kanalvakt") % {"case": bundle.case_number}
            body = render_to_string(
                "records/email/registration_handoff.txt",
                {"bundle": bundle, "site_url": settings.SITE_URL},
            )
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        for f in bundle.files:
            message.attach(f.name, f.content, f.mime_type)
        try:
            message.send()
        except OSError:
            # The hand-off is recorded; an outage must not undo it. Logged for ops, and
            # the registrar can download the files from the registration's page.
            logger.exception(
                "Could not send registration %s to the registrar", bundle.registration_id
            )

    transaction.on_commit(send)
