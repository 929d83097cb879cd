"""The hand-off to the registrar (R7.4, R7.6): a real SMTP delivery with the PDF, JSON and
XML attached, the PDF's text, the XML valid against its schema, masking, the zip."""

import email.policy
import io
import json
import zipfile
from datetime import date
from email import message_from_bytes

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from archived_threads import archived_comments
from kanalvakt.archive.models import ItemVersion
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisation.roles import Role
from kanalvakt.records.handoff import NS, SCHEMA_FILE, SCHEMA_NAME
from kanalvakt.records.registration import hand_off, mark_confidential, register
from pdf_text import pdf_text


@pytest.fixture
def channel(db):
    from registry.helpers import make_channel

    return make_channel(platform="facebook", handle="osby.overlamning")


@pytest.fixture
def registrar(make_user):
    return make_user(Role.REGISTRAR)


@pytest.fixture
def registration(channel, registrar):
    comments = archived_comments(
        channel,
        "Jag vill överklaga bygglovet för Ekebo 2:14.",
        "Grannarna håller med om överklagandet.",
        author="Bertil Ek",
    )
    return register(
        registrar,
        items=comments,
        case_number="MBN 2026/45",
        received_on=date(2026, 3, 2),
        sender="Bertil Ek",
        description="Överklagande av bygglov Ekebo 2:14",
    )


def _xsd():
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def _attachments(message) -> dict[str, bytes]:
    parsed = message_from_bytes(message.as_bytes(), policy=email.policy.default)
    return {
        part.get_filename(): part.get_payload(decode=True) for part in parsed.iter_attachments()
    }


@pytest.mark.req("R7.4")
@pytest.mark.django_db(transaction=True)
def test_hand_off_mails_pdf_json_and_xml_to_the_registrar(
    registration, registrar, smtp_server, settings, tmp_path
):
    settings.RECORDS_REGISTRAR_EMAIL = "registrator@osby.example"
    bundle = hand_off(registrar, registration, method="email")
    (message,) = smtp_server
    assert message["To"] == "registrator@osby.example"
    parsed = message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Registrering MBN 2026/45 från Kanalvakt"
    files = _attachments(message)
    base = "registrering-MBN-2026-45-" + str(registration.pk)
    assert set(files) == {f"{base}.pdf", f"{base}.json", f"{base}.xml"}
    assert bundle.digests().keys() == files.keys()

    text = pdf_text(files[f"{base}.pdf"], layout=True)
    assert "MBN 2026/45" in text and "Överklagande av bygglov Ekebo 2:14" in text
    assert "Bertil Ek" in text and "Jag vill överklaga bygglovet" in text
    versions = ItemVersion.objects.filter(item__registrations=registration)
    for version in versions:
        assert version.sha256 in text.replace(" ", "").replace("\n", "")

    record = json.loads(files[f"{base}.json"])
    assert record["schema"] == NS and record["case_number"] == "MBN 2026/45"
    assert record["sender"] == {"masked": False, "value": "Bertil Ek"}
    assert record["items"][0]["text"].startswith("Jag vill överklaga")
    assert record["rendition"]["sha256"] == bundle.digests()[f"{base}.pdf"]

    document = etree.fromstring(files[f"{base}.xml"])
    _xsd().assertValid(document)
    ns = {"r": NS}
    assert document.findtext("r:caseNumber", namespaces=ns) == "MBN 2026/45"
    assert document.findtext("r:receivedOn", namespaces=ns) == "2026-03-02"
    assert len(document.findall("r:items/r:item", namespaces=ns)) == 2
    shas = {v.get("sha256") for v in document.iterfind(".//r:version", namespaces=ns)}
    assert shas == set(versions.values_list("sha256", flat=True))

    registration.refresh_from_db()
    assert registration.handed_off_how == "email" and registration.handed_off_at
    assert registration.handed_off_to == "registrator@osby.example"
    event = AuditEvent.objects.get(action="records.registration.hand_off")
    assert event.payload["files"] == bundle.digests()


@pytest.mark.req("R7.6")
@pytest.mark.django_db(transaction=True)
def test_a_confidential_hand_off_masks_sender_description_and_authors(
    registration, registrar, smtp_server, tmp_path
):
    """Without a configured address the people with the Registrator role get it."""
    mark_confidential(registrar, registration, osl_provision="OSL 26 kap. 1 §")
    hand_off(registrar, registration, method="email")
    (message,) = smtp_server
    assert message["To"] == registrar.email
    files = _attachments(message)
    pdf, json_file, xml = (
        next(v for k, v in files.items() if k.endswith(s)) for s in (".pdf", ".json", ".xml")
    )
    text = pdf_text(pdf, layout=True)
    assert "OSL 26 kap. 1 §" in text and "Bertil Ek" not in text
    assert "Överklagande av bygglov" not in text and "(maskerad)" in text
    assert "Bertil Ek" not in json_file.decode() and "Bertil Ek" not in xml.decode()
    document = etree.fromstring(xml)
    _xsd().assertValid(document)
    ns = {"r": NS}
    assert document.find("r:sender", namespaces=ns).get("masked") == "true"
    assert document.findtext("r:confidentiality/r:provision", namespaces=ns) == "OSL 26 kap. 1 §"


@pytest.mark.django_db
def test_the_schema_refuses_a_record_without_case_number(registration):
    from kanalvakt.records.handoff import build_bundle

    xml = next(f for f in build_bundle(registration).files if f.name.endswith(".xml")).content
    document = etree.fromstring(xml)
    document.remove(document.find(f"{{{NS}}}caseNumber"))
    assert not _xsd().validate(document)


@pytest.mark.req("R7.4")
@pytest.mark.django_db
def test_hand_off_as_files_gives_a_zip_with_the_schema(registration, registrar):
    bundle = hand_off(registrar, registration, method="files")
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as archive:
        names = set(archive.namelist())
        assert SCHEMA_NAME in names and len(names) == 4
        xml = next(archive.read(n) for n in names if n.endswith(".xml"))
        schema = etree.XMLSchema(etree.fromstring(archive.read(SCHEMA_NAME)))
        schema.assertValid(etree.fromstring(xml))
    registration.refresh_from_db()
    assert registration.handed_off_how == "files" and registration.handed_off_to == ""


@pytest.mark.django_db
def test_hand_off_refuses_pending_unknown_method_and_other_roles(
    channel, registration, registrar, make_user
):
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.records.registration import request_registration

    (item,) = archived_comments(channel, "En till kommentar.")
    pending = request_registration(SystemActor("moderation"), [item], "x", confidential=True)
    with pytest.raises(ValidationError):
        hand_off(registrar, pending, method="email")
    with pytest.raises(ValidationError):
        hand_off(registrar, registration, method="fax")
    for role in (Role.AUDITOR, Role.ACCOUNT_OWNER, Role.CENTRAL_OFFICE):
        with pytest.raises(PermissionDenied):
            hand_off(make_user(role), registration, method="files")
    registration.refresh_from_db()
    assert registration.handed_off_at is None
