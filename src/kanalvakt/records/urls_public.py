"""Public pages of the records app: the form for requesting public records."""

app_name = "records_public"
urlpatterns: list = []
