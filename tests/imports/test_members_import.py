"""Member import: every kind of bad cell names its row and column; good files commit all rows or none."""
import datetime as dt

import pytest

from dangjian.core.models import AuditLog
from dangjian.core.validators import id_birth_date
from dangjian.imports import pipeline
from dangjian.members.models import Category, Member
from dangjian.organizations.models import Organization, OrgKind
from tests.imports.conftest import issues_at, member_row, new_id, write_xlsx


@pytest.fixture
def members_file(tmp_path):
    def make(rows, **kw):
        return write_xlsx(tmp_path / "members.xlsx", rows, **kw)
    return make


def test_valid_file_commits_every_row_with_pii_and_one_audit_entry(world, members_file):
    before = Member.objects.count()
    rows = [
        member_row(姓名="刘一", 联系电话=13911112222),  # a phone typed as a number
        member_row(姓名="陈二", male=False, 人员类别="预备党员", 转正日期=None, 入党日期="2024年1月5日"),
        member_row(姓名="杨三", 性别=None, 出生日期=None, 所在党支部=str(world.orgs.ding.pk), 流动党员="是",
                   工作单位统一社会信用代码=world.units.ding.credit_code, **{"党费缴至（月）": "2024年5月"}),
    ]
    path = members_file(rows)
    outcome = pipeline.validate("members", path, world.users.district)
    assert outcome.issues == []
    assert pipeline.commit(outcome, world.users.district, "members.xlsx") == 3
    assert Member.objects.count() == before + 3
    liu = Member.objects.get(name="刘一")
    assert liu.id_number == rows[0]["身份证号码"] and liu.id_number_masked.startswith("110")
    assert liu.phone == "13911112222" and liu.phone_masked == "139****2222"
    assert liu.organization == world.orgs.jia and liu.confirm_date == dt.date(2016, 7, 1)
    chen = Member.objects.get(name="陈二")
    assert chen.category == Category.PROBATIONARY and chen.join_date == dt.date(2024, 1, 5) and chen.gender == "F"
    yang = Member.objects.get(name="杨三")  # gender and birth date taken from the ID
    assert (yang.gender, yang.birth_date) == ("M", id_birth_date(rows[2]["身份证号码"]))
    assert yang.organization == world.orgs.ding and yang.is_mobile and yang.employer == world.units.ding
    assert yang.dues_paid_until == dt.date(2024, 5, 1)
    logs = AuditLog.objects.filter(action="import")
    assert logs.count() == 1
    assert logs.get().changes == {"entity": "members", "file": "members.xlsx", "rows": 3, "created": 3, "job": None}
    assert not AuditLog.objects.filter(action="create", object_type="members.member").exists()


def test_each_error_names_its_row_and_column(world, members_file):
    existing_id = new_id()
    taken = world.members.zhang
    taken.set_id_number(existing_id)
    taken.save()
    good_id = new_id()
    bad_checksum = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    rows = [
        member_row(身份证号码=bad_checksum),                                    # 2
        member_row(出生日期="1991-05-17"),                                      # 3 birth date vs ID
        member_row(性别="女"),                                                  # 4 gender vs ID
        member_row(所在党支部="不存在的党支部"),                                  # 5
        member_row(身份证号码=existing_id),                                     # 6 already in the database
        member_row(入党日期=dt.date.today() + dt.timedelta(days=3)),            # 7 future
        member_row(入党日期="2015-13-45"),                                      # 8 impossible date
        member_row(入党日期="去年七月"),                                        # 9 unparseable
        member_row(人员类别="党员"),                                            # 10 wrong category
        member_row(身份证号码=good_id),                                         # 11
        member_row(身份证号码=good_id),                                         # 12 duplicate within the file
        member_row(姓名=None),                                                  # 13 required
        member_row(工作单位统一社会信用代码="91500155ABCDEFGH1X"),               # 14 bad credit code -> unknown unit
        member_row(身份证号码=1.10101199005171e17),                              # 15 ID stored as a number
        member_row(身份证号码="110***********1234"),                            # 16 masked ID (an export)
    ]
    before = Member.objects.count()
    outcome = pipeline.validate("members", members_file(rows), world.users.district)
    found = issues_at(outcome)
    assert found[(2, "身份证号码")] == "身份证号码校验位错误"
    assert found[(3, "出生日期")].startswith("出生日期与身份证号码不一致")
    assert found[(4, "性别")] == "性别与身份证号码不一致"
    assert found[(5, "所在党支部")] == "找不到党组织“不存在的党支部”（按名称或编号查找）"
    assert found[(6, "身份证号码")] == "该身份证号码已登记为党员（甲印务有限公司党支部）"
    assert found[(7, "入党日期")] == "入党日期不能晚于今天"
    assert found[(8, "入党日期")] == "日期“2015-13-45”不存在，请检查年月日"
    assert found[(9, "入党日期")].startswith("无法识别的日期“去年七月”")
    assert found[(10, "人员类别")] == "“党员”不是有效的选项，可选：正式党员、预备党员"
    assert (11, "身份证号码") not in found
    assert found[(12, "身份证号码")] == "与第11行重复（身份证号码相同）"
    assert found[(13, "姓名")] == "请填写“姓名”"
    assert found[(14, "工作单位统一社会信用代码")].startswith("找不到统一社会信用代码为“91500155ABCDEFGH1X”的单位")
    assert "存成了数字" in found[(15, "身份证号码")]
    assert "已脱敏" in found[(16, "身份证号码")]
    assert outcome.valid_rows == 1  # only row 11
    with pytest.raises(ValueError):
        pipeline.commit(outcome, world.users.district, "members.xlsx")
    assert Member.objects.count() == before


def test_dates_in_every_accepted_form(world, members_file):
    from openpyxl.utils.datetime import to_excel

    forms = [dt.date(2015, 7, 1), "2015-07-01", "2015/7/1", "2015年7月1日", "2015.7.1", "20150701",
             int(to_excel(dt.datetime(2015, 7, 1)))]
    outcome = pipeline.validate("members", members_file([member_row(入党日期=f) for f in forms]), None)
    assert outcome.issues == []
    assert {m.join_date for m in outcome.objects} == {dt.date(2015, 7, 1)}


def test_rows_outside_the_importers_scope_are_errors(world, members_file):
    """The 双桂 town admin may not import into 礼让's branch (丁机械), whatever the name says."""
    rows = [member_row(), member_row(所在党支部="丁机械有限公司党支部")]
    outcome = pipeline.validate("members", members_file(rows), world.users.shuanggui)
    assert issues_at(outcome) == {(3, "所在党支部"): "“丁机械有限公司党支部”不在您的管理范围内"}


def test_ambiguous_organization_name_asks_for_the_id(world, members_file):
    from dangjian.organizations.models import Organization, OrgKind

    twin = Organization.objects.add_root(instance=Organization(name="甲印务有限公司党支部", kind=OrgKind.BRANCH,
                                                               region=world.community))
    outcome = pipeline.validate("members", members_file([member_row()]), None)
    message = issues_at(outcome)[(2, "所在党支部")]
    assert "有2个党组织名为“甲印务有限公司党支部”" in message and str(twin.pk) in message
    outcome = pipeline.validate("members", members_file([member_row(所在党支部=twin.pk)]), None)
    assert outcome.ok and outcome.objects[0].organization == twin


def test_a_member_row_naming_a_committee_or_general_branch_is_refused(world, members_file):
    Organization.objects.add_root(instance=Organization(name="双桂街道党工委", kind=OrgKind.PRIMARY_COMMITTEE,
                                                        region=world.shuanggui))
    Organization.objects.add_root(instance=Organization(name="双桂街道某某党总支", kind=OrgKind.GENERAL_BRANCH,
                                                        region=world.shuanggui))
    rows = [member_row(所在党支部="双桂街道党工委"), member_row(所在党支部="双桂街道某某党总支"), member_row()]
    outcome = pipeline.validate("members", members_file(rows), world.users.district)
    assert issues_at(outcome) == {
        (2, "所在党支部"): "党员应编入党支部、联合党支部、临时党支部或党小组，不能直接编入基层党委“双桂街道党工委”",
        (3, "所在党支部"): "党员应编入党支部、联合党支部、临时党支部或党小组，不能直接编入党总支“双桂街道某某党总支”",
    }


def test_probationary_member_with_confirmation_date_is_refused(world, members_file):
    outcome = pipeline.validate("members", members_file([member_row(人员类别="预备党员")]), None)
    assert issues_at(outcome) == {(2, "转正日期"): "预备党员不应有转正日期"}


def test_english_headers_are_accepted(world, members_file):
    row = member_row()
    english = {"name": row["姓名"], "ID number": row["身份证号码"], "category": "formal",
               "Organization": row["所在党支部"], "join_date": "2015-07-01"}
    outcome = pipeline.validate("members", members_file([english]), None)
    assert outcome.ok, outcome.issues


def test_the_template_example_row_left_in_is_reported(world, members_file):
    from dangjian.imports.entities.members import SPEC

    example = {c.header: c.example for c in SPEC.columns if c.example != ""}
    outcome = pipeline.validate("members", members_file([example, member_row()]), None)
    assert issues_at(outcome)[(2, "")] == "这是模板中的示例行，请删除后再导入"
    assert not any(i.row == 3 for i in outcome.issues)


def test_validation_queries_do_not_grow_with_the_rows(world, members_file, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.core.scoping import get_scope

    counts = []
    user = world.users.shuanggui
    get_scope(user)  # the scope is read once per request; leave it out of both counts
    for n in (20, 1200):
        rows = [member_row(工作单位统一社会信用代码=world.units.jia.credit_code) for _ in range(n)]
        path = write_xlsx(tmp_path / f"m{n}.xlsx", rows)
        with CaptureQueriesContext(connection) as queries:
            outcome = pipeline.validate("members", path, user)
        assert outcome.ok, outcome.issues[:3]
        counts.append(len(queries))
    # a handful of look-ups per file; only the ID look-up grows, by one query per 500 IDs
    assert counts[0] <= 10 and counts[1] == counts[0] + 2, counts


def test_imported_member_is_stored_exactly_as_the_single_record_form_stores_it(world, members_file):
    """The import's own INSERT (executemany) writes every column as Model.save() would."""
    from decimal import Decimal

    from django.db import connection

    from dangjian.core import pii
    from dangjian.members.actions import create_member

    row = member_row(姓名="王五", 流动党员="是", 工作单位统一社会信用代码=world.units.ding.credit_code,
                     **{"党费缴纳标准（元/月）": "12.5", "党费缴至（月）": "2024-05", "工作岗位": "会计", "学历": "大学本科"})
    outcome = pipeline.validate("members", members_file([row]), world.users.district)
    assert outcome.issues == []
    assert pipeline.commit(outcome, world.users.district, "members.xlsx") == 1
    columns = [f.column for f in Member._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]

    def stored(pk):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)}, created_at FROM members_member WHERE id = %s", [pk])
            values = dict(zip(columns + ["created_at"], cursor.fetchone()))
        # Fernet ciphertexts differ on every encryption: compare what they decrypt to.
        values["id_number_enc"], values["phone_enc"] = pii.decrypt(values["id_number_enc"]), pii.decrypt(values["phone_enc"])
        return values

    imported = Member.objects.get(name="王五")
    from_import = stored(imported.pk)
    Member.objects.filter(pk=imported.pk).delete()
    saved = create_member(
        world.users.district, id_number=row["身份证号码"], phone=str(row["联系电话"]), name="王五", gender="M",
        birth_date=row["出生日期"], education="bachelor", category=Category.FORMAL, organization=world.orgs.jia,
        join_date=dt.date(2015, 7, 1), confirm_date=dt.date(2016, 7, 1), job="会计", is_mobile=True,
        employer=world.units.ding, dues_standard=Decimal("12.50"), dues_paid_until=dt.date(2024, 5, 1),
    )
    from_form = stored(saved.pk)
    imported_at, saved_at = from_import.pop("created_at"), from_form.pop("created_at")
    assert type(imported_at) is type(saved_at) and len(str(imported_at)) == len(str(saved_at))
    assert from_import == from_form
    assert from_import["id_number_enc"] == row["身份证号码"] and from_import["dues_paid_until"] is not None
