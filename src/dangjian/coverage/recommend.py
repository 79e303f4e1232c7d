"""What to do about each unit's coverage (domain-rules §6), for a batch of units at once.

* >= ``organization.own_branch_min_formal_members`` formal members and no own organisation
  -> form its own organisation (branch, general branch or primary committee by size);
* 1-2 members (fewer formal members than that) -> join the nearest existing joint branch that
  has fewer than ``organization.joint_branch_max_units`` operating units, within
  ``coverage.joint_candidate_radius_km`` (haversine on lng/lat; same town when coordinates are
  missing), listing up to ``coverage.joint_candidate_count`` candidates; if there is none, form
  a new joint branch with nearby uncovered units;
* 0 members -> for a micro unit (< 10 staff) in a village/community whose village/community has
  an active organisation of its own, hand it to that organisation (兜底); otherwise assign a
  party-building instructor (党建指导员).
Mobile members employed at the unit are mentioned: they take part as mobile members.

``assess_units`` runs at most eight queries for any number of units (a page at a time).
"""
import heapq
import math
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.geo import EARTH_RADIUS_KM, haversine_km
from dangjian.core.rules import rule
from dangjian.coverage.models import WorkLinkKind
from dangjian.coverage.queries import member_count, open_work_links, today
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import Formation, Organization, OrgStatus, OrgUnit
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import SIZE_BAND_BOUNDS, SizeBand, Unit, UnitStatus

TOWN_KINDS = {RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP, RegionKind.PARK}
VILLAGE_KINDS = {RegionKind.VILLAGE, RegionKind.COMMUNITY}
MICRO_MAX_EMPLOYEES = next(high for band, _low, high in SIZE_BAND_BOUNDS if band == SizeBand.MICRO)


class Action(models.TextChoices):
    NOT_OPERATING = "not_operating", gettext_lazy("不在营")
    HAS_OWN = "has_own", gettext_lazy("已单独组建")
    COVERED = "covered", gettext_lazy("已覆盖")
    FORM_OWN = "form_own", gettext_lazy("单独组建党组织")
    JOIN_JOINT = "join_joint", gettext_lazy("就近加入联合党支部")
    FORM_JOINT = "form_joint", gettext_lazy("联合组建联合党支部")
    FALLBACK = "fallback", gettext_lazy("村（社区）党组织兜底覆盖")
    INSTRUCTOR = "instructor", gettext_lazy("选派党建指导员")


@dataclass
class Candidate:
    """An existing joint branch a unit could join."""

    organization_id: int
    name: str
    units: int
    distance_km: float | None
    same_industry: bool
    same_town: bool


@dataclass
class Partner:
    """A nearby uncovered unit to form a new joint branch with."""

    unit_id: int
    name: str
    distance_km: float | None
    same_industry: bool


@dataclass
class Recommendation:
    unit_id: int
    action: str
    title: str
    reason: str
    members: int = 0
    formal_members: int = 0
    mobile_members: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    fallback_organization: dict | None = None

    @property
    def needs_action(self) -> bool:
        return self.action not in (Action.HAS_OWN, Action.COVERED, Action.NOT_OPERATING)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class UnitCoverage:
    """A unit's coverage status: the three flags, what gives them, and the recommendation."""

    unit_id: int
    covered: bool
    own: bool
    work: bool
    organizations: list[dict]
    work_links: list[dict]
    recommendation: Recommendation

    def as_dict(self) -> dict:
        data = asdict(self)
        data["recommendation"] = self.recommendation.as_dict()
        return data


def _distance(a: dict, b: dict) -> float | None:
    if None in (a["lng"], a["lat"], b["lng"], b["lat"]):
        return None
    return round(haversine_km(a["lng"], a["lat"], b["lng"], b["lat"]), 2)


def _window(radius_km: float, lat: float) -> tuple[float, float]:
    """Half-widths (degrees of latitude, of longitude) of a box around ``lat`` holding every point
    within ``radius_km`` (haversine): about one per cent too large, never too small."""
    dlat = radius_km / 111.0 * 1.01  # a degree of latitude is 111.19 km on EARTH_RADIUS_KM
    far = min(89.0, abs(lat) + dlat)  # the box's latitude farthest from the equator: widest longitude span
    return dlat, min(180.0, dlat / max(0.01, math.cos(math.radians(far))))


def _prefixes(path: str) -> list[str]:
    step = Region.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _scoped(model, user):
    return model.objects.all() if user is None else model.objects.scoped(user)


def assess_units(units, user=None) -> dict[int, UnitCoverage]:
    """Coverage status and recommendation for each unit (Unit objects or ids), keyed by unit id.

    ``user`` limits the joint branches, partner units and village organisations offered to those
    in the user's scope; None (operator tools) offers everything.
    """
    ids = [getattr(u, "pk", u) for u in units]
    if not ids:
        return {}
    day = today()
    info = {
        r["pk"]: r
        for r in Unit.objects.filter(pk__in=ids).values(
            "pk", "name", "status", "employees", "lng", "lat", "industry_section", "region__path"
        )
    }
    stats = {
        r["employer"]: r
        for r in Member.objects.filter(employer__in=ids, status=MemberStatus.NORMAL)
        .values("employer").order_by()
        .annotate(total=Count("pk"), formal=Count("pk", filter=Q(category=Category.FORMAL)),
                  mobile=Count("pk", filter=Q(is_mobile=True)))
    }
    orgs: dict[int, list[dict]] = {}
    for r in OrgUnit.objects.filter(unit__in=ids, organization__status=OrgStatus.ACTIVE).values(
        "unit_id", "organization_id", "organization__name", "organization__formation"
    ).order_by("organization__path"):
        orgs.setdefault(r["unit_id"], []).append(
            {"id": r["organization_id"], "name": r["organization__name"], "formation": r["organization__formation"]}
        )
    links: dict[int, list[dict]] = {}
    for r in open_work_links(day, unit_ref=None).filter(unit__in=ids).values("unit_id", "kind", "person_name").order_by("start", "pk"):
        links.setdefault(r["unit_id"], []).append(
            {"kind": r["kind"], "kind_label": str(WorkLinkKind(r["kind"]).label), "person_name": r["person_name"]}
        )

    plan = _Planner(user, info)
    result = {}
    for uid in ids:
        if uid not in info:
            continue
        s = stats.get(uid, {"total": 0, "formal": 0, "mobile": 0})
        unit_orgs = orgs.get(uid, [])
        own = any(o["formation"] == Formation.OWN for o in unit_orgs)
        covered = bool(unit_orgs)
        rec = Recommendation(uid, "", "", "", s["total"], s["formal"], s["mobile"])
        result[uid] = UnitCoverage(uid, covered, own, covered or bool(links.get(uid)), unit_orgs, links.get(uid, []), rec)
        if info[uid]["status"] != UnitStatus.OPERATING:
            rec.action, rec.title = Action.NOT_OPERATING, str(Action.NOT_OPERATING.label)
            rec.reason = _("单位状态为“%(status)s”，不计入覆盖统计。") % {"status": UnitStatus(info[uid]["status"]).label}
        else:
            plan.classify(rec, unit_orgs, own)
    plan.resolve(result, links)
    return result


def recommend_units(units, user=None) -> dict[int, Recommendation]:
    """The recommendation for each unit, keyed by unit id (see assess_units)."""
    return {uid: cov.recommendation for uid, cov in assess_units(units, user).items()}


class _Planner:
    """Sorts units into the rule's branches, then fills in candidates with a few batched queries."""

    def __init__(self, user, info):
        self.user, self.info = user, info
        self.min_formal = rule("organization.own_branch_min_formal_members")
        self.max_units = rule("organization.joint_branch_max_units")
        self.radius = float(rule("coverage.joint_candidate_radius_km"))
        self.count = int(rule("coverage.joint_candidate_count"))
        self.joint, self.zero = [], []

    def classify(self, rec: Recommendation, unit_orgs: list[dict], own: bool) -> None:
        names = "、".join(f"“{o['name']}”" for o in unit_orgs)
        if own:
            rec.action, rec.reason = Action.HAS_OWN, _("已建立党组织%(orgs)s。") % {"orgs": names}
        elif rec.formal_members >= self.min_formal:
            rec.action = Action.FORM_OWN
            rec.title = self._own_title(rec.members)
            rec.reason = _("有正式党员%(formal)d名（不少于%(min)d名），尚未单独建立党组织，应单独组建。") % {
                "formal": rec.formal_members, "min": self.min_formal}
            if unit_orgs:
                rec.reason = _("目前由%(orgs)s覆盖；") % {"orgs": names} + rec.reason
        elif unit_orgs:
            rec.action, rec.reason = Action.COVERED, _("已由%(orgs)s覆盖。") % {"orgs": names}
        elif rec.members:
            self.joint.append(rec)
        else:
            self.zero.append(rec)
        if rec.action:
            rec.title = rec.title or str(Action(rec.action).label)
            self._mobile_note(rec)

    def _own_title(self, members: int) -> str:
        if members > rule("organization.general_branch_max_members"):
            return _("单独组建基层党委")
        if members > rule("organization.branch_max_members"):
            return _("单独组建党总支")
        return _("单独组建党支部")

    @staticmethod
    def _mobile_note(rec: Recommendation) -> None:
        if rec.mobile_members:
            rec.reason += _("其中%(n)d名为流动党员，组织关系在外，以流动党员身份参加组织生活。") % {"n": rec.mobile_members}

    def resolve(self, result, links) -> None:
        if not (self.joint or self.zero):
            return
        self._load_regions()
        if self.joint:
            self._joint_candidates()
        if self.zero:
            self._zero_members(links)
        for rec in self.joint + self.zero:
            rec.title = str(Action(rec.action).label)
            self._mobile_note(rec)

    def _load_regions(self) -> None:
        """Each unit's town (镇街园区) and village/community, from its ancestors (one query)."""
        todo = [r.unit_id for r in self.joint + self.zero]
        wanted = {p for uid in todo for p in _prefixes(self.info[uid]["region__path"])}
        found = {
            r["path"]: r
            for r in Region.objects.filter(path__in=wanted, kind__in=TOWN_KINDS | VILLAGE_KINDS).values("pk", "path", "kind", "name")
        }
        self.town, self.village = {}, {}
        for uid in todo:
            for prefix in _prefixes(self.info[uid]["region__path"]):
                region = found.get(prefix)
                if region and region["kind"] in TOWN_KINDS:
                    self.town[uid] = prefix
                elif region and region["kind"] in VILLAGE_KINDS:
                    self.village[uid] = region

    def _near(self, uid: int, other: dict, other_path: str) -> tuple[bool, float | None, bool]:
        """(is near, distance, same town): within the radius, or same town when coordinates lack."""
        unit = self.info[uid]
        distance = _distance(unit, other)
        town = self.town.get(uid)
        same_town = other_path.startswith(town) if town else other_path == unit["region__path"]
        if distance is not None:
            return distance <= self.radius, distance, same_town
        return same_town, None, same_town

    def _joint_candidates(self) -> None:
        branches = _scoped(Organization, self.user).filter(status=OrgStatus.ACTIVE, formation=Formation.JOINT)
        rows = OrgUnit.objects.filter(organization__in=branches.values("pk"), unit__status=UnitStatus.OPERATING).values_list(
            "organization_id", "organization__name", "unit__lng", "unit__lat", "unit__industry_section", "unit__region__path"
        )
        per_branch: dict[int, dict] = {}
        for org_id, name, lng, lat, industry, path in rows:
            b = per_branch.get(org_id)
            if b is None:
                b = per_branch[org_id] = {"name": name, "units": []}
            b["units"].append({"lng": lng, "lat": lat, "industry": industry, "path": path})
        open_branches = {k: v for k, v in per_branch.items() if len(v["units"]) < self.max_units}
        order = {org_id: i for i, org_id in enumerate(open_branches)}
        industries = {org_id: {u["industry"] for u in b["units"]} for org_id, b in open_branches.items()}
        # Bounding-box pre-filter: the branches' units with coordinates sorted by latitude, so a unit
        # only measures its distance to those inside its lat/lng window (a superset of the radius);
        # units without coordinates are near when in the same town. Same formula as haversine_km.
        placed = sorted(
            (u["lat"], u["lng"], math.radians(u["lat"]), org_id)
            for org_id, b in open_branches.items() for u in b["units"] if u["lng"] is not None and u["lat"] is not None
        )
        lats = [p[0] for p in placed]
        unplaced = [(org_id, u["path"]) for org_id, b in open_branches.items() for u in b["units"]
                    if u["lng"] is None or u["lat"] is None]
        radius, sin, cos, asin, sqrt, radians = self.radius, math.sin, math.cos, math.asin, math.sqrt, math.radians
        no_candidates = []
        for rec in self.joint:
            unit = self.info[rec.unit_id]
            town, own_path = self.town.get(rec.unit_id), unit["region__path"]

            def same_town(path, town=town, own_path=own_path):
                return path.startswith(town) if town else path == own_path

            best: dict[int, float | None] = {}  # near branch -> distance to its nearest near unit
            if unit["lng"] is not None and unit["lat"] is not None:
                for org_id, path in unplaced:
                    if same_town(path):
                        best.setdefault(org_id, None)
                lng1, lat1 = unit["lng"], unit["lat"]
                p1 = radians(lat1)
                cos1 = cos(p1)
                dlat, dlng = _window(radius, lat1)
                for _lat, lng, p2, org_id in placed[bisect_left(lats, lat1 - dlat):bisect_right(lats, lat1 + dlat)]:
                    if abs(lng - lng1) > dlng:
                        continue
                    a = sin((p2 - p1) / 2) ** 2 + cos1 * cos(p2) * sin(radians(lng - lng1) / 2) ** 2
                    d = round(2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a))), 2)
                    if d <= radius:
                        prev = best.get(org_id)
                        if prev is None or d < prev:
                            best[org_id] = d
            else:  # no coordinates: near means the same town, for every unit of a branch
                for org_id, b in open_branches.items():
                    if any(same_town(u["path"]) for u in b["units"]):
                        best[org_id] = None
            # nearest first, same trade first, then by name (nsmallest: the same as sorted()[:n])
            industry = unit["industry_section"]
            ranked = heapq.nsmallest(self.count, sorted(best, key=order.__getitem__), key=lambda org_id: (
                best[org_id] is None, best[org_id] or 0, industry not in industries[org_id], open_branches[org_id]["name"]))
            rec.candidates = [
                Candidate(org_id, open_branches[org_id]["name"], len(open_branches[org_id]["units"]), best[org_id],
                          industry in industries[org_id], any(same_town(u["path"]) for u in open_branches[org_id]["units"]))
                for org_id in ranked
            ]
            if rec.candidates:
                rec.action = Action.JOIN_JOINT
                best = rec.candidates[0]
                where = (_("相距%(d).1f公里") % {"d": best.distance_km}) if best.distance_km is not None else _("同一镇街")
                rec.reason = _(
                    "有党员%(n)d名（正式党员%(formal)d名，不足%(min)d名），建议就近加入联合党支部“%(org)s”（%(where)s%(trade)s，现覆盖%(units)d家单位）。"
                ) % {"n": rec.members, "formal": rec.formal_members, "min": self.min_formal, "org": best.name,
                     "where": where, "trade": _("，同行业") if best.same_industry else "", "units": best.units}
            else:
                no_candidates.append(rec)
        if no_candidates:
            self._partners(no_candidates)

    def _partners(self, recs: list[Recommendation]) -> None:
        """Nearby uncovered units with too few formal members of their own (one query)."""
        area = Q(pk__in=[])
        for rec in recs:
            unit = self.info[rec.unit_id]
            town = self.town.get(rec.unit_id)
            same_town = Q(region__path__startswith=town) if town else Q(region__path=unit["region__path"])
            if unit["lng"] is not None and unit["lat"] is not None:
                dlat = self.radius / 111.0
                dlng = self.radius / (111.0 * max(0.01, math.cos(math.radians(unit["lat"]))))
                area |= Q(lng__range=(unit["lng"] - dlng, unit["lng"] + dlng), lat__range=(unit["lat"] - dlat, unit["lat"] + dlat))
                area |= Q(lng__isnull=True) & same_town
            else:
                area |= same_town
        covered = OrgUnit.objects.filter(unit=OuterRef("pk"), organization__status=OrgStatus.ACTIVE)
        rows = list(
            _scoped(Unit, self.user).filter(area, status=UnitStatus.OPERATING).exclude(Exists(covered))
            .annotate(formal=member_count(category=Category.FORMAL)).filter(formal__lt=self.min_formal)
            .values("pk", "name", "lng", "lat", "industry_section", "region__path")
        )
        for rec in recs:
            unit = self.info[rec.unit_id]
            partners = []
            for r in rows:
                if r["pk"] == rec.unit_id:
                    continue
                near, distance, _same_town = self._near(rec.unit_id, r, r["region__path"])
                if near:
                    partners.append(Partner(r["pk"], r["name"], distance, r["industry_section"] == unit["industry_section"]))
            partners.sort(key=lambda p: (p.distance_km is None, p.distance_km or 0, not p.same_industry, p.name))
            rec.partners = partners[: self.max_units - 1]
            rec.action = Action.FORM_JOINT
            params = {"n": rec.members, "formal": rec.formal_members, "min": self.min_formal, "r": self.radius,
                      "max": self.max_units}
            rec.reason = _(
                "有党员%(n)d名（正式党员%(formal)d名，不足%(min)d名），附近%(r)g公里内没有未满%(max)d家单位的联合党支部，"
            ) % params
            if rec.partners:
                rec.reason += _("建议与附近未覆盖单位%(names)s联合组建联合党支部。") % {
                    "names": "、".join(f"“{p.name}”" for p in rec.partners)}
            else:
                rec.reason += _("附近也没有可联合的未覆盖单位，建议由所在镇街统筹组建联合党支部或先选派党建指导员。")

    def _zero_members(self, links) -> None:
        fallback_regions = {
            self.village[rec.unit_id]["pk"]
            for rec in self.zero
            if rec.unit_id in self.village and self.info[rec.unit_id]["employees"] <= MICRO_MAX_EMPLOYEES
        }
        village_org = {}
        if fallback_regions:
            has_units = OrgUnit.objects.filter(organization=OuterRef("pk"))
            own_orgs = (
                _scoped(Organization, self.user).filter(status=OrgStatus.ACTIVE, region__in=fallback_regions)
                .filter(Q(formation=Formation.FALLBACK) | ~Exists(has_units))
                .values("pk", "name", "region_id", "formation", "depth", "path")
            )
            for r in sorted(own_orgs, key=lambda r: (r["formation"] != Formation.FALLBACK, r["depth"], r["path"])):
                village_org.setdefault(r["region_id"], {"id": r["pk"], "name": r["name"]})
        for rec in self.zero:
            unit = self.info[rec.unit_id]
            village = self.village.get(rec.unit_id)
            org = village_org.get(village["pk"]) if village else None
            if org and unit["employees"] <= MICRO_MAX_EMPLOYEES:
                rec.action, rec.fallback_organization = Action.FALLBACK, org
                rec.reason = _(
                    "暂无党员，从业人员%(emp)d人（不足%(micro)d人），建议由%(village)s党组织“%(org)s”兜底覆盖。"
                ) % {"emp": unit["employees"], "micro": MICRO_MAX_EMPLOYEES + 1, "village": village["name"], "org": org["name"]}
                continue
            rec.action = Action.INSTRUCTOR
            instructors = [l["person_name"] or l["kind_label"] for l in links.get(rec.unit_id, []) if l["kind"] == WorkLinkKind.INSTRUCTOR]
            if instructors:
                rec.reason = _("暂无党员，已有党建指导员%(names)s联系，继续开展党的工作，注意培养入党积极分子。") % {
                    "names": "、".join(instructors)}
            else:
                rec.reason = _("暂无党员，建议选派党建指导员，开展党的工作，培养入党积极分子。")
