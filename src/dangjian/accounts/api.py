"""Who am I: GET /api/v1/me, for clients that adapt to the user's roles and permissions."""
from typing import Literal, Optional

from django.http import HttpRequest
from ninja import Field, Router, Schema

from dangjian.accounts.models import ROLE_ANCHOR, RoleAssignment
from dangjian.core.schemas import Ref, errors
from dangjian.core.scoping import get_scope
from dangjian.members.actions import can_unmask

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    role_label: str
    anchor_type: Literal["region", "organization", "member", "unit", "department"]
    anchor: Optional[Ref] = Field(description="the region, organisation, member, unit or department the role is bound to")


class Permissions(Schema):
    can_write: bool = Field(description="may create and change registry records somewhere")
    can_unmask: bool = Field(description="may see full citizen IDs and phone numbers (each view is audited)")


class MeOut(Schema):
    username: str
    full_name: str
    is_superuser: bool
    roles: list[RoleOut]
    permissions: Permissions


@router.get("", response={200: MeOut, **errors()}, summary="当前用户、角色与权限")
def get_me(request: HttpRequest):
    user = request.auth
    assignments = RoleAssignment.objects.filter(user=user).select_related("region", "organization", "member", "unit")
    roles = []
    for ra in assignments.order_by("id"):
        anchor_type = ROLE_ANCHOR[ra.role]
        anchor = ra.anchor
        roles.append({
            "role": ra.role,
            "role_label": ra.get_role_display(),
            "anchor_type": anchor_type,
            "anchor": {"id": anchor.pk, "name": str(anchor)} if anchor is not None else None,
        })
    write_scope = get_scope(user, for_write=True)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "is_superuser": user.is_superuser,
        "roles": roles,
        "permissions": {"can_write": not write_scope.empty, "can_unmask": can_unmask(user)},
    }
