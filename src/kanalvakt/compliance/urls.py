from django.urls import path

from kanalvakt.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("mina-konton/", views.my_accounts, name="mine"),
]
urlpatterns += [
    path("sparbarhet/", views.traceability_page, name="traceability"),
    path("styrdokument/", views.policy_documents, name="policies"),
    path("styrdokument/<int:pk>/fil/", views.policy_document_file, name="policy_file"),
]
