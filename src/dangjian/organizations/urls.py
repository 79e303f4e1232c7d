from django.urls import path

from dangjian.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("tree/", views.organization_tree, name="tree"),
    path("tree/<int:pk>/children/", views.organization_tree_children, name="tree_children"),
    path("new/", views.organization_create, name="create"),
    path("validate/", views.organization_validate, name="validate"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/units/", views.organization_units, name="units"),
    path("<int:pk>/units/candidates/", views.organization_unit_candidates, name="unit_candidates"),
]
