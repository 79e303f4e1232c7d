"""Meeting files and replays are downloaded through the scoped file view (never /media/), with safe headers;
behind nginx the view answers X-Accel-Redirect. Also the view's generic refusals."""
from urllib.parse import quote

import pytest
from django.urls import reverse

from dangjian.orglife import actions
from dangjian.orglife.models import Meeting
from tests import samples


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DANGJIAN_X_ACCEL = False
    return tmp_path


@pytest.fixture
def photo(world, plan, media):
    return actions.add_file(world.users.secretary, plan(), "photo", samples.upload("会场 合影.png", samples.image_bytes("PNG")))


@pytest.fixture
def replay(world, plan, started, media):
    m = started(plan())
    actions.mark_held(world.users.secretary, m)
    return actions.set_replay(world.users.secretary, m, upload=samples.upload("回放.mp4", samples.mp4_bytes()))


def file_url(kind, pk):
    return reverse("file", args=[kind, pk])


def test_a_meeting_file_is_downloaded_by_who_manages_the_meeting(world, login, photo):
    for user in (world.users.secretary, world.users.shuanggui, world.users.district):
        r = login(user).get(file_url("meeting-file", photo.pk))
        assert samples.downloaded(r) == samples.image_bytes("PNG")
        assert r["Content-Type"] == "image/png"
        # The original Chinese name, RFC 5987-encoded; a photo opens inline.
        assert r["Content-Disposition"] == "inline; filename*=utf-8''%E4%BC%9A%E5%9C%BA%20%E5%90%88%E5%BD%B1.png"


def test_a_meeting_file_is_404_outside_the_scope_and_to_members(world, login, photo):
    # 礼让镇 is another town; a member sees the meeting but its file list is shown to its managers only.
    for user in (world.users.lirang, world.users.member, world.users.instructor):
        assert login(user).get(file_url("meeting-file", photo.pk)).status_code == 404


def test_a_replay_is_streamed_to_who_sees_the_meeting(world, login, replay):
    r = login(world.users.member).get(file_url("meeting-replay", replay.pk))
    assert samples.downloaded(r) == samples.mp4_bytes() and r["Content-Type"] == "video/mp4"
    assert login(world.users.lirang).get(file_url("meeting-replay", replay.pk)).status_code == 404


def test_the_meeting_page_links_to_the_file_view_never_to_media(world, login, photo, replay):
    page = login(world.users.secretary).get(reverse("orglife:meeting", args=[photo.meeting_id])).content.decode()
    assert file_url("meeting-file", photo.pk) in page and "/media/" not in page
    page = login(world.users.member).get(reverse("orglife:meeting", args=[replay.pk])).content.decode()
    assert file_url("meeting-replay", replay.pk) in page and "/media/" not in page


def test_behind_nginx_the_view_answers_x_accel_redirect(world, login, photo, settings):
    settings.DANGJIAN_X_ACCEL = True
    r = login(world.users.secretary).get(file_url("meeting-file", photo.pk))
    assert r.status_code == 200 and r.content == b""
    # The stored path under nginx's internal location, percent-encoded (nginx decodes it).
    assert r["X-Accel-Redirect"] == "/protected-media/" + quote(photo.file.name)
    assert r["X-Accel-Redirect"].startswith("/protected-media/orglife/files/") and "%E4%BC%9A%E5%9C%BA" in r["X-Accel-Redirect"]
    assert r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert login(world.users.lirang).get(file_url("meeting-file", photo.pk)).status_code == 404  # scope first


def test_nothing_is_served_from_media(world, login, photo):
    assert login(world.users.secretary).get("/media/" + photo.file.name).status_code == 404


@pytest.mark.parametrize("path", [
    "/files/no-such-kind/1/", "/files/meeting-file/999999/", "/files/meeting-file/99999999999999999999999/",
    "/files/meeting-replay/0/",
])
def test_unknown_kinds_and_ids_answer_404(world, login, photo, path):
    assert login(world.users.district).get(path).status_code == 404


def test_a_meeting_without_a_replay_or_a_missing_file_answers_404(world, login, photo, plan):
    district = login(world.users.district)
    assert district.get(file_url("meeting-replay", plan().pk)).status_code == 404  # no replay uploaded
    photo.file.storage.delete(photo.file.name)  # the record is there, the file is gone
    r = district.get(file_url("meeting-file", photo.pk))
    assert r.status_code == 404


def test_a_stored_name_outside_the_media_root_is_never_served(world, login, replay):
    Meeting.objects.filter(pk=replay.pk).update(replay_file="../../etc/passwd")
    assert login(world.users.district).get(file_url("meeting-replay", replay.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(photo, client):
    r = client.get(file_url("meeting-file", photo.pk))
    assert r.status_code == 302 and reverse("login") in r["Location"]
    assert client.post(file_url("meeting-file", photo.pk)).status_code == 302


def test_only_get_and_head_are_answered(world, login, photo):
    client = login(world.users.secretary)
    assert client.head(file_url("meeting-file", photo.pk)).status_code == 200
    assert client.post(file_url("meeting-file", photo.pk)).status_code == 405
