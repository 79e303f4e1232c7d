"""Export regions, units, organisations or members in the import template's columns (so an export re-imports).

Rows are streamed from the database in chunks; xlsx is written with openpyxl's write-only
mode; text a spreadsheet would take for a formula is escaped (core.cells). Members' ID
numbers and phones are masked unless the caller is allowed to see them and asked to; every
export is audited ("export"), an unmasked one also as "unmask".
"""
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core import audit
from dangjian.core.cells import escape, escape_row
from dangjian.imports.entities import MODULES, spec_for
from dangjian.imports.lookups import RegionIndex
from dangjian.members.actions import can_unmask
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit

# In the order they import back: each refers to the ones before it.
MODELS = {"regions": Region, "units": Unit, "organizations": Organization, "members": Member}
FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
CHUNK = 2000


@dataclass
class Context:
    unmask: bool = False
    regions: RegionIndex | None = None
    org_names: dict = field(default_factory=dict)


@dataclass
class Export:
    entity: str
    fmt: str
    queryset: object
    context: Context
    count: int

    @property
    def spec(self):
        return spec_for(self.entity)

    def filename(self) -> str:
        return f"{self.entity}-{timezone.localtime():%Y%m%d-%H%M}.{self.fmt}"

    def rows(self):
        module = MODULES[self.entity]
        for obj in self.queryset.iterator(chunk_size=CHUNK):
            yield module.export_values(obj, self.context)


def prepare(entity: str, fmt: str, user=None, *, unmask: bool = False, operator: bool = False) -> Export:
    """The scoped rows to export, after the permission check; records the audit entries.

    ``user`` None with ``operator`` True is the command-line operator exporting everything.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    model = MODELS[entity]
    if user is None and not operator:
        raise PermissionDenied
    queryset = model.objects.all() if user is None else model.objects.scoped(user)
    if unmask and entity == "members" and user is not None and not can_unmask(user):
        raise PermissionDenied(_("您没有查看完整身份证号和电话的权限，只能导出脱敏数据"))
    unmask = unmask and entity == "members"
    queryset = MODULES[entity].export_queryset(queryset)
    context = Context(unmask=unmask)
    if entity in ("regions", "units", "organizations"):
        context.regions = RegionIndex(None, for_write=False)
    if entity == "organizations":
        steplen = Organization.steplen
        paths = {p[:-steplen] for p in queryset.values_list("path", flat=True) if len(p) > steplen}
        context.org_names = dict(Organization.objects.filter(path__in=paths).values_list("path", "name"))
    count = queryset.count()
    spec = spec_for(entity)
    details = {"entity": entity, "format": fmt, "rows": count, "unmasked": unmask,
               "scope": user.get_username() if user is not None else "all"}
    audit.record(user, audit.Action.EXPORT, None, details, object_type=spec.model_label)
    if unmask:  # whose data left the system: the filter and every member's id
        ids = list(queryset.order_by().values_list("pk", flat=True))
        audit.record(user, audit.Action.UNMASK, None, {
            "fields": ["id_number", "phone"], "rows": count, "via": "export", "entity": entity,
            "filter": {"scope": details["scope"]}, "ids": sorted(ids)}, object_type=spec.model_label)
    return Export(entity, fmt, queryset, context, count)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def write_xlsx(export: Export, fileobj) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(export.spec.sheet)
    bold = Font(bold=True)
    header = []
    for title in export.spec.headers:
        cell = WriteOnlyCell(ws, value=escape(title))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for values in export.rows():
        ws.append(escape_row(values))
    wb.save(fileobj)


def csv_chunks(export: Export):
    """CSV text in pieces (UTF-8 with BOM so Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(escape_row(export.spec.headers))
    for n, values in enumerate(export.rows(), 1):
        writer.writerow([_plain(v) for v in escape_row(values)])  # before _plain: numbers stay unescaped
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(export: Export):
    """A JSON array of objects keyed by the columns' English keys (not escaped: no spreadsheet evaluates JSON)."""
    keys = [c.key for c in export.spec.columns]
    yield "["
    for n, values in enumerate(export.rows()):
        item = dict(zip(keys, (_plain(v) for v in values)))
        yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"
