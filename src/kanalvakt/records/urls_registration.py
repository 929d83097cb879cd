"""Staff pages of registration (diarieföring, R7.4, R7.6) under /intern/handlingar/."""

from django.urls import path

from kanalvakt.records import registration_views as views

urlpatterns = [
    path("registrering/", views.registration_list, name="registrations"),
    path("registrering/ny/", views.registration_create, name="registration_create"),
    path("registrering/<int:pk>/", views.registration_detail, name="registration_detail"),
    path(
        "registrering/<int:pk>/diarieforing/",
        views.registration_register,
        name="registration_register",
    ),
    path(
        "registrering/<int:pk>/sekretess/",
        views.registration_confidential,
        name="registration_confidential",
    ),
    path(
        "registrering/<int:pk>/overlamning/",
        views.registration_handoff,
        name="registration_handoff",
    ),
]
