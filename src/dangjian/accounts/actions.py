"""Every write to logins and their roles: passwords, new users, role grants and revocations, (de)activation.

Who may manage whom (accounts.grants) is checked here, so the pages, the API and the admin agree; each write
is audited, never with a password in it."""
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.accounts import grants
from dangjian.accounts.models import ROLE_ANCHOR, Role, RoleAssignment
from dangjian.core import audit


def _validate_password(raw: str, user, field: str = "password") -> None:
    try:
        password_validation.validate_password(raw, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def change_password(actor, user, raw: str) -> None:
    """Set a new password after the policy's checks (AUTH_PASSWORD_VALIDATORS)."""
    if actor is not None and actor != user:
        grants.ensure_manageable(actor, user)  # an administrator resetting a password within their scope
    _validate_password(raw, user)
    user.set_password(raw)
    user.save(update_fields=["password"])
    audit.record(actor, audit.Action.UPDATE, user, {"changed_protected_fields": ["password"]})


def _role_changes(assignment: RoleAssignment) -> dict:
    anchor_type = ROLE_ANCHOR[assignment.role]
    return {"user": assignment.user.get_username(), "role": assignment.role, "anchor_type": anchor_type,
            "anchor_id": getattr(assignment, f"{anchor_type}_id"), "anchor": str(assignment.anchor)}


def _check_role(actor, role: str, anchor) -> str:
    """The anchor field the role binds to, once the role, its anchor and the actor's right to grant it hold."""
    if role not in Role.values:
        raise ValidationError({"role": _("不是可选的角色")})
    anchor_type = ROLE_ANCHOR[Role(role)]
    if anchor is None or anchor._meta.model_name != anchor_type:
        raise ValidationError({"anchor": _("该角色必须绑定到%(what)s") % {
            "what": RoleAssignment._meta.get_field(anchor_type).verbose_name}})
    if actor is not None:
        grants.ensure_grantable(actor, Role(role), anchor)
    return anchor_type


@transaction.atomic
def grant_role(actor, user, role: str, anchor) -> RoleAssignment:
    """Bind ``user`` to ``role`` at ``anchor`` (a region, organisation, member, unit or department)."""
    if actor is not None:
        if actor == user:
            raise PermissionDenied(_("不能给自己授予角色"))
        grants.ensure_manageable(actor, user)
    anchor_type = _check_role(actor, role, anchor)
    if RoleAssignment.objects.filter(user=user, role=role, **{anchor_type: anchor}).exists():
        raise ValidationError({"role": _("该用户已有这一角色授权")})
    assignment = RoleAssignment(user=user, role=role, **{anchor_type: anchor})
    assignment.full_clean()
    assignment.save()
    audit.record(actor, audit.Action.CREATE, assignment, _role_changes(assignment))
    return assignment


@transaction.atomic
def revoke_role(actor, assignment: RoleAssignment) -> None:
    if actor is not None:
        if actor == assignment.user:
            raise PermissionDenied(_("不能撤销自己的角色"))
        grants.ensure_manageable(actor, assignment.user)
    if not RoleAssignment.objects.filter(user=assignment.user).exclude(pk=assignment.pk).exists():
        # A user without any role is in nobody's scope: nobody but a superuser could reach it again.
        raise ValidationError({"role": _("这是该用户的最后一个角色，不能撤销；如不再使用该账号，请停用账号")})
    changes = _role_changes(assignment)
    audit.record(actor, audit.Action.DELETE, assignment, changes)
    assignment.delete()


@transaction.atomic
def create_user(actor, username: str, full_name: str, password: str, role: str, anchor):
    """A new login with its first role (a user without a role would be in nobody's scope)."""
    if actor is not None and not grants.may_manage_users(actor):
        raise PermissionDenied(_("只有区级和镇街园区管理员可以管理用户和角色"))
    User = get_user_model()
    username = (username or "").strip()
    errors = {}
    user = User(username=username, first_name=(full_name or "").strip()[:150])
    try:
        user.clean_fields(exclude=["password", "last_name", "email"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if username and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("用户名“%(name)s”已被使用") % {"name": username}]
    try:
        _validate_password(password, user)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        anchor_type = _check_role(actor, role, anchor)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit.record(actor, audit.Action.CREATE, user, {"username": username, "first_name": user.first_name})
    assignment = RoleAssignment.objects.create(user=user, role=role, **{anchor_type: anchor})
    audit.record(actor, audit.Action.CREATE, assignment, _role_changes(assignment))
    return user


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    """Deactivate (or reactivate) a login; it keeps its roles, so it stays in its administrators' scope."""
    if actor is not None:
        if actor == user:
            raise PermissionDenied(_("不能停用自己的账号"))
        grants.ensure_manageable(actor, user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(actor, audit.Action.UPDATE, user, {"is_active": [not active, active]})
