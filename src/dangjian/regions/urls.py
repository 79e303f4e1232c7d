from django.urls import path

from dangjian.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("new/", views.region_create, name="create"),
    path("<int:pk>/", views.region_detail, name="detail"),
    path("<int:pk>/edit/", views.region_edit, name="edit"),
]
