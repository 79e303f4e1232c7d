"""orglife pages: meetings (meeting_urls), compliance (compliance_urls), appraisal and talks (review_urls)."""
from dangjian.orglife import compliance_urls, meeting_urls, review_urls

app_name = "orglife"
urlpatterns = meeting_urls.urlpatterns + compliance_urls.urlpatterns + review_urls.urlpatterns
