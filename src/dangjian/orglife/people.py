"""Who is who for organisational life: a user's own member record, members' login accounts, committee."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
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


def member_users(member_ids):
    """Login accounts of the given members (ids or a values("member") subquery)."""
    return list(get_user_model().objects.filter(role_assignments__role="member",
                                                role_assignments__member__in=member_ids, is_active=True).distinct())


def secretary_users(org_ids):
    return list(get_user_model().objects.filter(role_assignments__role__in=["secretary", "clerk"],
                                                role_assignments__organization__in=org_ids, is_active=True).distinct())


def committee_ids(organization, day: dt.date) -> set[int]:
    from dangjian.organizations.models import CommitteeMember

    return set(CommitteeMember.objects.filter(organization=organization, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)).values_list("member_id", flat=True))
