from django.urls import path

from kanalvakt.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
