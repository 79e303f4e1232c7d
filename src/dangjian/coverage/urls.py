from django.urls import path

from dangjian.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
