from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.forms import form_page
from dangjian.core.htmx import render_inline_errors, render_page
from dangjian.core.panels import panel
from dangjian.members.models import Member
from dangjian.members.visibility import personal_members
from dangjian.organizations.models import Organization
from dangjian.regions.forms import granted_regions
from dangjian.regions.models import Region
from dangjian.units.forms import UnitForm
from dangjian.units.models import SizeBand, Unit
from dangjian.units.tables import UnitTable

MEMBERS_SHOWN = 100
OPTIONS_SHOWN = 30


@login_required
@require_GET
def unit_list(request):
    context = {"list": UnitTable().build(request), "can_create": granted_regions(request.user).exists()}
    return render_page(request, "units/list.html", context, "units/_list_results.html")


@login_required
@require_GET
def unit_detail(request, pk):
    user = request.user
    unit = Unit.objects.select_related("region").get_for_user(pk, user)
    organizations = list(Organization.objects.filter(unit_links__unit=unit).order_by("status", "path"))
    visible_orgs = set(Organization.objects.scoped(user).filter(pk__in=[o.pk for o in organizations]).values_list("pk", flat=True))
    members = Member.objects.scoped(user).filter(employer=unit).select_related("organization").order_by("status", "name", "pk")
    personal = personal_members(user)
    if personal is not None:  # where a member works is personal: a roster reader finds them on the organisation
        members = members.filter(pk__in=personal)
    context = {
        "unit": unit,
        "size_label": SizeBand(unit.size_band).label,
        "region_visible": Region.objects.scoped(user).filter(pk=unit.region_id).exists(),
        "organizations": organizations,
        "visible_orgs": visible_orgs,
        "coverage": panel("unit", "coverage", unit, user),
        "members": members[:MEMBERS_SHOWN],
        "member_total": members.count(),
        "members_shown": MEMBERS_SHOWN,
        "can_edit": Unit.objects.scoped(user, for_write=True).filter(pk=unit.pk).exists(),
        "service": panel("unit", "service", user, unit),
    }
    return render(request, "units/detail.html", context)


def _form_page(request, form, unit=None):
    done = _("已保存单位“%(name)s”") if unit else _("已新增单位“%(name)s”")
    return form_page(request, form, "units/form.html", {"unit": unit}, detail="units:detail", done_message=done)


@login_required
def unit_create(request):
    if not granted_regions(request.user).exists():
        raise Http404
    return _form_page(request, UnitForm(request.POST or None, user=request.user))


@login_required
def unit_edit(request, pk):
    unit = Unit.objects.get_for_user(pk, request.user, for_write=True)
    return _form_page(request, UnitForm(request.POST or None, user=request.user, instance=unit), unit)


@login_required
@require_POST
def unit_validate(request):
    """Inline check of the unit form (htmx, on change): shows errors, writes nothing."""
    pk = request.GET.get("pk")
    if pk:
        unit = Unit.objects.get_for_user(pk, request.user, for_write=True)
    elif granted_regions(request.user).exists():
        unit = None
    else:
        raise Http404
    return render_inline_errors(request, UnitForm(request.POST, user=request.user, instance=unit))


@login_required
@require_GET
def unit_options(request):
    """<option>s of units the user may write to, matching ?q= (name or credit code), for search selects."""
    units = Unit.objects.scoped(request.user, for_write=True)
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    units = units.select_related("region").order_by("name", "pk")[:OPTIONS_SHOWN]
    return render(request, "units/_options.html", {"units": units, "blank": request.GET.get("blank") == "1", "q": q})
