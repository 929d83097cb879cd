from django.urls import path

from kanalvakt.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("kanaler/", views.directory, name="directory"),
    path("kanaler.json", views.directory_json, name="directory_json"),
    path("kanaler/inbaddning/", views.directory_embed, name="directory_embed"),
]
