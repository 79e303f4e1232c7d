import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.rules import rule
from dangjian.organizations.models import CommitteeMember, CommitteePost, Formation, Organization, OrgKind, OrgUnit
from dangjian.organizations.terms import term_end

FIELDS = {"name", "kind", "formation", "region", "founded", "status", "contact_phone", "term_start", "term_end"}
GROUP_KINDS = {OrgKind.PARTY_GROUP, OrgKind.GRID_GROUP}
BRANCH_KINDS = {OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH}


def clean_organization(org: Organization, parent: Organization | None) -> None:
    errors = {}
    org.name = (org.name or "").strip()
    if org.kind in GROUP_KINDS and (parent is None or parent.kind not in BRANCH_KINDS):
        errors["kind"] = [_("党小组必须设在党支部之下")]
    if parent is not None and parent.kind in BRANCH_KINDS | GROUP_KINDS and org.kind not in GROUP_KINDS:
        errors["kind"] = [_("党支部之下只能设立党小组")]
    if org.kind == OrgKind.JOINT_BRANCH and org.formation != Formation.JOINT:
        errors["formation"] = [_("联合党支部的组建方式应为“联合组建”")]
    today = dt.date.today()
    if org.founded and org.founded > today:
        errors["founded"] = [_("成立日期不能晚于今天")]
    if org.term_start and org.term_start > today:
        errors["term_start"] = [_("任期开始日期不能晚于今天")]
    if org.term_start and not org.term_end:
        org.term_end = term_end(org.kind, org.term_start)
    if org.term_start and org.term_end and org.term_end <= org.term_start:
        errors["term_end"] = [_("任期届满日期应晚于开始日期")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organization(actor, parent: Organization | None, units=(), **data) -> Organization:
    org = Organization()
    apply_fields(org, data, FIELDS)
    if parent is not None:
        ensure_in_scope(actor, parent, "parent")
    elif actor is not None:
        ensure_in_scope(actor, org.region if org.region_id else None, "region")
    clean_organization(org, parent)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org = Organization.objects.add_child(parent, instance=org) if parent else Organization.objects.add_root(instance=org)
    audit.record(actor, audit.Action.CREATE, org, audit.snapshot(org))
    if units:
        set_units(actor, org, units)
    return org


@transaction.atomic
def update_organization(actor, org: Organization, **data) -> Organization:
    before = audit.snapshot(org)
    apply_fields(org, data, FIELDS)
    if "region" in data:
        ensure_in_scope(actor, org.region, "region")
    clean_organization(org, Organization.objects.get_parent(org))
    return save_with_audit(actor, org, before, exclude=["path", "depth", "numchild"])


def units_warning(org: Organization, count: int) -> str:
    """A joint branch normally covers at most N units (local rule); more is allowed but flagged."""
    limit = rule("organization.joint_branch_max_units")
    if org.kind == OrgKind.JOINT_BRANCH and count > limit:
        return _("联合党支部覆盖%(n)d家单位，超过一般不超过%(limit)d家的要求") % {"n": count, "limit": limit}
    return ""


def clean_units(org: Organization, units) -> None:
    """Rules on the set of units an organisation covers (also used by imports)."""
    if org.formation == Formation.OWN and len(units) > 1 and org.kind in BRANCH_KINDS:
        raise ValidationError({"units": _("单独组建的党支部只能覆盖一家单位，多家单位请建立联合党支部")})


@transaction.atomic
def set_units(actor, org: Organization, units) -> str:
    """Replace the units an organisation covers; returns a warning text (or "")."""
    units = list(dict.fromkeys(units))
    for unit in units:
        ensure_in_scope(actor, unit, "units")
    clean_units(org, units)
    before = sorted(org.unit_links.values_list("unit_id", flat=True))
    OrgUnit.objects.filter(organization=org).exclude(unit__in=units).delete()
    existing = set(before)
    OrgUnit.objects.bulk_create([OrgUnit(organization=org, unit=u) for u in units if u.pk not in existing])
    after = sorted(u.pk for u in units)
    if before != after:
        audit.record(actor, audit.Action.UPDATE, org, {"units": [before, after]})
    return units_warning(org, len(units))


@transaction.atomic
def appoint(actor, org: Organization, member, post: str, start: dt.date) -> CommitteeMember:
    """Put a member on the committee; a new secretary ends the previous one's post."""
    errors = {}
    if member.organization_id != org.pk and not member.organization.path.startswith(org.path):
        errors["member"] = [_("只能任命本组织的党员")]
    if start > dt.date.today():
        errors["start"] = [_("任职日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    if post == CommitteePost.SECRETARY:
        CommitteeMember.objects.filter(organization=org, post=post, end__isnull=True).update(end=start)
    cm = CommitteeMember(organization=org, member=member, post=post, start=start)
    save_with_audit(actor, cm)
    return cm


def current_secretary(org: Organization):
    cm = (
        CommitteeMember.objects.filter(organization=org, post=CommitteePost.SECRETARY, end__isnull=True)
        .select_related("member")
        .first()
    )
    return cm.member if cm else None
