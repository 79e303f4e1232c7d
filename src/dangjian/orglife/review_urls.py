from django.urls import path

from dangjian.orglife import review_views

urlpatterns = [
    path("organizations/<int:pk>/appraisal/", review_views.appraisal_page, name="appraisal"),
    path("organizations/<int:pk>/talks/", review_views.talks_page, name="talks"),
    path("organizations/<int:pk>/hosted/", review_views.hosted_page, name="hosted"),
]
