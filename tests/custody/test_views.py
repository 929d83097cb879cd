"""The custody pages: a deposit form that never echoes, a reveal that is a POST answered once
with no-store, failures shown clearly, and error reports free of the secrets (R6.2)."""

import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from custody.conftest import SECRETS, planted, secret_strings
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody import views
from kanalvakt.custody.models import Deposit

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]


def form_data(values=None):
    values = values or planted()
    return {
        **{k: v for k, v in values.items() if k != "platform_admins"},
        "password_again": values["password"],
        "platform_admins": "\n".join(values["platform_admins"]),
    }


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_deposit_form_has_safe_password_inputs(owner, channel):
    response = logged_in(owner).get(reverse("custody:deposit", args=[channel.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert html.count('type="password"') == 2
    assert html.count('autocomplete="new-password"') == 2
    assert 'spellcheck="false"' in html and '<form method="post" autocomplete="off"' in html
    assert 'for="id_password"' in html  # labelled


def test_deposit_through_the_form(owner, channel):
    client = logged_in(owner)
    response = client.post(reverse("custody:deposit", args=[channel.pk]), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("custody:channel", args=[channel.pk])
    deposit = Deposit.objects.get(channel=channel)
    assert deposit.platform_admin_count == 2 and deposit.has_notes
    page = client.get(response["Location"]).content.decode()
    assert "v1" in page or ">1<" in page
    assert all(s not in page for s in secret_strings(planted()))


def test_form_errors_never_echo_the_secrets(owner, channel):
    data = form_data()
    data["password_again"] = "something-else-entirely"
    response = logged_in(owner).post(reverse("custody:deposit", args=[channel.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and not Deposit.objects.exists()
    for secret in [*secret_strings(planted()), "something-else-entirely"]:
        assert secret not in html, secret


def test_reveal_is_post_only_shown_once_and_not_stored(deposited, custodian):
    client = logged_in(custodian)
    url = reverse("custody:reveal", args=[deposited.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "Kontoansvarig sjuk, behöver publicera"})
    html = response.content.decode()
    assert response.status_code == 200
    assert SECRETS["password"] in html and SECRETS["platform_admins"][1] in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    # Nothing is kept: the channel page afterwards shows metadata only.
    page = client.get(reverse("custody:channel", args=[deposited.pk])).content.decode()
    assert SECRETS["password"] not in page
    assert AuditEvent.objects.filter(action="custody.reveal").count() == 1


def test_reveal_without_reason_shows_the_form_again(deposited, custodian):
    response = logged_in(custodian).post(
        reverse("custody:reveal", args=[deposited.pk]), {"reason": "kort"}
    )
    assert response.status_code == 400
    assert SECRETS["password"] not in response.content.decode()
    assert not AuditEvent.objects.filter(action="custody.reveal").exists()


def test_reveal_failure_is_shown_clearly(deposited, custodian, custody_key_file):
    custody_key_file.unlink()
    response = logged_in(custodian).post(
        reverse("custody:reveal", args=[deposited.pk]), {"reason": "Kontoansvarig är sjuk"}
    )
    assert response.status_code == 503
    assert 'role="alert"' in response.content.decode()
    assert AuditEvent.objects.filter(action="custody.reveal_failed").count() == 1


def test_overview_lists_flagged_channels_for_custodians(deposited, custodian, owner):
    from registry.helpers import make_channel

    orphan = make_channel(responsible=owner.person)
    client = logged_in(custodian)
    html = client.get(reverse("custody:overview") + "?flaggade=1").content.decode()
    assert orphan.display_name in html and deposited.display_name not in html
    html = client.get(reverse("custody:overview")).content.decode()
    assert orphan.display_name in html and deposited.display_name in html


def test_custody_menu_entry_for_holders_only(custodian, make_user):
    from kanalvakt.organisation.roles import Role

    assert reverse("custody:overview") in _menu_urls(custodian)
    assert reverse("custody:overview") not in _menu_urls(make_user(Role.REGISTRAR))


def _menu_urls(user):
    from kanalvakt.core.navigation import menu_for

    return [item["url"] for item in menu_for(user, "/intern/")]


def test_error_report_of_a_crash_mid_deposit_holds_no_secret(owner, channel, monkeypatch):
    """Django's error e-mails and pages list every frame's locals and the POST data: the
    custody views mark both sensitive, down through the action layer."""

    def crash(**kwargs):
        raise RuntimeError("key provider exploded")

    monkeypatch.setattr("kanalvakt.custody.actions.get_key_provider", crash)
    request = RequestFactory().post(reverse("custody:deposit", args=[channel.pk]), form_data())
    request.user = owner
    try:
        views.deposit(request, channel_id=channel.pk)
    except RuntimeError:
        exc_info = sys.exc_info()
    else:
        pytest.fail("the crash did not propagate")
    reporter = ExceptionReporter(request, *exc_info)
    report = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "key provider exploded" in report and "deposit_credentials" in report
    for secret in secret_strings(planted()):
        assert secret not in report, secret
