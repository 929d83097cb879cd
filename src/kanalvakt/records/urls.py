"""Staff pages of the records app: registration, retention and disposal, access requests."""

from kanalvakt.records import urls_access, urls_registration, urls_retention

app_name = "records"
urlpatterns = [
    *urls_registration.urlpatterns,
    *urls_retention.urlpatterns,
    *urls_access.urlpatterns,
]
