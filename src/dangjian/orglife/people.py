"""Who is who for organisational life: members' login accounts, committee. (A user's own member record:
accounts.own.)"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q


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
