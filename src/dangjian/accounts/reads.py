"""What each role may read, beyond where it reaches: the one definition that the scopes (accounts.scope), the member
pages and API, the appraisal and talk pages and the README's role table follow (tests/core/test_role_reads.py
checks the table against it)."""
import enum
from dataclasses import dataclass

from dangjian.accounts.models import Role


class MemberFields(enum.Enum):
    ALL = "all"  # the whole member record (ID number and phone masked; in full only with members.unmask_pii)
    ROSTER = "roster"  # ROSTER_FIELDS of the current members, nothing personal
    NONE = "none"  # no member rows at all


# A roster row: who the member is, where, and their post (job), never birth date, ID, phone, addresses or dues.
ROSTER_FIELDS = ("id", "name", "organization", "job")


@dataclass(frozen=True)
class Reads:
    members: MemberFields
    reviews: bool  # appraisal grades and heart-to-heart talk notes of the organisations the role reaches
    serves_units: bool = False  # reaches its assigned units (services.Assignment), not its anchor's subtree


ROLE_READS = {
    Role.DISTRICT_ADMIN: Reads(MemberFields.ALL, reviews=True),
    Role.REGION_ADMIN: Reads(MemberFields.ALL, reviews=True),
    Role.SECRETARY: Reads(MemberFields.ALL, reviews=True),
    Role.CLERK: Reads(MemberFields.ALL, reviews=True),
    Role.MEMBER: Reads(MemberFields.ALL, reviews=False),  # the own record only
    Role.INSTRUCTOR: Reads(MemberFields.ROSTER, reviews=False, serves_units=True),
    Role.OFFICER: Reads(MemberFields.ROSTER, reviews=False, serves_units=True),
    Role.ENTERPRISE: Reads(MemberFields.NONE, reviews=False),
    Role.DEPARTMENT: Reads(MemberFields.NONE, reviews=False),
}


def member_fields(roles) -> MemberFields | None:
    """How much of every member row in a user's read scope they see, from their roles: ALL or ROSTER when all
    their roles agree, None when it depends on the row (a secretary who also serves units elsewhere)."""
    if "superuser" in roles:
        return MemberFields.ALL
    levels = {ROLE_READS[r].members for r in roles} - {MemberFields.NONE}
    if not levels:
        return MemberFields.NONE
    return levels.pop() if len(levels) == 1 else None
