import pytest
from django.test import Client
from django.urls import reverse

from kanalvakt.demo import load_demo_data
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db


def test_overview_for_the_central_office_and_not_for_owners(make_user):
    load_demo_data()
    client = Client()
    client.force_login(make_user(Role.CENTRAL_OFFICE))
    html = client.get(reverse("compliance:overview"), {"sort": "worst"}).content.decode()
    assert "Hemtjänsten i Osby" in html and "R2.4" in html
    violations = client.get(reverse("compliance:overview"), {"status": "violation"})
    assert "Biblioteket i Osby" not in violations.content.decode()
    client.force_login(make_user(Role.ACCOUNT_OWNER))
    assert client.get(reverse("compliance:overview")).status_code == 403


def test_my_accounts_shows_only_mine():
    load_demo_data()
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="anna"))
    html = client.get(reverse("compliance:mine")).content.decode()
    assert "Biblioteket i Osby" in html and "Räddningstjänsten Osby" not in html


def test_demo_shows_a_realistic_mix():
    from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate

    load_demo_data()
    reports = evaluate(channels_for_compliance())
    worst = [r.worst for r in reports if r.worst != "not_applicable"]
    assert worst.count("violation") == 2
    assert worst.count("ok") > len(worst) / 2
    assert 1 <= worst.count("warning") <= 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_overview_is_accessible(live_server, page, axe_check, django_user_model):
    from kanalvakt.demo import DEMO_PASSWORD

    load_demo_data()
    page.goto(live_server.url + "/intern/logga-in/")
    page.get_by_label("Användarnamn").fill("klk")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/intern/")
    page.goto(live_server.url + "/intern/efterlevnad/")
    assert axe_check(page) == []
