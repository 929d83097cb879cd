from django.urls import path

from kanalvakt.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("policy/", views.policy, name="policy"),
    path("arende/<int:pk>/", views.case_detail, name="case"),
    path("arende/<int:pk>/tilldela/", views.assign, name="assign"),
    path("arende/<int:pk>/beslut/", views.decide, name="decide"),
    path("arende/<int:pk>/polisanmalan/", views.police_package, name="police"),
    path("atgard/<int:pk>/bekrafta/", views.confirm, name="confirm"),
]
