from django.urls import path

from dangjian.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("validate/", views.unit_validate, name="validate"),
    path("options/", views.unit_options, name="options"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
]
