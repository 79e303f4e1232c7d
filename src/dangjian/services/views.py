"""Service-to-enterprise pages: the officer's workbench, request queues and a request's page, the enterprise
portal (raise, follow, rate), service coverage with suggested assignments, the dashboard, staff ideas."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.htmx import render_page
from dangjian.core.scoping import region_staff
from dangjian.core.view_helpers import act as run, error_text, field_labels, form_errors
from dangjian.services import actions, queries, report, states
from dangjian.services.forms import (AdoptionForm, AssignForm, ActForm, IdeaForm, RateForm, RequestForm,
                                     VisitForm)
from dangjian.services.models import Assignment, Idea, Request
from dangjian.services.tables import RequestTable


@login_required
@require_GET
def home(request):
    """Each role's own start: officers their workbench, staff the dashboard, others their requests."""
    if actions.officer_of(request.user):
        return redirect("services:workbench")
    if region_staff(request.user):
        return redirect("services:dashboard")
    return redirect("services:requests")


@login_required
def workbench(request):
    officer = actions.officer_of(request.user)
    if officer is None:
        raise Http404
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.record_visit(request.user, d["unit"], d["date"], d["purpose"], d["findings"],
                                     d["follow_up"], d.get("photo"))
            except ValidationError as exc:
                messages.error(request, error_text(exc, field_labels(form)))
            else:
                messages.success(request, _("已记录走访“%(unit)s”") % {"unit": d["unit"]})
                return redirect("services:workbench")
        else:
            messages.error(request, form_errors(form))
    return render(request, "services/workbench.html", {"officer": officer, "form": form,
                                                       **queries.workbench(officer)})


@login_required
@require_GET
def request_list(request):
    context = {"list": RequestTable().build(request), "can_raise": True, "dispatching": region_staff(request.user)}
    return render_page(request, "services/requests.html", context, "services/_request_results.html")


@login_required
def request_create(request):
    form = RequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = actions.raise_request(request.user, d["unit"], d["category"], d["title"], d["description"],
                                            d.get("attachment"))
        except ValidationError as exc:
            messages.error(request, error_text(exc, field_labels(form)))
        else:
            messages.success(request, _("诉求已提交，受理后会通知您"))
            return redirect("services:request", pk=created.pk)
    return render(request, "services/request_form.html", {"form": form})


def _visible(request, pk) -> Request:
    return Request.objects.select_related("unit__region", "department", "officer").get_for_user(pk, request.user)


@login_required
@require_GET
def request_detail(request, pk):
    item = _visible(request, pk)
    roles = actions.roles_on(request.user, item)
    steps = [(name, states.STEPS[name]) for name in states.available(item.state, roles)]
    return render(request, "services/request.html", {
        "item": item, "events": list(item.events.select_related("actor")), "steps": steps,
        "can_rate": states.ENTERPRISE in roles and item.state == "closed" and item.rating is None,
        "rate_form": RateForm(), "act_form": ActForm(initial={"department": item.department_id}, user=request.user),
        "overdue": item.overdue_on(timezone.localdate()),
    })


@login_required
@require_POST
def request_act(request, pk):
    item = _visible(request, pk)
    form = ActForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("services:request", pk=pk)
    d = form.cleaned_data
    label = states.STEPS[d["action"]].label if d["action"] in states.STEPS else ""
    return run(request, lambda: actions.act(request.user, item, d["action"], d["version"], d["note"],
                                            d["department"], d["deadline"]),
               _("已%(a)s") % {"a": label}, "services:request", pk,
               labels={"note": _("说明"), "department": _("承办部门"), "deadline": _("办理时限")})


@login_required
@require_POST
def request_rate(request, pk):
    item = _visible(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("services:request", pk=pk)
    return run(request, lambda: actions.rate(request.user, item, form.cleaned_data["rating"],
                                             form.cleaned_data["comment"]),
               _("感谢您的评价"), "services:request", pk, labels={"rating": _("满意度")})


@login_required
@require_GET
def request_export(request):
    spec = RequestTable()
    rows = spec.filterset_class(request.GET, queryset=spec.queryset(request)).qs.select_related("officer")
    return report.requests_xlsx(rows)


@login_required
def coverage(request):
    """Service coverage of the scope, the units without an officer, and a suggested assignment to accept."""
    if not region_staff(request.user):
        raise Http404
    by = request.GET.get("by") if request.GET.get("by") in queries.BY else "region"
    assign_form = AssignForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if "pairs" in request.POST:
            pairs = []
            for value in request.POST.getlist("pairs"):
                unit_id, _sep, officer_id = value.partition(":")
                if unit_id.isdigit() and officer_id.isdigit():
                    pairs.append((int(unit_id), int(officer_id)))
            return run(request, lambda: actions.apply_suggestions(request.user, pairs, timezone.localdate()),
                       _("已按建议安排 %(n)d 家单位") % {"n": len(pairs)}, "services:coverage")
        if assign_form.is_valid():
            d = assign_form.cleaned_data
            return run(request, lambda: actions.assign_officer(request.user, d["officer"], d["unit"], d["start"]),
                       _("已安排%(o)s联系“%(u)s”") % {"o": d["officer"], "u": d["unit"]}, "services:coverage",
                       labels={"unit": _("单位"), "officer": _("服务人员")})
        messages.error(request, form_errors(assign_form))
    total, rows = queries.service_coverage(request.user, by)
    proposal = queries.propose(request.user, request.GET.get("kind", "")) if request.GET.get("propose") else None
    return render(request, "services/coverage.html", {
        "total": total, "rows": rows, "by": by, "unserved": queries.unserved_units(request.user)[:30],
        "proposal": proposal, "assign_form": assign_form, "kinds": actions.OfficerKind.choices,
    })


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = Assignment.objects.select_related("unit__region", "officer").get_for_user(pk, request.user)
    return run(request, lambda: actions.end_assignment(request.user, assignment, timezone.localdate()),
               _("已结束联系"), "services:coverage")


@login_required
@require_GET
def dashboard(request):
    if not region_staff(request.user):
        raise Http404
    data = queries.dashboard(request.user)
    chart = {"months": data.months, "volume": data.volume}
    return render(request, "services/dashboard.html", {"d": data, "chart": chart})


@login_required
def ideas(request):
    form = IdeaForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            return run(request, lambda: actions.add_idea(request.user, d["unit"], d["kind"], d["text"],
                                                         d["staff_name"]),
                       _("已记录"), "services:ideas", labels={"text": _("内容")})
        messages.error(request, form_errors(form))
    rows = Idea.objects.scoped(request.user).select_related("unit")[:100]
    return render(request, "services/ideas.html", {"form": form, "rows": rows, "adoption_form": AdoptionForm(),
                                                   "dispatching": region_staff(request.user)})


@login_required
@require_POST
def idea_adoption(request, pk):
    idea = Idea.objects.select_related("unit__region").get_for_user(pk, request.user)
    form = AdoptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("services:ideas")
    return run(request, lambda: actions.set_adoption(request.user, idea, form.cleaned_data["adoption"]),
               _("已更新采纳情况"), "services:ideas")
