"""Staff pages of retention and disposal (R7.1) and legal hold, under /intern/handlingar/."""

from django.urls import path

from kanalvakt.records import retention_views as views

urlpatterns = [
    path("gallring/", views.retention_overview, name="retention"),
    path("gallring/klass/<int:pk>/", views.retention_class_edit, name="retention_class"),
    path("gallring/forslag/", views.disposal_propose, name="disposal_propose"),
    path("gallring/korning/<int:pk>/", views.disposal_run, name="disposal_run"),
    path("gallring/korning/<int:pk>/beslut/", views.disposal_decide, name="disposal_decide"),
    path("sparr/", views.hold_list, name="holds"),
    path("sparr/ny/", views.hold_place, name="hold_place"),
    path("sparr/<int:pk>/hav/", views.hold_release, name="hold_release"),
]
