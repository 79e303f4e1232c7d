"""Writes of service to enterprises: officers' assignments (within each kind's limit), visits, enterprise
requests through their states (one of two simultaneous clicks wins), ratings, staff problems and suggestions.
Each validates fully, writes in one transaction, leaves an audit entry and tells the people concerned."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role
from dangjian.core import audit
from dangjian.core.actions import save_with_audit
from dangjian.core.notify import notify
from dangjian.core.rules import rule
from dangjian.core.scoping import get_scope
from dangjian.core.uploads import PHOTO_TYPES, attach
from dangjian.coverage.public import close_instructor_links, open_instructor_link
from dangjian.regions.models import Region
from dangjian.services import states, workdays
from dangjian.services.models import (AWAITING_REPLY, Adoption, Assignment, Category, Channel, Department, Idea,
                                      IdeaKind, Officer, OfficerKind, Request, RequestEvent, State, Visit)
from dangjian.units.models import Unit, UnitStatus

DISPATCHING_ROLES = {Role.DISTRICT_ADMIN, Role.REGION_ADMIN}


# --- who is who -------------------------------------------------------------------------------------------

def is_dispatcher(user, unit: Unit) -> bool:
    """District or town staff whose region covers the unit (they route requests and assign officers): region
    write grants come from the dispatching roles only."""
    return get_scope(user, for_write=True).covers(unit.region.path)


def roles_on(user, request: Request) -> set[str]:
    """The parts a user plays on a request: dispatcher, department (it was routed to theirs), enterprise."""
    scope = get_scope(user)
    roles = set()
    if is_dispatcher(user, request.unit):
        roles.add(states.DISPATCHER)
    if scope.everything or (request.department_id and request.department_id in scope.department_ids):
        roles.add(states.DEPARTMENT)
    if request.unit_id in scope.unit_ids:
        roles.add(states.ENTERPRISE)
    return roles


def active_assignments(on: dt.date | None = None):
    on = on or timezone.localdate()
    return Assignment.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


def officer_of(user) -> Officer | None:
    return Officer.objects.filter(user=user, active=True).first() if getattr(user, "is_authenticated", False) else None


def served_units(user_id: int, on: dt.date):
    """The units a user is assigned to on ``on`` as an active officer or instructor: their read scope
    (accounts.scope)."""
    return active_assignments(on).filter(officer__user_id=user_id, officer__active=True).values_list("unit_id",
                                                                                                    flat=True)


def officer_limit(kind: str) -> int:
    return int(rule("services.officer_limits")[kind])


# --- officers and assignments -------------------------------------------------------------------------------

def _visible_unit(actor, unit_id) -> Unit:
    return Unit.objects.select_related("region").get_for_user(unit_id, actor) if actor else \
        Unit.objects.select_related("region").get(pk=unit_id)


def _ensure_dispatcher(actor, unit: Unit) -> None:
    if actor is not None and not is_dispatcher(actor, unit):
        raise ValidationError({"__all__": _("只有“%(unit)s”所在区域的区、镇街（园区）管理员可以办理") % {"unit": unit}})


@transaction.atomic
def assign_officer(actor, officer: Officer, unit: Unit, start: dt.date, organization=None) -> Assignment:
    """Send an officer to a unit, within the limit of the officer's kind. An instructor's assignment also
    counts for work coverage (a coverage work link, ended with it)."""
    unit = _visible_unit(actor, unit.pk)
    _ensure_dispatcher(actor, unit)
    # Lock the officer's row so that two dispatchers cannot both fill the last place.
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if not officer.active:
        raise ValidationError({"officer": _("%(o)s已不在岗") % {"o": officer}})
    if unit.status != UnitStatus.OPERATING:
        raise ValidationError({"unit": _("“%(unit)s”不在营业，不能安排服务人员") % {"unit": unit}})
    current = active_assignments(start).filter(officer=officer)
    if current.filter(unit=unit).exists():
        raise ValidationError({"unit": _("%(o)s已联系“%(unit)s”") % {"o": officer, "unit": unit}})
    limit = officer_limit(officer.kind)
    if current.count() >= limit:
        raise ValidationError({"officer": _("%(o)s已联系 %(n)d 家单位，达到上限（%(limit)d 家）") % {
            "o": officer, "n": current.count(), "limit": limit}})
    if organization is not None and officer.kind != OfficerKind.INSTRUCTOR:
        raise ValidationError({"organization": _("只有党建指导员联系党组织")})
    assignment = save_with_audit(actor, Assignment(officer=officer, unit=unit, organization=organization,
                                                   start=start))
    if officer.kind == OfficerKind.INSTRUCTOR:
        open_instructor_link(unit, officer.user, officer.name, start)
    if officer.user:
        notify([officer.user], _("您被安排联系“%(unit)s”") % {"unit": unit}, reverse("services:workbench"))
    return assignment


@transaction.atomic
def end_assignment(actor, assignment: Assignment, end: dt.date) -> Assignment:
    _ensure_dispatcher(actor, assignment.unit)
    if assignment.end is not None:
        raise ValidationError({"end": _("该联系已于 %(d)s 结束") % {"d": assignment.end}})
    if end < assignment.start:
        raise ValidationError({"end": _("结束日期不能早于开始日期（%(d)s）") % {"d": assignment.start}})
    before = audit.snapshot(assignment)
    assignment.end = end
    save_with_audit(actor, assignment, before)
    if assignment.officer.kind == OfficerKind.INSTRUCTOR:
        close_instructor_links(assignment.unit, assignment.officer.user, end)
    return assignment


@transaction.atomic
def apply_suggestions(actor, pairs: list[tuple[int, int]], start: dt.date) -> int:
    """Accept a suggested assignment: every (unit id, officer id) pair or none."""
    officers = {o.pk: o for o in Officer.objects.filter(pk__in={o for _u, o in pairs})}
    errors = []
    for unit_id, officer_id in pairs:
        try:
            if officer_id not in officers:
                raise Http404
            assign_officer(actor, officers[officer_id], Unit(pk=unit_id), start)
        except ValidationError as exc:
            errors.extend(sum(exc.message_dict.values(), []))
        except Http404:
            errors.append(_("单位或服务人员不存在或不在您的管理范围内"))
    if errors:
        raise ValidationError({"__all__": errors[:10]})
    return len(pairs)


# --- visits --------------------------------------------------------------------------------------------------

@transaction.atomic
def record_visit(actor, unit: Unit, date: dt.date, purpose: str, findings: str = "", follow_up: str = "",
                 photo=None, officer: Officer | None = None) -> Visit:
    """An officer logs a visit to one of their units (a dispatcher may log it for an officer)."""
    unit = _visible_unit(actor, unit.pk)
    mine = officer_of(actor)
    if officer is None:
        officer = mine
    if officer is None:
        raise ValidationError({"officer": _("请选择走访的服务人员")})
    if actor is not None and officer != mine and not is_dispatcher(actor, unit):
        raise ValidationError({"officer": _("只能记录自己的走访")})
    if not active_assignments(date).filter(officer=officer, unit=unit).exists():
        raise ValidationError({"unit": _("%(o)s在 %(d)s 没有联系“%(unit)s”") % {"o": officer, "d": date, "unit": unit}})
    if date > timezone.localdate():
        raise ValidationError({"date": _("走访日期不能晚于今天")})
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("请填写走访事由")})
    visit = Visit(officer=officer, unit=unit, date=date, purpose=purpose.strip(), findings=findings,
                  follow_up=follow_up, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if photo is not None:
        attach(visit, "photo", photo, PHOTO_TYPES)
    return save_with_audit(actor, visit)


# --- requests ------------------------------------------------------------------------------------------------

def routed_department(category: str) -> Department | None:
    code = rule("services.categories").get(category, {}).get("department", "")
    return Department.objects.filter(code=code, active=True).first() if code else None


def category_days(category: str) -> int:
    return int(rule("services.categories").get(category, {}).get("days", 10))


def _users_with(role: str, **anchor):
    return list(get_user_model().objects.filter(role_assignments__role=role, is_active=True,
                                                **{f"role_assignments__{k}": v for k, v in anchor.items()}).distinct())


def dispatchers(unit: Unit, roles=DISPATCHING_ROLES) -> list:
    """Administrators (of ``roles``) of the unit's region and every region above it."""
    step = Region.steplen
    paths = [unit.region.path[:i] for i in range(step, len(unit.region.path) + 1, step)]
    return list(get_user_model().objects.filter(role_assignments__role__in=roles, is_active=True,
                                                role_assignments__region__path__in=paths).distinct())


def concerned(request: Request) -> list:
    """Everyone a change of the request concerns: the enterprise, its officer, the department, dispatchers."""
    users = _users_with(Role.ENTERPRISE, unit=request.unit_id) + dispatchers(request.unit)
    if request.officer_id and request.officer.user_id:
        users.append(request.officer.user)
    if request.department_id:
        users += _users_with(Role.DEPARTMENT, department=request.department_id)
    return list({u.pk: u for u in users}.values())


@transaction.atomic
def raise_request(actor, unit: Unit, category: str, title: str, description: str, attachment=None) -> Request:
    """An enterprise raises a request for its own unit, an officer for a unit they serve, a dispatcher takes a
    call: the channel follows from who they are."""
    unit = _visible_unit(actor, unit.pk)
    scope = get_scope(actor) if actor else None
    officer = officer_of(actor)
    if actor is None or unit.pk in scope.unit_ids:
        channel = Channel.ENTERPRISE
    elif officer and active_assignments().filter(officer=officer, unit=unit).exists():
        channel = Channel.VISIT
    elif is_dispatcher(actor, unit):
        channel = Channel.PHONE
    else:
        raise ValidationError({"unit": _("您不能替“%(unit)s”提交诉求") % {"unit": unit}})
    errors = {}
    if category not in Category.values:
        errors["category"] = [_("请选择诉求类别")]
    if not (title or "").strip():
        errors["title"] = [_("请填写标题")]
    if not (description or "").strip():
        errors["description"] = [_("请写明具体情况")]
    if errors:
        raise ValidationError(errors)
    served_by = officer if channel == Channel.VISIT else None
    if served_by is None:
        current = active_assignments().filter(unit=unit).select_related("officer").order_by("start", "pk").first()
        served_by = current.officer if current else None
    request = Request(unit=unit, channel=channel, category=category, title=title.strip(),
                      description=description.strip(), raised_by=actor, officer=served_by,
                      department=routed_department(category), submitted_at=timezone.now())
    if attachment is not None:
        attach(request, "attachment", attachment)
    save_with_audit(actor, request)
    RequestEvent.objects.create(request=request, action="submit", to_state=State.SUBMITTED, actor=actor)
    notify(dispatchers(unit), _("新诉求待受理：%(unit)s — %(title)s") % {"unit": unit, "title": request.title},
           reverse("services:request", args=[request.pk]))
    return request


@transaction.atomic
def act(actor, request: Request, action: str, version: int, note: str = "", department: Department | None = None,
        deadline: dt.date | None = None) -> Request:
    """Move a request along (table in states.py). ``version`` is the one the user saw: when someone else acted
    in between, nothing is written and the user is told to look again."""
    step = states.STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("未知的操作")})
    stale = ValidationError({"__all__": _("这条诉求刚被他人处理过，请刷新页面查看最新状态后再操作")})
    if version != request.version:
        raise stale
    roles = roles_on(actor, request) if actor is not None else {states.DISPATCHER, states.DEPARTMENT,
                                                                 states.ENTERPRISE}
    if not step.actors & roles:
        raise ValidationError({"__all__": _("您不能对这条诉求执行“%(a)s”") % {"a": step.label}})
    if request.state not in step.sources:
        raise ValidationError({"__all__": _("诉求当前为“%(s)s”，不能%(a)s") % {
            "s": request.get_state_display(), "a": step.label}})
    note = (note or "").strip()
    if step.needs_note and not note:
        raise ValidationError({"note": _("请填写%(a)s的说明") % {"a": step.label}})
    today, now = timezone.localdate(), timezone.now()
    changes, due = {"state": step.target}, None
    if action == "accept":
        due = deadline_for(today, request.category)
        changes["accepted_at"] = now
    elif action == "assign":
        department = department or request.department or routed_department(request.category)
        if department is None:
            raise ValidationError({"department": _("请选择承办部门")})
        if not department.active:
            raise ValidationError({"department": _("“%(d)s”已停用") % {"d": department}})
        if department.region.path[:Region.steplen] != request.unit.region.path[:Region.steplen]:
            raise ValidationError({"department": _("所选承办部门不承办本区的诉求")})
        changes["department_id"] = department.pk
        if deadline is not None:
            if deadline < today:
                raise ValidationError({"deadline": _("办理时限不能早于今天")})
            changes.update(deadline=deadline, deadline_provisional=False)  # a date the dispatcher chose
        elif request.state == State.REOPENED or request.deadline is None:
            due = deadline_for(today, request.category)
    elif action == "reply":
        changes.update(reply=note, replied_at=now)
    elif action == "confirm":
        changes["closed_at"] = now
    elif action == "reopen":
        if request.closed_at and (now - request.closed_at).days > int(rule("services.reopen_days")):
            raise ValidationError({"__all__": _("办结已超过 %(n)d 天，不能重新办理，请提交新的诉求") % {
                "n": int(rule("services.reopen_days"))}})
        changes.update(closed_at=None, replied_at=None, escalated_at=None)
    if due is not None:
        changes.update(deadline=due.day, deadline_provisional=due.provisional)
    # Compare-and-set on the version the user saw: of two dispatchers acting at once, one wins.
    won = Request.objects.filter(pk=request.pk, version=version, state=request.state).update(
        version=F("version") + 1, **changes)
    if not won:
        raise stale
    before = request.state
    request.refresh_from_db()
    RequestEvent.objects.create(request=request, action=action, from_state=before, to_state=request.state,
                                actor=actor if getattr(actor, "is_authenticated", False) else None, note=note)
    audit.record(actor, audit.Action.UPDATE, request, {"state": [before, request.state],
                                                        **({"note": [None, note]} if note else {})})
    notify([u for u in concerned(request) if u != actor],
           _("诉求“%(title)s”：%(a)s（%(s)s）") % {"title": request.title, "a": step.label,
                                                 "s": request.get_state_display()},
           reverse("services:request", args=[request.pk]))
    if due is not None and due.provisional:
        tell_calendar_unknown(request, due.unknown_years)
    return request


def deadline_for(start: dt.date, category: str) -> workdays.Deadline:
    return workdays.deadline(start, category_days(category))


def add_deadline(start: dt.date, category: str) -> dt.date:
    return deadline_for(start, category).day


def tell_calendar_unknown(request: Request, years) -> int:
    """The district office keeps the holiday calendar: tell its administrators, once per unknown year (not
    once per request), that deadlines in that year are counted on weekdays until the arrangement is entered."""
    told, admins = 0, dispatchers(request.unit, {Role.DISTRICT_ADMIN})
    for year in years:
        told += notify(admins,
                       _("%(year)d年的节假日安排尚未收录，办理时限暂按工作日计算（只除去法定节假日）。"
                         "请升级节假日数据（holidays）或在规则集 calendar 中补充当年的放假和调休日期。") % {
                           "year": year},
                       reverse("services:request", args=[request.pk]), key=f"calendar:{year}:unknown")
    return told


@transaction.atomic
def rate(actor, request: Request, score: int, comment: str = "") -> Request:
    """The enterprise rates the outcome of a closed request, once."""
    if states.ENTERPRISE not in roles_on(actor, request):
        raise ValidationError({"__all__": _("只有提出诉求的企业可以评价")})
    if request.state != State.CLOSED:
        raise ValidationError({"__all__": _("诉求办结后才能评价")})
    if request.rating is not None:
        raise ValidationError({"__all__": _("这条诉求已经评价过了")})
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"rating": _("评分须为 1 到 5 分")})
    won = Request.objects.filter(pk=request.pk, rating__isnull=True).update(rating=score,
                                                                           rating_comment=(comment or "")[:300])
    if not won:
        raise ValidationError({"__all__": _("这条诉求已经评价过了")})
    request.refresh_from_db()
    RequestEvent.objects.create(request=request, action="rate", from_state=request.state, to_state=request.state,
                                actor=actor, note=f"{score}/5 {comment or ''}".strip())
    audit.record(actor, audit.Action.UPDATE, request, {"rating": [None, score]})
    return request


def escalate_overdue(today: dt.date | None = None) -> int:
    """Tell the department head and the district office about every request past its deadline (once each)."""
    today = today or timezone.localdate()
    overdue = Request.objects.filter(state__in=AWAITING_REPLY, deadline__lt=today, escalated_at__isnull=True) \
        .select_related("unit__region", "department__head")
    told = 0
    for request in overdue:
        users = dispatchers(request.unit, {Role.DISTRICT_ADMIN})
        if request.department and request.department.head:
            users.append(request.department.head)
        told += notify(users, _("诉求超期督办：%(title)s（%(unit)s，时限 %(d)s）") % {
            "title": request.title, "unit": request.unit, "d": request.deadline},
            reverse("services:request", args=[request.pk]), key=f"request:{request.pk}:overdue")
        Request.objects.filter(pk=request.pk).update(escalated_at=timezone.now())
    return told


# --- staff problems and suggestions ------------------------------------------------------------------------

@transaction.atomic
def add_idea(actor, unit: Unit, kind: str, text: str, staff_name: str = "") -> Idea:
    unit = _visible_unit(actor, unit.pk)
    if kind not in IdeaKind.values:
        raise ValidationError({"kind": _("请选择问题或好建议")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写内容")})
    return save_with_audit(actor, Idea(unit=unit, kind=kind, text=text.strip(), staff_name=staff_name.strip(),
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None))


@transaction.atomic
def set_adoption(actor, idea: Idea, adoption: str) -> Idea:
    _ensure_dispatcher(actor, idea.unit)
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": _("请选择采纳情况")})
    before = audit.snapshot(idea)
    idea.adoption = adoption
    return save_with_audit(actor, idea, before)
