from django.urls import path

from kanalvakt.custody import views

app_name = "custody"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:channel_id>/", views.channel_page, name="channel"),
    path("<int:channel_id>/lamna/", views.deposit, name="deposit"),
    path("<int:channel_id>/visa/", views.reveal, name="reveal"),
]
