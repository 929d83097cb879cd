from django.urls import path

from kanalvakt.archive import views_public

app_name = "archive_public"
urlpatterns = [
    path("sok/", views_public.search_page, name="search"),
    path("handling/<int:item_id>/", views_public.record_page, name="record"),
]
