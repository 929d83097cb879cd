"""Staff pages of access requests (begäran om allmän handling), under /intern/handlingar/."""

from django.urls import path

from kanalvakt.records import access_views as views

urlpatterns = [
    path("begaran/", views.request_list, name="access_requests"),
    path("begaran/ny/", views.request_create, name="access_request_create"),
    path("begaran/<int:pk>/", views.request_detail, name="access_request"),
    path("begaran/<int:pk>/valj/", views.select_items, name="access_select"),
    path("begaran/<int:pk>/post/<int:row_pk>/ta-bort/", views.remove_item, name="access_remove"),
    path("begaran/<int:pk>/post/<int:row_pk>/prova/", views.review_item, name="access_review"),
    path("begaran/<int:pk>/post/<int:row_pk>/maskera/", views.mask_text, name="access_mask_text"),
    path(
        "begaran/<int:pk>/post/<int:row_pk>/bild/<int:media_pk>/maskera/",
        views.mask_image,
        name="access_mask_image",
    ),
    path(
        "begaran/<int:pk>/maskerad-bild/<int:copy_pk>/",
        views.masked_image,
        name="access_masked_image",
    ),
    path("begaran/<int:pk>/leverera/", views.deliver, name="access_deliver"),
    path("begaran/<int:pk>/avsluta/", views.close, name="access_close"),
    path("leverans/<int:pk>/<str:kind>/", views.delivery_file, name="access_delivery_file"),
]
