"""Reading the coverage filters from a request (page, export and API share this)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.coverage.queries import BLANK_SORTS, resolve_region
from dangjian.units.industry import SECTIONS
from dangjian.units.models import SizeBand, UnitKind

CHOICES = {"industry": list(SECTIONS), "kind": list(UnitKind.values), "size": list(SizeBand.values)}
LABELS = {"industry": gettext_lazy("行业门类"), "kind": gettext_lazy("单位类型"), "size": gettext_lazy("规模")}


def read_filters(user, data, strict: bool = False) -> tuple[dict, list[str]]:
    """{region, industry, kind, size} from a query dict.

    The region must be in the user's scope (else Http404). An unknown industry/kind/size is
    dropped with a message, or raises ValidationError when ``strict`` (the API).
    """
    filters = {"region": resolve_region(user, _int_or_404(data.get("region")))}
    errors = {}
    for name, allowed in CHOICES.items():
        value = (data.get(name) or "").strip()
        if not value:
            continue
        if value in allowed:
            filters[name] = value
        else:
            errors[name] = _("%(label)s“%(value)s”不存在，可选：%(allowed)s") % {
                "label": LABELS[name], "value": value, "allowed": "、".join(allowed)}
    if errors and strict:
        raise ValidationError(errors)
    return filters, list(errors.values())


def read_sort(data) -> str:
    sort = data.get("sort") or "employees"
    return sort if sort in BLANK_SORTS else "employees"


def _int_or_404(value):
    from django.http import Http404

    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
