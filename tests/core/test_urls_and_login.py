import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kanalvakt.demo import DEMO_PASSWORD, load_demo_data
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace == "admin":
                continue  # the Django admin checks is_superuser itself (see kanalvakt.urls)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_url_declares_its_permission():
    undeclared = [
        route
        for route, view in walk(get_resolver().url_patterns)
        if not getattr(view, "kanalvakt_permission", None)
    ]
    assert undeclared == []


def test_admin_is_for_superusers_only(central_office_user):
    client = Client()
    client.force_login(central_office_user)
    response = client.get("/intern/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_pages_need_login():
    response = Client().get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_swedish():
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html and "Logga in" in html and "Lösenord" in html


def test_login_page_in_english_when_chosen():
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html and "Password" in html


@pytest.mark.parametrize(
    "username", ["kd", "klk", "sara", "lena", "johan", "maria", "erik", "per", "anna", "linnea"]
)
def test_every_demo_role_logs_in_to_a_start_page(username):
    load_demo_data()
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": username, "password": DEMO_PASSWORD},
        follow=True,
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("core:home")
    assert "Välkommen" in response.content.decode()


def test_menu_follows_the_role(make_user):
    client = Client()
    client.force_login(make_user(Role.ACCOUNT_OWNER))
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("audit:events") not in html
    assert client.get(reverse("audit:events")).status_code == 403
    client.force_login(make_user(Role.AUDITOR))
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("audit:events") in html
    assert client.get(reverse("audit:events")).status_code == 200


def test_password_guessing_is_throttled(make_user):
    user = make_user(Role.COMMUNICATOR)
    client = Client()
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
        )
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "test-password-123"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_login_form_has_csrf_protection(make_user):
    user = make_user(Role.COMMUNICATOR)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "test-password-123"}
    )
    assert response.status_code == 403


def test_security_headers():
    response = Client().get(reverse("public:start"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_oidc_maps_claims_to_an_existing_user_only(make_user, settings):
    from kanalvakt.organisation.oidc import MunicipalOIDCBackend

    settings.OIDC_RP_CLIENT_ID = "kanalvakt"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_CLIENT_SECRET = "x"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_CREATE_USER = False
    user = make_user(Role.MODERATOR)
    backend = MunicipalOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": user.email.upper()})) == [user]
    assert not backend.filter_users_by_claims({"email": "stranger@example.com"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
