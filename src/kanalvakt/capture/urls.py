from django.urls import path

from kanalvakt.capture import views

app_name = "capture"
urlpatterns = [
    path("kanal/<int:channel_id>/", views.channel_items, name="channel_items"),
    path("kanal/<int:channel_id>/anslutning/", views.connection_form, name="connection"),
]
