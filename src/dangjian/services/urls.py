from django.urls import path

from dangjian.services import views

app_name = "services"
urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench, name="workbench"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/export.xlsx", views.request_export, name="request_export"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/act/", views.request_act, name="request_act"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
    path("coverage/", views.coverage, name="coverage"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/<int:pk>/adoption/", views.idea_adoption, name="idea_adoption"),
]
