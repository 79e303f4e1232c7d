"""Issue 12, finding 1, the Excel import: numbers registered outside the importer's scope are refused without
saying where; one audit record per file; a file probing more such numbers than the allowance is refused whole,
while an honest import of new members is never throttled."""
import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import AuditLog
from dangjian.imports import pipeline
from dangjian.imports.models import ImportJob, JobStatus
from dangjian.imports.reader import FileProblem
from dangjian.members.models import Member
from tests.imports.conftest import issues_at, member_row, workbook_bytes, write_xlsx
from tests.imports.test_web import upload

NEUTRAL = "该身份证号码不能在此登记（已登记）"


@pytest.fixture(autouse=True)
def morning(pin):
    pin(dt.date(2026, 12, 4))


def taken(member, **extra):
    """A row registering again someone already registered (birth date and gender follow the number)."""
    return member_row(身份证号码=member.id_number, 出生日期=member.birth_date, 性别="男" if member.gender == "M" else "女",
                      **extra)


def test_rows_registered_elsewhere_are_refused_without_saying_where_and_audited_once(world, tmp_path):
    m = world.members
    rows = [member_row(姓名="新人"), taken(m.zhao), taken(m.sun), taken(m.wang)]  # rows 2..5
    outcome = pipeline.validate("members", write_xlsx(tmp_path / "m.xlsx", rows), world.users.secretary)
    found = issues_at(outcome)
    assert found[(3, "身份证号码")] == NEUTRAL and found[(4, "身份证号码")] == NEUTRAL
    assert found[(5, "身份证号码")] == "该身份证号码已登记为党员（甲印务有限公司党支部）"  # the secretary's own branch
    assert (2, "身份证号码") not in found
    assert not any("联合党支部" in i.message or "丁机械" in i.message for i in outcome.issues)
    [entry] = AuditLog.objects.filter(action="lookup")
    assert entry.actor == world.users.secretary
    assert entry.changes == {"entry": "import", "result": "checked", "rows": 4, "hits": [
        {"row": 3, "id_number": m.zhao.id_number_masked, "member": m.zhao.pk, "result": "registered_out_of_scope"},
        {"row": 4, "id_number": m.sun.id_number_masked, "member": m.sun.pk, "result": "registered_out_of_scope"},
        {"row": 5, "id_number": m.wang.id_number_masked, "member": m.wang.pk, "result": "registered_in_scope"},
    ]}


def test_a_file_probing_more_numbers_than_the_allowance_is_refused_whole(world, tmp_path, lookup_limit, login):
    lookup_limit(2)
    m = world.members
    rows = [member_row(姓名="新人"), taken(m.zhao), taken(m.sun), taken(m.zhou)]
    with pytest.raises(FileProblem) as refused:
        pipeline.validate("members", write_xlsx(tmp_path / "m.xlsx", rows), world.users.secretary)
    assert str(refused.value).startswith("本文件中在您管理范围以外已登记的身份证号码超出了按身份证号码查询的限额（每10分钟最多2个）")
    [entry] = AuditLog.objects.filter(action="lookup")
    assert entry.changes["result"] == "limit_reached" and [h["row"] for h in entry.changes["hits"]] == [3, 4, 5]
    # the probes were counted: the next look-up elsewhere is refused too
    response = login(world.users.secretary).post(reverse("orglife:hosted", args=[world.orgs.jia.pk]),
                                                 {"id_number": m.zhang.id_number}, follow=True)
    assert "按身份证号码查询过于频繁" in response.content.decode()


def test_within_the_allowance_the_file_is_checked_row_by_row(world, tmp_path, lookup_limit):
    lookup_limit(2)
    rows = [member_row(姓名="新人"), taken(world.members.zhao), taken(world.members.sun)]
    outcome = pipeline.validate("members", write_xlsx(tmp_path / "m.xlsx", rows), world.users.secretary)
    assert issues_at(outcome)[(3, "身份证号码")] == NEUTRAL
    # the allowance is now used up: any further file is refused, even one of new members only (passing it
    # would tell that none of its numbers is registered elsewhere)
    with pytest.raises(FileProblem):
        pipeline.validate("members", write_xlsx(tmp_path / "n.xlsx", [member_row()]), world.users.secretary)


def test_an_honest_import_of_new_members_is_not_throttled(world, tmp_path, lookup_limit):
    lookup_limit(1)
    rows = [member_row(姓名=f"新人{i}") for i in range(40)]
    outcome = pipeline.validate("members", write_xlsx(tmp_path / "m.xlsx", rows), world.users.secretary)
    assert outcome.ok
    assert pipeline.commit(outcome, world.users.secretary, "m.xlsx") == 40
    assert not AuditLog.objects.filter(action="lookup").exists()


def test_the_web_import_shows_the_refusal_and_no_row_of_it(client, world, lookup_limit):
    lookup_limit(1)
    client.force_login(world.users.secretary)
    upload(client, workbook_bytes([member_row(), taken(world.members.zhao), taken(world.members.sun)]))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and "超出了按身份证号码查询的限额" in job.problem
    assert not job.issues.exists()
    assert "超出了按身份证号码查询的限额" in client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert not Member.objects.filter(name="测试党员").exists()
