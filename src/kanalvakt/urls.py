"""URL map. Public pages live at the root (Swedish paths), staff pages under /intern/.
Every view declares its permission (kanalvakt.core.views_access); tests enforce it."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kanalvakt.core import views as core_views
from kanalvakt.core.views_access import public


def _admin_for_superusers_only(request):
    # Everyday work goes through Kanalvakt's own pages and actions; the Django admin is a
    # superuser's tool for data repair, not a side door around the workflows.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _admin_for_superusers_only
admin.site.site_header = "Kanalvakt"

urlpatterns = [
    path("", include("kanalvakt.public.urls")),
    path("", include("kanalvakt.archive.urls_public")),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("intern/logga-in/", public(auth_views.LoginView.as_view()), name="login"),
    path("intern/logga-ut/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("intern/", include("kanalvakt.core.urls")),
    path("intern/organisation/", include("kanalvakt.organisation.urls")),
    path("intern/kanaler/", include("kanalvakt.registry.urls")),
    path("intern/forvaring/", include("kanalvakt.custody.urls")),
    path("intern/efterlevnad/", include("kanalvakt.compliance.urls")),
    path("intern/granskningslogg/", include("kanalvakt.audit.urls")),
    path("intern/arkiv/", include("kanalvakt.archive.urls_staff")),
    path("intern/arkiv/", include("kanalvakt.capture.urls")),
    path("intern/skarmdumpar/", include("kanalvakt.screenshots.urls")),
    path("intern/moderering/", include("kanalvakt.moderation.urls")),
    path("intern/dialog/", include("kanalvakt.dialog.urls")),
    path("svar/", include("kanalvakt.dialog.urls_public")),
    path("", include("kanalvakt.records.urls_public")),
    path("intern/handlingar/", include("kanalvakt.records.urls")),
    path("intern/admin/", admin.site.urls),
    path("webhooks/", include("kanalvakt.capture.urls_webhooks")),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc.views import (
        OIDCAuthenticationCallbackView,
        OIDCAuthenticationRequestView,
    )

    urlpatterns += [
        path(
            "oidc/authenticate/",
            public(OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            public(OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
