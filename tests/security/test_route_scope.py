"""Scope by construction: every URL pattern and every API operation, for every role, against another district.

The world fixture's 梁平区 holds one user of each role; ``elsewhere`` builds 涪陵区 beside it with one of
everything. For each route the table below says how to reach 涪陵's object (path kwargs, query, or a body
naming it by id) and what must happen:

* HIDDEN  — the route's object is 涪陵's: reads answer 404, writes 403 or 404 (never 200, 302 to login, 500);
* REFUSED — a body names 涪陵's object by id on a route whose own object (if any) is the user's: nothing is
  written (no audit row, watched rows unchanged), no 5xx, the API answers 403/404/422, 涪陵 is not shown;
* CLEAN   — the route takes no object (lists, dashboards, exports): 200/3xx/403/404 but nothing of 涪陵 in it;
* SHARED  — open to every user by design (the learning library, the published market and talent pool): any
  answer but a crash or a login redirect; the reason is stated with the case.

A URL pattern or API operation with no entry fails ``test_every_route_has_a_case`` with its name.
"""
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.accounts.models import Role
from dangjian.core.models import AuditLog, Notification
from dangjian.services.models import Department, Officer, OfficerKind, Request, State
from tests.fixtures import LOGIN_BACKEND, build_world, user_with_role
from tests.security.elsewhere import MARK, build_elsewhere

HIDDEN, REFUSED, CLEAN, SHARED = "hidden", "refused", "clean", "shared"
DENIED = "denied"  # a section some roles may not use at all: 403 for those (whatever the id), 404 for the others
WRITES = {AuditLog.Action.CREATE, AuditLog.Action.UPDATE, AuditLog.Action.DELETE, AuditLog.Action.IMPORT}


@dataclass(frozen=True)
class Check:
    expect: str
    method: str = "GET"
    path: Callable | None = None  # (elsewhere, world) -> path kwargs
    query: Callable | None = None  # (elsewhere, world) -> query string parameters
    body: Callable | None = None  # (elsewhere, world) -> form data, or JSON for the API
    watch: Callable | None = None  # (elsewhere) -> a value that must not change
    reason: str = ""
    allow: Callable | None = None  # (elsewhere) -> 涪陵 names public by design that the answer may repeat


def get(path=None, query=None):
    return Check(HIDDEN, "GET", path, query)


def post(path=None, body=None, method="POST", watch=None):
    return Check(HIDDEN, method, path, body=body or (lambda s, w: {}), watch=watch)


def denied(path=None):
    return Check(DENIED, "GET", path)


def clean(path=None, query=None):
    return Check(CLEAN, "GET", path, query)


def refused(body, path=None, method="POST", watch=None, allow=None):
    return Check(REFUSED, method, path, body=body, watch=watch, allow=allow)


def shared(reason, method="GET", path=None, body=None):
    return Check(SHARED, method, path, body=body, reason=reason)


pk = lambda attr: lambda s, w: {"pk": getattr(s, attr).pk}  # noqa: E731
published = lambda s: [s.need.title, s.unit.name, s.resource.title, s.expert.name]  # noqa: E731 (the market's)
LIBRARY = "the learning library is shared by every user (learning.models.Content has no owner)"
MARKET = "published needs, resources and the talent pool are open to every user (alliances.queries.market)"

# ---- pages: URL name -> checks --------------------------------------------------------------------------

PAGES: dict[str, list[Check] | str] = {
    "home": [clean()],
    "login": [clean()],
    "logout": "no object: ends the session (requesting it would log the role out for the rest of the walk)",
    "set_language": "no object: i18n plumbing, sets the language cookie",
    # regions
    "regions:list": [clean()],
    "regions:create": [clean(), refused(lambda s, w: {"name": "新区域", "kind": "town", "parent": s.district.pk})],
    "regions:detail": [get(pk("town"))],
    "regions:edit": [get(pk("town")), post(pk("town"), lambda s, w: {"name": "改名", "kind": "street"})],
    # units
    "units:list": [clean()],
    "units:create": [clean(), refused(lambda s, w: {"name": "新单位", "kind": "enterprise", "region": s.town.pk,
                                                    "industry_section": "C", "employees": 5})],
    "units:validate": [Check(HIDDEN, "POST", query=lambda s, w: {"pk": s.unit.pk}, body=lambda s, w: {})],
    "units:options": [clean(query=lambda s, w: {"q": "榨菜"})],
    "units:detail": [get(pk("unit"))],
    "units:edit": [get(pk("unit")), post(pk("unit"), lambda s, w: {"name": "改名"})],
    # organizations
    "organizations:list": [clean()],
    "organizations:tree": [clean()],
    "organizations:tree_children": [get(pk("org"))],
    "organizations:create": [clean(), refused(lambda s, w: {"name": "新支部", "kind": "branch", "formation": "own",
                                                            "region": s.town.pk, "parent": s.org.pk,
                                                            "units": [s.unit.pk]})],
    "organizations:validate": [Check(HIDDEN, "POST", query=lambda s, w: {"pk": s.org.pk}, body=lambda s, w: {})],
    "organizations:detail": [get(pk("org"))],
    "organizations:edit": [get(pk("org")), post(pk("org"), lambda s, w: {"name": "改名"})],
    "organizations:units": [get(pk("org")), post(pk("org"), lambda s, w: {"units": [w.units.jia.pk]}),
                            refused(lambda s, w: {"units": [w.units.jia.pk, s.unit.pk]},
                                    lambda s, w: {"pk": w.orgs.jia.pk})],
    "organizations:unit_candidates": [get(pk("org")),
                                      clean(lambda s, w: {"pk": w.orgs.jia.pk}, lambda s, w: {"q": "榨菜"})],
    # members
    "members:list": [clean(), clean(query=lambda s, w: {"q": "党员甲"})],
    "members:create": [clean(), refused(lambda s, w: {"name": "新党员", "organization": s.org.pk,
                                                      "employer": s.unit.pk})],
    "members:validate": [Check(HIDDEN, "POST", query=lambda s, w: {"pk": s.member.pk}, body=lambda s, w: {})],
    "members:detail": [get(pk("member"))],
    "members:edit": [get(pk("member")), post(pk("member"), lambda s, w: {"name": "改名"})],
    "members:unmask": [post(pk("member"))],
    # coverage
    "coverage:dashboard": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    "coverage:export": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    # imports
    "imports:index": [clean()],
    "imports:upload": [refused(lambda s, w: {"entity": "members"})],
    "imports:job": [get(pk("job"))],
    "imports:confirm": [post(pk("job"), watch=lambda s: type(s.job).objects.get(pk=s.job.pk).status)],
    "imports:discard": [post(pk("job"), watch=lambda s: type(s.job).objects.get(pk=s.job.pk).status)],
    "imports:template": [clean(lambda s, w: {"entity": "members"})],
    "imports:export": [clean(lambda s, w: {"entity": entity, "fmt": "csv"})
                       for entity in ("regions", "units", "organizations", "members")],
    # orglife: meetings
    "orglife:meetings": [clean()],
    "orglife:meeting_create": [clean(), refused(lambda s, w: {"organization": s.org.pk, "kind": "lecture",
                                                              "title": "越界会议", "starts_at": "2030-01-01 10:00"})],
    "orglife:mine": [clean()],
    "orglife:meeting": [get(pk("meeting")), get(pk("held"))],
    "orglife:meeting_edit": [get(pk("meeting")), post(pk("meeting"), lambda s, w: {"title": "改名"})],
    "orglife:meeting_notify": [post(pk("meeting"))],
    "orglife:meeting_cancel": [post(pk("meeting"))],
    "orglife:meeting_presence": [post(pk("held"), lambda s, w: {f"p-{s.member.pk}": "absent"})],
    "orglife:meeting_held": [post(pk("meeting"), lambda s, w: {"decisions": "越界"})],
    "orglife:meeting_minutes": [post(pk("held"), lambda s, w: {"text": "越界纪要"})],
    "orglife:meeting_file": [post(pk("held"), lambda s, w: {"kind": "photo"})],
    "orglife:meeting_replay": [post(pk("held"), lambda s, w: {"url": "https://example.org/v"})],
    "orglife:meeting_vote": [post(pk("held"), lambda s, w: {"subject": "越界表决", "yes": 1, "no": 0, "abstain": 0})],
    "orglife:signin_screen": [get(pk("meeting"))],
    "orglife:scan": [get(pk("meeting")), post(pk("meeting"), lambda s, w: {"code": "000000"})],
    "orglife:reply": [post(pk("meeting"), lambda s, w: {"answer": "signed_up"})],
    "orglife:makeup": [post(pk("held"), lambda s, w: {"note": "越界补学心得" * 5})],
    # orglife: compliance
    "orglife:compliance": [clean(), get(query=lambda s, w: {"org": s.org.pk}),
                           get(query=lambda s, w: {"region": s.town.pk})],
    "orglife:compliance_behind": [clean(), get(query=lambda s, w: {"org": s.org.pk}),
                                  get(query=lambda s, w: {"region": s.town.pk})],
    "orglife:compliance_xlsx": [clean(), get(query=lambda s, w: {"org": s.org.pk})],
    "orglife:recordbook": [get(lambda s, w: {"org_id": s.org.pk, "year": s.held.held_on.year})],
    # orglife: appraisal and talks
    "orglife:appraisal": [get(pk("org")), post(pk("org"), lambda s, w: {"year": s.appraisal.year,
                                                                      f"g-{s.second.pk}": "excellent"}),
                          refused(lambda s, w: {"year": s.appraisal.year, f"g-{s.member.pk}": "excellent"},
                                  lambda s, w: {"pk": w.orgs.jia.pk})],
    "orglife:talks": [get(pk("org")), post(pk("org"), lambda s, w: {"date": str(s.talk.date), "first": s.member.pk,
                                                                  "second": s.second.pk}),
                      refused(lambda s, w: {"date": str(s.talk.date), "first": w.members.zhang.pk,
                                            "second": s.member.pk}, lambda s, w: {"pk": w.orgs.jia.pk})],
    "orglife:hosted": [get(pk("org")), post(pk("org"), lambda s, w: {"end": s.hosted.pk}),
                       refused(lambda s, w: {"end": s.hosted.pk}, lambda s, w: {"pk": w.orgs.jia.pk},
                               watch=lambda s: type(s.hosted).objects.get(pk=s.hosted.pk).until)],
    # learning
    "learning:index": [shared(LIBRARY)],
    "learning:today": [clean()],
    "learning:content_create": [clean()],
    "learning:content": [shared(LIBRARY, path=pk("content"))],
    "learning:content_edit": [get(pk("content")), post(pk("content"), lambda s, w: {"title": "改名"},
                                                        watch=lambda s: _content(s))],
    "learning:content_delete": [post(pk("content"), watch=lambda s: _content(s))],
    "learning:heartbeat": [shared(LIBRARY, "POST", pk("content"), lambda s, w: {"seconds": "30"})],
    "learning:complete": [shared(LIBRARY, "POST", pk("content"))],
    "learning:quiz": [shared(LIBRARY, "POST", pk("content"), lambda s, w: {f"q-{s.question.pk}": "0"})],
    "learning:question_add": [post(pk("content"), lambda s, w: {"text": "x"}, watch=lambda s: _content(s))],
    "learning:push": [refused(lambda s, w: {"date": str(s.push.date), "organizations": [s.org.pk],
                                            "regions": [s.town.pk]}, pk("content"))],
    "learning:points": [clean()],
    "learning:member_points": [get(lambda s, w: {"member_id": s.member.pk}),
                               post(lambda s, w: {"member_id": s.member.pk}, lambda s, w: {"points": 1,
                                                                                          "reason": "越界奖励"})],
    "learning:rankings": [clean(), clean(query=lambda s, w: {"period": "year"})],
    # services
    "services:home": [clean()],
    "services:workbench": [clean()],
    "services:requests": [clean()],
    "services:request_create": [clean(), refused(lambda s, w: {"unit": s.unit.pk, "category": "recruitment",
                                                               "title": "越界诉求", "description": "越界"})],
    "services:request_export": [clean()],
    "services:request": [get(pk("request"))],
    "file": [get(lambda s, w, kind=kind, attr=attr: {"kind": kind, "pk": getattr(s, attr).pk})
             for kind, attr in [("meeting-file", "meeting_file"), ("meeting-replay", "held"),
                                ("request-attachment", "request"), ("visit-photo", "visit"),
                                ("group-agreement", "group"), ("post-file", "post"), ("pair-evidence", "evidence")]]
            + [shared(LIBRARY, path=lambda s, w: {"kind": "content-file", "pk": s.content.pk})],
    "services:request_act": [post(pk("request"), lambda s, w: {"action": "accept", "version": s.request.version}),
                             refused(lambda s, w: {"action": "assign", "version": 0, "department": s.department.pk},
                                     lambda s, w: {"pk": w.request.pk})],
    "services:request_rate": [post(pk("request"), lambda s, w: {"rating": 5})],
    "services:coverage": [clean(), refused(lambda s, w: {"pairs": [f"{s.unit.pk}:{s.officer.pk}"]}),
                          refused(lambda s, w: {"officer": s.officer.pk, "unit": s.unit.pk, "start": "2020-01-01"})],
    "services:assignment_end": [post(pk("assignment"))],
    "services:dashboard": [clean()],
    "services:ideas": [clean(), refused(lambda s, w: {"unit": s.unit.pk, "kind": "problem", "text": "越界"})],
    "services:idea_adoption": [post(pk("idea"), lambda s, w: {"adoption": "adopted"})],
    # alliances
    "alliances:index": [clean()],
    "alliances:scheme_new": [clean(), refused(lambda s, w: {"region": s.town.pk, "groups": 2, "name": "越界方案",
                                                            "seed": 1})],
    "alliances:scheme": [get(pk("scheme"))],
    "alliances:scheme_move": [post(pk("scheme"), lambda s, w: {"unit": s.unit.pk, "group": s.group.pk}),
                              refused(lambda s, w: {"unit": s.unit.pk, "group": w.mine.group.pk},
                                      lambda s, w: {"pk": w.mine.scheme.pk})],
    "alliances:scheme_accept": [post(pk("scheme"))],
    "alliances:group": [get(pk("group")), post(pk("group"), lambda s, w: {"form": "post", "text": "越界公告"}),
                        refused(lambda s, w: {"form": "leader", "leader": s.unit.pk},
                                lambda s, w: {"pk": w.mine.group.pk}),
                        refused(lambda s, w: {"form": "activity", "date": "2020-01-01", "title": "越界活动",
                                              "host": s.unit.pk}, lambda s, w: {"pk": w.mine.group.pk})],
    "alliances:pairs": [clean(), refused(lambda s, w: {"proposal": [f"{s.org.pk}:{s.weak.pk}"]}),
                        refused(lambda s, w: {"kind": "village", "start": "2020-01-01", "unit_name": s.unit.name,
                                              "village": s.village.pk})],
    "alliances:pair": [get(pk("pair")), post(pk("pair"), lambda s, w: {"form": "outcome", "outcome": "越界"})],
    "alliances:market": [shared(MARKET)],
    "alliances:item_new": [clean(), refused(lambda s, w: {"unit": s.unit.pk, "kind": "need", "title": "越界需求",
                                                          "description": "越界", "category": "products",
                                                          "valid_until": "2099-01-01", "contact": "x"})],
    "alliances:item": [shared(MARKET, path=pk("need")),
                       refused(lambda s, w: {"resource": s.resource.pk, "value": "1", "date": "2020-01-01"},
                               pk("need"), allow=published),
                       refused(lambda s, w: {"expert": s.expert.pk}, pk("need"), allow=published)],
    "alliances:export": [clean()],
    "alliances:alliance": [get(pk("alliance"))],
    # notifications
    "accounts:password_change": [clean()],
    "accounts:password_change_done": [clean()],
    "accounts:users": [clean(), clean(query=lambda s, w: {"q": "fuling"})],
    "accounts:user_new": [refused(lambda s, w: {"username": "xin_yonghu", "password": "Xin-mima-2026!",
                                                "role": "region_admin", "region": s.town.pk})],
    "accounts:user": [denied(pk("admin")), post(pk("admin"), lambda s, w: {"role": "member", "member_id": s.member.pk},
                                              watch=lambda s: _grants(s))],
    "accounts:revoke": [post(lambda s, w: {"pk": s.admin.pk, "role_pk": s.admin.role_assignments.get().pk},
                             watch=lambda s: _grants(s))],
    "accounts:set_active": [post(pk("admin"), lambda s, w: {"active": "0"},
                                 watch=lambda s: type(s.admin).objects.get(pk=s.admin.pk).is_active)],
    "imports:export_unmasked": [clean(), Check(CLEAN, "POST", body=lambda s, w: {"format": "csv", "confirm": "on"})],
    "notifications:list": [clean()],
    "notifications:badge": [clean()],
    "notifications:open": [post(pk("notification"), watch=lambda s: _unread(s))],
    "notifications:read_all": [refused(lambda s, w: {}, watch=lambda s: _unread(s))],
}


def _content(s):
    from dangjian.learning.models import Content

    c = Content.objects.filter(pk=s.content.pk).first()
    return c and (c.title, c.questions.count())


def _grants(s) -> list:
    return sorted(s.admin.role_assignments.values_list("pk", "role"))


def _unread(s) -> bool:
    return Notification.objects.filter(pk=s.notification.pk, read_at__isnull=True).exists()


# Under these prefixes the URL patterns are not this table's: the Django admin has its own permission
# model (staff flag and model permissions; the world's users are not staff, and its scoping is tested in
# tests/core/test_admin_scope.py); the API's patterns are walked per operation from the OpenAPI document.
NOT_PAGES = {"admin/": "the Django admin (own permission model, see tests/core/test_admin_scope.py)",
             "api/": "the API: walked per operation from the OpenAPI document (API below)"}

# ---- API: "METHOD /api/v1/..." -> checks ------------------------------------------------------------------

ids = lambda **names: lambda s, w: {k: getattr(s, v).pk for k, v in names.items()}  # noqa: E731

API: dict[str, list[Check] | str] = {
    "GET /api/": [clean()],  # ninja's root: no object
    "GET /api/openapi.json": [clean()],  # the API description: no object
    "GET /api/docs": [clean()],  # the API's documentation page: no object
    "GET /api/v1/me": [clean()],
    # accounts: users and role grants
    "GET /api/v1/accounts/users": [clean()],
    "POST /api/v1/accounts/users": [refused(lambda s, w: {"username": "xin_yonghu", "password": "Xin-mima-2026!",
                                                          "role": "region_admin", "anchor_id": s.town.pk})],
    "GET /api/v1/accounts/users/{user_id}": [denied(ids(user_id="admin"))],
    "PATCH /api/v1/accounts/users/{user_id}": [post(ids(user_id="admin"), lambda s, w: {"is_active": False}, "PATCH",
                                                    watch=lambda s: type(s.admin).objects.get(pk=s.admin.pk).is_active)],
    "POST /api/v1/accounts/users/{user_id}/roles": [
        post(ids(user_id="admin"), lambda s, w: {"role": "member", "anchor_id": s.member.pk},
             watch=lambda s: _grants(s)),
        refused(lambda s, w: {"role": "region_admin", "anchor_id": s.town.pk},
                lambda s, w: {"user_id": w.users.member.pk})],
    "DELETE /api/v1/accounts/users/{user_id}/roles/{grant_id}": [
        post(lambda s, w: {"user_id": s.admin.pk, "grant_id": s.admin.role_assignments.get().pk}, method="DELETE",
             watch=lambda s: _grants(s))],
    # regions
    "GET /api/v1/regions": [clean(), clean(query=lambda s, w: {"parent": s.district.pk})],
    "POST /api/v1/regions": [refused(lambda s, w: {"name": "新区域", "kind": "town", "parent": s.district.pk})],
    "GET /api/v1/regions/{region_id}": [get(ids(region_id="town"))],
    "PATCH /api/v1/regions/{region_id}": [post(ids(region_id="town"), lambda s, w: {"name": "改名"}, "PATCH")],
    "GET /api/v1/regions/{region_id}/children": [get(ids(region_id="district"))],
    # units
    "GET /api/v1/units": [clean(), clean(query=lambda s, w: {"region": s.town.pk})],
    "POST /api/v1/units": [refused(lambda s, w: {"name": "新单位", "kind": "enterprise", "region": s.town.pk,
                                                 "industry_section": "C", "employees": 5})],
    "GET /api/v1/units/{unit_id}": [get(ids(unit_id="unit"))],
    "PATCH /api/v1/units/{unit_id}": [post(ids(unit_id="unit"), lambda s, w: {"name": "改名"}, "PATCH"),
                                      refused(lambda s, w: {"region": s.town.pk},
                                              lambda s, w: {"unit_id": w.units.jia.pk}, "PATCH")],
    # organizations
    "GET /api/v1/organizations": [clean(), clean(query=lambda s, w: {"region": s.town.pk}),
                                  clean(query=lambda s, w: {"parent": s.org.pk})],
    "POST /api/v1/organizations": [refused(lambda s, w: {"name": "新支部", "kind": "branch", "formation": "own",
                                                         "region": w.shuanggui.pk, "parent": s.org.pk,
                                                         "units": [s.unit.pk]})],
    "GET /api/v1/organizations/{org_id}": [get(ids(org_id="org"))],
    "PATCH /api/v1/organizations/{org_id}": [post(ids(org_id="org"), lambda s, w: {"name": "改名"}, "PATCH"),
                                             refused(lambda s, w: {"region": s.town.pk},
                                                     lambda s, w: {"org_id": w.orgs.jia.pk}, "PATCH")],
    "GET /api/v1/organizations/{org_id}/children": [get(ids(org_id="org"))],
    "GET /api/v1/organizations/{org_id}/members": [get(ids(org_id="org"))],
    "PUT /api/v1/organizations/{org_id}/units": [
        post(ids(org_id="org"), lambda s, w: {"units": []}, "PUT"),
        refused(lambda s, w: {"units": [w.units.jia.pk, s.unit.pk]}, lambda s, w: {"org_id": w.orgs.jia.pk}, "PUT")],
    # members
    "GET /api/v1/members": [clean(), clean(query=lambda s, w: {"organization": s.org.pk}),
                            clean(query=lambda s, w: {"employer": s.unit.pk})],
    "POST /api/v1/members": [refused(lambda s, w: {"name": "新党员", "organization": s.org.pk, "gender": "M",
                                                   "category": "formal", "employer": s.unit.pk})],
    "GET /api/v1/members/{member_id}": [get(ids(member_id="member"))],
    "PATCH /api/v1/members/{member_id}": [post(ids(member_id="member"), lambda s, w: {"name": "改名"}, "PATCH"),
                                          refused(lambda s, w: {"organization": s.org.pk},
                                                  lambda s, w: {"member_id": w.members.zhang.pk}, "PATCH"),
                                          refused(lambda s, w: {"employer": s.unit.pk},
                                                  lambda s, w: {"member_id": w.members.zhang.pk}, "PATCH")],
    "POST /api/v1/members/{member_id}/unmask": [post(ids(member_id="member"))],
    # coverage
    "GET /api/v1/coverage/summary": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/coverage/breakdown": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/coverage/blank-spots": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/coverage/snapshots": [clean(), get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/coverage/units/{unit_id}/recommendation": [get(ids(unit_id="mill"))],
    # orglife
    "GET /api/v1/orglife/compliance": [clean(), get(query=lambda s, w: {"org": s.org.pk}),
                                       get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/orglife/compliance/behind": [clean(), get(query=lambda s, w: {"org": s.org.pk}),
                                              get(query=lambda s, w: {"region": s.town.pk})],
    "GET /api/v1/orglife/meetings": [clean(), clean(query=lambda s, w: {"organization": s.org.pk}),
                                     clean(query=lambda s, w: {"region": s.town.pk})],
    "POST /api/v1/orglife/meetings": [refused(lambda s, w: {"organization": s.org.pk, "kind": "lecture",
                                                            "title": "越界会议", "starts_at": "2030-01-01T10:00:00"})],
    "GET /api/v1/orglife/meetings/mine": [clean()],
    "GET /api/v1/orglife/meetings/{meeting_id}": [get(ids(meeting_id="meeting"))],
    "PATCH /api/v1/orglife/meetings/{meeting_id}": [post(ids(meeting_id="meeting"), lambda s, w: {"title": "改名"},
                                                         "PATCH")],
    "GET /api/v1/orglife/meetings/{meeting_id}/attendances": [get(ids(meeting_id="held"))],
    "POST /api/v1/orglife/meetings/{meeting_id}/cancel": [post(ids(meeting_id="meeting"))],
    "POST /api/v1/orglife/meetings/{meeting_id}/held": [post(ids(meeting_id="meeting"), lambda s, w: {})],
    "POST /api/v1/orglife/meetings/{meeting_id}/makeup": [post(ids(meeting_id="held"),
                                                               lambda s, w: {"note": "越界补学心得" * 5})],
    "POST /api/v1/orglife/meetings/{meeting_id}/minutes": [post(ids(meeting_id="held"), lambda s, w: {"text": "越界"})],
    "POST /api/v1/orglife/meetings/{meeting_id}/notify": [post(ids(meeting_id="meeting"))],
    "POST /api/v1/orglife/meetings/{meeting_id}/presence": [
        post(ids(meeting_id="held"), lambda s, w: {"presence": {str(s.member.pk): "absent"}})],
    "POST /api/v1/orglife/meetings/{meeting_id}/reply": [post(ids(meeting_id="meeting"),
                                                              lambda s, w: {"answer": "signed_up"})],
    "POST /api/v1/orglife/meetings/{meeting_id}/signin": [post(ids(meeting_id="meeting"),
                                                               lambda s, w: {"code": "000000"})],
    "GET /api/v1/orglife/meetings/{meeting_id}/signin-code": [get(ids(meeting_id="meeting"))],
    "GET /api/v1/orglife/meetings/{meeting_id}/votes": [get(ids(meeting_id="held"))],
    "POST /api/v1/orglife/meetings/{meeting_id}/votes": [
        post(ids(meeting_id="held"), lambda s, w: {"subject": "越界表决", "yes": 1, "no": 0, "abstain": 0})],
    "GET /api/v1/orglife/organizations/{org_id}/appraisals": [get(ids(org_id="org"))],
    "POST /api/v1/orglife/organizations/{org_id}/appraisals": [
        post(ids(org_id="org"), lambda s, w: {"year": s.appraisal.year, "grades": {str(s.second.pk): "excellent"}}),
        refused(lambda s, w: {"year": s.appraisal.year, "grades": {str(s.member.pk): "excellent"}},
                lambda s, w: {"org_id": w.orgs.jia.pk})],
    "GET /api/v1/orglife/organizations/{org_id}/hosted": [get(ids(org_id="org"))],
    "POST /api/v1/orglife/organizations/{org_id}/hosted": [
        post(ids(org_id="org"), lambda s, w: {"id_number": "110101199001011234"})],
    "GET /api/v1/orglife/organizations/{org_id}/talks": [get(ids(org_id="org"))],
    "POST /api/v1/orglife/organizations/{org_id}/talks": [
        post(ids(org_id="org"), lambda s, w: {"date": str(s.talk.date), "first": s.member.pk, "second": s.second.pk}),
        refused(lambda s, w: {"date": str(s.talk.date), "first": w.members.zhang.pk, "second": s.member.pk},
                lambda s, w: {"org_id": w.orgs.jia.pk})],
    "GET /api/v1/orglife/organizations/{org_id}/talks/coverage": [get(ids(org_id="org"))],
    # learning
    "GET /api/v1/learning/contents": [shared(LIBRARY)],
    "POST /api/v1/learning/contents": [Check(CLEAN, "POST", body=lambda s, w: {"kind": "article", "title": "新内容",
                                                                             "body": "x"})],  # names no object
    "GET /api/v1/learning/contents/{content_id}": [shared(LIBRARY, path=ids(content_id="content"))],
    "POST /api/v1/learning/contents/{content_id}/complete": [shared(LIBRARY, "POST", ids(content_id="content"))],
    "POST /api/v1/learning/contents/{content_id}/heartbeat": [
        shared(LIBRARY, "POST", ids(content_id="content"), lambda s, w: {"seconds": 30})],
    "POST /api/v1/learning/contents/{content_id}/quiz": [
        shared(LIBRARY, "POST", ids(content_id="content"), lambda s, w: {"answers": {str(s.question.pk): 0}})],
    "POST /api/v1/learning/contents/{content_id}/pushes": [
        refused(lambda s, w: {"date": str(s.push.date), "organizations": [s.org.pk]}, ids(content_id="content")),
        refused(lambda s, w: {"date": str(s.push.date), "regions": [s.town.pk]}, ids(content_id="content"))],
    "GET /api/v1/learning/members/{member_id}/points": [get(ids(member_id="member"))],
    "POST /api/v1/learning/members/{member_id}/points": [
        post(ids(member_id="member"), lambda s, w: {"points": 1, "reason": "越界奖励"})],
    "GET /api/v1/learning/points": [clean()],
    "GET /api/v1/learning/pushes": [clean()],
    "GET /api/v1/learning/rankings": [clean(), clean(query=lambda s, w: {"period": "year"})],
    "GET /api/v1/learning/today": [clean()],
    # services
    "GET /api/v1/services/assignments": [clean()],
    "POST /api/v1/services/assignments": [
        refused(lambda s, w: {"officer": s.officer.pk, "unit": w.units.jia.pk, "start": "2020-01-01"}),
        refused(lambda s, w: {"officer": w.officer.pk, "unit": s.unit.pk, "start": "2020-01-01"})],
    "GET /api/v1/services/coverage": [clean()],
    "GET /api/v1/services/coverage/proposal": [clean()],
    "GET /api/v1/services/dashboard": [clean()],
    "GET /api/v1/services/officers": [clean()],
    "GET /api/v1/services/requests": [clean(), clean(query=lambda s, w: {"department": s.department.pk})],
    "POST /api/v1/services/requests": [refused(lambda s, w: {"unit": s.unit.pk, "category": "recruitment",
                                                             "title": "越界诉求", "description": "越界"})],
    "GET /api/v1/services/requests/{request_id}": [get(ids(request_id="request"))],
    "POST /api/v1/services/requests/{request_id}/actions": [
        post(ids(request_id="request"), lambda s, w: {"action": "accept", "version": s.request.version}),
        refused(lambda s, w: {"action": "assign", "version": 0, "department": s.department.pk},
                lambda s, w: {"request_id": w.request.pk})],
    "POST /api/v1/services/requests/{request_id}/rating": [post(ids(request_id="request"), lambda s, w: {"rating": 5})],
    "POST /api/v1/services/visits": [refused(lambda s, w: {"unit": s.unit.pk, "date": "2020-01-01",
                                                           "purpose": "越界走访"})],
    # alliances
    "GET /api/v1/alliances/alliances": [clean()],
    "GET /api/v1/alliances/dashboard": [clean()],
    "GET /api/v1/alliances/experts": [shared(MARKET)],
    "GET /api/v1/alliances/items": [shared(MARKET)],
    "POST /api/v1/alliances/items": [refused(lambda s, w: {"unit": s.unit.pk, "kind": "need", "title": "越界需求",
                                                           "description": "越界", "category": "products",
                                                           "valid_until": "2099-01-01", "contact": "x"})],
    "POST /api/v1/alliances/items/{item_id}/deals": [
        refused(lambda s, w: {"resource": s.resource.pk, "value": 1, "date": "2020-01-01"}, ids(item_id="need"),
                allow=published)],
    "GET /api/v1/alliances/items/{item_id}/matches": [shared(MARKET, path=ids(item_id="need"))],
    "GET /api/v1/alliances/pairs": [clean()],
    "POST /api/v1/alliances/pairs": [
        refused(lambda s, w: {"kind": "strong_weak", "start": "2020-01-01", "strong": s.org.pk, "weak": s.weak.pk}),
        refused(lambda s, w: {"kind": "village", "start": "2020-01-01", "unit": s.unit.pk, "village": s.village.pk}),
        refused(lambda s, w: {"kind": "strong_weak", "start": "2020-01-01", "strong": w.orgs.jia.pk,
                              "weak": s.weak.pk})],
    "GET /api/v1/alliances/pairs/completion": [clean()],
    "GET /api/v1/alliances/pairs/proposals": [clean()],
    "POST /api/v1/alliances/schemes": [
        refused(lambda s, w: {"region": s.town.pk, "units": [s.unit.pk, s.mill.pk], "groups": 2}),
        refused(lambda s, w: {"region": w.shuanggui.pk, "units": [w.units.jia.pk, s.unit.pk], "groups": 2})],
    "GET /api/v1/alliances/schemes/{scheme_id}": [get(ids(scheme_id="scheme"))],
    "POST /api/v1/alliances/schemes/{scheme_id}/accept": [post(ids(scheme_id="scheme"))],
    "POST /api/v1/alliances/schemes/{scheme_id}/moves": [
        post(ids(scheme_id="scheme"), lambda s, w: {"unit": s.unit.pk, "group": s.group.pk}),
        refused(lambda s, w: {"unit": s.unit.pk, "group": w.mine.group.pk},
                lambda s, w: {"scheme_id": w.mine.scheme.pk})],
}

# ---- the walk -------------------------------------------------------------------------------------------

def url_patterns(resolvers=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, names with their namespaces ("members:detail")."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else route), route


def api_operations() -> list[str]:
    from dangjian.api import api

    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def as_openapi(route: str) -> str:
    """A Django route of the API ("api/v1/units/<int:unit_id>") as an OpenAPI path ("/api/v1/units/{unit_id}")."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def missing_cases() -> list[str]:
    problems = []
    operations = api_operations()
    api_paths = {op.split(" ", 1)[1] for op in operations}
    for name, route in url_patterns():
        if route.startswith("api/"):
            if route.startswith("api/v1/") and as_openapi(route) not in api_paths:
                problems.append(f"API route {route} is not in the OpenAPI document, so it has no scope case")
            elif not route.startswith("api/v1/") and f"GET /{route}" not in API:
                problems.append(f"new route {route} has no scope case (add it to API)")
        elif not route.startswith(tuple(NOT_PAGES)) and name not in PAGES:
            problems.append(f"new route {name} ({route}) has no scope case (add it to PAGES)")
    problems += [f"new API operation {op} has no scope case (add it to API)" for op in operations if op not in API]
    names = {name for name, _route in url_patterns()}
    problems += [f"PAGES has a case for {name}, which is no longer a route" for name in PAGES if name not in names]
    known = set(operations) | {f"GET /{route}" for _name, route in url_patterns()
                               if route.startswith("api/") and not route.startswith("api/v1/")}
    problems += [f"API has a case for {op}, which is no longer an operation" for op in API if op not in known]
    return problems


def test_every_route_has_a_case():
    problems = missing_cases()
    assert not problems, "\n".join(problems)


def test_the_walk_sees_every_route():
    """The walk is not vacuous: it finds the routes of every app and every API router."""
    names = {name for name, _route in url_patterns()}
    assert {"members:detail", "orglife:meeting", "alliances:item", "notifications:open", "home"} <= names
    assert len([n for n in names if n in PAGES]) > 100
    operations = api_operations()
    assert len(operations) > 90 and "PUT /api/v1/organizations/{org_id}/units" in operations


# ---- data, built once for the module ----------------------------------------------------------------------

ROLES = ("district", "town", "secretary", "clerk", "member", "instructor", "enterprise", "officer", "department")


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """The world, 涪陵 beside it, the roles the world lacks, and a logged-in client per role; rolled back
    at the end of the module (each test runs in a savepoint inside it)."""
    from django.contrib.auth import get_user_model

    from dangjian.alliances.models import LinkGroup, LinkMember, Scheme

    User = get_user_model()
    with django_db_blocker.unblock():
        with transaction.atomic():
            w = build_world(User)
            s = build_elsewhere(User)
            hrss = Department.objects.create(code="lp-hrss", name="梁平区人力社保局", region=w.district)
            users = {
                "district": w.users.district, "town": w.users.shuanggui, "secretary": w.users.secretary,
                "member": w.users.member, "instructor": w.users.instructor,
                "clerk": user_with_role(User, "ganshi", Role.CLERK, organization=w.orgs.jia),
                "enterprise": user_with_role(User, "qiye_jia", Role.ENTERPRISE, unit=w.units.jia),
                "officer": user_with_role(User, "zhuqi", Role.OFFICER, region=w.shuanggui),
                "department": user_with_role(User, "renshe", Role.DEPARTMENT, department=hrss),
            }
            w.officer = Officer.objects.create(user=users["officer"], name="刘服务", kind=OfficerKind.SERVICE,
                                               department=hrss, region=w.shuanggui)
            scheme = Scheme.objects.create(name="双桂联动组方案", region=w.shuanggui, year=2026,
                                           created_by=users["district"])
            group = LinkGroup.objects.create(scheme=scheme, number=1, name="双桂第一联动组", leader=w.units.yi)
            for unit in (w.units.yi, w.units.bing):
                LinkMember.objects.create(group=group, scheme=scheme, unit=unit)
            w.mine = type("Mine", (), {"scheme": scheme, "group": group})
            w.request = Request.objects.create(unit=w.units.jia, channel="enterprise", category="recruitment",
                                               title="招工难", description="需要招聘", state=State.ACCEPTED,
                                               submitted_at=timezone.now(), deadline=timezone.localdate())
            clients = {}
            for role, user in users.items():
                client = Client(raise_request_exception=False)
                client.force_login(user, backend=LOGIN_BACKEND)
                clients[role] = client
            yield s, w, clients
            transaction.set_rollback(True)


# ---- the checks -------------------------------------------------------------------------------------------

def body_text(response) -> str:
    """What a person would read in the answer: the HTML or JSON, a CSV, or every cell of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError):
            return content.decode("latin-1")
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    return content.decode("utf-8", errors="replace")


def writes_since(mark: int) -> list[str]:
    return [str(a) for a in AuditLog.objects.filter(pk__gt=mark, action__in=WRITES)]


def run_check(client, check: Check, url: str, s, w, api: bool) -> str | None:
    """None when the answer is right, else what was wrong."""
    mark = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = check.watch(s) if check.watch else None
    query = check.query(s, w) if check.query else {}
    if query:
        url = f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    body = check.body(s, w) if check.body else None
    if check.method == "GET":
        response = client.get(url)
    elif api:
        response = client.generic(check.method, url, data=__import__("json").dumps(body or {}),
                                  content_type="application/json")
    else:
        response = getattr(client, check.method.lower())(url, data=body or {})
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"{status} (server error)"
    if status in (301, 302) and ("/login" in location):
        return f"{status} to the login page ({location})"
    if status == 401:
        return "401: the logged-in user was not recognised"
    written = writes_since(mark)
    changed = check.watch and check.watch(s) != before
    if check.expect in (HIDDEN, DENIED):
        wanted = (404,) if check.method == "GET" and check.expect == HIDDEN else (403, 404)
        if status not in wanted or written or changed:
            return f"{status}, expected {'/'.join(map(str, wanted))}" + (f"; wrote {written}" if written else "") + (
                "; changed the watched row" if changed else "")
        return None
    if check.expect == SHARED:
        return None
    if (written and check.method == "GET") or (written and check.expect == REFUSED) or changed:
        return f"{status} and wrote {written or 'the watched row'}"
    if check.expect == REFUSED and api and status not in (403, 404, 422):
        return f"{status}, expected 403/404/422"
    if status in (200, 201) or check.expect == REFUSED:
        text = body_text(response)
        # the user's own input said back to them, and names public by design, are not leaks
        said = [v for v in (body or {}).values() if isinstance(v, str)] + (check.allow(s) if check.allow else [])
        for value in sorted(said, key=len, reverse=True):
            text = text.replace(value, "")
        if MARK in text:
            at = text.index(MARK)
            return f"{status} shows {MARK}: …{text[max(0, at - 60):at + 40]}…"
    return None


def cases(table: dict, api: bool):
    for key, checks in table.items():
        if isinstance(checks, str):
            continue
        for n, check in enumerate(checks):
            yield pytest.param(key, check, api, id=f"{key}#{n}" if len(checks) > 1 else key)


@pytest.mark.parametrize("key, check, api", [*cases(PAGES, False), *cases(API, True)])
def test_other_district_is_out_of_reach(scene, db, key, check, api):
    s, w, clients = scene
    if api:
        method, path = key.split(" ", 1)
        assert method == check.method or check.method == "GET" and method == "GET", f"{key}: check uses {check.method}"
        url = path.format(**(check.path(s, w) if check.path else {}))
    else:
        url = reverse(key, kwargs=check.path(s, w) if check.path else None)
    failures = []
    for role in ROLES:
        sid = transaction.savepoint()
        try:
            problem = run_check(clients[role], check, url, s, w, api)
        finally:
            transaction.savepoint_rollback(sid)
        if problem:
            failures.append(f"{role}: {check.method} {url} -> {problem}")
    assert not failures, f"{key} ({check.expect}{': ' + check.reason if check.reason else ''})\n" + "\n".join(failures)
