"""Requests for public records: intake (anonymous), bad input, rate limit, the legal hold,
review, masking, delivery and the decision, and who may do what."""

import io
import itertools
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item, Media, PublicRecordStatus
from kanalvakt.audit.models import AuditEvent
from kanalvakt.capture.types import CapturedItem
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records import access_actions as actions
from kanalvakt.records.access_clock import clock_for
from kanalvakt.records.access_models import AccessRequest, AccessRequestItem, MaskedCopy
from kanalvakt.records.holds import held_item_ids
from pdf_text import pdf_text
from registry.helpers import make_channel

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)
SECRET = "Kalle Svensson på Storgatan 5 har kontakt med socialtjänsten"
TEXTS = [
    f"Hej! {SECRET} och behöver hjälp med bostad.",
    "Biblioteket har öppet till klockan 19 på torsdagar.",
    "Min son får särskilt stöd i skolan, vem ska jag ringa?",
]


def make_items(texts=TEXTS):
    channel = make_channel(platform="facebook", handle=f"osby.access{next(_ids)}")
    ids = [f"acc{next(_ids)}" for _text in texts]
    batch = [
        CapturedItem(
            platform="facebook", external_id=external_id, kind="post",
            parent_external_id=None, root_external_id=external_id, author_external_id="u1",
            author_display_name="Anna Andersson", author_is_owner=False, text=text,
            created_at=T0 + timedelta(minutes=n), raw={"n": n},
        )
        for n, (external_id, text) in enumerate(zip(ids, texts, strict=True))
    ]  # fmt: skip
    ingest(channel, batch, source="test")
    return list(Item.objects.filter(channel=channel).order_by("pk"))


def stored_pdf_text(name: str) -> str:
    """The stored PDF's text, whitespace collapsed."""
    with default_storage.open(name, "rb") as handle:
        return " ".join(pdf_text(handle.read()).split())


def storage_text(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode("utf-8-sig")


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="sv")


@pytest.fixture
def registrar(make_user):
    return make_user(Role.REGISTRAR)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


# --- intake -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.req("R7.3")
def test_anonymous_request_from_the_public_form_gets_a_reference_and_a_hold(client):
    items = make_items()
    page = client.get("/begar-handling/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Du behöver inte berätta vem du är" in body
    assert 'name="name"' not in body and "personnummer" not in body.lower()
    response = client.post(
        "/begar-handling/",
        {
            "description": "Kommentarerna om bostad i mars",
            "record_refs": f"http://testserver/handling/{items[1].pk}/\n{items[0].pk}",
            "delivery": "pickup",
        },
    )
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    request = AccessRequest.objects.get()
    assert request.reference in receipt.content.decode()
    assert request.reference.startswith(f"BAH-{request.received_at:%Y}-")
    assert request.registered_by is None and request.source == "public_form"
    assert request.contact_email == ""
    # items[0] names a social services matter: screening withholds it from the public, so
    # the public form neither shows nor selects it; the registrar finds it by search.
    assert list(request.items.values_list("item_id", flat=True)) == [items[1].pk]
    assert held_item_ids() == {items[1].pk}  # the hold is placed at once
    event = AuditEvent.objects.get(action="records.access.receive")
    assert event.actor_label == "system:public-form"
    # The receipt link is signed: guessing another request's receipt fails.
    assert client.get("/begar-handling/kvitto/1/").status_code == 404


@pytest.mark.django_db
def test_the_public_form_does_not_reveal_or_select_non_public_items(client):
    items = make_items()
    Item.objects.filter(pk=items[1].pk).update(
        public_record_status=PublicRecordStatus.NOT_PUBLIC_RECORD
    )
    client.post(
        "/begar-handling/",
        {"description": "x", "record_refs": f"{items[1].pk}", "delivery": "pickup"},
    )
    assert AccessRequest.objects.get().items.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "  ", "delivery": "pickup"}, "Beskriv vad du vill ta del av."),
        ({"description": "x" * 5001, "delivery": "pickup"}, "högst 5000 tecken"),
        ({"description": "x", "delivery": "email", "contact_email": "nej"}, "giltig e-post"),
        ({"description": "x", "delivery": "fax"}, "Välj hur du vill få handlingarna."),
        ({"description": "x", "record_refs": "1 " * 1001, "delivery": "pickup"}, "för lång"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_stored(client, data, message):
    response = client.post("/begar-handling/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessRequest.objects.exists()


@pytest.mark.django_db
def test_hostile_html_is_shown_escaped_to_the_requester_and_the_registrar(client, registrar):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post("/begar-handling/", {"description": hostile, "delivery": "pickup"})
    receipt = client.get(response["Location"]).content.decode()
    assert hostile not in receipt and "&lt;script&gt;" in receipt
    staff = Client(HTTP_ACCEPT_LANGUAGE="sv")
    staff.force_login(registrar)
    request = AccessRequest.objects.get()
    for url in ("/intern/handlingar/begaran/", f"/intern/handlingar/begaran/{request.pk}/"):
        body = staff.get(url).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;" in body


@pytest.mark.django_db
def test_rate_limit_per_address(client, settings):
    settings.ACCESS_REQUEST_RATE_LIMIT = 2
    for _n in range(2):
        assert (
            client.post("/begar-handling/", {"description": "a", "delivery": "pickup"}).status_code
            == 302
        )
    third = client.post("/begar-handling/", {"description": "a", "delivery": "pickup"})
    assert third.status_code == 429
    assert "För många" in third.content.decode()
    assert AccessRequest.objects.count() == 2
    other = Client(REMOTE_ADDR="10.1.2.3", HTTP_ACCEPT_LANGUAGE="sv")
    assert (
        other.post("/begar-handling/", {"description": "a", "delivery": "pickup"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_the_form_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/begar-handling/", {"description": "a", "delivery": "pickup"})
    assert response.status_code == 403
    assert not AccessRequest.objects.exists()


@pytest.mark.django_db
def test_registrar_registers_a_request_received_by_phone(client, registrar):
    client.force_login(registrar)
    response = client.post(
        "/intern/handlingar/begaran/ny/",
        {"description": "Inläggen om badplatsen", "source": "phone", "delivery": "email",
         "contact_email": "someone@example.org"},
    )  # fmt: skip
    request = AccessRequest.objects.get()
    assert response["Location"] == f"/intern/handlingar/begaran/{request.pk}/"
    assert request.source == "phone" and request.registered_by == registrar
    assert request.contact_email == "someone@example.org"


# --- clock ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clock_shows_hours_and_is_overdue_after_working_hours(settings):
    request = actions.receive_request(SystemActor("test"), description="x")
    monday = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Stockholm
    AccessRequest.objects.filter(pk=request.pk).update(received_at=monday)
    request.refresh_from_db()
    friday_evening = monday + timedelta(days=4, hours=10)
    tuesday = monday + timedelta(days=1)
    clock = clock_for(request, tuesday)
    assert clock.hours == 24 and clock.working_hours == 9 and not clock.overdue
    assert clock_for(request, friday_evening).overdue  # default: 18 working hours
    settings.ACCESS_REQUEST_OVERDUE_WORKING_HOURS = 50
    assert not clock_for(request, friday_evening).overdue


# --- hold -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hold_follows_the_selection_and_is_released_after_the_appeal_time(registrar):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="x")
    assert request.legal_hold is None
    actions.select_items(registrar, request, [items[0].pk, items[1].pk])
    request.refresh_from_db()
    first_hold = request.legal_hold
    assert held_item_ids() == {items[0].pk, items[1].pk}
    actions.remove_item(registrar, request.items.get(item=items[1]))
    request.refresh_from_db()
    assert held_item_ids() == {items[0].pk}
    first_hold.refresh_from_db()
    assert not first_hold.in_force and request.legal_hold.in_force
    row = request.items.get()
    actions.review_item(registrar, row, decision="withhold", provision="OSL 26 kap. 1 §")
    actions.deliver(registrar, request)
    actions.close_request(registrar, request)
    request.refresh_from_db()
    assert held_item_ids() == {items[0].pk}  # a decision: kept for the appeal time
    assert actions.release_due_holds(request.decided_at + timedelta(days=21)) == 0
    assert actions.release_due_holds(request.decided_at + timedelta(days=28)) == 1
    assert held_item_ids() == set()
    assert AuditEvent.objects.filter(action="records.access.release_hold").exists()


@pytest.mark.django_db
def test_hold_is_released_at_close_when_nothing_was_withheld(registrar):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(registrar, request, [items[1].pk])
    actions.review_item(registrar, request.items.get(), decision="release")
    delivery = actions.deliver(registrar, request)
    assert not delivery.has_decision
    actions.close_request(registrar, request)
    assert held_item_ids() == set()


# --- review, masking, delivery ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.req("R7.6")
def test_masked_text_is_absent_from_every_layer_of_the_delivery(registrar):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="Bostadsfrågor")
    actions.select_items(registrar, request, [items[0].pk, items[1].pk])
    masked_row = request.items.get(item=items[0])
    copy = actions.mask_text(
        registrar, masked_row, snippets="Kalle Svensson\nStorgatan 5", provision="OSL 26 kap. 1 §"
    )
    masked_row.refresh_from_db()
    assert masked_row.decision == "release_masked"
    actions.review_item(registrar, request.items.get(item=items[1]), decision="release")
    delivery = actions.deliver(registrar, request)
    text = stored_pdf_text(delivery.pdf_file)
    assert "Kalle" not in text and "Svensson" not in text and "Storgatan" not in text
    assert "[maskerat – OSL 26 kap. 1 §]" in text
    assert "behöver hjälp med bostad" in text and "klockan 19 på torsdagar" in text
    csv_text = storage_text(delivery.csv_file)
    assert "Kalle" not in csv_text and "klockan 19" in csv_text
    # The original is untouched; both hashes are kept; the audit holds no masked words.
    item = Item.objects.get(pk=items[0].pk)
    assert SECRET in item.display_text
    assert copy.original_sha256 == item.versions.get().sha256
    assert len(copy.masked_sha256) == 64 and copy.masked_sha256 != copy.original_sha256
    for event in AuditEvent.objects.filter(action__startswith="records.access"):
        assert "Kalle" not in str(event.payload)
    # A masked decision is appealable: the decision document comes with it.
    decision = stored_pdf_text(delivery.decision_file)
    assert "Kammarrätten i Göteborg" in decision and "tre veckor" in decision


@pytest.mark.django_db
@pytest.mark.req("R7.6")
def test_withheld_item_gets_a_decision_with_appeal_instructions(registrar):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="Skolfrågor")
    actions.select_items(registrar, request, [items[1].pk, items[2].pk])
    actions.review_item(registrar, request.items.get(item=items[2]), decision="withhold",
                        provision="OSL 23 kap. 2 §")  # fmt: skip
    actions.review_item(registrar, request.items.get(item=items[1]), decision="release")
    delivery = actions.deliver(registrar, request)
    assert (delivery.released_count, delivery.withheld_count) == (1, 1)
    pdf = stored_pdf_text(delivery.pdf_file)
    assert "särskilt stöd" not in pdf and "OSL 23 kap. 2 §" in pdf
    decision = stored_pdf_text(delivery.decision_file)
    assert f"Handling {items[2].pk}" in decision and "OSL 23 kap. 2 §" in decision
    assert "tre veckor från den dag du fick del av beslutet" in decision
    assert "Kammarrätten i Göteborg" in decision and "inte till domstolen" in decision
    request.refresh_from_db()
    assert request.decided_at == delivery.created_at and request.state == "delivered"


@pytest.mark.django_db
def test_delivery_refuses_unreviewed_items_and_withholding_without_provision(registrar):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="x")
    with pytest.raises(actions.ValidationError):
        actions.deliver(registrar, request)  # nothing selected
    actions.select_items(registrar, request, [items[0].pk])
    with pytest.raises(actions.ValidationError):
        actions.deliver(registrar, request)  # not reviewed
    with pytest.raises(actions.ValidationError):
        actions.review_item(registrar, request.items.get(), decision="withhold", provision="")
    actions.review_item(registrar, request.items.get(), decision="release_masked",
                        provision="OSL 21 kap. 7 §")  # fmt: skip
    with pytest.raises(actions.ValidationError, match="inget är maskerat"):
        actions.deliver(registrar, request)
    with pytest.raises(actions.ValidationError):
        actions.mask_text(registrar, request.items.get(), snippets="finns inte",
                          provision="OSL 21 kap. 7 §")  # fmt: skip
    assert not request.deliveries.exists()


@pytest.mark.django_db
def test_image_mask_replaces_the_pixels_in_a_copy(registrar):
    items = make_items()
    image = Image.new("RGB", (40, 30), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    name = default_storage.save("media/test/face.png", ContentFile(buffer.getvalue()))
    media = Media.objects.create(item=items[0], identity_key="img1", source_url="https://x/1",
                                 mime_type="image/png", file=name, sha256="a" * 64)  # fmt: skip
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(registrar, request, [items[0].pk])
    row = request.items.get()
    copy = actions.mask_image(registrar, row, media, rectangles="5, 5, 10, 10",
                              provision="OSL 21 kap. 7 §")  # fmt: skip
    with default_storage.open(copy.file, "rb") as handle:
        masked = Image.open(handle)
        masked.load()
    assert masked.getpixel((7, 7)) == (0, 0, 0)
    assert masked.getpixel((20, 20)) == (255, 255, 255)
    with default_storage.open(name, "rb") as handle:
        assert Image.open(handle).getpixel((7, 7)) == (255, 255, 255)  # original untouched
    assert copy.original_sha256 == "a" * 64 and copy.kind == MaskedCopy.Kind.IMAGE
    with pytest.raises(actions.ValidationError):
        actions.mask_image(registrar, row, media, rectangles="100, 100, 5, 5",
                           provision="OSL 21 kap. 7 §")  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_delivery_by_email_sends_the_documents_over_smtp(smtp_server, make_user):
    registrar = make_user(Role.REGISTRAR)
    items = make_items()
    request = actions.receive_request(
        SystemActor("test"), description="x", delivery="email", contact_email="anon@example.org"
    )
    actions.select_items(registrar, request, [items[1].pk])
    actions.review_item(registrar, request.items.get(), decision="release")
    actions.deliver(registrar, request)
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == "anon@example.org"
    names = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert names == [f"{request.reference}-handlingar.pdf", f"{request.reference}-handlingar.csv"]


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_registrar_handles_requests_and_the_auditor_only_reads(make_user):
    items = make_items()
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(SystemActor("test"), request, [items[0].pk])
    row = request.items.get()
    base = f"/intern/handlingar/begaran/{request.pk}/"
    anonymous = Client()
    assert anonymous.get(base).status_code == 302  # to the login page
    communicator = Client()
    communicator.force_login(make_user(Role.COMMUNICATOR))
    assert communicator.get("/intern/handlingar/begaran/").status_code == 403
    auditor = Client(HTTP_ACCEPT_LANGUAGE="sv")
    auditor.force_login(make_user(Role.AUDITOR))
    assert auditor.get(base).status_code == 200
    assert "Spara prövningen" not in auditor.get(base).content.decode()
    assert auditor.post(f"{base}leverera/").status_code == 403
    assert auditor.post(f"{base}post/{row.pk}/prova/", {"decision": "release"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.review_item(make_user(Role.ARCHIVIST), row, decision="release")
    assert AccessRequestItem.objects.get().decision == "pending"


@pytest.mark.django_db
def test_hold_release_is_a_scheduled_job_and_the_record_page_links_the_form(client):
    from kanalvakt.core.models import ScheduledJob

    job = ScheduledJob.objects.get(name="records-access-holds")
    assert job.task_path == "kanalvakt.records.access_tasks.release_access_holds"
    item = make_items()[1]
    record = client.get(f"/handling/{item.pk}/").content.decode()
    assert f'href="/begar-handling/?handling={item.pk}"' in record
    form = client.get(f"/begar-handling/?handling={item.pk}").content.decode()
    assert f"http://testserver/handling/{item.pk}/</textarea>" in form


@pytest.mark.django_db
def test_handler_is_warned_when_a_masked_snippet_is_also_in_another_item(client, registrar):
    first, second, _third = make_items([f"{SECRET}.", f"Svar till Kalle Svensson: {SECRET}", "x"])
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(registrar, request, [first.pk, second.pk])
    row = request.items.get(item=first)
    client.force_login(registrar)
    response = client.post(
        f"/intern/handlingar/begaran/{request.pk}/post/{row.pk}/maskera/",
        {"snippets": "Kalle Svensson", "provision": "OSL 26 kap. 1 §"},
        follow=True,
    )
    body = response.content.decode()
    assert "Texten maskerades i en kopia" in body
    assert f"också i handling {second.pk}" in body


@pytest.mark.django_db
def test_delivery_shows_markup_as_text_and_defuses_spreadsheet_formulas(registrar):
    (item,) = make_items(['=HYPERLINK("http://evil.example") <b>fet</b> text'])
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(registrar, request, [item.pk])
    actions.review_item(registrar, request.items.get(), decision="release")
    delivery = actions.deliver(registrar, request)
    assert "<b>fet</b> text" in stored_pdf_text(delivery.pdf_file)  # shown, not interpreted
    assert ",\"'=HYPERLINK(" in storage_text(delivery.csv_file)


def _stored_png(name: str, color) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


@pytest.mark.django_db
@pytest.mark.req("R7.6")
def test_masked_item_delivers_only_masked_copies_of_its_images(registrar):
    (item,) = make_items(["Bild från badplatsen"])
    media = [
        Media.objects.create(item=item, identity_key=f"img{n}", source_url=f"https://x/{n}",
                             mime_type="image/png", file=_stored_png(f"media/t/{n}.png", "white"))
        for n in range(2)
    ]  # fmt: skip
    request = actions.receive_request(SystemActor("test"), description="x")
    actions.select_items(registrar, request, [item.pk])
    actions.mask_image(registrar, request.items.get(), media[0], rectangles="0,0,10,10",
                       provision="OSL 21 kap. 7 §")  # fmt: skip
    delivery = actions.deliver(registrar, request)
    path = default_storage.path(delivery.pdf_file)  # local storage in tests
    listing = subprocess.run(["pdfimages", "-list", path], capture_output=True, check=True)
    rows = listing.stdout.decode().splitlines()[2:]
    assert len(rows) == 1  # the masked copy; the unmasked image is left out
    assert "1 bild lämnas inte ut." in stored_pdf_text(delivery.pdf_file)
