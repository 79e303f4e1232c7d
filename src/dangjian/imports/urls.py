from django.urls import path, re_path

from dangjian.imports import views
from dangjian.imports.models import Entity

app_name = "imports"
ENTITY = rf"(?P<entity>{'|'.join(Entity.values)})"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/discard/", views.discard, name="discard"),
    re_path(rf"^template/{ENTITY}\.xlsx$", views.template, name="template"),
    path("export/members/unmasked/", views.export_unmasked, name="export_unmasked"),
    re_path(rf"^export/{ENTITY}\.(?P<fmt>xlsx|csv|json)$", views.export, name="export"),
]
