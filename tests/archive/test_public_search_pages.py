"""The public search page and record pages (R7.3): Swedish, no JavaScript needed,
withheld items never shown (R7.5), and no axe-core violations."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.test import Client

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.capture.types import CapturedItem
from registry.helpers import make_channel

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_archive():
    channel = make_channel(platform="facebook", handle="osbykommun.sida")
    ingest(
        channel,
        [
            CapturedItem(
                platform="facebook", external_id=f"p{n}", kind="post",
                parent_external_id=None, root_external_id=f"p{n}", author_external_id="111",
                author_display_name="Osby kommun", author_is_owner=True,
                text=f"Kommentarer om badplatsen nummer {n}",
                created_at=T0 + timedelta(minutes=n), raw={"id": f"p{n}"},
                url=f"https://www.facebook.com/p{n}",
            )
            for n in range(25)
        ],
        source="test",
    )  # fmt: skip
    return channel


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="sv")


@pytest.mark.django_db
@pytest.mark.req("R7.3")
def test_search_page_finds_inflections_and_pages_without_javascript(client):
    make_archive()
    response = client.get("/sok/", {"q": "kommentaren"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Kommentarer</mark>" in body
    assert body.count('href="/handling/') == 20
    assert "efter=" in body  # a plain link to the next page
    assert '<form method="get"' in body  # plain GET form and links, no script needed
    assert "Fler resultat" in body and "Inget hittades" not in body
    following = client.get("/sok/" + unescape(re.search(r'href="(\?[^"]*efter=[^"]*)"', body)[1]))
    last = following.content.decode()
    assert last.count('href="/handling/') == 5 and "Fler resultat" not in last
    nothing = client.get("/sok/", {"q": "zebrafink"}).content.decode()
    assert "Inget hittades. Prova ett annat ord eller färre filter." in nothing


@pytest.mark.django_db
@pytest.mark.req("R7.5")
def test_withheld_items_are_neither_found_nor_shown(client):
    make_archive()
    item = Item.objects.get(external_id="p3")
    assert client.get(f"/handling/{item.pk}/").status_code == 200
    Item.objects.filter(pk=item.pk).update(
        public_record_status=PublicRecordStatus.NOT_PUBLIC_RECORD
    )
    assert client.get(f"/handling/{item.pk}/").status_code == 404
    body = client.get("/sok/", {"q": "nummer 3"}).content.decode()
    assert f'href="/handling/{item.pk}/"' not in body


@pytest.mark.django_db
def test_record_page_links_the_original(client):
    make_archive()
    item = Item.objects.get(external_id="p1")
    body = client.get(f"/handling/{item.pk}/").content.decode()
    assert "https://www.facebook.com/p1" in body and "badplatsen nummer 1" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.req("R7.3")
def test_public_search_pages_have_no_axe_violations(live_server, page, axe_check):
    make_archive()
    item = Item.objects.first()
    for path in ("/sok/", "/sok/?q=kommentar", "/sok/?q=inget+alls", f"/handling/{item.pk}/"):
        page.goto(live_server.url + path)
        assert axe_check(page) == [], path


@pytest.mark.django_db
@pytest.mark.req("R7.5")
def test_cached_result_pages_follow_every_change_of_what_is_public(
    client, django_assert_max_num_queries
):
    from kanalvakt.moderation.models import ModerationCase
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.records.registration import register

    make_archive()
    item = Item.objects.get(external_id="p24")
    assert f"/handling/{item.pk}/" in client.get("/sok/", {"q": "badplatsen"}).content.decode()
    with django_assert_max_num_queries(4):  # the cached copy: only the freshness lookups
        assert client.get("/sok/", {"q": "badplatsen"}).status_code == 200
    # Screening opens a case without any person acting: the item is withheld at once.
    case = ModerationCase.objects.create(item=item, captured_at=item.captured_at)
    assert f"/handling/{item.pk}/" not in client.get("/sok/", {"q": "badplatsen"}).content.decode()
    case.delete()
    other = Item.objects.get(external_id="p23")
    assert f"/handling/{other.pk}/" in client.get("/sok/", {"q": "badplatsen"}).content.decode()
    register(
        SystemActor("test"),
        items=[other],
        case_number="KS 2026/9",
        description="Uppgifter om en enskild",
        osl_provision="OSL 26 kap. 1 §",
    )  # audited: a new audit event makes a new copy
    assert f"/handling/{other.pk}/" not in client.get("/sok/", {"q": "badplatsen"}).content.decode()
