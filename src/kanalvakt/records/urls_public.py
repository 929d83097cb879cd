"""Public pages of the records app: the form for requesting public records."""

from django.urls import path

from kanalvakt.records import access_public

app_name = "records_public"
urlpatterns = [
    path("begar-handling/", access_public.request_form, name="request_form"),
    path("begar-handling/kvitto/<str:token>/", access_public.receipt, name="receipt"),
]
