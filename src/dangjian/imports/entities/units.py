"""单位 import/export: the non-public units (enterprises, social organisations...)."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dangjian.core.validators import make_credit_code, normalize_credit_code
from dangjian.imports import cells
from dangjian.imports.importer import BATCH_SIZE, BaseImporter, Row
from dangjian.imports.lookups import RegionIndex, chunked
from dangjian.imports.spec import Column, Spec
from dangjian.units.actions import clean_unit
from dangjian.units.industry import DIVISIONS, SECTIONS, section_of
from dangjian.units.models import Unit, UnitKind, UnitStatus

KIND = cells.Choices(UnitKind.choices)
STATUS = cells.Choices(UnitStatus.choices)
SECTION_LABELS = [f"{code} {name}" for code, name in SECTIONS.items()]


def _code_or_name(value, table: dict, pad: int, what) -> str:
    """'C', 'C 制造业', '制造业' -> 'C'; for divisions 23, '23', '23 印刷…' or the name -> '23'."""
    raw = cells.text(value)
    head = re.split(r"[\s\-—:：]+", raw, maxsplit=1)[0].upper()
    if head.isdigit() and pad:
        head = head.zfill(pad)
    if head in table:
        return head
    for code, name in table.items():
        if name == raw:
            return code
    raise cells.CellError(_("%(what)s“%(v)s”不存在") % {"what": what, "v": raw})


def section_cell(value) -> str:
    return _code_or_name(value, SECTIONS, 0, _("行业门类"))


def division_cell(value) -> str:
    return _code_or_name(value, DIVISIONS, 2, _("行业大类"))


SPEC = Spec(
    entity="units",
    label=_lazy("单位"),
    sheet="单位",
    model_label="units.unit",
    columns=(
        Column("name", "单位名称", "Name", required=True, help=_lazy("单位全称"), example="某某科技有限公司", width=26),
        Column("credit_code", "统一社会信用代码", "Credit code", parse=cells.code_text,
               help=_lazy("18位统一社会信用代码，用于识别单位（重复导入会被发现）"),
               allowed=_lazy("18位，数字和大写字母（不含I、O、S、V、Z），校验位须正确"),
               example=make_credit_code("9", "1", "500155", "MA5U0001"), width=22),
        Column("kind", "单位类型", "Kind", choices=KIND, help=_lazy("不填默认为“非公企业”"), example="非公企业", width=12),
        Column("industry_section", "行业门类", "Industry section", parse=section_cell,
               help=_lazy("国民经济行业分类（GB/T 4754-2017）门类；填了行业大类时可不填"),
               allowed=_lazy("字母 A–T，或“字母 名称”，或门类名称"),
               choices=cells.Choices([(label, label) for label in SECTION_LABELS]), example="C 制造业", width=22),
        Column("industry_division", "行业大类", "Industry division", parse=division_cell,
               allowed=_lazy("两位数字代码（01–97）或大类名称，须属于所填门类"), example="23", width=10),
        Column("employees", "从业人员数", "Employees", parse=cells.integer, kind="number",
               allowed=_lazy("整数，不填为0"), example=35, width=10),
        Column("above_size", "规模以上", "Above designated size", parse=cells.boolean,
               choices=cells.Choices([(True, "是"), (False, "否")]), allowed=_lazy("是 / 否，不填为否"), example="否",
               width=10),
        Column("region", "所在区域", "Region", required=True,
               help=_lazy("单位所在的镇街、村社区或园区，须在您的管理范围内"),
               allowed=_lazy("12位统计用区划代码，或完整名称路径（如 梁平区/双桂街道/城东社区）"),
               example="500155001001", width=22),
        Column("address", "地址", "Address", example="双桂街道东环路1号", width=24),
        Column("lng", "经度", "Longitude", parse=lambda v: cells.number_in(v, -180, 180), kind="number", width=10),
        Column("lat", "纬度", "Latitude", parse=lambda v: cells.number_in(v, -90, 90), kind="number", width=10),
        Column("status", "经营状态", "Status", choices=STATUS, help=_lazy("不填默认为“存续经营”"), example="存续经营",
               width=12),
        Column("founded", "成立日期", "Founded", parse=cells.date, kind="date",
               allowed=_lazy("日期，如 2024-01-05，不能晚于今天"), example=dt.date(2016, 3, 8)),
    ),
)


class UnitImporter(BaseImporter):
    spec = SPEC

    incremental = True

    def prefetch(self, rows: list[Row]) -> None:
        if not hasattr(self, "regions"):
            self.regions = RegionIndex(self.actor)
            self.taken, self.named = {}, set()
        codes = {normalize_credit_code(r.values["credit_code"]) for r in rows if r.values["credit_code"]}
        for chunk in chunked(codes):
            self.taken.update(Unit.objects.filter(credit_code__in=chunk).values_list("credit_code", "name"))
        # Units without a credit code are recognised by name within their region.
        names = {r.values["name"] for r in rows if r.values["name"] and not r.values["credit_code"]}
        for chunk in chunked(names):
            self.named.update(Unit.objects.filter(name__in=chunk).values_list("name", "region_id"))

    def build(self, row: Row):
        v = row.values
        region = self.resolve(row, "region", self.regions.resolve)
        section = v["industry_section"]
        if section is None and v["industry_division"] and not row.has_error("industry_section"):
            section = section_of(v["industry_division"])
        unit = Unit(
            name=v["name"] or "", credit_code=v["credit_code"] or "", kind=v["kind"] or UnitKind.ENTERPRISE,
            industry_section=section or "", industry_division=v["industry_division"] or "",
            employees=v["employees"] or 0, above_size=bool(v["above_size"]), region=region,
            address=v["address"] or "", lng=v["lng"], lat=v["lat"], status=v["status"] or UnitStatus.OPERATING,
            founded=v["founded"],
        )
        if section is None and not row.has_error("industry_section"):
            row.error("industry_section", _("请填写“行业门类”（或填写行业大类）"))
        try:
            clean_unit(unit, taken=self.taken)
        except ValidationError as exc:
            self.apply(row, exc)
        if unit.credit_code and not row.has_error("credit_code"):
            self.duplicate(row, "credit_code", unit.credit_code)
        elif not unit.credit_code and unit.name and region is not None:
            if (unit.name, region.pk) in self.named:
                row.error("name", _("“%(region)s”已有名为“%(name)s”的单位") % {"region": region, "name": unit.name})
            else:
                self.duplicate(row, "name", (unit.name, region.pk), _("单位名称和所在区域"))
        self.clean_fields(row, unit)
        return None if row.errors else unit

    def commit(self, objects: list, progress=None) -> int:
        total = len(objects)
        for start in range(0, total, BATCH_SIZE):
            Unit.objects.bulk_create(objects[start:start + BATCH_SIZE])
            if progress:
                progress(min(start + BATCH_SIZE, total), total)
        return total


def export_queryset(queryset):
    return queryset.order_by("region__path", "name", "pk")


def export_values(unit: Unit, context) -> list:
    return [
        unit.name, unit.credit_code, KIND.label(unit.kind),
        f"{unit.industry_section} {SECTIONS.get(unit.industry_section, '')}".strip(), unit.industry_division,
        unit.employees, "是" if unit.above_size else "否", context.regions.label(unit.region_id), unit.address,
        unit.lng, unit.lat, STATUS.label(unit.status), unit.founded,
    ]
