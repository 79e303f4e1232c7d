"""Issue 12, finding 5: study material belongs to the region or organisation that published it; only staff
whose write scope covers that owner change it, its questions, or delete it. Others get 404 on those pages and a
refusal from the actions, but may still read and push it."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.learning import actions
from dangjian.learning.models import Content, LearningRecord, Question

pytestmark = pytest.mark.django_db

EDIT = {"kind": "micro_lecture", "title": "书记改的标题", "url": "https://intranet.example/v/1", "minutes": 25,
        "published": "on"}


def page(r) -> str:
    return r.content.decode()


def test_a_secretary_cannot_edit_the_districts_lecture(world, login, lecture):
    """The reported attack: shuji POSTed to /edit/ and /questions/ and changed the district's lecture."""
    assert lecture.region == world.district and lecture.organization is None
    shuji = login(world.users.secretary)
    assert shuji.get(reverse("learning:content_edit", args=[lecture.pk])).status_code == 404
    assert shuji.post(reverse("learning:content_edit", args=[lecture.pk]), EDIT).status_code == 404
    r = shuji.post(reverse("learning:question_add", args=[lecture.pk]), {"text": "题", "options": "甲\n乙", "answer": 1})
    assert r.status_code == 404
    assert shuji.post(reverse("learning:content_delete", args=[lecture.pk])).status_code == 404
    lecture.refresh_from_db()
    assert lecture.title == "新就业群体党员的责任" and lecture.questions.count() == 2


def test_the_actions_refuse_other_staff_too(world, lecture):
    for outsider in (world.users.secretary, world.users.lirang, world.users.shuanggui):
        with pytest.raises(ValidationError) as exc:
            actions.update_content(outsider, lecture, title="改了")
        assert "不在您的管理范围内" in " ".join(exc.value.messages)
        with pytest.raises(ValidationError):
            actions.add_question(outsider, lecture, "题", ["甲", "乙"], 0)
        with pytest.raises(ValidationError):
            actions.delete_content(outsider, lecture)
    lecture.refresh_from_db()
    assert lecture.title == "新就业群体党员的责任" and Content.objects.filter(pk=lecture.pk).exists()


def test_the_district_admin_edits_its_lecture(world, login, lecture):
    qu = login(world.users.district)
    assert qu.get(reverse("learning:content_edit", args=[lecture.pk])).status_code == 200
    r = qu.post(reverse("learning:content_edit", args=[lecture.pk]), EDIT | {"title": "区里改的标题"})
    assert r.status_code == 302
    lecture.refresh_from_db()
    assert lecture.title == "区里改的标题"
    page_ = page(qu.get(reverse("learning:content", args=[lecture.pk])))
    assert "添加测试题" in page_ and reverse("learning:content_edit", args=[lecture.pk]) in page_


def test_content_of_a_town_is_edited_by_the_town_and_above(world, lecture):
    town = actions.create_content(world.users.shuanggui, kind="article", title="双桂街道学习材料", body="……")
    assert town.region == world.shuanggui
    assert actions.update_content(world.users.shuanggui, town, title="双桂（修订）").title == "双桂（修订）"
    assert actions.update_content(world.users.district, town, title="区里修订").title == "区里修订"
    for outsider in (world.users.lirang, world.users.secretary):  # another town; a branch inside the town
        with pytest.raises(ValidationError):
            actions.update_content(outsider, town, title="越权")


def test_content_of_a_branch_is_edited_by_its_secretary_and_its_regions_staff(world):
    own = actions.create_content(world.users.secretary, kind="article", title="甲支部学习材料", body="……")
    assert own.organization == world.orgs.jia and own.region is None
    assert actions.update_content(world.users.secretary, own, title="甲支部（修订）").title == "甲支部（修订）"
    assert actions.update_content(world.users.shuanggui, own, title="街道修订").title == "街道修订"  # 甲 is in 双桂
    with pytest.raises(ValidationError):
        actions.update_content(world.users.lirang, own, title="越权")


def test_others_may_still_read_and_push_it_but_do_not_see_the_answers(world, login, lecture):
    shuji = login(world.users.secretary)
    r = shuji.get(reverse("learning:content", args=[lecture.pk]))
    assert r.status_code == 200
    body = page(r)
    # no edit link, and not the question list with its answers (a secretary is often a member taking the quiz)
    assert reverse("learning:content_edit", args=[lecture.pk]) not in body and "添加测试题" not in body
    assert "<strong>交纳党费</strong>" not in body
    r = shuji.post(reverse("learning:push", args=[lecture.pk]),
                   {"date": timezone.localdate().isoformat(), "organizations": [world.orgs.jia.pk]}, follow=True)
    assert "已推送" in page(r)


def test_the_api_reads_it_for_everyone_and_pushes_within_scope(world, login, lecture):
    shuji = login(world.users.secretary)
    assert shuji.get(f"/api/v1/learning/contents/{lecture.pk}").status_code == 200
    created = shuji.post("/api/v1/learning/contents", {"kind": "article", "title": "支部材料", "body": "……"},
                         content_type="application/json")
    assert created.status_code == 201
    assert Content.objects.get(pk=created.json()["id"]).organization == world.orgs.jia


def test_delete_only_what_nobody_has_studied(world, login, lecture):
    qu = login(world.users.district)
    draft = actions.create_content(world.users.district, kind="article", title="草稿", body="……", published=False)
    r = qu.post(reverse("learning:content_delete", args=[draft.pk]), follow=True)
    assert "已删除学习内容“草稿”" in page(r) and not Content.objects.filter(pk=draft.pk).exists()
    LearningRecord.objects.create(member=world.members.zhang, content=lecture, seconds=60)
    r = qu.post(reverse("learning:content_delete", args=[lecture.pk]), follow=True)
    assert "已有党员学习，不能删除；可以改为不发布" in page(r)
    assert Content.objects.filter(pk=lecture.pk).exists() and Question.objects.filter(content=lecture).count() == 2
    assert qu.get(reverse("learning:content_delete", args=[lecture.pk])).status_code == 405
    assert qu.post(reverse("learning:content_delete", args=[999999])).status_code == 404


def test_a_meeting_replay_belongs_to_the_meetings_organisation(world):
    from dangjian.orglife import actions as orglife
    from dangjian.orglife.models import Meeting

    meeting = orglife.plan_meeting(world.users.secretary, world.orgs.jia, kind="general_meeting", title="党员大会",
                                   starts_at=timezone.now() + dt.timedelta(minutes=30), place="会议室")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    orglife.mark_held(world.users.secretary, meeting)
    orglife.set_replay(world.users.secretary, meeting, url="https://intranet.example/replay/1")
    replay = Content.objects.get(meeting=meeting)
    assert replay.organization == world.orgs.jia and replay.region is None
    assert actions.update_content(world.users.secretary, replay, title="回放（剪辑）").title == "回放（剪辑）"
    with pytest.raises(ValidationError):
        actions.update_content(world.users.lirang, replay, title="越权")


def test_the_migration_gives_existing_content_an_owner(world):
    """Content from before owners existed: by the author's outermost write grant, else the top region."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dangjian.learning.migrations.0005_content_owner_data")
    by_town = actions.create_content(world.users.shuanggui, kind="article", title="街道", body="……")
    by_branch = actions.create_content(world.users.secretary, kind="article", title="支部", body="……")
    by_nobody = actions.create_content(None, kind="article", title="系统", body="……")
    Content.objects.update(region=None, organization=None)
    migration.set_owners(apps, None)
    owners = {c.title: (c.region, c.organization) for c in Content.objects.all()}
    assert owners[by_town.title] == (world.shuanggui, None)
    assert owners[by_branch.title] == (None, world.orgs.jia)
    assert owners[by_nobody.title] == (world.district, None)
