from django.urls import path

from dangjian.orglife import meeting_views as views
from dangjian.orglife import member_views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("mine/", member_views.my_meetings, name="mine"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/notify/", views.meeting_notify, name="meeting_notify"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/presence/", views.meeting_presence, name="meeting_presence"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/files/", views.meeting_file, name="meeting_file"),
    path("meetings/<int:pk>/replay/", views.meeting_replay, name="meeting_replay"),
    path("meetings/<int:pk>/votes/", views.meeting_vote, name="meeting_vote"),
    path("meetings/<int:pk>/signin/", member_views.signin_screen, name="signin_screen"),
    path("meetings/<int:pk>/scan/", member_views.scan, name="scan"),
    path("meetings/<int:pk>/reply/", member_views.reply, name="reply"),
    path("meetings/<int:pk>/makeup/", member_views.make_up, name="makeup"),
]
