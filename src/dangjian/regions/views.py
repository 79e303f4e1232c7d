from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangjian.core.forms import form_page
from dangjian.core.htmx import render_page
from dangjian.members.models import Member, MemberStatus
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.regions.forms import RegionForm, granted_regions
from dangjian.regions.models import Region
from dangjian.regions.tables import RegionTable, attach_counts
from dangjian.units.filters import covered_exists
from dangjian.units.models import Unit, UnitStatus


@login_required
@require_GET
def region_list(request):
    context = {"list": RegionTable().build(request), "can_create": granted_regions(request.user).exists()}
    return render_page(request, "regions/list.html", context, "regions/_list_results.html")


@login_required
@require_GET
def region_detail(request, pk):
    user = request.user
    region = Region.objects.get_for_user(pk, user)
    scoped = Region.objects.scoped(user)
    ancestors = list(scoped.filter(path__in=[region.path[:n] for n in range(region.steplen, len(region.path), region.steplen)]))
    children = list(scoped.filter(path__startswith=region.path, depth=region.depth + 1))
    attach_counts(children, user)
    units = Unit.objects.scoped(user).filter(region__path__startswith=region.path, status=UnitStatus.OPERATING)
    context = {
        "region": region,
        "ancestors": ancestors,
        "children": children,
        "unit_count": units.count(),
        "covered_count": units.filter(covered_exists()).count(),
        "org_count": Organization.objects.scoped(user).filter(region__path__startswith=region.path, status=OrgStatus.ACTIVE).count(),
        "member_count": Member.objects.scoped(user)
        .filter(organization__region__path__startswith=region.path, status=MemberStatus.NORMAL)
        .count(),
        "can_edit": granted_regions(user).filter(pk=region.pk).exists(),
    }
    return render(request, "regions/detail.html", context)


def _writable_region(request, pk):
    region = Region.objects.get_for_user(pk, request.user, for_write=True)
    if not granted_regions(request.user).filter(pk=region.pk).exists():
        raise Http404  # reached only through an organisation's location: not the user's to edit
    return region


def _form_page(request, form, region=None):
    done = _("已保存区域“%(name)s”") if region else _("已新增区域“%(name)s”")
    return form_page(request, form, "regions/form.html", {"region": region}, detail="regions:detail", done_message=done)


@login_required
def region_create(request):
    parents = granted_regions(request.user)
    if not parents.exists():
        raise Http404
    initial = {}
    wanted = request.GET.get("parent", "")
    if wanted.isdigit() and parents.filter(pk=wanted).exists():
        initial["parent"] = int(wanted)
    return _form_page(request, RegionForm(request.POST or None, user=request.user, initial=initial))


@login_required
def region_edit(request, pk):
    region = _writable_region(request, pk)
    return _form_page(request, RegionForm(request.POST or None, user=request.user, instance=region), region)
