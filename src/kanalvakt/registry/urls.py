from django.urls import path

from kanalvakt.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.channel_list, name="channels"),
    path("att-gora/", views.inbox, name="inbox"),
    path("ansok/", views.request_channel, name="request"),
    path("<int:pk>/", views.channel_detail, name="channel"),
    path("<int:pk>/beslut/", views.decide, name="decide"),
    path("<int:pk>/radgivning/", views.consult, name="consult"),
    path("<int:pk>/aktivera/", views.activate, name="activate"),
    path("<int:pk>/status/<slug:step>/", views.lifecycle, name="lifecycle"),
    path("<int:pk>/ansvar/", views.responsibility, name="responsibility"),
    path("<int:pk>/plan/", views.edit_plan, name="plan_edit"),
    path("<int:pk>/plan/versioner/", views.plan_versions, name="plan_versions"),
]
