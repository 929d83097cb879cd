from django.urls import path

from kanalvakt.dialog import views, views_forward, views_reply, views_report

app_name = "dialog"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("fraga/<int:pk>/", views.question_detail, name="question"),
    path("fraga/<int:pk>/hanterad/", views.mark_handled, name="mark_handled"),
]
urlpatterns += [
    path("vidarebefordra/<int:item_pk>/", views_forward.forward_form, name="forward_form"),
    path("vidarebefordrade/", views_forward.forward_list, name="forwards"),
    path("vidarebefordrad/<int:pk>/", views_forward.forward_detail, name="forward"),
    path("vidarebefordrad/<int:pk>/stang/", views_forward.forward_close, name="forward_close"),
    path(
        "vidarebefordrad/<int:pk>/svar/", views_forward.forward_answer_in_ui, name="forward_answer"
    ),
    path(
        "kanal/<int:channel_pk>/installningar/",
        views_forward.channel_settings,
        name="channel_settings",
    ),
]
urlpatterns += [
    path("svara/<int:item_pk>/", views_reply.reply_form, name="reply"),
    path("sprakgranskning/", views_reply.language_check_page, name="language_check"),
]
urlpatterns += [path("rapport/", views_report.report, name="report")]
