"""Who may manage which logins, and grant which role where.

Only administrators (a district or town/park role, which give a region write grant) manage users. They manage
the users all of whose roles are anchored inside their write scope — a user who also holds a role elsewhere
belongs to a higher administrator — and grant roles anchored inside it. A district administrator's role is
granted only by a district administrator over that place (or a superuser); nobody manages superusers or
their own account."""
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.accounts.models import ROLE_ANCHOR, Role, RoleAssignment
from dangjian.core.scoping import NO_ROWS, any_of, get_scope, prefix_q, region_staff


def may_manage_users(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and actor.is_active and (
        actor.is_superuser or region_staff(actor))


def _anchor_model(anchor_type: str):
    label = {"region": "regions.Region", "organization": "organizations.Organization",
             "member": "members.Member", "unit": "units.Unit", "department": "services.Department"}[anchor_type]
    return apps.get_model(label)


def anchors_in_scope(actor, anchor_type: str):
    """The nodes of a kind the actor may bind roles to."""
    model = _anchor_model(anchor_type)
    scope = get_scope(actor, for_write=True)
    if scope.everything:
        return model.objects.all()
    if anchor_type == "region":
        return model.objects.filter(prefix_q("path", scope.region_paths))
    if anchor_type == "department":
        return model.objects.filter(prefix_q("region__path", scope.region_paths))
    return model.objects.scoped(actor, for_write=True)


def _assignments_in_scope_q(actor) -> Q:
    return any_of(Q(**{f"{kind}__in": anchors_in_scope(actor, kind).values("pk")}) for kind in set(ROLE_ANCHOR.values()))


def manageable_users(actor):
    """Users the actor may list, grant roles to, revoke from and deactivate."""
    User = get_user_model()
    if not may_manage_users(actor):
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.exclude(pk=actor.pk)
    inside = _assignments_in_scope_q(actor)
    if inside == NO_ROWS:
        return User.objects.none()
    outside = RoleAssignment.objects.exclude(inside).values("user_id")
    return (User.objects.filter(is_superuser=False, pk__in=RoleAssignment.objects.filter(inside).values("user_id"))
            .exclude(pk__in=outside).exclude(pk=actor.pk))


def ensure_manageable(actor, user) -> None:
    if actor.is_superuser and actor != user:
        return
    if not manageable_users(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("该用户不在您的管理范围内"))


def ensure_grantable(actor, role: Role, anchor) -> None:
    """The role and its anchor must lie within what the actor holds."""
    if actor.is_superuser:
        return
    if not may_manage_users(actor):
        raise PermissionDenied(_("只有区级和镇街园区管理员可以管理用户和角色"))
    anchor_type = ROLE_ANCHOR[role]
    if not anchors_in_scope(actor, anchor_type).filter(pk=anchor.pk).exists():
        raise ValidationError({"anchor": _("“%(obj)s”不在您的管理范围内") % {"obj": anchor}})
    if role == Role.DISTRICT_ADMIN:
        own = RoleAssignment.objects.filter(user=actor, role=Role.DISTRICT_ADMIN).values_list("region__path", flat=True)
        if not any(anchor.path.startswith(path) for path in own):
            raise ValidationError({"role": _("只有区级管理员才能授予区级管理员角色")})
