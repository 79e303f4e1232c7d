"""Users and their role grants: /api/v1/accounts/users, for district and town administrators within their scope.

A user outside the caller's manageable users answers 404 (as if absent); an anchor outside the caller's scope
answers 422 on ``anchor_id`` with the same message whether it exists or not."""
from typing import Optional

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.accounts import actions, grants
from dangjian.accounts.models import ROLE_ANCHOR, Role, RoleAssignment
from dangjian.core.schemas import Id, PageNumbers, Ref, errors

router = Router(tags=["accounts"])


class GrantOut(Schema):
    id: int
    role: str
    role_label: str
    anchor_type: str
    anchor: Optional[Ref]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    is_active: bool
    roles: list[GrantOut]

    @staticmethod
    def resolve_full_name(obj):
        return obj.first_name

    @staticmethod
    def resolve_roles(obj):
        return [_grant_out(ra) for ra in obj.role_assignments.all()]


class GrantIn(Schema):
    role: Role
    anchor_id: Id = Field(description="the region, organisation, member, unit or department the role binds to "
                                       "(which one follows from the role)")


class UserIn(GrantIn):
    username: str = Field(max_length=150)
    full_name: str = Field("", max_length=150)
    password: str = Field(max_length=128, description="checked against the password policy")


class ActiveIn(Schema):
    is_active: bool


def _grant_out(ra: RoleAssignment) -> dict:
    anchor = ra.anchor
    return {"id": ra.pk, "role": ra.role, "role_label": ra.get_role_display(), "anchor_type": ROLE_ANCHOR[ra.role],
            "anchor": {"id": anchor.pk, "name": str(anchor)} if anchor is not None else None}


def _prefetched(queryset):
    return queryset.prefetch_related(Prefetch("role_assignments", RoleAssignment.objects.select_related(
        "region", "organization", "member", "unit", "department").order_by("id")))


def _manager(request):
    if not grants.may_manage_users(request.auth):
        raise HttpError(403, _("只有区级和镇街园区管理员可以管理用户和角色"))
    return request.auth


def _user(request, user_id: int):
    return get_object_or_404(_prefetched(grants.manageable_users(_manager(request))), pk=user_id)


def _anchor(actor, role: Role, anchor_id: int):
    """The anchor within the actor's scope; absent and out of scope say the same."""
    anchor = grants.anchors_in_scope(actor, ROLE_ANCHOR[role]).filter(pk=anchor_id).first()
    if anchor is None:
        raise ValidationError({"anchor_id": _("在您的管理范围内找不到编号为%(id)s的%(what)s") % {
            "id": anchor_id, "what": RoleAssignment._meta.get_field(ROLE_ANCHOR[role]).verbose_name}})
    return anchor


def _run(action, *args):
    try:
        return action(*args)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("没有权限")) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "anchor" in exc.error_dict:
            exc.error_dict["anchor_id"] = exc.error_dict.pop("anchor")
        raise


@router.get("", response={200: list[UserOut], **errors(403, 422)}, summary="用户列表（管理范围内）")
@paginate(PageNumbers)
def list_users(request: HttpRequest):
    """Users all of whose roles lie within your write scope, by user name."""
    return _prefetched(grants.manageable_users(_manager(request))).order_by("username")


@router.get("/{int:user_id}", response={200: UserOut, **errors(403, 404)}, summary="用户详情")
def get_user(request: HttpRequest, user_id: Id):
    return _user(request, user_id)


@router.post("", response={201: UserOut, **errors(403, 422)}, summary="新建用户（含第一个角色）")
def post_user(request: HttpRequest, payload: UserIn):
    actor = _manager(request)
    anchor = _anchor(actor, payload.role, payload.anchor_id)
    user = _run(actions.create_user, actor, payload.username, payload.full_name, payload.password, payload.role,
                anchor)
    return Status(201, _prefetched(type(user).objects).get(pk=user.pk))


@router.post("/{int:user_id}/roles", response={201: GrantOut, **errors(403, 404, 422)}, summary="授予角色")
def post_grant(request: HttpRequest, user_id: Id, payload: GrantIn):
    user = _user(request, user_id)
    anchor = _anchor(request.auth, payload.role, payload.anchor_id)
    return Status(201, _grant_out(_run(actions.grant_role, request.auth, user, payload.role, anchor)))


@router.delete("/{int:user_id}/roles/{int:grant_id}", response={204: None, **errors(403, 404, 422)},
               summary="撤销角色")
def delete_grant(request: HttpRequest, user_id: Id, grant_id: Id):
    user = _user(request, user_id)
    _run(actions.revoke_role, request.auth, get_object_or_404(RoleAssignment, pk=grant_id, user=user))
    return Status(204, None)


@router.patch("/{int:user_id}", response={200: UserOut, **errors(403, 404, 422)}, summary="启用或停用账号")
def patch_user(request: HttpRequest, user_id: Id, payload: ActiveIn):
    user = _user(request, user_id)
    _run(actions.set_active, request.auth, user, payload.is_active)
    return _user(request, user_id)
