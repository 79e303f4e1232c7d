"""Which member rows a user reads in full, and which only as a roster (accounts.reads): used by the member pages,
the member API and every list that shows members."""
from dangjian.accounts.reads import ROSTER_FIELDS, MemberFields, member_fields
from dangjian.core.scoping import Access, get_scope
from dangjian.members.models import Member


def fields_level(user) -> MemberFields | None:
    """ALL or ROSTER for every member row the user reads, or None when it depends on the row."""
    return member_fields(get_scope(user).roles)


def public_only(user) -> bool:
    """The user reads no members (an enterprise contact, department staff): of an organisation only its public
    facts (name, kind, secretary's name, contact phone), never its committee or members."""
    return fields_level(user) is MemberFields.NONE


def personal_members(user):
    """The members whose personal fields the user reads, as a queryset to filter by; None when that is every
    member in their read scope (no filter needed)."""
    level = fields_level(user)
    if level is MemberFields.ALL:
        return None
    if level is None:
        return Member.objects.scoped(user, Access.PERSONAL)
    return Member.objects.none()


def personal_ids(user, ids) -> set[int]:
    """Which of ``ids`` (members the user reads) the user reads in full: no query unless the user holds both a
    role that reads members in full and one that reads them as a roster."""
    level = fields_level(user)
    if level is MemberFields.ALL:
        return set(ids)
    if level is None:
        return set(Member.objects.scoped(user, Access.PERSONAL).filter(pk__in=ids).values_list("pk", flat=True))
    return set()


def mark_roster(members, user) -> None:
    """Set ``roster_only`` on each member object: the templates then show only ROSTER_FIELDS."""
    full = personal_ids(user, [m.pk for m in members])
    for member in members:
        member.roster_only = member.pk not in full


def roster_marked(members, user) -> list:
    """``members`` as a list, marked by mark_roster."""
    members = list(members)
    mark_roster(members, user)
    return members


def roster_row(row: dict) -> dict:
    """A member row (API dict) cut down to ROSTER_FIELDS; every other field null."""
    return {key: (value if key in ROSTER_FIELDS else None) for key, value in row.items()} | {"roster_only": True}
