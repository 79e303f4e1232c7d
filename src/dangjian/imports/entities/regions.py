"""区域 import/export: the region tree (district, towns and streets, villages and communities, parks...).

A row's parent is named by its 统计用区划代码 or its full name path, and is a region already in
the database or an EARLIER row of the same file (an export lists parents first). Regions are
written in file order, each placed among its siblings by code and name (Region.node_order_by).
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dangjian.imports import cells
from dangjian.imports.importer import BaseImporter, Row
from dangjian.imports.lookups import PATH_SEPARATORS, RegionIndex, chunked
from dangjian.imports.spec import Column, Spec
from dangjian.regions.actions import clean_new_region
from dangjian.regions.models import Region, RegionKind

KIND = cells.Choices(RegionKind.choices)

SPEC = Spec(
    entity="regions",
    label=_lazy("区域"),
    sheet="区域",
    model_label="regions.region",
    columns=(
        Column("name", "区域名称", "Name", required=True, help=_lazy("区县、镇街、村社区、园区等的名称"),
               example="城东社区", width=22),
        Column("kind", "区域类型", "Kind", choices=KIND, required=True, example="社区", width=10),
        Column("code", "统计用区划代码", "Division code", parse=cells.code_text,
               help=_lazy("有统计用区划代码的填写；园区、楼宇、市场等可不填"),
               allowed=_lazy("6、9或12位数字，在系统中须唯一"), example="500155001001", width=16),
        Column("code_year", "代码年份", "Code year", parse=lambda v: cells.integer(v, 1900), kind="number",
               help=_lazy("区划代码所属的年份，填了代码时必填"), example=2023, width=10),
        Column("parent", "上级区域", "Parent",
               help=_lazy("上级区域的统计用区划代码或完整名称路径；可以是本文件中更前面的一行；顶级区域不填"),
               example="500155001", width=26),
        Column("lng", "经度", "Longitude", parse=lambda v: cells.number_in(v, -180, 180), kind="number", width=10),
        Column("lat", "纬度", "Latitude", parse=lambda v: cells.number_in(v, -90, 90), kind="number", width=10),
    ),
)


def reference(raw) -> str:
    """A parent cell as the key it is looked up by: the code, or the name path joined by '/'."""
    value = cells.code_text(raw) if isinstance(raw, (int, float)) else cells.text(raw)
    return value if value.isdigit() else "/".join(p for p in PATH_SEPARATORS.split(value) if p)


@dataclass
class Entry:
    row: Row
    region: Region
    full_name: str
    parent: Region | None = None  # in the database
    parent_entry: "Entry | None" = None  # an earlier row of the file


class RegionImporter(BaseImporter):
    spec = SPEC

    def prefetch(self, rows: list[Row]) -> None:
        self.regions = RegionIndex(self.actor)
        codes = {r.values["code"] for r in rows if r.values["code"]}
        self.taken = {}
        for chunk in chunked(codes):
            self.taken.update(Region.objects.filter(code__in=chunk).values_list("code", "name"))
        self.existing_names = set(self.regions.full_name.values())
        self.in_file: dict[str, Entry] = {}  # code and full name path of the rows built so far
        self.entries: list[Entry] = []

    def build(self, row: Row):
        v = row.values
        region = Region(name=v["name"] or "", kind=v["kind"] or "", code=v["code"] or "", code_year=v["code_year"],
                        lng=v["lng"], lat=v["lat"])
        entry = Entry(row, region, region.name)
        if v["parent"] is not None:
            self._link_parent(entry, reference(v["parent"]))
        parent_name = (entry.parent_entry.full_name if entry.parent_entry
                       else self.regions.full_name[entry.parent.pk] if entry.parent else "")
        entry.full_name = f"{parent_name}/{region.name}" if parent_name else region.name
        if region.code in self.taken:
            row.error("code", _("系统中已有区划代码为%(code)s的区域“%(name)s”") % {"code": region.code,
                                                                                "name": self.taken[region.code]})
        elif not (region.code and self.duplicate(row, "code", region.code)) and region.name:
            if entry.full_name in self.existing_names:
                row.error("name", _("系统中已有区域“%(path)s”") % {"path": entry.full_name})
            else:
                self.duplicate(row, "name", entry.full_name, _("上级区域和区域名称"))
        if not row.has_error("parent"):
            try:
                clean_new_region(self.actor, region, entry.parent_entry.region if entry.parent_entry else entry.parent)
            except ValidationError as exc:
                self.apply(row, exc)
        self.clean_fields(row, region)
        for key in (region.code, entry.full_name):
            if key:
                self.in_file.setdefault(key, entry)
        self.entries.append(entry)
        return region

    def _link_parent(self, entry: Entry, key: str) -> None:
        if key in self.in_file:
            entry.parent_entry = self.in_file[key]
            return
        try:
            entry.parent = self.regions.resolve(key)
        except cells.CellError as exc:
            entry.row.error("parent", exc)

    def finish(self, rows: list[Row], objects: list) -> list:
        later = {}
        for entry in self.entries:
            for key in (entry.region.code, entry.full_name):
                later.setdefault(key, entry.row.number)
        for entry in self.entries:  # a parent named in a later row: say so rather than "not found"
            key = reference(entry.row.values["parent"]) if entry.row.values["parent"] is not None else ""
            if entry.row.has_error("parent") and later.get(key, 0) > entry.row.number:
                entry.row.errors["parent"] = _("上级区域“%(v)s”在第%(row)d行，应写在本行之前") % {"v": key, "row": later[key]}
        return [e for e in self.entries if not e.row.errors]

    def commit(self, entries: list, progress=None) -> int:
        total = len(entries)
        for done, entry in enumerate(entries, 1):
            parent = entry.parent_entry.region if entry.parent_entry else entry.parent
            if parent is None:
                Region.objects.add_root(instance=entry.region)
            else:
                parent.refresh_from_db(fields=["path", "depth", "numchild"])  # sorted inserts may move siblings
                Region.objects.add_child(parent, instance=entry.region)
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
        return total


def export_queryset(queryset):
    return queryset.order_by("path")


def export_values(region: Region, context) -> list:
    parent = context.regions.by_path.get(region.path[:-Region.steplen]) if region.depth > 1 else None
    return [
        region.name, KIND.label(region.kind), region.code, region.code_year,
        context.regions.label(parent.pk) if parent else "", region.lng, region.lat,
    ]
