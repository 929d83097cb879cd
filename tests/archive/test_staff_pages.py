"""Staff archive pages: search with filters inside the user's scope, and the record page
with its public-record status, versions and a server-verified integrity proof that the
offline `kanalvakt archive verify-proof` also accepts (and rejects once tampered)."""

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

import archived_threads
from kanalvakt.archive import integrity
from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.integrity_models import LogLeaf
from kanalvakt.archive.models import Item, ItemVersion, PublicRecordStatus
from kanalvakt.archive.tree_head import public_key_pem
from kanalvakt.audit.models import AuditEvent
from kanalvakt.cli import main
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SEARCH = "/intern/arkiv/sok/"


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.ARCHIVE_TSA_URL = ""


def captured(external_id, text, *, minutes=0, **fields):
    return archived_threads.captured(
        external_id, text, at=T0 + timedelta(minutes=minutes), **fields
    )


def staff_client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(user)
    return client


@pytest.fixture
def two_channels(make_user):
    """An owner's channel with a post, a reply and an edited post; another channel."""
    owner = make_user(Role.ACCOUNT_OWNER)
    own = make_channel(platform="facebook", handle="osby.bibliotek", responsible=owner.person)
    other = make_channel(platform="facebook", handle="osby.skola")
    ingest(
        own,
        [
            captured("b1", "Biblioteket har öppet på lördag"),
            captured("b2", "Varför stänger ni <script>alert(1)</script>?", kind="comment",
                     parent="b1", owner=False, minutes=1),
            captured("b3", "Sagostund för barn i biblioteket", minutes=2),
        ],
        source="test",
    )  # fmt: skip
    ingest(
        own,
        [captured("b3", "Sagostund för barn i biblioteket på torsdag", minutes=2)],
        source="test",
    )
    ingest(other, [captured("s1", "Skolan har biblioteket öppet", minutes=3)], source="test")
    integrity.append_pending()
    integrity.sign_current_head()
    return owner, own, other


def hit_ids(body):
    return {item.pk for item in Item.objects.all() if f"/intern/arkiv/handling/{item.pk}/" in body}


@pytest.mark.django_db
def test_owner_sees_only_own_channels_and_all_scope_sees_everything(two_channels, make_user):
    owner, own, other = two_channels
    body = staff_client(owner).get(SEARCH, {"q": "biblioteket"}).content.decode()
    own_ids = set(Item.objects.filter(channel=own).values_list("pk", flat=True))
    assert hit_ids(body) == own_ids - {Item.objects.get(external_id="b2").pk}
    assert "Skolan" not in body
    # Choosing another's channel by its id finds nothing, not that channel's items.
    body = staff_client(owner).get(SEARCH, {"kanal": other.pk}).content.decode()
    assert hit_ids(body) == set()
    archivist = staff_client(make_user(Role.ARCHIVIST))
    body = archivist.get(SEARCH, {"q": "biblioteket"}).content.decode()
    assert Item.objects.get(external_id="s1").pk in hit_ids(body)


@pytest.mark.django_db
def test_owner_without_channels_finds_nothing(two_channels, make_user):
    lonely = make_user(Role.ACCOUNT_OWNER)
    response = staff_client(lonely).get(SEARCH, {"q": "biblioteket"})
    assert response.status_code == 200 and hit_ids(response.content.decode()) == set()


@pytest.mark.django_db
def test_search_filters_and_highlight(two_channels, make_user):
    _owner, _own, other = two_channels
    client = staff_client(make_user(Role.REGISTRAR))
    b1, b2, b3, s1 = (Item.objects.get(external_id=x).pk for x in ("b1", "b2", "b3", "s1"))
    assert hit_ids(client.get(SEARCH, {"kanal": other.pk}).content.decode()) == {s1}
    assert hit_ids(client.get(SEARCH, {"typ": "comment"}).content.decode()) == {b2}
    assert hit_ids(client.get(SEARCH, {"forfattare": "tredje"}).content.decode()) == {b2}
    assert b2 not in hit_ids(client.get(SEARCH, {"forfattare": "egen"}).content.decode())
    assert hit_ids(client.get(SEARCH, {"moderering": "unflagged"}).content.decode()) == {
        b1, b2, b3, s1
    }  # fmt: skip
    assert hit_ids(client.get(SEARCH, {"plattform": "instagram"}).content.decode()) == set()
    day = T0.date().isoformat()
    assert len(hit_ids(client.get(SEARCH, {"fran": day, "till": day}).content.decode())) == 4
    assert hit_ids(client.get(SEARCH, {"till": "2026-03-01"}).content.decode()) == set()
    body = client.get(SEARCH, {"q": "sagostund"}).content.decode()
    assert "<mark>Sagostund</mark>" in body and hit_ids(body) == {b3}
    # Hostile text in a hit is escaped, never markup.
    body = client.get(SEARCH, {"q": "stänger"}).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    # Bad input is ignored, not an error.
    bad_inputs = [
        ({"fran": "not-a-date", "typ": "x", "efter": "@@"}, {b1, b2, b3, s1}),
        ({"plattform": 'x" OR "', "moderering": "<x>", "kanal": "-1"}, {b1, b2, b3, s1}),
        ({"q": '"biblioteket* -('}, {b1, b3, s1}),
    ]
    for params, expected in bad_inputs:
        response = client.get(SEARCH, params)
        assert response.status_code == 200 and hit_ids(response.content.decode()) == expected


@pytest.mark.django_db
def test_search_pages_with_a_cursor(make_user):
    channel = make_channel(platform="facebook", handle="osby.many")
    ingest(channel, [captured(f"m{n}", f"Nyhet {n}", minutes=n) for n in range(25)], source="test")
    client = staff_client(make_user(Role.ARCHIVIST))
    first = client.get(SEARCH, {"q": "nyhet"}).content.decode()
    assert len(hit_ids(first)) == 20 and "efter=" in first
    cursor = unquote(re.search(r"efter=([^\"&]+)", first).group(1))
    second = client.get(SEARCH, {"q": "nyhet", "efter": cursor}).content.decode()
    assert len(hit_ids(second)) == 5 and not hit_ids(first) & hit_ids(second)


@pytest.mark.django_db
def test_registration_button_only_for_those_who_may_register(two_channels, make_user):
    owner, _own, _other = two_channels
    body = staff_client(make_user(Role.REGISTRAR)).get(SEARCH).content.decode()
    try:
        url = reverse("records:registration_create")
    except NoReverseMatch:
        assert 'name="item"' not in body and "Registrera valda" not in body
        return
    assert f'action="{url}"' in body and 'name="item"' in body
    assert "Registrera valda" in body
    assert "Registrera valda" not in staff_client(owner).get(SEARCH).content.decode()


@pytest.mark.django_db
@pytest.mark.req("R7.4")
def test_registrations_and_holds_on_the_record_page_and_case_number_search(
    two_channels, make_user, settings
):
    registration = pytest.importorskip("kanalvakt.records.registration")
    holds = pytest.importorskip("kanalvakt.records.holds")
    registrar = make_user(Role.REGISTRAR)
    item = Item.objects.get(external_id="b2")
    case = settings.RECORDS_CASE_NUMBER_EXAMPLE
    registration.register(
        registrar, items=[item], case_number=case, direction="received", description="Kommentar"
    )
    holds.place_hold(SystemActor("test"), reason="Begäran om utlämnande", reference="BU-7",
                     item_ids=[item.pk])  # fmt: skip
    client = staff_client(registrar)
    body = client.get(f"/intern/arkiv/handling/{item.pk}/").content.decode()
    assert case in body and "BU-7" in body and "Begäran om utlämnande" in body
    assert hit_ids(client.get(SEARCH, {"diarienummer": case}).content.decode()) == {item.pk}


@pytest.mark.django_db
@pytest.mark.req("R7.2")
def test_record_page_shows_status_versions_thread_and_verified_proof(two_channels, make_user):
    owner, _own, _other = two_channels
    client = staff_client(owner)
    post, comment = Item.objects.get(external_id="b1"), Item.objects.get(external_id="b2")
    body = client.get(f"/intern/arkiv/handling/{comment.pk}/").content.decode()
    assert "Inkommen" in body  # received: written by someone else on the account
    assert comment.public_record_since.strftime("%Y-%m-%d") in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert f"/intern/arkiv/handling/{post.pk}/" in body  # the thread: its parent
    assert "verifierad" in body.lower() and "kunde inte verifieras" not in body.lower()
    leaf = LogLeaf.objects.get(kind="item_version", record_pk=comment.versions.get().pk)
    assert bytes(leaf.leaf_hash).hex() in body and f"<td>{leaf.index}</td>" in body
    body = client.get(f"/intern/arkiv/handling/{post.pk}/").content.decode()
    assert "Upprättad" in body and f"/intern/arkiv/handling/{comment.pk}/" in body  # reply


@pytest.mark.django_db
def test_record_page_shows_what_an_edit_changed(two_channels, make_user):
    item = Item.objects.get(external_id="b3")
    body = staff_client(make_user(Role.ARCHIVIST)).get(f"/intern/arkiv/handling/{item.pk}/")
    assert "<ins> på torsdag</ins>" in body.content.decode()


@pytest.mark.django_db
def test_tampered_leaf_cannot_be_verified(two_channels, make_user):
    item = Item.objects.get(external_id="b1")
    leaf = LogLeaf.objects.get(kind="item_version", record_pk=item.versions.get().pk)
    LogLeaf.objects.filter(pk=leaf.pk).update(leaf_hash=b"\x00" * 32)
    body = staff_client(make_user(Role.ARCHIVIST)).get(f"/intern/arkiv/handling/{item.pk}/")
    assert "Kunde inte verifieras" in body.content.decode()


@pytest.mark.django_db
def test_tampered_text_cannot_be_verified(two_channels, make_user):
    item = Item.objects.get(external_id="b1")
    ItemVersion.objects.filter(item=item).update(text="Biblioteket är stängt")
    body = staff_client(make_user(Role.ARCHIVIST)).get(f"/intern/arkiv/handling/{item.pk}/")
    assert "Kunde inte verifieras" in body.content.decode()


@pytest.mark.django_db
def test_record_of_another_channel_is_refused(two_channels):
    owner, _own, _other = two_channels
    other_item = Item.objects.get(external_id="s1")
    assert staff_client(owner).get(f"/intern/arkiv/handling/{other_item.pk}/").status_code == 403
    assert (
        staff_client(owner).get(f"/intern/arkiv/handling/{other_item.pk}/bevis.json").status_code
        == 403
    )
    assert staff_client(owner).get("/intern/arkiv/handling/999999/").status_code == 404


@pytest.mark.django_db
def test_viewing_a_record_is_audited(two_channels):
    owner, _own, _other = two_channels
    item = Item.objects.get(external_id="b1")
    staff_client(owner).get(f"/intern/arkiv/handling/{item.pk}/")
    event = AuditEvent.objects.filter(action="archive.item.view").get()
    assert event.object_id == str(item.pk) and event.actor_id == owner.pk
    assert event.payload["what"] == "page"


@pytest.mark.django_db
def test_downloaded_proof_verifies_offline_and_fails_when_modified(
    two_channels, make_user, tmp_path, capsys
):
    item = Item.objects.get(external_id="b3")  # two versions
    response = staff_client(make_user(Role.ARCHIVIST)).get(
        f"/intern/arkiv/handling/{item.pk}/bevis.json"
    )
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert len(document["records"]) == 2 and not document["pending"]
    assert AuditEvent.objects.filter(action="archive.item.view", payload__what="proof").exists()
    key = tmp_path / "key.pem"
    key.write_bytes(public_key_pem(integrity.public_key()))
    proof = tmp_path / "proof.json"
    proof.write_bytes(response.content)
    assert main(["archive", "verify-proof", str(proof), "--public-key", str(key)]) == 0
    assert capsys.readouterr().out.strip().endswith("OK")

    document["records"][0]["content"] = document["records"][0]["content"].replace(
        "Sagostund", "Sagostunden"
    )
    proof.write_text(json.dumps(document))
    assert main(["archive", "verify-proof", str(proof), "--public-key", str(key)]) == 1
    assert "does not match its sha256" in capsys.readouterr().out

    document = json.loads(response.content)
    document["records"][1]["path"] = []
    proof.write_text(json.dumps(document))
    assert main(["archive", "verify-proof", str(proof), "--public-key", str(key)]) == 1
    document = json.loads(response.content)
    document["tree_head"]["size"] += 1
    proof.write_text(json.dumps(document))
    assert main(["archive", "verify-proof", str(proof), "--public-key", str(key)]) == 1
    assert "signature" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_proof_rejects_bad_files(tmp_path, capsys):
    key = tmp_path / "key.pem"
    key.write_text("not a key")
    proof = tmp_path / "proof.json"
    proof.write_text("{}")
    assert main(["archive", "verify-proof", str(proof), "--public-key", str(key)]) == 2
    assert "kanalvakt:" in capsys.readouterr().err


@pytest.mark.django_db
def test_record_page_not_yet_signed(make_user):
    channel = make_channel(platform="facebook", handle="osby.ny")
    ingest(channel, [captured("n1", "Nytt inlägg")], source="test")
    item = Item.objects.get(external_id="n1")
    Item.objects.filter(pk=item.pk).update(public_record_status=PublicRecordStatus.DRAWN_UP)
    body = staff_client(make_user(Role.ARCHIVIST)).get(f"/intern/arkiv/handling/{item.pk}/")
    assert body.status_code == 200
    assert "kunde inte verifieras" not in body.content.decode().lower()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_archive_pages_have_no_axe_violations(live_server, page, axe_check, make_user):
    user = make_user(Role.ARCHIVIST)
    user.set_password("pw-for-axe-123")
    user.save()
    channel = make_channel(platform="facebook", handle="osby.axe")
    ingest(channel, [captured("a1", "Hej <b>fet</b>"), captured("a2", "Svar", kind="comment",
                                                                  parent="a1", owner=False)],
           source="test")  # fmt: skip
    integrity.append_pending()
    integrity.sign_current_head()
    item = Item.objects.get(external_id="a1")
    page.goto(live_server.url + "/intern/logga-in/")
    page.get_by_label("Användarnamn").fill(user.get_username())
    page.get_by_label("Lösenord").fill("pw-for-axe-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/intern/")
    for path in (SEARCH, SEARCH + "?q=hej", f"/intern/arkiv/handling/{item.pk}/"):
        page.goto(live_server.url + path)
        assert axe_check(page) == [], path
