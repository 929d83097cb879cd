"""The demo shows every question state; the staff dialog pages pass axe-core."""

import pytest
from django.test import Client

from kanalvakt.demo import load_demo_data
from kanalvakt.dialog.models import Forward, Question
from kanalvakt.organisation.roles import Role


@pytest.mark.django_db
def test_demo_has_open_answered_overdue_and_forwarded_questions():
    from django.utils import timezone

    load_demo_data()
    now = timezone.now()
    assert Question.objects.filter(answered_at__isnull=True, deadline__gt=now).exists()
    assert Question.objects.filter(answered_at__isnull=True, deadline__lte=now).exists()
    assert Question.objects.filter(how_answered=Question.HowAnswered.MARKED_HANDLED).exists()
    assert Forward.objects.filter(state=Forward.State.SENT).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.req("R3.1")
def test_dialog_pages_have_no_axe_violations(live_server, page, axe_check, make_user):
    load_demo_data()
    client = Client()
    client.force_login(make_user(Role.COMMUNICATOR))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    question = Question.objects.filter(answered_at__isnull=True).first()
    for path in (
        "/intern/dialog/",
        f"/intern/dialog/fraga/{question.pk}/",
        f"/intern/dialog/svara/{question.item_id}/",
        f"/intern/dialog/vidarebefordra/{question.item_id}/",
        "/intern/dialog/vidarebefordrade/",
        "/intern/dialog/sprakgranskning/",
        "/intern/dialog/rapport/",
    ):
        page.goto(live_server.url + path)
        assert axe_check(page) == [], path
