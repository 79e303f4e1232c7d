from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dangjian.api import api
from dangjian.core import files, views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("dangjian.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("regions/", include("dangjian.regions.urls")),
    path("units/", include("dangjian.units.urls")),
    path("organizations/", include("dangjian.organizations.urls")),
    path("members/", include("dangjian.members.urls")),
    path("coverage/", include("dangjian.coverage.urls")),
    path("imports/", include("dangjian.imports.urls")),
    path("orglife/", include("dangjian.orglife.urls")),
    path("learning/", include("dangjian.learning.urls")),
    path("services/", include("dangjian.services.urls")),
    path("alliances/", include("dangjian.alliances.urls")),
    path("notifications/", include("dangjian.core.notification_urls")),
    path("files/<slug:kind>/<int:pk>/", files.download, name="file"),
]

handler404 = "dangjian.core.views.not_found"
handler500 = "dangjian.core.views.server_error"
