"""Resolve the references in an import file (region, organisation, unit) with a few queries.

Each index is filled once for the whole file (by the distinct values the file uses) and
then answers every row from dicts, including whether the importing user may write there.
A resolve() returns the object or raises CellError with the message for that cell.
"""
import re

from django.utils.translation import gettext as _

from dangjian.core.scoping import get_scope
from dangjian.core.validators import normalize_credit_code
from dangjian.imports.cells import CellError, code_text, text
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit

CHUNK = 500
PATH_SEPARATORS = re.compile(r"\s*[/／>＞\\]\s*")


def chunked(values, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def out_of_scope(obj) -> CellError:
    return CellError(_("“%(obj)s”不在您的管理范围内") % {"obj": obj})


def _unrestricted(actor, for_write: bool) -> bool:
    return actor is None or get_scope(actor, for_write).everything


def scoped_ids(model, actor, ids, for_write: bool = True) -> set:
    """Which of these ids the actor may write to (read, if for_write is False); None actor = all."""
    ids = set(ids)
    if _unrestricted(actor, for_write):
        return ids
    found = set()
    for chunk in chunked(ids):
        found.update(model.objects.scoped(actor, for_write).filter(pk__in=chunk).values_list("pk", flat=True))
    return found


class RegionIndex:
    """Regions by 统计用区划代码, by full name path (梁平区/双桂街道) or by a unique trailing part of it."""

    def __init__(self, actor=None, for_write: bool = True):
        regions = list(Region.objects.only("id", "name", "code", "path", "depth", "kind", "code_year").order_by("path"))
        steplen = Region.steplen
        self.by_path = by_path = {r.path: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.by_code = {r.code: r for r in regions if r.code}
        self.by_names: dict[str, list] = {}
        self.full_name: dict[int, str] = {}
        for region in regions:
            names = [by_path[region.path[:steplen * d]].name for d in range(1, region.depth + 1)
                     if region.path[:steplen * d] in by_path]
            self.full_name[region.pk] = "/".join(names)
            for start in range(len(names)):
                self.by_names.setdefault("/".join(names[start:]), []).append(region)
        self.allowed = scoped_ids(Region, actor, self.by_id, for_write)

    def label(self, region_id) -> str:
        """How an export writes a region: its code when it has one, else its full name path."""
        region = self.by_id.get(region_id)
        if region is None:
            return ""
        return region.code or self.full_name[region.pk]

    def resolve(self, raw) -> Region:
        value = code_text(raw) if isinstance(raw, (int, float)) else text(raw)
        if value.isdigit():
            region = self.by_code.get(value)
            if region is None:
                raise CellError(_("统计用区划代码“%(v)s”不存在") % {"v": value})
        else:
            key = "/".join(p for p in PATH_SEPARATORS.split(value) if p)
            matches = self.by_names.get(key, [])
            if not matches:
                raise CellError(_("找不到区域“%(v)s”，请填写统计用区划代码或完整名称路径（如 梁平区/双桂街道）") % {"v": value})
            if len(matches) > 1:
                raise CellError(
                    _("区域名称“%(v)s”不唯一，请填写统计用区划代码或完整名称路径（如 %(example)s）")
                    % {"v": value, "example": self.full_name[matches[0].pk]}
                )
            region = matches[0]
        if region.pk not in self.allowed:
            raise out_of_scope(region)
        return region


class OrganizationIndex:
    """Organisations named in the file: by exact name (must be unique) or by id."""

    fields = ("id", "name", "kind", "formation", "path", "depth", "numchild", "region_id", "status")

    def __init__(self, actor, values=(), for_write: bool = True):
        self.actor, self.for_write = actor, for_write
        self.by_name: dict[str, list] = {}
        self.by_id: dict[int, Organization] = {}
        self.allowed: set = set()
        self._asked: set = set()
        self.add(values)

    def add(self, values) -> None:
        """Fetch the organisations these cell values name (those not asked for before)."""
        names = {text(v) for v in values if v is not None} - self._asked
        self._asked |= names
        found = {}
        for chunk in chunked(names):
            for org in Organization.objects.filter(name__in=chunk).only(*self.fields):
                self.by_name.setdefault(org.name, []).append(org)
                found[org.pk] = org
        ids = {int(n) for n in names if n.isdigit() and n not in self.by_name}
        for chunk in chunked(ids - set(self.by_id)):
            for org in Organization.objects.filter(pk__in=chunk).only(*self.fields):
                found[org.pk] = org
        found = {pk: org for pk, org in found.items() if pk not in self.by_id}
        self.by_id.update(found)
        self.allowed |= scoped_ids(Organization, self.actor, found, self.for_write)

    def find(self, raw) -> Organization | None:
        """The organisation the value names, or None if no such name or id (errors if ambiguous)."""
        value = text(raw)
        matches = self.by_name.get(value)
        if matches:
            if len(matches) > 1:
                raise CellError(
                    _("有%(n)d个党组织名为“%(v)s”，请改填党组织编号（%(ids)s）")
                    % {"n": len(matches), "v": value, "ids": "、".join(str(o.pk) for o in matches)}
                )
            return matches[0]
        if value.isdigit():
            return self.by_id.get(int(value))
        return None

    def check_scope(self, org: Organization) -> Organization:
        if org.pk not in self.allowed:
            raise out_of_scope(org)
        return org

    def resolve(self, raw) -> Organization:
        org = self.find(raw)
        if org is None:
            raise CellError(_("找不到党组织“%(v)s”（按名称或编号查找）") % {"v": text(raw)})
        return self.check_scope(org)


class UnitIndex:
    """Units named in the file by their unified social credit code."""

    def __init__(self, actor, codes=(), for_write: bool = True):
        self.actor, self.for_write = actor, for_write
        self.by_code: dict[str, Unit] = {}
        self.allowed: set = set()
        self._asked: set = set()
        self.add(codes)

    def add(self, codes) -> None:
        wanted = {normalize_credit_code(c) for c in codes if c} - self._asked
        self._asked |= wanted
        found = {}
        for chunk in chunked(wanted):
            for unit in Unit.objects.filter(credit_code__in=chunk).only("id", "name", "credit_code", "region_id"):
                found[unit.credit_code] = unit
        self.by_code.update(found)
        self.allowed |= scoped_ids(Unit, self.actor, {u.pk for u in found.values()}, self.for_write)

    def resolve(self, raw) -> Unit:
        code = normalize_credit_code(code_text(raw))
        unit = self.by_code.get(code)
        if unit is None:
            raise CellError(_("找不到统一社会信用代码为“%(v)s”的单位，请先导入该单位") % {"v": code})
        if unit.pk not in self.allowed:
            raise out_of_scope(unit)
        return unit


def split_codes(raw) -> list[str]:
    """Several credit codes in one cell, separated by 、 ; ； , ， or line breaks."""
    return [c for c in re.split(r"[、;；,，\s]+", text(raw)) if c]
