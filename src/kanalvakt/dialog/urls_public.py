from django.urls import path

from kanalvakt.dialog import views_forward

app_name = "dialog_public"
urlpatterns = [path("<str:token>/", views_forward.answer_by_link, name="answer")]
