"""The moderator queue: severity then age, filters, the thread with escaped, highlighted
evidence, and who sees which cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kanalvakt.core.marking import mark_spans
from kanalvakt.moderation.models import ModerationCase
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
QUEUE = "/intern/moderering/"


@pytest.fixture
def communicator(make_user, client):
    user = make_user(Role.COMMUNICATOR)
    client.force_login(user)
    return user


def test_highlight_escapes_everything_and_marks_only_the_spans():
    html = mark_spans("<b>du</b> är en idiot & mer", [(16, 21), (100, 120)])
    assert html == "&lt;b&gt;du&lt;/b&gt; är en <mark>idiot</mark> &amp; mer"


@pytest.mark.req("R4.1")
def test_queue_orders_by_severity_then_age(channel, capture, communicator, client):
    mild_old, severe, mild_new = capture(
        channel,
        "Vad fan håller ni på med.",
        "Jag ska döda dig, jag vet var du bor.",
        "Fy fan vilken skit.",
    )
    now = timezone.now()
    for item, hours in ((mild_old, 3), (severe, 1), (mild_new, 2)):
        ModerationCase.objects.filter(item=item).update(captured_at=now - timedelta(hours=hours))
    response = client.get(QUEUE)
    assert response.status_code == 200
    cases = [row["case"].item for row in response.context["rows"]]
    assert cases == [severe, mild_old, mild_new]


def test_filters_by_channel_and_category(channel, capture, communicator, client):
    other = make_channel(platform="instagram")
    (insult,) = capture(channel, "Du är en jävla idiot.")
    (advert,) = capture(other, "Köp billiga solglasögon, 99 kr! Rabattkod OSBY50.")
    by_channel = client.get(QUEUE, {"kanal": other.pk}).context["rows"]
    assert [r["case"].item for r in by_channel] == [advert]
    by_category = client.get(QUEUE, {"kategori": "commercial"}).context["rows"]
    assert [r["case"].item for r in by_category] == [advert]
    assert insult not in [r["case"].item for r in by_category]


def test_case_page_shows_thread_and_escaped_evidence(channel, capture, communicator, client):
    flagged, _sibling = capture(
        channel, "<script>alert(1)</script> du är en jävla idiot", "Bra initiativ!"
    )
    case = ModerationCase.objects.get(item=flagged)
    page = client.get(f"{QUEUE}arende/{case.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>" in page
    assert "Bra initiativ!" in page and "Välkommen på invigningen" in page


def test_account_owner_sees_only_own_accounts(channel, capture, make_user, client):
    owner = make_user(Role.ACCOUNT_OWNER)
    own = make_channel(platform="facebook", responsible=owner.person)
    (mine,) = capture(own, "Du är en jävla idiot.")
    (theirs,) = capture(channel, "Du är en jävla idiot, Nisse.")
    client.force_login(owner)
    rows = client.get(QUEUE).context["rows"]
    assert [r["case"].item for r in rows] == [mine]
    other_case = ModerationCase.objects.get(item=theirs)
    assert client.get(f"{QUEUE}arende/{other_case.pk}/").status_code == 403


def test_people_without_the_permission_are_refused(make_user, client):
    client.force_login(make_user(Role.MANAGER))
    assert client.get(QUEUE).status_code == 403


def test_menu_has_moderation_for_moderators(make_user, client):
    client.force_login(make_user(Role.MODERATOR))
    assert QUEUE in client.get("/intern/").content.decode()


def test_the_demo_has_a_queue_a_preserved_removal_and_a_kept_false_positive():
    from kanalvakt.demo import load_demo_data

    load_demo_data()
    removed = ModerationCase.objects.get(decision="remove")
    assert removed.preservation["versions"]
    assert removed.actions.get().operation == "delete"
    kept = ModerationCase.objects.get(decision="keep")
    assert "Jävlar" in kept.item.text
    assert ModerationCase.objects.filter(state="open").count() >= 2


def test_communicator_changes_the_policy_as_a_new_version(communicator, client):
    from kanalvakt.moderation.models import PolicyVersion

    data = {"target_hours": "2", "severity-commercial": "2", "disabled-copyright": "on"}
    data.update({"note": "Snabbare mål", "severity-profanity_obscene": "1"})
    response = client.post(f"{QUEUE}policy/", data)
    assert response.status_code == 302
    version = PolicyVersion.objects.order_by("-number").first()
    assert version.number == 2 and version.target_hours == 2
    assert version.overrides["categories"]["commercial"] == {"severity": 2}
    assert version.overrides["categories"]["copyright"] == {"disabled": True}
    assert "profanity_obscene" not in version.overrides["categories"]


def test_moderator_reads_but_cannot_change_the_policy(make_user, client):
    client.force_login(make_user(Role.MODERATOR))
    assert client.get(f"{QUEUE}policy/").status_code == 200
    assert client.post(f"{QUEUE}policy/", {"target_hours": "1"}).status_code == 403
