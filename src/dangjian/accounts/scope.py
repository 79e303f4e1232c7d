"""Build a user's Scopes (read, write, personal, review: core.scoping.Access) from their role assignments: one
query, then none while they and the paths they name are unchanged; plus, for officers and instructors, one query
for the units they are assigned to today."""
from dataclasses import replace

from django.utils import timezone

from dangjian.accounts.models import ROLE_ANCHOR, WRITING_ROLES, RoleAssignment
from dangjian.accounts.reads import ROLE_READS, MemberFields
from dangjian.core.scoping import Access, Scope
from dangjian.core.stamps import stamped

# A scope depends on the user's role assignments and the paths of the regions and organisations they name.
SCOPE_TABLES = ("accounts_roleassignment", "organizations_organization", "regions_region")

# What each kind of anchor contributes to a Scope: a region's or organisation's path, or an id.
ANCHOR_COLUMNS = {"region": "region__path", "organization": "organization__path", "member": "member_id",
                  "unit": "unit_id", "department": "department_id"}

# The units a user serves on a day, registered by the app that keeps assignments (services: a capability
# above accounts, so it hands its look-up down instead of being imported here).
_served_units = None


def register_served_units(lookup) -> None:
    """``lookup(user_id, day) -> iterable of unit ids``: the units the user is assigned to on ``day``."""
    global _served_units
    _served_units = lookup


def build_scopes(user) -> tuple[Scope, ...]:
    """The user's scopes, indexed by Access."""
    if user.is_superuser:
        everything = Scope(everything=True, roles=frozenset({"superuser"}))
        return (everything,) * len(Access)
    scopes, serves = stamped(("scopes", user.pk), SCOPE_TABLES, lambda: _from_roles(user.pk))
    if not serves:
        return scopes
    # Assignments start and end on dates and have no change stamp: looked up on each request (one indexed query).
    served = tuple(sorted(set(_served_units(user.pk, timezone.localdate())))) if _served_units else ()
    return (replace(scopes[Access.READ], served_unit_ids=served), *scopes[1:])


def _from_roles(user_id: int) -> tuple[tuple[Scope, ...], bool]:
    """The scopes the role anchors give, and whether a role reaches its assigned units instead of its anchor."""
    grants = {access: {anchor: [] for anchor in ANCHOR_COLUMNS} for access in Access}
    roles, serves = set(), False
    for role, *values in RoleAssignment.objects.filter(user_id=user_id).values_list("role", *ANCHOR_COLUMNS.values()):
        roles.add(role)
        reads = ROLE_READS[role]
        if reads.serves_units:
            serves = True  # the anchor (where they are based) gives no reach of its own
            continue
        anchor = ROLE_ANCHOR[role]
        value = dict(zip(ANCHOR_COLUMNS, values))[anchor]
        if value is None:
            continue
        grants[Access.READ][anchor].append(value)
        if role in WRITING_ROLES:
            grants[Access.WRITE][anchor].append(value)
        if reads.members is MemberFields.ALL:
            grants[Access.PERSONAL][anchor].append(value)
        if reads.reviews:
            grants[Access.REVIEW][anchor].append(value)
    return tuple(_scope(grants[access], roles) for access in Access), serves


def _scope(anchors: dict, roles: set) -> Scope:
    return Scope(
        region_paths=_outermost(anchors["region"]),
        org_paths=_outermost(anchors["organization"]),
        member_ids=tuple(anchors["member"]),
        unit_ids=tuple(anchors["unit"]),
        department_ids=tuple(anchors["department"]),
        roles=frozenset(roles),
    )


def _outermost(paths):
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)
