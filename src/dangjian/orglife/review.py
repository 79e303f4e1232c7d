"""民主评议党员 and 谈心谈话: yearly duties recorded per organisation, and mobile members hosted as guests."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, pii
from dangjian.core.actions import ensure_in_scope, save_with_audit
from dangjian.core.validators import normalize_citizen_id, validate_citizen_id
from dangjian.members import idcheck
from dangjian.members.models import Member, MemberStatus
from dangjian.orglife.models import Appraisal, Grade, HeartTalk, HostedMember, TalkKind
from dangjian.orglife.people import committee_ids
from dangjian.orglife.rules import max_excellent, may_be_excellent


def appraisal_members(organization):
    return Member.objects.filter(organization=organization, status=MemberStatus.NORMAL)


@transaction.atomic
def record_appraisal(actor, organization, year: int, grades: dict[int, str], meeting=None) -> list[Appraisal]:
    """Record (or correct) the year's grades for some or all members; 优秀 stays within a third of the
    organisation's members, counted over the whole year's result, not just this batch, and is not given to
    members who were probationary at the year's end unless the rule set allows it."""
    ensure_in_scope(actor, organization, "organization")
    if not year or year > timezone.localdate().year:
        raise ValidationError({"year": _("评议年度不能晚于今年")})
    if not grades:
        raise ValidationError({"grades": _("请至少为一名党员评定等次")})
    if any(g not in Grade.values for g in grades.values()):
        raise ValidationError({"grades": _("评议等次只能是优秀、合格、基本合格或不合格")})
    eligible = appraisal_members(organization)
    members = {m.pk: m for m in eligible.filter(pk__in=list(grades))}
    strangers = set(grades) - set(members)
    if strangers:
        raise ValidationError({"grades": _("%(n)d人不是本组织的党员，不能参加本组织评议") % {"n": len(strangers)}})
    barred = [m.name for pk, m in members.items()
              if grades[pk] == Grade.EXCELLENT and not may_be_excellent(m.category, m.confirm_date, year)]
    if barred:
        raise ValidationError({"grades": _("预备党员参加评议，但不能评为优秀：%(names)s") % {"names": "、".join(barred)}})
    existing = {a.member_id: a for a in Appraisal.objects.select_for_update().filter(organization=organization, year=year)}
    result = {pk: a.grade for pk, a in existing.items()} | grades
    excellent = sum(1 for g in result.values() if g == Grade.EXCELLENT)
    total = eligible.count()
    limit = max_excellent(total)
    if excellent > limit:
        raise ValidationError({"grades": _("优秀不能超过党员人数的三分之一：本组织%(n)d名党员，最多%(max)d名优秀，现为%(got)d名") % {
            "n": total, "max": limit, "got": excellent}})
    saved = []
    for pk, grade in grades.items():
        row = existing.get(pk) or Appraisal(organization=organization, year=year, member=members[pk])
        before = audit.snapshot(row) if row.pk else None
        row.grade, row.meeting, row.recorded_by = grade, meeting or row.meeting, actor
        saved.append(save_with_audit(actor, row, before))
    return saved


def talk_kind(a: int, b: int, committee: set[int]) -> str:
    inside = (a in committee) + (b in committee)
    return {2: TalkKind.COMMITTEE_COMMITTEE, 1: TalkKind.COMMITTEE_MEMBER, 0: TalkKind.MEMBER_MEMBER}[inside]


@transaction.atomic
def record_talk(actor, organization, date: dt.date, first: Member, second: Member, notes: str = "") -> HeartTalk:
    ensure_in_scope(actor, organization, "organization")
    errors = {}
    if date is None or date > timezone.localdate():
        errors["date"] = [_("谈话日期不能晚于今天")]
    if first is None or second is None or first.pk == second.pk:
        errors["second"] = [_("谈话双方须是两名不同的党员")]
    elif {first.organization_id, second.organization_id} != {organization.pk}:
        errors["second"] = [_("谈话双方须是本组织的党员")]
    if errors:
        raise ValidationError(errors)
    a, b = sorted([first, second], key=lambda m: m.pk)
    talk = HeartTalk(organization=organization, date=date, first=a, second=b, notes=(notes or "").strip(),
                     kind=talk_kind(a.pk, b.pk, committee_ids(organization, date)), recorded_by=actor)
    return save_with_audit(actor, talk)


def _not_hostable(member: Member | None, organization) -> str:
    """Why this member may not be hosted here ('' when they may): written to the audit log only."""
    if member is None:
        return "not_found"
    if member.status != MemberStatus.NORMAL:
        return "not_normal"
    if not member.is_mobile:
        return "not_mobile"
    if member.organization_id == organization.pk:
        return "own_member"
    return ""


def find_mobile_member(actor, organization, id_number: str, *, entry: str = idcheck.HOSTED) -> Member:
    """The mobile member a host secretary registers by the ID number they present (keyed-hash look-up, the
    number is never stored in clear). The host cannot see members of other organisations, so one neutral
    answer covers "no such member", "not mobile", "not a normal member" and "already ours": only a member
    whom the rules allow to be hosted here is revealed. Every look-up is audited and rate-limited."""
    number = normalize_citizen_id(id_number or "")
    try:
        validate_citizen_id(number)  # a typing mistake is said as such, without a look-up
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    masked, digest = pii.mask_citizen_id(number), pii.blind_index(number)
    idcheck.ensure_allowance(actor, entry, masked, digest)
    member = Member.objects.filter(id_number_hash=digest).first()
    reason = _not_hostable(member, organization)
    idcheck.record(actor, entry, masked, reason or "found", member.pk if member else None,
                   organization=organization.pk)
    idcheck.ID_LOOKUPS.spend(actor, [digest])
    if reason:
        raise ValidationError({"id_number": _("没有可在本组织登记的流动党员与该身份证号码对应。请核对号码；"
                                              "流动党员须先由其所在党组织登记为流动党员")})
    return member


@transaction.atomic
def host_member(actor, organization, member: Member, since: dt.date, until: dt.date | None = None) -> HostedMember:
    """A mobile member from elsewhere joins this organisation's life as a guest (no vote)."""
    ensure_in_scope(actor, organization, "organization")
    errors = {}
    if since is None or since > timezone.localdate() + dt.timedelta(days=31):
        errors["since"] = [_("请填写开始日期（不晚于一个月后）")]
    if member.organization_id == organization.pk:
        errors["member"] = [_("该党员本来就是本组织的党员")]
    if until and until < since:
        errors["until"] = [_("结束日期不能早于开始日期")]
    if HostedMember.objects.filter(organization=organization, member=member, until__isnull=True).exists():
        errors["member"] = [_("该流动党员已在本组织参加组织生活")]
    if errors:
        raise ValidationError(errors)
    return save_with_audit(actor, HostedMember(organization=organization, member=member, since=since, until=until))


@transaction.atomic
def end_hosting(actor, hosted: HostedMember, until: dt.date) -> HostedMember:
    ensure_in_scope(actor, hosted.organization, "organization")
    if until < hosted.since:
        raise ValidationError({"until": _("结束日期不能早于开始日期")})
    before = audit.snapshot(hosted)
    hosted.until = until
    return save_with_audit(actor, hosted, before)
