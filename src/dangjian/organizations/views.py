from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.forms import form_page
from dangjian.core.htmx import render_inline_errors, render_page
from dangjian.core.scoping import Access
from dangjian.members.models import Member
from dangjian.members.visibility import public_only, roster_marked
from dangjian.organizations.actions import BRANCH_KINDS, units_warning
from dangjian.organizations.forms import OrganizationForm, OrgUnitsForm
from dangjian.organizations.models import CommitteeMember, Organization, OrgStatus, OrgUnit
from dangjian.organizations.tables import OrganizationTable, attach_member_counts, current_members, with_summary
from dangjian.organizations.terms import reelection_due
from dangjian.regions.forms import granted_regions
from dangjian.units.models import Unit

MEMBERS_SHOWN = 100
SEARCH_SHOWN = 50
CANDIDATES_SHOWN = 12


@login_required
@require_GET
def organization_list(request):
    context = {"list": OrganizationTable().build(request), "can_create": _can_create(request.user)}
    return render_page(request, "organizations/list.html", context, "organizations/_list_results.html")


def _can_create(user) -> bool:
    return Organization.objects.scoped(user, for_write=True).exists() or granted_regions(user).exists()


# --- tree browser ---------------------------------------------------------------------------

def _visible_roots(user):
    """Scoped organisations whose parent the user cannot see: the tops of the user's tree."""
    scoped = Organization.objects.scoped(user)
    parent_path = Substr("path", 1, Length("path") - Organization.steplen)
    return scoped.annotate(parent_path=parent_path).exclude(parent_path__in=scoped.values("path")).order_by("path")


def _nodes(orgs, user):
    orgs = list(orgs)
    attach_member_counts(orgs, user)
    return orgs


@login_required
@require_GET
def organization_tree(request):
    user = request.user
    q = request.GET.get("q", "").strip()
    context = {"q": q}
    if q:
        found = list(Organization.objects.scoped(user).filter(name__icontains=q).order_by("path")[: SEARCH_SHOWN + 1])
        context["truncated"] = len(found) > SEARCH_SHOWN
        found = _nodes(found[:SEARCH_SHOWN], user)
        steplen = Organization.steplen
        wanted = {o.path[:n] for o in found for n in range(steplen, len(o.path), steplen)}
        names = dict(Organization.objects.scoped(user).filter(path__in=wanted).values_list("path", "name"))
        for org in found:
            org.trail = [names[org.path[:n]] for n in range(steplen, len(org.path), steplen) if org.path[:n] in names]
        context["results"] = found
    else:
        context["nodes"] = _nodes(_visible_roots(user), user)
    return render_page(request, "organizations/tree.html", context, "organizations/_tree_body.html")


@login_required
@require_GET
def organization_tree_children(request, pk):
    """The visible children of one node (loaded when the node is opened)."""
    org = Organization.objects.get_for_user(pk, request.user)
    children = Organization.objects.scoped(request.user).filter(path__startswith=org.path, depth=org.depth + 1)
    return render(request, "organizations/_tree_nodes.html", {"nodes": _nodes(children, request.user)})


# --- detail ---------------------------------------------------------------------------------

@login_required
@require_GET
def organization_detail(request, pk):
    user = request.user
    org = with_summary(Organization.objects.select_related("region")).get_for_user(pk, user)
    scoped = Organization.objects.scoped(user)
    parent = scoped.filter(path=org.path[: -org.steplen]).first() if org.depth > 1 else None
    children = _nodes(scoped.filter(path__startswith=org.path, depth=org.depth + 1), user)
    units = list(Unit.objects.filter(org_links__organization=org).select_related("region").order_by("name"))
    visible_units = set(Unit.objects.scoped(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    members = current_members(user).filter(organization=org).select_related("organization").order_by("name", "pk")
    subtree = current_members(user).filter(organization__path__startswith=org.path)
    can_edit = Organization.objects.scoped(user, for_write=True).filter(pk=org.pk).exists()
    context = {
        "org": org,
        "public_only": public_only(user),  # an enterprise contact: the public facts only
        "can_review": can_edit or Organization.objects.scoped(user, Access.REVIEW).filter(pk=org.pk).exists(),
        "parent": parent,
        "parent_hidden": org.depth > 1 and parent is None,
        "children": children,
        "units": units,
        "visible_units": visible_units,
        "units_warning": units_warning(org, len(units)),
        "committee": CommitteeMember.objects.filter(organization=org).select_related("member").order_by("end", "post", "start"),
        "reelection_due": org.status == OrgStatus.ACTIVE and reelection_due(org.term_end),
        "members": roster_marked(members[:MEMBERS_SHOWN], user),
        "member_total": members.count(),
        "subtree_total": subtree.count(),
        "members_shown": MEMBERS_SHOWN,
        "can_edit": can_edit,
        "takes_members": org.kind in BRANCH_KINDS,
        "member_visible": set(Member.objects.scoped(user).filter(committee_posts__organization=org).values_list("pk", flat=True)),
    }
    return render(request, "organizations/detail.html", context)


# --- forms ----------------------------------------------------------------------------------

def _form_page(request, form, org=None):
    done = _("已保存党组织“%(name)s”") if org else _("已新增党组织“%(name)s”")
    return form_page(request, form, "organizations/form.html", {"org": org}, detail="organizations:detail", done_message=done)


@login_required
def organization_create(request):
    if not _can_create(request.user):
        raise Http404
    initial = {}
    wanted = request.GET.get("parent", "")
    if wanted.isdigit():
        parent = Organization.objects.scoped(request.user, for_write=True).filter(pk=wanted).first()
        if parent:
            initial.update(parent=parent.pk, region=parent.region_id)
    form = OrganizationForm(request.POST or None, user=request.user, initial=initial, validate_url=reverse("organizations:validate"))
    return _form_page(request, form)


@login_required
def organization_edit(request, pk):
    org = Organization.objects.get_for_user(pk, request.user, for_write=True)
    url = reverse("organizations:validate") + f"?pk={org.pk}"
    return _form_page(request, OrganizationForm(request.POST or None, user=request.user, instance=org, validate_url=url), org)


@login_required
@require_POST
def organization_validate(request):
    """Inline check of the organisation form (htmx, on change); nothing is written."""
    pk = request.GET.get("pk")
    if pk:
        org = Organization.objects.get_for_user(pk, request.user, for_write=True)
    elif _can_create(request.user):
        org = None
    else:
        raise Http404
    return render_inline_errors(request, OrganizationForm(request.POST, user=request.user, instance=org))


@login_required
def organization_units(request, pk):
    """Edit the units an organisation covers."""
    org = Organization.objects.select_related("region").get_for_user(pk, request.user, for_write=True)
    form = OrgUnitsForm(request.POST or None, user=request.user, organization=org)
    if request.method == "POST" and form.is_valid():
        warning = form.save()
        if warning is not None:
            messages.success(request, _("已更新“%(name)s”覆盖的单位") % {"name": org.name})
            if warning:
                messages.warning(request, warning)
            return redirect("organizations:detail", pk=org.pk)
    if form.is_bound:
        picked = [v for v in form.data.getlist("units") if v.isdigit()]
        selected = form.fields["units"].queryset.filter(pk__in=picked)
    else:
        selected = Unit.objects.filter(org_links__organization=org)
    context = {
        "org": org,
        "form": form,
        "selected": selected.select_related("region").order_by("name"),
        "candidates": _candidates(request, org, ""),
    }
    return render(request, "organizations/units.html", context)


def _candidates(request, org, q):
    units = Unit.objects.scoped(request.user, for_write=True).exclude(org_links__organization=org)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    else:  # by default: units in the organisation's region not yet covered by any active organisation
        active = OrgUnit.objects.filter(organization__status=OrgStatus.ACTIVE).values("unit")
        units = units.filter(region__path__startswith=org.region.path).exclude(pk__in=active)
    return units.select_related("region").order_by("name", "pk")[:CANDIDATES_SHOWN]


@login_required
@require_GET
def organization_unit_candidates(request, pk):
    org = Organization.objects.select_related("region").get_for_user(pk, request.user, for_write=True)
    q = request.GET.get("q", "").strip()
    return render(request, "organizations/_unit_candidates.html", {"candidates": _candidates(request, org, q), "q": q})
