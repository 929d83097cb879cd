"""The retention pages (R7.1): who sees and does what, and Swedish errors on bad input."""

import pytest
from django.urls import reverse

from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records.holds import held_item_ids, place_hold
from kanalvakt.records.retention import propose_run
from kanalvakt.records.retention_models import DisposalRun, LegalHold, RetentionClass
from records.retention_helpers import thread
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R7.1")]


@pytest.fixture
def channel():
    return make_channel(platform="facebook", handle="osby.views")


def login(client, user):
    client.force_login(user)
    return client


def test_menu_shows_disposal_to_the_archivist_only(client, make_user):
    html = login(client, make_user(Role.ARCHIVIST)).get(reverse("core:home")).content.decode()
    assert reverse("records:retention") in html and "Gallring" in html
    html = login(client, make_user(Role.COMMUNICATOR)).get(reverse("core:home")).content.decode()
    assert reverse("records:retention") not in html


def test_archivist_proposes_and_another_approves_through_the_pages(
    client, make_user, channel, django_capture_on_commit_callbacks
):
    thread(channel)
    login(client, make_user(Role.ARCHIVIST))
    response = client.post(reverse("records:disposal_propose"))
    run = DisposalRun.objects.get()
    assert response.url == reverse("records:disposal_run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Kommentar 0" in page  # the sample
    assert 'name="decision"' not in page  # not for the proposer
    login(client, make_user(Role.ARCHIVIST))
    url = reverse("records:disposal_decide", args=[run.pk])
    response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 400 and "kommentar" in response.content.decode().lower()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "comment": "Stickprov granskat"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == DisposalRun.State.DONE and run.disposed_count == 2


def test_auditor_reads_but_cannot_change(client, make_user, channel):
    thread(channel)
    run = propose_run(SystemActor("test"))
    login(client, make_user(Role.AUDITOR))
    assert client.get(reverse("records:retention")).status_code == 200
    assert client.get(reverse("records:disposal_run", args=[run.pk])).status_code == 200
    assert client.get(reverse("records:holds")).status_code == 200
    assert (
        client.post(
            reverse("records:disposal_decide", args=[run.pk]),
            {"decision": "approve", "comment": "x"},
        ).status_code
        == 403
    )
    cls = RetentionClass.objects.first()
    assert client.get(reverse("records:retention_class", args=[cls.pk])).status_code == 403
    assert client.get(reverse("records:hold_place")).status_code == 403
    run.refresh_from_db()
    assert run.state == DisposalRun.State.PROPOSED


@pytest.mark.parametrize("role", [Role.COMMUNICATOR, Role.MODERATOR, Role.ACCOUNT_OWNER])
def test_other_roles_see_nothing(client, make_user, role):
    login(client, make_user(role))
    for name in ("records:retention", "records:holds"):
        assert client.get(reverse(name)).status_code == 403


def test_archivist_edits_a_class_with_validation(client, make_user):
    cls = RetentionClass.objects.get(code="third-party-temporary")
    login(client, make_user(Role.ARCHIVIST))
    url = reverse("records:retention_class", args=[cls.pk])
    data = {
        "name": cls.name,
        "author_scope": cls.author_scope,
        "period_months": "0",
        "decision_reference": "",
        "active": "on",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj minst en sorts post" in html and "gallringsbeslut" in html.lower()
    data.update(kinds=["comment", "reply"], period_months="18", decision_reference="KS 2026/9 § 3")
    assert client.post(url, data).status_code == 302
    cls.refresh_from_db()
    assert cls.period_months == 18 and cls.kinds == ["comment", "reply"]


def test_registrar_places_and_releases_a_hold(client, make_user, channel):
    _, comments = thread(channel)
    login(client, make_user(Role.REGISTRAR))
    response = client.post(
        reverse("records:hold_place"), {"reference": "", "reason": "", "item_ids": "12x"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not LegalHold.objects.exists()
    assert "Inte ett id" in html or "12x" in html
    response = client.post(
        reverse("records:hold_place"),
        {
            "reference": "KS 2026/20",
            "reason": "Begäran om allmän handling",
            "item_ids": f"{comments[0].pk}, {comments[1].pk}",
        },
    )
    assert response.status_code == 302
    assert held_item_ids() == {comments[0].pk, comments[1].pk}
    hold = LegalHold.objects.get()
    assert "KS 2026/20" in client.get(reverse("records:holds")).content.decode()
    client.post(reverse("records:hold_release", args=[hold.pk]), {"reason": ""})
    assert held_item_ids()
    client.post(reverse("records:hold_release", args=[hold.pk]), {"reason": "Avgjord"})
    assert held_item_ids() == set()


def test_hold_on_a_channel_range_from_the_form(client, make_user, channel):
    post, comments = thread(channel)
    login(client, make_user(Role.ARCHIVIST))
    response = client.post(
        reverse("records:hold_place"),
        {
            "reference": "KS 2026/21",
            "reason": "Överklagande",
            "channel": channel.pk,
            "start": "2023-01-10",
            "end": "2023-01-10",
        },
    )
    assert response.status_code == 302
    assert held_item_ids() == {post.pk, *[c.pk for c in comments]}
    response = client.post(
        reverse("records:hold_place"),
        {
            "reference": "KS 2026/22",
            "reason": "x",
            "channel": channel.pk,
            "start": "2024-01-10",
            "end": "2023-01-10",
        },
    )
    assert response.status_code == 200 and LegalHold.objects.count() == 1


def test_a_held_hold_page_lists_released_holds_on_request(client, make_user, channel):
    post, _ = thread(channel, comments=0)
    hold = place_hold(SystemActor("t"), reason="r", reference="KS 2026/30", item_ids=[post.pk])
    from kanalvakt.records.holds import release_hold

    release_hold(SystemActor("t"), hold, reason="klart")
    login(client, make_user(Role.ARCHIVIST))
    assert "KS 2026/30" not in client.get(reverse("records:holds")).content.decode()
    assert "KS 2026/30" in client.get(reverse("records:holds") + "?visa=alla").content.decode()
