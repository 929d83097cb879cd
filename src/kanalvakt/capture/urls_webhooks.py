"""Public webhook endpoints (no login; every delivery is verified by its signature)."""

from django.urls import path

from kanalvakt.capture import webhooks

app_name = "webhooks"
urlpatterns = [path("meta/", webhooks.meta_webhook, name="meta")]
