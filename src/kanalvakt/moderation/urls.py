from django.urls import path

from kanalvakt.moderation import views, views_policy

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("policy/", views.policy, name="policy"),
    path("policy/lexikon/", views_policy.lexicon, name="lexicon"),
    path("policy/lexikon/post/", views_policy.lexicon_entry, name="lexicon_entry"),
    path("policy/version/<int:number>/", views_policy.version_detail, name="policy_version"),
    path("policy/version/<int:number>/aterstall/", views_policy.rollback, name="policy_rollback"),
    path("arende/<int:pk>/", views.case_detail, name="case"),
    path("arende/<int:pk>/tilldela/", views.assign, name="assign"),
    path("arende/<int:pk>/beslut/", views.decide, name="decide"),
    path("arende/<int:pk>/polisanmalan/", views.police_package, name="police"),
    path("atgard/<int:pk>/bekrafta/", views.confirm, name="confirm"),
]
