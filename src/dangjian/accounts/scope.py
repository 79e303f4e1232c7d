"""Build a user's read and write Scopes from their role assignments (one query, then none while they and the
paths they name are unchanged)."""
from dangjian.accounts.models import ROLE_ANCHOR, WRITING_ROLES, RoleAssignment
from dangjian.core.scoping import Scope
from dangjian.core.stamps import stamped

# A scope depends on the user's role assignments and the paths of the regions and organisations they name.
SCOPE_TABLES = ("accounts_roleassignment", "organizations_organization", "regions_region")

# What each kind of anchor contributes to a Scope: a region's or organisation's path, or an id.
ANCHOR_COLUMNS = {"region": "region__path", "organization": "organization__path", "member": "member_id",
                  "unit": "unit_id", "department": "department_id"}


def build_scopes(user) -> tuple[Scope, Scope]:
    """The user's (read, write) scopes."""
    if user.is_superuser:
        everything = Scope(everything=True, roles=frozenset({"superuser"}))
        return everything, everything
    return stamped(("scopes", user.pk), SCOPE_TABLES, lambda: _from_roles(user.pk))


def _from_roles(user_id: int) -> tuple[Scope, Scope]:
    read = {anchor: [] for anchor in ANCHOR_COLUMNS}
    write = {anchor: [] for anchor in ANCHOR_COLUMNS}
    roles = set()
    for role, *values in RoleAssignment.objects.filter(user_id=user_id).values_list("role", *ANCHOR_COLUMNS.values()):
        roles.add(role)
        anchor = ROLE_ANCHOR[role]
        value = dict(zip(ANCHOR_COLUMNS, values))[anchor]
        if value is not None:
            read[anchor].append(value)
            if role in WRITING_ROLES:
                write[anchor].append(value)
    return _scope(read, roles), _scope(write, roles)


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
