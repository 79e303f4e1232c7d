"""Pages of linkage groups, pairings and the needs/resources market."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.alliances import actions, queries
from dangjian.alliances.forms import ActionForm, ActivityForm, DealForm, ItemForm, PairForm, PostForm, ProposeForm
from dangjian.alliances.matching import matches_for
from dangjian.alliances.models import (Alliance, Expert, Item, ItemCategory, ItemKind, LinkGroup, Pair,
                                       Scheme, SixAction)
from dangjian.alliances.pairing import propose as propose_pairs
from dangjian.core.scoping import region_staff
from dangjian.organizations.models import Organization
from dangjian.core.view_helpers import act as run, error_text, field_labels, form_errors
from dangjian.units.models import Unit


@login_required
@require_GET
def index(request):
    return render(request, "alliances/index.html", {
        "d": queries.dashboard(request.user), "staff": region_staff(request.user),
        "schemes": queries.schemes(request.user)[:10], "alliances": Alliance.objects.scoped(request.user)})


@login_required
def scheme_new(request):
    if not region_staff(request.user):
        raise Http404
    form = ProposeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ids = list(queries.candidate_units(request.user, d["region"], d["organised_only"], d["min_employees"] or 0)
                   .values_list("pk", flat=True))
        try:
            scheme = actions.propose_scheme(request.user, d["region"], ids, d["groups"], d["name"], d["seed"])
        except ValidationError as exc:
            messages.error(request, error_text(exc, field_labels(form)))
        else:
            messages.success(request, _("已为 %(n)d 家单位生成分组方案，可调整后确定") % {"n": len(ids)})
            return redirect("alliances:scheme", pk=scheme.pk)
    return render(request, "alliances/scheme_new.html", {"form": form})


def _scheme(request, pk) -> Scheme:
    return Scheme.objects.select_related("region").get_for_user(pk, request.user)


@login_required
@require_GET
def scheme_detail(request, pk):
    scheme = _scheme(request, pk)
    view = queries.scheme_view(scheme)
    return render(request, "alliances/scheme.html", {"scheme": scheme, "v": view, "staff": region_staff(request.user),
                                                     "chart": {"points": view["points"]}})


@login_required
@require_POST
def scheme_move(request, pk):
    scheme = _scheme(request, pk)
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    group = get_object_or_404(LinkGroup, pk=request.POST.get("group") or 0, scheme=scheme)
    return run(request, lambda: actions.move_unit(request.user, scheme, unit, group),
               _("已将“%(u)s”调整到“%(g)s”") % {"u": unit, "g": group}, "alliances:scheme", pk)


@login_required
@require_POST
def scheme_accept(request, pk):
    scheme = _scheme(request, pk)
    return run(request, lambda: actions.accept_scheme(request.user, scheme), _("方案已确定"), "alliances:scheme", pk)


def _group(request, pk) -> LinkGroup:
    return queries.group_for(request.user, pk)


@login_required
def group_detail(request, pk):
    group = _group(request, pk)
    post_form, activity_form = PostForm(), ActivityForm(initial={"date": timezone.localdate()})
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "post":
                post_form = PostForm(request.POST, request.FILES)
                if post_form.is_valid():
                    actions.post(request.user, group, post_form.cleaned_data["text"], post_form.cleaned_data["file"])
                    messages.success(request, _("公告已发布"))
                    return redirect("alliances:group", pk=pk)
                messages.error(request, form_errors(post_form))
            elif which == "activity":
                activity_form = ActivityForm(request.POST)
                if activity_form.is_valid():
                    d = activity_form.cleaned_data
                    host = Unit.objects.filter(pk=request.POST.get("host") or 0).first()
                    actions.record_activity(request.user, d["date"], d["title"], group=group, host=host,
                                            summary=d["summary"])
                    messages.success(request, _("已记录联建活动"))
                    return redirect("alliances:group", pk=pk)
                messages.error(request, form_errors(activity_form))
            elif which == "leader":
                unit = get_object_or_404(Unit, pk=request.POST.get("leader") or 0)
                actions.set_leader(request.user, group, unit)
                messages.success(request, _("已设置牵头单位"))
                return redirect("alliances:group", pk=pk)
            elif which == "agreement" and request.FILES.get("agreement"):
                actions.upload_agreement(request.user, group, request.FILES["agreement"])
                messages.success(request, _("已上传资源共享协议"))
                return redirect("alliances:group", pk=pk)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    members = list(group.members.select_related("unit__region").order_by("unit__name"))
    return render(request, "alliances/group.html", {
        "group": group, "members": members, "posts": group.posts.select_related("author")[:30],
        "activities": group.activities.select_related("host")[:30], "post_form": post_form,
        "activity_form": activity_form, "staff": region_staff(request.user),
        "leaders": actions.leader_order(group)[:3], "next_host": queries.next_host(group)})


@login_required
def pair_list(request):
    staff = region_staff(request.user)
    region = queries.default_region(request.user) if staff else None
    form = PairForm(request.POST or None, user=request.user)
    if request.method == "POST" and staff:
        if "proposal" in request.POST:
            chosen = [v.partition(":") for v in request.POST.getlist("proposal")]
            pairs = [(int(a), int(b)) for a, _sep, b in chosen if a.isdigit() and b.isdigit()]
            return run(request, lambda: actions.create_strong_weak_pairs(request.user, region, pairs),
                       _("已建立 %(n)d 对强弱结对") % {"n": len(pairs)}, "alliances:pairs")
        if form.is_valid():
            d = form.cleaned_data
            unit = Unit.objects.scoped(request.user).named(d["unit_name"])
            org = Organization.objects.scoped(request.user).filter(name=d["org_name"].strip()).first() \
                if d["org_name"].strip() else None
            return run(request, lambda: actions.create_pair(request.user, region, d["kind"], d["start"], unit=unit,
                                                            village=d["village"], weak=org, partner=d["partner"]),
                       _("已建立结对"), "alliances:pairs", labels=field_labels(form))
        messages.error(request, form_errors(form))
    proposals = None
    if staff and request.GET.get("propose"):
        strong, weak, orgs, strength = queries.strong_weak_sides(request.user, region)
        proposals = [(p, orgs[p.strong_id], orgs[p.weak_id], strength[p.strong_id], strength[p.weak_id])
                     for p in propose_pairs(strong, weak)]
    return render(request, "alliances/pairs.html", {
        "pairs": queries.pairs(request.user)[:200], "completion": queries.checklist_completion(request.user),
        "form": form, "staff": staff, "proposals": proposals, "six": len(SixAction.values)})


@login_required
def pair_detail(request, pk):
    pair = Pair.objects.select_related("strong", "weak", "unit", "village", "region").get_for_user(pk, request.user)
    form = ActionForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if request.POST.get("form") == "outcome":
            return run(request, lambda: actions.record_outcome(request.user, pair, request.POST.get("outcome", "")),
                       _("已更新成效"), "alliances:pair", pk)
        if request.POST.get("form") == "activity":
            activity = ActivityForm(request.POST)
            if activity.is_valid():
                d = activity.cleaned_data
                return run(request, lambda: actions.record_activity(request.user, d["date"], d["title"], pair=pair,
                                                                    summary=d["summary"]),
                           _("已记录联建活动"), "alliances:pair", pk)
            messages.error(request, form_errors(activity))
        elif form.is_valid():
            d = form.cleaned_data
            return run(request, lambda: actions.record_action(request.user, pair, d["action"], d["date"],
                                                              d["evidence"], d["note"]),
                       _("已登记“%(a)s”") % {"a": SixAction(d["action"]).label}, "alliances:pair", pk,
                       labels=field_labels(form))
        else:
            messages.error(request, form_errors(form))
    done = {a.action: a for a in pair.actions.all()}
    return render(request, "alliances/pair.html", {
        "pair": pair, "checklist": [(code, label, done.get(code)) for code, label in SixAction.choices],
        "form": form, "activity_form": ActivityForm(initial={"date": timezone.localdate()}),
        "activities": pair.activities.all(), "staff": region_staff(request.user)})


@login_required
@require_GET
def market(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in ItemKind.values else ""
    q = (request.GET.get("q") or "").strip()
    items = queries.market(kind)
    if request.GET.get("category") in ItemCategory.values:
        items = items.filter(category=request.GET["category"])
    if q:
        items = items.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(unit__name__icontains=q))
    experts = Expert.objects.select_related("unit")
    if q:
        experts = experts.filter(Q(skills__icontains=q) | Q(name__icontains=q))
    return render(request, "alliances/market.html", {"items": items[:100], "experts": experts[:20], "kind": kind,
                                                     "q": q, "categories": ItemCategory.choices,
                                                     "category": request.GET.get("category", "")})


@login_required
def item_new(request):
    units = actions.units_acting_for(request.user).order_by("name")
    form = ItemForm(request.POST or None, units=units, user=request.user,
                    initial={"valid_until": timezone.localdate() + dt.timedelta(days=90),
                             "kind": request.GET.get("kind", "need")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = actions.publish_item(request.user, d["unit"], d["kind"], d["title"], d["description"],
                                        d["category"], d["valid_until"], d["contact"], d["quantity"], d["alliance"])
        except ValidationError as exc:
            messages.error(request, error_text(exc, field_labels(form)))
        else:
            messages.success(request, _("已发布，下面是为您找到的匹配"))
            return redirect("alliances:item", pk=item.pk)
    return render(request, "alliances/item_form.html", {"form": form})


@login_required
def item_detail(request, pk):
    item = get_object_or_404(Item.objects.select_related("unit__region", "alliance"), pk=pk)
    deal_form = DealForm(request.POST or None)
    if request.method == "POST" and request.POST.get("expert"):
        expert = get_object_or_404(Expert, pk=request.POST["expert"])
        return run(request, lambda: actions.link_expert(request.user, item, expert),
                   _("已关联人才“%(e)s”") % {"e": expert.name}, "alliances:item", pk)
    if request.method == "POST":
        if deal_form.is_valid():
            d = deal_form.cleaned_data
            resource = Item.objects.filter(pk=d["resource"]).select_related("unit").first()
            return run(request, lambda: actions.record_deal(request.user, item, resource, d["value"], d["date"],
                                                            d["note"]),
                       _("已登记成交"), "alliances:item", pk, labels=field_labels(deal_form))
        messages.error(request, form_errors(deal_form))
    mine = actions.units_acting_for(request.user).filter(pk=item.unit_id).exists()
    expired = item.valid_until < timezone.localdate()
    return render(request, "alliances/item.html", {
        "item": item, "matches": [] if expired else matches_for(item), "mine": mine, "expired": expired,
        "deals": item.deals_as_need.select_related("resource__unit") if item.kind == ItemKind.NEED else
        item.deals_as_resource.select_related("need__unit"), "deal_form": deal_form,
        "experts": item.experts.select_related("unit"),
        "suggested_experts": queries.experts_for(item) if mine and item.kind == ItemKind.NEED else []})


@login_required
@require_GET
def export(request):
    """The scope's needs and resources, deals and pairings in one workbook."""
    from dangjian.alliances.models import Deal
    from dangjian.alliances.report import workbook

    items = Item.objects.scoped(request.user).select_related("unit").order_by("kind", "-created_at")
    deals = Deal.objects.filter(need__in=items.values("pk")).select_related("need__unit", "resource__unit")
    pairs = queries.pairs(request.user).prefetch_related("actions")
    return workbook(items, deals, pairs)


@login_required
@require_GET
def alliance_detail(request, pk):
    alliance = Alliance.objects.get_for_user(pk, request.user)
    return render(request, "alliances/alliance.html", {
        "alliance": alliance, "units": alliance.units.select_related("region").order_by("name")[:200],
        "meetings": alliance.meetings.all()[:20], "items": alliance.items.select_related("unit")[:30]})
