from django.urls import path

from kanalvakt.screenshots import views

app_name = "screenshots"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kanal/<int:pk>/", views.channel_timeline, name="channel"),
    path("kanal/<int:pk>/jamfor/", views.compare, name="compare"),
    path("kanal/<int:pk>/ladda-upp/", views.upload, name="upload"),
    path("<int:pk>/granska/", views.review, name="review"),
    path("fil/<int:pk>/", views.file, name="file"),
]
