from django.urls import path

from dangjian.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.today, name="today"),
    path("new/", views.content_create, name="content_create"),
    path("contents/<int:pk>/", views.content_detail, name="content"),
    path("contents/<int:pk>/edit/", views.content_edit, name="content_edit"),
    path("contents/<int:pk>/delete/", views.content_delete, name="content_delete"),
    path("contents/<int:pk>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("contents/<int:pk>/complete/", views.complete, name="complete"),
    path("contents/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("contents/<int:pk>/questions/", views.question_add, name="question_add"),
    path("contents/<int:pk>/push/", views.push, name="push"),
    path("points/", views.my_points, name="points"),
    path("points/members/<int:member_id>/", views.member_points, name="member_points"),
    path("rankings/", views.rankings, name="rankings"),
]
