"""Manual points that cannot be gamed (issue 11, item 6): per-member daily and yearly caps from the rule set,
a required reason, never to the awarding person (linked member, or same citizen ID, or same name and phone),
and attendance points that say who marked the presence. Every refusal writes nothing."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.accounts.identity import same_person, set_staff_identity
from dangjian.accounts.models import StaffProfile
from dangjian.learning import actions
from dangjian.learning.models import PointEntry
from tests.fixtures import citizen_id

pytestmark = pytest.mark.django_db
API = "/api/v1/learning"
DAY = dt.date(2026, 12, 4)
NOON = dt.datetime(2026, 12, 4, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def refused(exc) -> str:
    return " ".join(exc.value.messages)


def manual_points(member) -> list[int]:
    return list(PointEntry.objects.filter(member=member, event="manual").order_by("id").values_list("points", flat=True))


def test_daily_cap_per_member_across_staff(world):
    wang, sec, district = world.members.wang, world.users.secretary, world.users.district
    actions.manual_award(sec, wang, 15, "志愿服务", today=DAY)
    actions.manual_award(district, wang, 5, "疫情防控", today=DAY)  # another staff member: same member's cap
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(sec, wang, 1, "再加一分", today=DAY)
    assert "超过每日上限" in refused(exc) and "已获人工奖励20分" in refused(exc) and "最多还能奖励0分" in refused(exc)
    assert manual_points(wang) == [15, 5]
    actions.manual_award(sec, world.members.zhang, 20, "志愿服务", today=DAY)  # the cap is per member
    assert actions.manual_award(sec, wang, 20, "次日奖励", today=DAY + dt.timedelta(days=1)).points == 20


def test_twelve_hundred_point_awards_in_one_day_are_refused(world):
    """The issue's case: 12 × 100 points to one member in one day."""
    for _ in range(12):
        with pytest.raises(ValidationError) as exc:
            actions.manual_award(world.users.secretary, world.members.wang, 100, "突击加分", today=DAY)
    assert "每人每天最多20分" in refused(exc)
    assert manual_points(world.members.wang) == []


def test_yearly_cap_and_a_new_year(world):
    wang, sec = world.members.wang, world.users.secretary
    for i in range(5):
        actions.manual_award(sec, wang, 20, "每月表现", today=dt.date(2026, 1 + 2 * i, 3))
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(sec, wang, 1, "年底表现", today=DAY)
    assert "超过年度上限" in refused(exc) and "2026年已获人工奖励100分" in refused(exc)
    assert sum(manual_points(wang)) == 100
    assert actions.manual_award(sec, wang, 20, "新年度", today=dt.date(2027, 1, 1)).points == 20


def test_deductions_are_not_capped_and_do_not_make_room(world):
    wang, sec = world.members.wang, world.users.secretary
    actions.manual_award(sec, wang, 20, "志愿服务", today=DAY)
    assert actions.manual_award(sec, wang, -5, "无故缺席", today=DAY).points == -5
    with pytest.raises(ValidationError):  # deducting then awarding again does not get past the cap
        actions.manual_award(sec, wang, 5, "重新奖励", today=DAY)
    assert manual_points(wang) == [20, -5]


def test_caps_come_from_the_rule_set(world, settings, tmp_path):
    from dangjian.core.rules import _load

    local = tmp_path / "local.toml"
    local.write_text("[learning.manual_award]\ndaily_cap = 5\nyearly_cap = 0\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        with pytest.raises(ValidationError) as exc:
            actions.manual_award(world.users.secretary, world.members.wang, 6, "志愿服务", today=DAY)
        assert "每人每天最多5分" in refused(exc)
        for i in range(30):  # yearly cap 0: none
            actions.manual_award(world.users.secretary, world.members.wang, 5, "志愿服务", today=DAY - dt.timedelta(days=i))
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(world, reason):
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(world.users.secretary, world.members.wang, 5, reason, today=DAY)
    assert exc.value.message_dict["reason"] == ["请写明奖励事由"]
    assert manual_points(world.members.wang) == []


def test_points_out_of_range_say_the_range(world):
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(world.users.secretary, world.members.wang, 0, "零分", today=DAY)
    assert exc.value.message_dict["points"] == ["积分须是-100到100之间的非零整数"]


def test_staff_never_award_their_own_member_record_by_citizen_id(world, django_user_model):
    from tests.fixtures import user_with_role

    wang = world.members.wang
    clerk = user_with_role(django_user_model, "wenshu", "clerk", organization=world.orgs.jia)  # no member link
    set_staff_identity(world.users.district, clerk, "王芳（文书）", wang.id_number)
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(clerk, wang, 5, "自己加分", today=DAY)
    assert "不能给自己加积分" in refused(exc) and "王芳" in refused(exc)
    assert manual_points(wang) == []
    assert actions.manual_award(clerk, world.members.zhang, 5, "志愿服务", today=DAY).recorded_by == clerk
    # the ID is kept encrypted: neither the plain number nor its masked copy is the stored value
    profile = StaffProfile.objects.get(user=clerk)
    assert wang.id_number not in (profile.id_number_enc, profile.id_number_hash)
    assert profile.id_number_masked == wang.id_number_masked


def test_staff_never_award_a_member_with_their_name_and_phone(world, django_user_model):
    from tests.fixtures import user_with_role

    wang = world.members.wang
    clerk = user_with_role(django_user_model, "wenshu", "clerk", organization=world.orgs.jia)
    set_staff_identity(None, clerk, "王芳", citizen_id(dt.date(1985, 3, 2)), wang.phone)  # another ID
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(clerk, wang, 5, "自己加分", today=DAY)
    assert "不能给自己加积分" in refused(exc)
    assert manual_points(wang) == []
    # the same name with another phone, or the same phone with another name, is someone else
    set_staff_identity(None, clerk, "王芳", "", "13912345678")
    assert not same_person(clerk, wang)
    set_staff_identity(None, clerk, "王小芳", "", wang.phone)
    assert not same_person(clerk, wang)
    assert actions.manual_award(clerk, wang, 5, "志愿服务", today=DAY).points == 5


def test_staff_identity_refuses_bad_input(world):
    with pytest.raises(ValidationError) as exc:
        set_staff_identity(None, world.users.secretary, " ", "500155199001011234", "12345")
    errors = exc.value.message_dict
    assert errors["name"] == ["请填写姓名"] and "身份证号码" in errors["id_number"][0] and "电话号码格式错误" in errors["phone"][0]
    assert not StaffProfile.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_award_page_refuses_with_a_message_and_writes_nothing(world, login):
    staff = login(world.users.secretary)
    url = reverse("learning:member_points", args=[world.members.wang.pk])
    assert staff.post(url, {"points": 20, "reason": "志愿服务"}).status_code == 302
    r = staff.post(url, {"points": 5, "reason": "再加"}, follow=True)
    assert r.status_code == 200 and "超过每日上限" in r.content.decode()
    r = staff.post(url, {"points": 5, "reason": ""}, follow=True)
    assert r.status_code == 200 and "事由" in r.content.decode()
    assert manual_points(world.members.wang) == [20]
    assert "登记人" in staff.get(url).content.decode()


@time_machine.travel(NOON, tick=False)
def test_award_api(world, login):
    staff = login(world.users.secretary)
    url = f"{API}/members/{world.members.wang.pk}/points"
    r = staff.post(url, {"points": 15, "reason": "志愿服务"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["recorded_by"] == "shuji" and r.json()["day"] == "2026-12-04"
    r = staff.post(url, {"points": 10, "reason": "再加"}, content_type="application/json")
    assert r.status_code == 422 and "本次最多还能奖励5分" in r.json()["detail"]["points"][0]
    r = staff.post(url, {"points": 5, "reason": ""}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"]["reason"] == ["请写明奖励事由"]
    assert login(world.users.lirang).post(url, {"points": 5, "reason": "越权"},
                                          content_type="application/json").status_code == 404
    ledger = staff.get(url).json()
    assert ledger["total"] == 15 and ledger["entries"][0]["recorded_by"] == "shuji"
    assert manual_points(world.members.wang) == [15]


def test_staff_identity_is_entered_in_the_admin(world, login, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=world.password)
    c = login(admin)
    url = reverse("admin:accounts_staffprofile_add")
    r = c.post(url, {"user": world.users.secretary.pk, "name": "王芳", "id_number": "123", "phone": ""})
    assert r.status_code == 200 and "身份证号码应为18位" in r.content.decode() and not StaffProfile.objects.exists()
    r = c.post(url, {"user": world.users.secretary.pk, "name": "王芳", "id_number": world.members.wang.id_number,
                     "phone": ""})
    assert r.status_code == 302
    assert same_person(world.users.secretary, world.members.wang)
    with pytest.raises(ValidationError):
        actions.manual_award(world.users.secretary, world.members.wang, 5, "志愿服务", today=DAY)
