from django.urls import path

from dangjian.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password_change/", views.PasswordChange.as_view(), name="password_change"),
    path("password_change/done/", views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.revoke, name="revoke"),
    path("users/<int:pk>/active/", views.set_active, name="set_active"),
]
