from django.urls import path

from dangjian.orglife import views_compliance as views

urlpatterns = [
    path("compliance/", views.compliance_dashboard, name="compliance"),
    path("compliance/behind/", views.compliance_behind, name="compliance_behind"),
    path("compliance/report.xlsx", views.compliance_xlsx, name="compliance_xlsx"),
    path("organizations/<int:org_id>/recordbook/<int:year>.pdf", views.recordbook, name="recordbook"),
]
