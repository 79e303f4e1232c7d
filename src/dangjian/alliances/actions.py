"""Writes of linkage groups, pairings and the needs/resources market. District and town staff arrange groups and
pairs within their region; units publish items and record deals for themselves (staff for units in scope)."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.alliances import grouping
from dangjian.alliances.models import (Activity, Deal, Expert, Item, ItemCategory, ItemKind, LinkGroup, LinkMember,
                                       Pair, PairAction, PairKind, Post, Scheme, SixAction)
from dangjian.alliances.pairing import MAX_WEAK_PER_STRONG
from dangjian.alliances.strength import unit_strength
from dangjian.core import audit
from dangjian.core.actions import save_with_audit
from dangjian.core.geo import project_km
from dangjian.core.scoping import get_scope
from dangjian.core.uploads import attach
from dangjian.regions.models import Region
from dangjian.units.models import Unit, UnitStatus


def _ensure_region_staff(actor, region: Region) -> None:
    if actor is not None and not get_scope(actor, for_write=True).covers(region.path):
        raise ValidationError({"__all__": _("只有“%(r)s”的区、镇街（园区）管理员可以办理") % {"r": region}})


def _units_of(actor, unit_ids) -> list[Unit]:
    units = Unit.objects.scoped(actor) if actor is not None else Unit.objects.all()
    found = list(units.filter(pk__in=unit_ids, status=UnitStatus.OPERATING).select_related("region"))
    missing = set(unit_ids) - {u.pk for u in found}
    if missing:
        raise ValidationError({"units": _("%(n)d 家单位不存在、已不在营业或不在您的管理范围内") % {"n": len(missing)}})
    return found


def members_of(units: list[Unit], strengths: dict[int, float], region: Region) -> list[grouping.Member]:
    """Units as the grouping solver sees them: km coordinates, town, industry section, strength."""
    placed = [u for u in units if u.lng is not None and u.lat is not None]
    lat0 = sum(u.lat for u in placed) / len(placed) if placed else 30.0
    width = len(region.path) + Region.steplen
    return [grouping.Member(u.pk, *project_km(u.lng or 0, u.lat or lat0, lat0), u.region.path[:width],
                            u.industry_section or "", strengths.get(u.pk, 0.0)) for u in units]


@transaction.atomic
def propose_scheme(actor, region: Region, unit_ids: list[int], groups: int, name: str = "", seed: int = 1,
                   year: int | None = None) -> Scheme:
    """A draft grouping of the chosen units into ``groups`` linkage groups, each led by its strongest unit."""
    _ensure_region_staff(actor, region)
    units = _units_of(actor, unit_ids)
    if any(not u.region.path.startswith(region.path) for u in units):
        raise ValidationError({"units": _("所选单位须在“%(r)s”范围内") % {"r": region}})
    if len(units) < 2:  # two groups at the least, each of at least one unit
        raise ValidationError({"units": _("至少选择 2 家单位才能分组（已选 %(n)d 家）") % {"n": len(units)}})
    if not 2 <= groups <= max(2, len(units) // 2):
        raise ValidationError({"groups": _("%(n)d 家单位可分为 2 至 %(m)d 个组") % {"n": len(units),
                                                                               "m": max(2, len(units) // 2)}})
    strengths = unit_strength(units)
    result = grouping.solve(members_of(units, strengths, region), groups, seed)
    scheme = save_with_audit(actor, Scheme(name=name or _("%(r)s党建联动组") % {"r": region.name}, region=region,
                                           year=year or timezone.localdate().year, seed=seed,
                                           created_by=actor if getattr(actor, "is_authenticated", False) else None))
    made = LinkGroup.objects.bulk_create([LinkGroup(scheme=scheme, number=g + 1, name=_("第%(n)d联动组") % {"n": g + 1})
                                          for g in range(groups)])
    LinkMember.objects.bulk_create([LinkMember(group=made[g], scheme=scheme, unit=u)
                                    for u, g in zip(units, result.assignment)])
    for group in made:
        suggest_leader(group, strengths)
    return scheme


def leader_order(group: LinkGroup, strengths: dict[int, float] | None = None) -> list[int]:
    """The group's units strongest first: the leader rotates yearly among the three strongest ("1+1+N")."""
    ids = list(group.members.values_list("unit", flat=True))
    if strengths is None:
        strengths = unit_strength(list(Unit.objects.filter(pk__in=ids)))
    return sorted(ids, key=lambda u: (-strengths.get(u, 0), u))


def suggest_leader(group: LinkGroup, strengths: dict[int, float] | None = None, year: int | None = None) -> None:
    order = leader_order(group, strengths)
    turn = ((year or group.scheme.year) - group.scheme.year) % min(3, len(order)) if order else 0
    LinkGroup.objects.filter(pk=group.pk).update(leader_id=order[turn] if order else None)


def _draft(scheme: Scheme) -> None:
    if scheme.accepted:
        raise ValidationError({"__all__": _("方案已确定，不能再调整分组")})


@transaction.atomic
def move_unit(actor, scheme: Scheme, unit: Unit, group: LinkGroup) -> LinkMember:
    _ensure_region_staff(actor, scheme.region)
    _draft(scheme)
    if group.scheme_id != scheme.pk:
        raise ValidationError({"group": _("目标联动组不属于该方案")})
    member = LinkMember.objects.filter(scheme=scheme, unit=unit).first()
    if member is None:
        raise ValidationError({"unit": _("“%(u)s”不在该方案中") % {"u": unit}})
    before = member.group_id
    member.group, member.moved = group, True
    member.save(update_fields=["group", "moved"])
    if LinkGroup.objects.filter(pk=before, leader=unit).exists():  # its old group needs a new leader
        suggest_leader(LinkGroup.objects.select_related("scheme").get(pk=before))
    audit.record(actor, audit.Action.UPDATE, scheme, {"unit": unit.pk, "group": [before, group.pk]})
    return member


@transaction.atomic
def add_member(actor, group: LinkGroup, unit: Unit) -> LinkMember:
    """Put one more unit in a group; a unit belongs to one group of a scheme only."""
    _ensure_region_staff(actor, group.scheme.region)
    other = LinkMember.objects.filter(scheme=group.scheme, unit=unit).select_related("group").first()
    if other is not None:
        raise ValidationError({"unit": _("“%(u)s”已在本方案的“%(g)s”中，一家单位只能加入一个联动组") % {
            "u": unit, "g": other.group}})
    return LinkMember.objects.create(group=group, scheme=group.scheme, unit=unit)


@transaction.atomic
def set_leader(actor, group: LinkGroup, unit: Unit) -> LinkGroup:
    _ensure_region_staff(actor, group.scheme.region)
    if not group.members.filter(unit=unit).exists():
        raise ValidationError({"leader": _("牵头单位须是本组成员")})
    before = audit.snapshot(group)
    group.leader = unit
    return save_with_audit(actor, group, before)


@transaction.atomic
def accept_scheme(actor, scheme: Scheme) -> Scheme:
    """Fix a draft: every group must have members and a leader."""
    _ensure_region_staff(actor, scheme.region)
    _draft(scheme)
    problems = []
    for group in scheme.groups.all():
        if not group.members.exists():
            problems.append(_("“%(g)s”没有成员") % {"g": group})
        elif group.leader_id is None:
            problems.append(_("“%(g)s”还没有牵头单位") % {"g": group})
    if problems:
        raise ValidationError({"__all__": problems})
    before = audit.snapshot(scheme)
    scheme.accepted = True
    return save_with_audit(actor, scheme, before)


@transaction.atomic
def upload_agreement(actor, group: LinkGroup, upload) -> LinkGroup:
    _ensure_region_staff(actor, group.scheme.region)
    before = audit.snapshot(group)
    attach(group, "agreement", upload)
    return save_with_audit(actor, group, before)


@transaction.atomic
def post(actor, group: LinkGroup, text: str, upload=None) -> Post:
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写公告内容")})
    p = Post(group=group, text=text.strip(), author=actor if getattr(actor, "is_authenticated", False) else None)
    if upload is not None:
        attach(p, "file", upload)
    return save_with_audit(actor, p)


@transaction.atomic
def record_activity(actor, date: dt.date, title: str, *, group: LinkGroup | None = None, pair: Pair | None = None,
                    host: Unit | None = None, summary: str = "") -> Activity:
    region = group.scheme.region if group else pair.region
    _ensure_region_staff(actor, region)
    if date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写活动主题")})
    if group is not None and host is not None and not group.members.filter(unit=host).exists():
        raise ValidationError({"host": _("承办单位须是本组成员")})
    return save_with_audit(actor, Activity(group=group, pair=pair, date=date, title=title.strip(), host=host,
                                           summary=summary))


# --- pairings --------------------------------------------------------------------------------------------------

@transaction.atomic
def create_pair(actor, region: Region, kind: str, start: dt.date, *, strong=None, weak=None, unit=None,
                village=None, partner: str = "") -> Pair:
    _ensure_region_staff(actor, region)
    errors = {}
    if kind == PairKind.STRONG_WEAK:
        if strong is None or weak is None or strong == weak:
            errors["weak"] = [_("请选择帮带和受帮的两个不同党组织")]
        elif Pair.objects.filter(kind=kind, strong=strong).count() >= MAX_WEAK_PER_STRONG:
            errors["strong"] = [_("“%(o)s”已帮带 %(n)d 个党组织，不能再多") % {"o": strong, "n": MAX_WEAK_PER_STRONG}]
        elif Pair.objects.filter(kind=kind, weak=weak).exists():
            errors["weak"] = [_("“%(o)s”已有帮带党组织") % {"o": weak}]
    elif kind == PairKind.VILLAGE:
        if unit is None or village is None:
            errors["village"] = [_("请选择企业和村（社区）")]
    elif kind == PairKind.THREE_LINK:
        if not partner.strip() or weak is None:
            errors["partner"] = [_("请填写共建单位并选择非公企业党组织")]
    else:
        errors["kind"] = [_("请选择结对类型")]
    if errors:
        raise ValidationError(errors)
    return save_with_audit(actor, Pair(kind=kind, region=region, strong=strong, weak=weak, unit=unit,
                                       village=village, partner=partner.strip(), start=start))


@transaction.atomic
def create_strong_weak_pairs(actor, region: Region, pairs: list[tuple[int, int]]) -> list[Pair]:
    """Accept proposed (strong id, weak id) pairs: all of them or none."""
    from dangjian.organizations.models import Organization

    orgs = Organization.objects.scoped(actor) if actor is not None else Organization.objects.all()
    found = orgs.in_bulk({pk for pair in pairs for pk in pair})
    return [create_pair(actor, region, PairKind.STRONG_WEAK, timezone.localdate(), strong=found.get(s),
                        weak=found.get(w)) for s, w in pairs]


@transaction.atomic
def record_action(actor, pair: Pair, action: str, date: dt.date, evidence, note: str = "") -> PairAction:
    """One of the six required actions of an enterprise–village pair, done, with its evidence."""
    _ensure_region_staff(actor, pair.region)
    if action not in SixAction.values:
        raise ValidationError({"action": _("请选择共建事项")})
    if evidence is None:
        raise ValidationError({"evidence": _("请上传佐证材料（文件或照片）")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("完成日期不能晚于今天")})
    if pair.actions.filter(action=action).exists():
        raise ValidationError({"action": _("“%(a)s”已经登记过了") % {"a": SixAction(action).label}})
    done = PairAction(pair=pair, action=action, date=date, note=note)
    attach(done, "evidence", evidence)
    return save_with_audit(actor, done)


# --- the market ------------------------------------------------------------------------------------------------

def units_acting_for(actor):
    """The units a user publishes and records deals for: an enterprise its own, staff those they may write to."""
    return Unit.objects.filter(Q(pk__in=get_scope(actor).unit_ids) |
                               Q(pk__in=Unit.objects.scoped(actor, for_write=True).values("pk")))


def _own_unit(actor, unit: Unit) -> Unit:
    if actor is None or units_acting_for(actor).filter(pk=unit.pk).exists():
        return unit
    raise ValidationError({"unit": _("您不能代“%(u)s”发布或登记") % {"u": unit}})


@transaction.atomic
def publish_item(actor, unit: Unit, kind: str, title: str, description: str, category: str, valid_until: dt.date,
                 contact: str, quantity: str = "", alliance=None) -> Item:
    _own_unit(actor, unit)
    errors = {}
    if kind not in ItemKind.values:
        errors["kind"] = [_("请选择需求或资源")]
    if category not in ItemCategory.values:
        errors["category"] = [_("请选择类别")]
    if not (title or "").strip():
        errors["title"] = [_("请填写标题")]
    if not (description or "").strip():
        errors["description"] = [_("请写明具体内容")]
    if not (contact or "").strip():
        errors["contact"] = [_("请填写联系人")]
    if valid_until is None or valid_until < timezone.localdate():
        errors["valid_until"] = [_("有效期不能早于今天")]
    if errors:
        raise ValidationError(errors)
    return save_with_audit(actor, Item(kind=kind, unit=unit, title=title.strip(), description=description.strip(),
                                       category=category, valid_until=valid_until, contact=contact.strip(),
                                       quantity=quantity, alliance=alliance,
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None))


@transaction.atomic
def record_deal(actor, need: Item | None, resource: Item | None, value, date: dt.date, note: str = "") -> Deal:
    """A match that became business. Both sides must be there, still valid, and a match of each other."""
    from dangjian.alliances.matching import matches_for

    if need is None or resource is None:
        raise ValidationError({"__all__": _("成交须对应一条需求和与之匹配的一条资源")})
    if need.kind != ItemKind.NEED or resource.kind != ItemKind.RESOURCE:
        raise ValidationError({"__all__": _("成交须对应一条需求和与之匹配的一条资源")})
    _own_unit(actor, need.unit)
    today = timezone.localdate()
    for item in (need, resource):
        if item.valid_until < today:
            raise ValidationError({"__all__": _("“%(t)s”已过有效期（%(d)s）") % {"t": item.title, "d": item.valid_until}})
    if resource.pk not in {m.item.pk for m in matches_for(need, limit=50)}:
        raise ValidationError({"resource": _("“%(r)s”与该需求不匹配，不能登记成交") % {"r": resource.title}})
    try:
        value = round(float(value), 2)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise ValidationError({"value": _("成交金额须大于 0")})
    if date > today:
        raise ValidationError({"date": _("成交日期不能晚于今天")})
    return save_with_audit(actor, Deal(need=need, resource=resource, value=value, date=date, note=note,
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None))


@transaction.atomic
def add_expert(actor, unit: Unit, name: str, skills: str, title: str = "", contact: str = "") -> Expert:
    _own_unit(actor, unit)
    if not (name or "").strip() or not (skills or "").strip():
        raise ValidationError({"skills": _("请填写姓名和专长")})
    return save_with_audit(actor, Expert(unit=unit, name=name.strip(), skills=skills.strip(), title=title,
                                         contact=contact))


@transaction.atomic
def record_outcome(actor, pair: Pair, outcome: str) -> Pair:
    _ensure_region_staff(actor, pair.region)
    before = audit.snapshot(pair)
    pair.outcome = (outcome or "").strip()
    return save_with_audit(actor, pair, before)


@transaction.atomic
def link_expert(actor, need: Item, expert: Expert) -> Item:
    """Link an expert of the talent pool to a need (by the unit that published it)."""
    _own_unit(actor, need.unit)
    if need.kind != ItemKind.NEED:
        raise ValidationError({"expert": _("人才只能关联到需求")})
    need.experts.add(expert)
    audit.record(actor, audit.Action.UPDATE, need, {"experts": [None, expert.pk]})
    return need
