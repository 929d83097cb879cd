from django.urls import path

from kanalvakt.organisation import views

app_name = "organisation"
urlpatterns = [path("", views.people, name="people")]
