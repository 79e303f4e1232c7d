"""党组织 import/export: organisations with their parent (by name) and the units they cover.

A parent may be an organisation already in the database or another row of the same file;
rows are written parents first. The name is the organisation's key in a file: it must be
unique in the file and not yet taken in the database.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dangjian.imports import cells
from dangjian.imports.importer import BATCH_SIZE, BaseImporter, Row
from dangjian.imports.lookups import OrganizationIndex, RegionIndex, UnitIndex, chunked, split_codes
from dangjian.imports.spec import Column, Spec
from dangjian.organizations.actions import clean_organization, clean_units, units_warning
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgStatus, OrgUnit

KIND = cells.Choices(OrgKind.choices)
FORMATION = cells.Choices(Formation.choices)
STATUS = cells.Choices(OrgStatus.choices)

SPEC = Spec(
    entity="organizations",
    label=_lazy("党组织"),
    sheet="党组织",
    model_label="organizations.organization",
    columns=(
        Column("name", "党组织名称", "Name", required=True, help=_lazy("党组织全称，在系统中须唯一"),
               example="某某科技有限公司党支部", width=28),
        Column("kind", "党组织类别", "Kind", choices=KIND, required=True, example="党支部", width=12),
        Column("formation", "组建方式", "Formation", choices=FORMATION,
               help=_lazy("不填时联合党支部为“联合组建”，其他为“单独组建”"), example="单独组建", width=12),
        Column("parent", "上级党组织", "Parent",
               help=_lazy("上级党组织的全称或编号，可以是本文件中的另一行；顶级党组织不填"), width=26),
        Column("region", "所在区域", "Region", required=True, help=_lazy("党组织所在区域，须在您的管理范围内"),
               allowed=_lazy("12位统计用区划代码，或完整名称路径（如 梁平区/双桂街道/城东社区）"),
               example="500155001001", width=22),
        Column("units", "覆盖单位统一社会信用代码", "Covered units",
               help=_lazy("党组织覆盖的单位，填统一社会信用代码；联合党支部填多个，用“、”或“;”分隔"),
               allowed=_lazy("单位须已登记且在您的管理范围内；单独组建的党支部只能覆盖一家单位"), width=44),
        Column("founded", "成立日期", "Founded", parse=cells.date, kind="date",
               allowed=_lazy("日期，如 2024-01-05，不能晚于今天"), example=dt.date(2019, 7, 1)),
        Column("status", "状态", "Status", choices=STATUS, help=_lazy("不填默认为“正常”"), example="正常", width=10),
        Column("contact_phone", "联系电话", "Contact phone", example="023-53221234", width=14),
        Column("term_start", "本届任期开始", "Term start", parse=cells.date, kind="date", example=dt.date(2022, 7, 1)),
        Column("term_end", "本届任期届满", "Term end", parse=cells.date, kind="date",
               help=_lazy("不填时按任期年限自动计算"), width=14),
    ),
)


@dataclass
class Entry:
    row: Row
    org: Organization
    parent_name: str = ""
    parent: Organization | None = None  # in the database
    parent_entry: "Entry | None" = None  # another row of the file
    units: list = field(default_factory=list)


class OrganizationImporter(BaseImporter):
    spec = SPEC

    def prefetch(self, rows: list[Row]) -> None:
        self.regions = RegionIndex(self.actor)
        self.parents = OrganizationIndex(self.actor, {r.values["parent"] for r in rows})
        names = {r.values["name"] for r in rows if r.values["name"]}
        self.taken = set()
        for chunk in chunked(names):
            self.taken.update(Organization.objects.filter(name__in=chunk).values_list("name", flat=True))
        codes = {c for r in rows if r.values["units"] for c in split_codes(r.values["units"])}
        self.units = UnitIndex(self.actor, codes, for_write=True)
        self.entries: list[Entry] = []

    def build(self, row: Row):
        v = row.values
        region = self.resolve(row, "region", self.regions.resolve)
        kind = v["kind"]
        formation = v["formation"] or (Formation.JOINT if kind == OrgKind.JOINT_BRANCH else Formation.OWN)
        org = Organization(
            name=v["name"] or "", kind=kind or "", formation=formation, region=region, founded=v["founded"],
            status=v["status"] or OrgStatus.ACTIVE, contact_phone=cells.code_text(v["contact_phone"] or ""),
            term_start=v["term_start"], term_end=v["term_end"],
        )
        if org.name in self.taken:
            row.error("name", _("系统中已有名为“%(name)s”的党组织") % {"name": org.name})
        else:
            self.duplicate(row, "name", org.name)
        units = []
        for code in split_codes(v["units"] or ""):
            try:
                unit = self.units.resolve(code)
            except cells.CellError as exc:
                row.error("units", exc)
                break
            if unit not in units:
                units.append(unit)
        self.entries.append(Entry(row, org, cells.text(v["parent"] or ""), units=units))
        return org

    def finish(self, rows: list[Row], objects: list) -> list:
        in_file = {e.org.name: e for e in self.entries if not e.row.has_error("name")}
        for entry in self.entries:
            self._link_parent(entry, in_file)
        for entry in self.entries:
            self._check(entry)
        return self._parents_first([e for e in self.entries if not e.row.errors])

    def _link_parent(self, entry: Entry, in_file: dict) -> None:
        if not entry.parent_name:
            return
        if entry.parent_name == entry.org.name:
            entry.row.error("parent", _("上级党组织不能是本组织"))
        elif entry.parent_name in in_file:
            entry.parent_entry = in_file[entry.parent_name]
        else:
            try:
                entry.parent = self.parents.resolve(entry.parent_name)
            except cells.CellError as exc:
                entry.row.error("parent", exc)

    def _check(self, entry: Entry) -> None:
        row, org = entry.row, entry.org
        seen, ancestor = {id(entry)}, entry.parent_entry
        while ancestor is not None:
            if id(ancestor) in seen:
                row.error("parent", _("上级党组织关系形成了循环"))
                break
            seen.add(id(ancestor))
            ancestor = ancestor.parent_entry
        parent = entry.parent_entry.org if entry.parent_entry else entry.parent
        if org.kind:
            try:
                clean_organization(org, parent)
            except ValidationError as exc:
                self.apply(row, exc)
            try:
                clean_units(org, entry.units)
            except ValidationError as exc:
                self.apply(row, exc)
        self.clean_fields(row, org)

    def _parents_first(self, entries: list[Entry]) -> list[Entry]:
        ordered, placed = [], set()
        pending = list(entries)
        while pending:
            ready = [e for e in pending if e.parent_entry is None or id(e.parent_entry) in placed]
            if not ready:  # a parent row had errors: nothing will be written anyway
                break
            for e in ready:
                ordered.append(e)
                placed.add(id(e))
            pending = [e for e in pending if id(e) not in placed]
        return ordered

    def commit(self, entries: list, progress=None) -> int:
        links = []
        total = len(entries)
        for done, entry in enumerate(entries, 1):
            parent = entry.parent_entry.org if entry.parent_entry else entry.parent
            if parent is None:
                Organization.objects.add_root(instance=entry.org)
            else:
                Organization.objects.add_child(parent, instance=entry.org)
            links += [OrgUnit(organization=entry.org, unit=unit) for unit in entry.units]
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
        OrgUnit.objects.bulk_create(links, batch_size=BATCH_SIZE)
        return total

    def warnings(self, entries: list) -> list[str]:
        notes = []
        for entry in entries:
            text = units_warning(entry.org, len(entry.units))
            if text:
                notes.append(_("第%(row)d行：%(text)s") % {"row": entry.row.number, "text": text})
        return notes


def export_queryset(queryset):
    return queryset.select_related("region").prefetch_related("units").order_by("path")


def export_values(org: Organization, context) -> list:
    parent_path = org.path[:-Organization.steplen]
    return [
        org.name, KIND.label(org.kind), FORMATION.label(org.formation),
        context.org_names.get(parent_path, "") if parent_path else "",
        context.regions.label(org.region_id), "、".join(u.credit_code or u.name for u in org.units.all()),
        org.founded, STATUS.label(org.status), org.contact_phone, org.term_start, org.term_end,
    ]
