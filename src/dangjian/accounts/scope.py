"""Build a user's Scope from their role assignments (one query)."""
from dangjian.accounts.models import ROLE_ANCHOR, WRITING_ROLES, RoleAssignment
from dangjian.core.scoping import Scope


def build_scope(user, for_write: bool = False) -> Scope:
    if user.is_superuser:
        return Scope(everything=True, roles=frozenset({"superuser"}))
    regions, orgs, members, units, departments, roles = [], [], [], [], [], set()
    rows = RoleAssignment.objects.filter(user=user).select_related("region", "organization")
    for ra in rows:
        roles.add(ra.role)
        if for_write and ra.role not in WRITING_ROLES:
            continue
        anchor = ROLE_ANCHOR[ra.role]
        if anchor == "region" and ra.region_id:
            regions.append(ra.region.path)
        elif anchor == "organization" and ra.organization_id:
            orgs.append(ra.organization.path)
        elif anchor == "member" and ra.member_id:
            members.append(ra.member_id)
        elif anchor == "unit" and ra.unit_id:
            units.append(ra.unit_id)
        elif anchor == "department" and ra.department_id:
            departments.append(ra.department_id)
    return Scope(
        region_paths=_outermost(regions),
        org_paths=_outermost(orgs),
        member_ids=tuple(members),
        unit_ids=tuple(units),
        department_ids=tuple(departments),
        roles=frozenset(roles),
    )


def _outermost(paths):
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)
