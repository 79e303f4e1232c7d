"""党员 import/export: the member record of domain-rules §8."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dangjian.core import pii
from dangjian.core.validators import id_birth_date, id_gender, make_citizen_id, normalize_citizen_id
from dangjian.imports import cells
from dangjian.imports.importer import BaseImporter, Maker, Row, insert_all
from dangjian.imports.lookups import OrganizationIndex, UnitIndex, chunked
from dangjian.imports.reader import FileProblem
from dangjian.imports.spec import Column, Spec
from dangjian.members import idcheck
from dangjian.members.actions import clean_member
from dangjian.members.models import Category, Education, Gender, Member, MemberStatus

GENDER = cells.Choices(Gender.choices)
EDUCATION = cells.Choices(Education.choices)
CATEGORY = cells.Choices(Category.choices)
STATUS = cells.Choices(MemberStatus.choices)
EXAMPLE_ID = make_citizen_id("110101", dt.date(1990, 5, 17), 123)


def citizen_id_cell(value) -> str:
    if isinstance(value, float):
        raise cells.CellError(_("身份证号码被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写"))
    number = normalize_citizen_id(cells.text(value))
    if "*" in number:
        raise cells.CellError(_("身份证号码已脱敏（含*），无法导入，请填写完整号码"))
    return number


def phone_cell(value) -> str:
    phone = cells.code_text(value)
    if "*" in phone:
        raise cells.CellError(_("联系电话已脱敏（含*），无法导入，请填写完整号码"))
    return phone


SPEC = Spec(
    entity="members",
    label=_lazy("党员"),
    sheet="党员",
    model_label="members.member",
    columns=(
        Column("name", "姓名", "Name", required=True, help=_lazy("党员姓名"), example="张三", width=10),
        Column("gender", "性别", "Gender", choices=GENDER, help=_lazy("不填时按身份证号码推算"), example="男", width=8),
        Column("id_number", "身份证号码", "ID number", parse=citizen_id_cell, required=True,
               help=_lazy("18位居民身份证号码，末位可为X；请设为文本格式，以免 Excel 丢失末几位"),
               allowed=_lazy("18位，校验位须正确，出生日期和性别须与本行一致"), example=EXAMPLE_ID, width=22),
        Column("ethnicity", "民族", "Ethnicity", help=_lazy("不填默认为汉族"), example="汉族", width=8),
        Column("birth_date", "出生日期", "Birth date", parse=cells.date, kind="date",
               help=_lazy("不填时按身份证号码推算"), allowed=_lazy("日期，如 2024-01-05、2024/1/5、2024年1月5日"),
               example=dt.date(1990, 5, 17)),
        Column("education", "学历", "Education", choices=EDUCATION, example="大学本科", width=12),
        Column("category", "人员类别", "Category", choices=CATEGORY, required=True, example="正式党员", width=12),
        Column("organization", "所在党支部", "Organization", required=True,
               help=_lazy("党员编入的党支部或党小组，填写党组织全称（须唯一）或党组织编号，须在您的管理范围内"),
               example="某某有限公司党支部", width=26),
        Column("join_date", "入党日期", "Join date", parse=cells.date, required=True, kind="date",
               allowed=_lazy("日期，不能晚于今天，入党时应年满18周岁"), example=dt.date(2015, 7, 1)),
        Column("confirm_date", "转正日期", "Confirmation date", parse=cells.date, kind="date",
               help=_lazy("正式党员填写；预备党员不填"), example=dt.date(2016, 7, 1)),
        Column("job", "工作岗位", "Job", example="技术员"),
        Column("phone", "联系电话", "Phone", parse=phone_cell, help=_lazy("11位手机号或带区号的固定电话"), example="13800001234", width=14),
        Column("household_registration", "户籍所在地", "Household registration", example="重庆市梁平区", width=18),
        Column("residence", "现居住地", "Residence", example="重庆市梁平区双桂街道", width=20),
        Column("status", "党籍状态", "Status", choices=STATUS, help=_lazy("不填默认为“正常”"), example="正常", width=10),
        Column("is_mobile", "流动党员", "Mobile member", parse=cells.boolean, allowed=_lazy("是 / 否，不填为否"),
               choices=cells.Choices([(True, "是"), (False, "否")]), example="否", width=10),
        Column("employer", "工作单位统一社会信用代码", "Employer credit code",
               help=_lazy("党员所在工作单位的18位统一社会信用代码，该单位须已登记"), width=22),
        Column("dues_standard", "党费缴纳标准（元/月）", "Dues per month", parse=cells.decimal, kind="number",
               allowed=_lazy("金额（元），不小于0"), example="10.00", width=12),
        Column("dues_paid_until", "党费缴至（月）", "Dues paid until", parse=cells.month, kind="month",
               allowed=_lazy("年月，如 2024-05 或 2024年5月"), example="2024-05", width=12),
    ),
)


make_member = Maker(Member)


class MemberImporter(BaseImporter):
    spec = SPEC

    incremental = True

    def prefetch(self, rows: list[Row]) -> None:
        if not hasattr(self, "orgs"):
            self.orgs = OrganizationIndex(self.actor)
            self.units = UnitIndex(self.actor, for_write=False)
            self.registered = idcheck.BatchCheck(self.actor, idcheck.IMPORT)
        self.orgs.add(r.values["organization"] for r in rows)
        self.units.add(r.values["employer"] for r in rows)
        # Each ID's blind index, computed once: for the look-up here and for clean_member/the record.
        self.digests = {n: pii.blind_index(n) for n in (r.values["id_number"] for r in rows) if n}
        for chunk in chunked(self.digests.values()):
            self.registered.add(chunk)

    def build(self, row: Row):
        v = row.values
        org = self.resolve(row, "organization", self.orgs.resolve)
        employer = self.resolve(row, "employer", self.units.resolve)
        number, gender, birth = v["id_number"], v["gender"], v["birth_date"]
        if number and (gender is None or birth is None):
            try:  # blank gender / birth date: taken from the ID (clean_member still checks the ID)
                gender = gender or id_gender(number)
                birth = birth or id_birth_date(number)
            except Exception:  # noqa: BLE001 - a malformed ID is reported by clean_member below
                pass
        member = make_member({
            "name": v["name"] or "", "gender": gender or "", "ethnicity": v["ethnicity"] or "汉族",
            "birth_date": birth, "education": v["education"] or "", "category": v["category"] or Category.FORMAL,
            "join_date": v["join_date"], "confirm_date": v["confirm_date"], "job": v["job"] or "",
            "household_registration": v["household_registration"] or "", "residence": v["residence"] or "",
            "status": v["status"] or MemberStatus.NORMAL, "is_mobile": bool(v["is_mobile"]),
            "dues_standard": v["dues_standard"], "dues_paid_until": v["dues_paid_until"],
        })
        member.organization, member.employer = org, employer
        if number and self.duplicate(row, "id_number", number):
            number = None
        try:
            number = number if number and not row.has_error("id_number") else None
            clean_member(member, number, v["phone"] or "", id_hash=self.digests.get(number),
                         lookup=lambda n, digest: self.registered.check(n, digest, row.number))
        except ValidationError as exc:
            self.apply(row, exc)
        # A blank gender/birth date that the ID could not supply is explained by the ID's error.
        derived = ("gender", "birth_date") if row.has_error("id_number") else ()
        self.clean_fields(row, member, derived)
        return None if row.errors else member

    def finish(self, rows: list[Row], objects: list) -> list:
        # One audit record for the file's ID numbers already registered; a file probing more numbers registered
        # outside the user's scope than their allowance is refused whole, without saying which rows they are.
        if hasattr(self, "registered") and not self.registered.close(rows=len(rows)):
            raise FileProblem(_("本文件中在您管理范围以外已登记的身份证号码超出了按身份证号码查询的限额"
                                "（每%(minutes)d分钟最多%(limit)d个），整个文件未导入。请核对名单，删去已在其他党组织登记的党员，"
                                "稍后再导入") % idcheck.allowance())
        return super().finish(rows, objects)

    def commit(self, objects: list, progress=None) -> int:
        return insert_all(Member, objects, progress)


def export_queryset(queryset):
    return queryset.select_related("organization", "employer").order_by("organization__path", "name", "pk")


def export_values(member: Member, context) -> list:
    unmask = context.unmask
    return [
        member.name, GENDER.label(member.gender),
        pii.decrypt(member.id_number_enc) if unmask else member.id_number_masked,
        member.ethnicity, member.birth_date, EDUCATION.label(member.education), CATEGORY.label(member.category),
        member.organization.name, member.join_date, member.confirm_date, member.job,
        pii.decrypt(member.phone_enc) if unmask else member.phone_masked,
        member.household_registration, member.residence, STATUS.label(member.status),
        "是" if member.is_mobile else "否", member.employer.credit_code if member.employer_id else "",
        member.dues_standard, member.dues_paid_until.strftime("%Y-%m") if member.dues_paid_until else "",
    ]
