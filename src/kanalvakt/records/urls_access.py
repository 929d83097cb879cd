"""Staff pages of the records app."""

urlpatterns: list = []
