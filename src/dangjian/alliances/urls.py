from django.urls import path

from dangjian.alliances import views

app_name = "alliances"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/move/", views.scheme_move, name="scheme_move"),
    path("schemes/<int:pk>/accept/", views.scheme_accept, name="scheme_accept"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("pairs/", views.pair_list, name="pairs"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("market/", views.market, name="market"),
    path("market/new/", views.item_new, name="item_new"),
    path("market/items/<int:pk>/", views.item_detail, name="item"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.alliance_detail, name="alliance"),
]
