"""The registry's staff pages, through Django's test client."""

import pytest
from django.test import Client
from django.urls import reverse

from factories import PersonFactory
from kanalvakt.organisation.roles import Role
from kanalvakt.registry.models import Channel, Platform
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def request_form_data(owner, deputy, **overrides):
    data = {
        "platform": Platform.objects.get(key="instagram").pk,
        "handle": "osbymusikskola",
        "display_name": "Osby musikskola",
        "url": "",
        "org_unit": owner.person.org_unit.pk,
        "responsible": owner.person.pk,
        "deputies": [deputy.pk],
        "purposes": ["communicate"],
        "description": "Musikskolans konserter och anmälan.",
        "purpose_and_goals": "Fler elever.",
        "target_group": "Föräldrar och elever.",
        "watched_weekdays": ["0", "1", "2", "3", "4"],
        "watch_start": "08:00",
        "watch_end": "16:00",
        "check_interval_hours": "4",
        "update_interval_days": "14",
        "holiday_cover": "Rektor",
        "monitoring_notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner(make_user):
    user = make_user(Role.ACCOUNT_OWNER)
    user.person.manager = PersonFactory()
    user.person.save()
    return user


@pytest.mark.req("R2.3")
def test_request_form_creates_a_request_with_its_plan(owner):
    deputy = PersonFactory()
    response = client_for(owner).post(reverse("registry:request"), request_form_data(owner, deputy))
    channel = Channel.objects.get(handle="osbymusikskola")
    assert response.status_code == 302 and response["Location"].endswith(f"/{channel.pk}/")
    assert channel.current_plan().update_interval_days == 14


@pytest.mark.req("R2.4")
def test_request_form_shows_the_politician_rule_in_place(owner):
    politician = PersonFactory(is_elected_official=True)
    response = client_for(owner).post(
        reverse("registry:request"),
        request_form_data(owner, PersonFactory(), responsible=politician.pk),
    )
    # Elected officials are not even offered; a forged post is refused by the form.
    assert response.status_code == 200
    assert not Channel.objects.exists()


def test_request_form_explains_a_bad_handle_in_swedish(owner):
    response = client_for(owner).post(
        reverse("registry:request"), request_form_data(owner, PersonFactory(), handle="a b!")
    )
    assert "Instagram-namn får bara innehålla" in response.content.decode()


def test_pages_render_for_each_role(make_user):
    channel = make_channel(Channel.Status.APPROVED)
    for role in Role:
        client = client_for(make_user(role))
        for url in (
            reverse("registry:channels"),
            reverse("registry:inbox"),
            reverse("registry:channel", args=[channel.pk]),
            reverse("registry:plan_versions", args=[channel.pk]),
        ):
            assert client.get(url).status_code == 200, (role, url)


def test_owners_cannot_edit_foreign_plans(make_user):
    channel = make_channel()
    client = client_for(make_user(Role.ACCOUNT_OWNER))
    assert client.get(reverse("registry:plan_edit", args=[channel.pk])).status_code == 403
    assert client.get(reverse("registry:responsibility", args=[channel.pk])).status_code == 403


def test_channel_list_filters_without_n_plus_one(make_user, django_assert_max_num_queries):
    for _ in range(8):
        make_channel()
    client = client_for(make_user(Role.CENTRAL_OFFICE))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry:channels"), {"status": "active"})
    assert response.content.decode().count("/intern/kanaler/") >= 8


@pytest.mark.req("R2.3")
def test_plan_history_shows_word_diff(make_user):
    from kanalvakt.registry import actions
    from registry.helpers import valid_plan

    channel = make_channel()
    office = make_user(Role.CENTRAL_OFFICE)
    actions.save_plan(office, channel, **valid_plan(target_group="Seniorer i Osby kommun."))
    html = client_for(office).get(reverse("registry:plan_versions", args=[channel.pk])).content
    html = html.decode()
    assert "<del>Unga vuxna 16–30 år</del>" in html and "<ins>Seniorer</ins>" in html


def test_hostile_display_name_is_escaped(make_user):
    channel = make_channel(display_name='<script>alert("x")</script>')
    html = (
        client_for(make_user(Role.AUDITOR))
        .get(reverse("registry:channel", args=[channel.pk]))
        .content.decode()
    )
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.req("R1.1")
def test_superuser_adds_a_platform_in_the_admin_and_it_is_audited():
    from django.contrib.auth import get_user_model

    from kanalvakt.audit.models import AuditEvent

    admin_user = get_user_model().objects.create_superuser("root", "root@osby.se", "x-pass-1234")
    response = client_for(admin_user).post(
        "/intern/admin/registry/platform/add/",
        {
            "key": "threads",
            "name": "Threads",
            "url_template": "https://www.threads.net/@{handle}",
            "handle_pattern": "^[a-z0-9._]{1,30}$",
            "handle_rule": "Threads-namn: a–z, 0–9, . och _.",
            "sort_order": 5,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    assert Platform.objects.filter(key="threads").exists()
    assert AuditEvent.objects.filter(action="admin.add", object_label="Threads").exists()


def test_channels_cannot_be_changed_in_the_admin():
    from django.contrib.auth import get_user_model

    channel = make_channel(Channel.Status.REQUESTED)
    admin_user = get_user_model().objects.create_superuser("root", "root@osby.se", "x-pass-1234")
    client = client_for(admin_user)
    assert client.get(f"/intern/admin/registry/channel/{channel.pk}/change/").status_code == 200
    client.post(f"/intern/admin/registry/channel/{channel.pk}/change/", {"status": "active"})
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.REQUESTED
