"""A user's own member record: the member a login acts for (through a "member" role bound to a member)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.accounts.models import RoleAssignment


def own_member(user):
    """The member record a user acts for (role "member"); members only ever act for themselves."""
    ra = RoleAssignment.objects.filter(user=user, role="member", member__isnull=False).select_related("member").first() \
        if getattr(user, "is_authenticated", False) else None
    if ra is None:
        raise ValidationError({"__all__": _("您的账号没有关联党员信息")})
    return ra.member


def member_of(user):
    """Like own_member, but None instead of an error (for pages that show staff and members different things)."""
    try:
        return own_member(user)
    except ValidationError:
        return None
