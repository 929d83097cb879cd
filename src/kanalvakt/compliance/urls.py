from django.urls import path

from kanalvakt.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("mina-konton/", views.my_accounts, name="mine"),
]
