"""``kanalvakt export erms``: a registered case as FGS Ärendehantering / CITS ERMS XML.

One ``aggregation`` (the case, level "case", identified by its case number) holding one
``record`` per registered item (level "record"): title, direction received / drawn up,
dates, the sender as agent, and the item's text as description. Every document is
validated against the CITS ERMS schema (v2.1.2, shipped in exports/schemas) before it is
written; an invalid one is never written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
SCHEMA = Path(__file__).parent / "schemas" / "ERMS.xsd"


class ErmsError(ValueError):
    """Bad input for an ERMS export; the message is shown as is."""


def e(tag: str) -> str:
    return f"{{{ERMS_NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, e(tag), {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _date(parent, date_type: str, value) -> None:
    if value is None:
        return
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    _sub(parent, "date", text, dateType=date_type)


def find_registration(case: str | None, registration_id: int | None):
    from kanalvakt.records.registration_models import Registration

    if registration_id is not None:
        registration = Registration.objects.filter(pk=registration_id).first()
        if registration is None:
            raise ErmsError(f"no registration with id {registration_id}")
        return registration
    matches = list(Registration.objects.filter(case_number=case).order_by("pk")[:2])
    if not matches:
        raise ErmsError(f"no registration with case number {case!r}")
    if len(matches) > 1:
        raise ErmsError(f"case number {case!r} has several registrations: give --registration")
    return matches[0]


def erms_document(registration) -> etree._Element:
    from kanalvakt.archive.models import PublicRecordStatus

    root = etree.Element(e("erms"), nsmap={None: ERMS_NS})
    control = _sub(root, "control")
    _sub(control, "identification", settings.ARCHIVAL_CREATOR_ORG_NUMBER,
         identificationType="organisationsnummer")  # fmt: skip
    maintenance = _sub(control, "maintenanceInformation")
    _sub(maintenance, "maintenanceStatus", value="new")
    agency = _sub(maintenance, "maintenanceAgency")
    _sub(agency, "agencyName", settings.ARCHIVAL_CREATOR_NAME)
    event = _sub(_sub(maintenance, "maintenanceHistory"), "maintenanceEvent")
    _sub(event, "eventType", value="created")
    _sub(event, "eventDateTime", timezone.now().replace(microsecond=0).isoformat())
    _sub(_sub(event, "agent", agentType="creator"), "name", "Kanalvakt")

    aggregation = _sub(
        _sub(root, "aggregations"),
        "aggregation",
        aggregationType="caseFile",
        systemIdentifier=f"kanalvakt-registration-{registration.pk}",
    )
    _sub(aggregation, "objectId", f"registration-{registration.pk}")
    _sub(aggregation, "identification", registration.case_number or "",
         identificationType="diarienummer")  # fmt: skip
    title = registration.case_number if registration.masked else registration.description
    _sub(aggregation, "title", title or registration.case_number or str(registration.pk))
    items = registration.items.select_related("channel").order_by("created_on_platform_at", "pk")
    for number, item in enumerate(items, 1):
        record = _sub(
            aggregation,
            "record",
            recordType="document",
            systemIdentifier=f"kanalvakt-item-{item.pk}",
        )
        _sub(record, "objectId", f"item-{item.pk}")
        _sub(record, "title", item.title or f"{item.get_kind_display()} {item.channel}")
        received = item.public_record_status == PublicRecordStatus.RECEIVED
        _sub(record, "runningNumber", str(number))
        _sub(record, "direction", directionDefinition="incoming" if received else "outgoing")
        if not registration.masked:
            _sub(record, "description", item.display_text)
        dates = _sub(record, "dates")
        _date(dates, "created", item.created_on_platform_at)
        _date(dates, "received" if received else "sent", item.public_record_since)
    return root


def validate(document) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    if not schema.validate(document):
        errors = "; ".join(str(error.message) for error in list(schema.error_log)[:5])
        raise ErmsError(f"the ERMS document does not validate: {errors}")


def write_erms(registration, out: Path) -> None:
    """Validate, then write OUT atomically. The read is audited like a view in the UI."""
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.records.registration import view_registration

    if out.exists():
        raise ErmsError(f"{out} already exists")
    if not out.parent.is_dir():
        raise ErmsError(f"the folder {out.parent} does not exist")
    view_registration(SystemActor("export-erms"), registration)
    document = erms_document(registration)
    validate(document)
    handle, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(etree.tostring(document, xml_declaration=True, encoding="utf-8"))
        os.replace(partial, out)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
