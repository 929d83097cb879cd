"""Staff pages of the archive, under /intern/arkiv/ (capture's channel pages share it)."""

from django.urls import path

from kanalvakt.archive import views_staff

app_name = "archive_staff"
urlpatterns = [
    path("sok/", views_staff.search_page, name="search"),
    path("handling/<int:item_id>/", views_staff.record_page, name="record"),
    path("handling/<int:item_id>/bevis.json", views_staff.proof_download, name="proof"),
    path("publik-nyckel.pem", views_staff.public_key_download, name="public_key"),
]
