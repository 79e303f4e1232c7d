"""The party organisation tree, the units each covers, its members and committee.

    town/street/park committee (中共××镇委员会 / ××街道工作委员会 / ××工作委员会)
      ├ its office branch (××机关党支部): the committee's own cadres (members are never registered in a 党委)
      ├ village / community organisation (兜底: covers micro units nearby; 党委/党总支 have branches)
      ├ a firm's own branch, general branch or committee (+ branches) (+ party groups)
      └ joint branches (联合党支部) of 2–5 units (a few of 6, which the ≤5 rule flags)
"""
import datetime as dt
import math

from dangjian.demo.context import Ctx
from dangjian.demo.identifiers import mobile
from dangjian.demo.people import MemberFactory
from dangjian.demo.trees import TreeBuilder
from dangjian.members.models import Category, MemberStatus
from dangjian.organizations.models import CommitteeMember, CommitteePost, Formation, Organization, OrgKind, OrgStatus, OrgUnit
from dangjian.organizations.terms import add_months, term_end, term_years
from dangjian.units.models import UnitKind, UnitStatus

CN = "一二三四五六七八九十"
SECTION_WORDS = {
    "A": "农业", "C": "制造业", "D": "能源", "E": "建筑业", "F": "商贸", "G": "交通物流", "H": "餐饮住宿",
    "I": "信息技术", "J": "金融", "K": "房地产", "L": "商务服务", "M": "科技服务", "N": "环境公用",
    "O": "居民服务", "P": "教育培训", "Q": "医疗养老", "R": "文化体育", "S": "社会组织",
}
DEPARTMENTS = ("机关", "生产一部", "生产二部", "技术研发中心", "销售公司", "质量管理部", "物流中心", "设备动力部",
               "生产三部", "安全环保部", "财务审计部", "后勤服务中心")


def cn(n: int) -> str:
    """Chinese numeral for 1–99 (第一, 第十二, 第四十五); larger numbers stay in digits."""
    if n >= 100:
        return str(n)
    if n <= 10:
        return CN[n - 1]
    return ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")


def role_of(unit) -> str:
    if unit.industry_division == "60":
        return "courier"
    return {UnitKind.SOCIAL_ORG: "social", UnitKind.INDIVIDUAL_BUSINESS: "shop"}.get(unit.kind, "worker")


class OrgBuilder:
    def __init__(self, ctx: Ctx):
        self.ctx, self.rng, self.p = ctx, ctx.rng, ctx.profile
        self.tree = TreeBuilder(Organization)
        self.people = MemberFactory(ctx)
        self.members_of: dict[int, list] = {}
        self.units_of: dict[int, list] = {}
        self.joint_counts: dict[str, int] = {}
        self.names: set[str] = set()
        self.committee_pool: dict[int, list] = {}  # a committee chosen from other members than its own (none)

    # -- helpers -------------------------------------------------------------------------------
    def founded_after(self, earliest: dt.date) -> dt.date:
        """When an organisation was formed: some in the last year, so coverage grows month by month."""
        latest = self.ctx.today - dt.timedelta(days=7)
        if self.rng.random() < 0.08:
            day = self.ctx.days_ago(10, 360)
        else:
            day = earliest + dt.timedelta(days=self.rng.randint(90, 2500))
        if day > latest:
            day = self.ctx.date_between(earliest, latest)
        return min(max(day, earliest), latest)

    def org(self, name, kind, region, parent=None, *, formation=Formation.OWN, founded=None,
            status=OrgStatus.ACTIVE, units=(), phone=None):
        if name in self.names:
            name = next(f"{name}（{n}）" for n in range(2, 10_000) if f"{name}（{n}）" not in self.names)
        self.names.add(name)
        if phone is None:
            phone = mobile(self.rng) if kind != OrgKind.PARTY_GROUP else ""
        node = Organization(name=name, kind=kind, formation=formation, region=region, founded=founded,
                            status=status, contact_phone=phone)
        self.tree.add(node, parent)
        self.ctx.orgs.append(node)
        self.ctx.org_units.extend(OrgUnit(organization=node, unit=u) for u in units)
        self.units_of[id(node)] = list(units)
        return node

    def staff(self, org, n, employer=None, role="worker", home=None, min_formal=3, probationary=0.08):
        made = self.members_of.setdefault(id(org), [])
        for i in range(n):
            prob = i >= min_formal and self.rng.random() < probationary
            made.append(self.people.make(org, employer, role, probationary=prob, home=home))

    def with_branches(self, name, kind, region, parent, n_members, *, formation, founded, child_prefix, units=(),
                      employer=None, role="worker", home=None, child_names=None):
        """An organisation of `n_members`; a general branch or committee spreads them over branches."""
        top = self.org(name, kind, region, parent, formation=formation, founded=founded, units=units)
        if kind == OrgKind.BRANCH:
            leaves = [top]
        else:
            count = max(2, math.ceil(n_members / 45)) if kind == OrgKind.PRIMARY_COMMITTEE else (2 if n_members < 75 else 3)
            names = child_names or [f"第{cn(i)}党支部" for i in range(1, count + 1)]
            leaves = [self.org(f"{child_prefix}{names[i]}",
                               OrgKind.BRANCH, region, top, formation=formation,
                               founded=min(self.ctx.today - dt.timedelta(days=5),
                                           founded + dt.timedelta(days=self.rng.randint(0, 1500))))
                      for i in range(count)]
        share = [n_members // len(leaves) + (1 if i < n_members % len(leaves) else 0) for i in range(len(leaves))]
        for leaf, n in zip(leaves, share):
            self.staff(leaf, n, employer, role, home)
            if n >= 12 and self.rng.random() < 0.35:
                for g in range(1, self.rng.randint(2, 3) + 1):
                    self.org(f"{leaf.name}第{cn(g)}党小组", OrgKind.PARTY_GROUP, region, leaf,
                             formation=formation, founded=leaf.founded)
        return top, leaves

    def exact_park(self, zone) -> bool:
        """The park's branch count is calibrated: no extra (suspended or dissolved) branches there."""
        return zone.is_park and self.p.park_branches is not None

    # -- the tree ------------------------------------------------------------------------------
    def build(self, joint_groups):
        ctx, rng, p = self.ctx, self.rng, self.p
        jobs = len(ctx.zones) + len(joint_groups) + sum(len(z.villages) for z in ctx.zones) + len(ctx.units)
        done = 0
        joint_by_zone = {}
        for group in joint_groups:
            joint_by_zone.setdefault(id(group[0].zone), []).append(group)
        for zone in ctx.zones:
            town = zone.region
            if zone.is_park:
                root_name, founded = f"中共{town.name}工作委员会", dt.date(rng.randint(2010, 2016), rng.randint(1, 12), 1)
            elif town.kind == "street":
                root_name, founded = f"中共{p.district}{town.name}工作委员会", dt.date(rng.randint(1955, 2001), rng.randint(1, 12), 1)
            else:
                root_name, founded = f"中共{p.district}{town.name}委员会", dt.date(rng.randint(1950, 1995), rng.randint(1, 12), 1)
            root = self.org(root_name, OrgKind.PRIMARY_COMMITTEE, town, founded=founded)
            # The committee's cadres are members of its office branch (same office phone: no extra draw, so the
            # rest of the district comes out as before), and its committee is chosen from them.
            office = self.org(f"{town.name}机关党支部", OrgKind.BRANCH, town, root, founded=founded,
                              phone=root.contact_phone)
            self.staff(office, 3, role="cadre", home=(town.name, ""), probationary=0)
            self.committee_pool[id(root)] = self.members_of[id(office)]
            village_leaves = {}
            for village in zone.villages:
                community = village.kind == "community"
                n = rng.randint(*(p.community_members if community else p.village_members))
                kind = OrgKind.BRANCH if n <= 50 else OrgKind.GENERAL_BRANCH if n <= 100 else OrgKind.PRIMARY_COMMITTEE
                suffix = {OrgKind.BRANCH: "党支部", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.PRIMARY_COMMITTEE: "党委"}[kind]
                covered = [u for u in zone.units if u.village is village and getattr(u, "cover", None) == "fallback"]
                top, leaves = self.with_branches(
                    f"{town.name}{village.name}{suffix}", kind, village, root, n, formation=Formation.FALLBACK,
                    child_prefix=f"{town.name}{village.name}",
                    founded=dt.date(rng.randint(1952, 2008), rng.randint(1, 12), 1), units=covered,
                    role="community" if community else "village", home=(town.name, village.name))
                village_leaves[id(village)] = leaves
                done += 1
            for unit in zone.units:
                if unit.status == UnitStatus.OPERATING and unit.cover == "own":
                    self.own(unit, root)
                elif unit.status != UnitStatus.OPERATING:
                    self.former(unit, root)
                elif unit.cover is None and unit.n_members:
                    leaves = village_leaves.get(id(unit.village)) or rng.choice(list(village_leaves.values()))
                    self.staff(rng.choice(leaves), unit.n_members, unit, role_of(unit),
                               home=(town.name, unit.village.name if unit.village else ""))
                done += 1
                if done % 500 == 0:
                    ctx.report("organizations", done, jobs)
            for group in joint_by_zone.get(id(zone), []):
                self.joint(group, root)
                done += 1
            self.dissolved_joint(zone, root)
            done += 1
            ctx.report("organizations", done, jobs)
        return self.tree.assign()

    def own(self, unit, root):
        kind = {"committee": OrgKind.PRIMARY_COMMITTEE, "general": OrgKind.GENERAL_BRANCH}.get(unit.structure, OrgKind.BRANCH)
        name = {"committee": f"中共{unit.name}委员会", "general": f"{unit.name}党总支"}.get(unit.structure, f"{unit.name}党支部")
        child_names = [f"{d}党支部" for d in DEPARTMENTS] + [f"第{cn(i)}党支部" for i in range(1, 20)]
        self.with_branches(name, kind, unit.region, root, unit.n_members, formation=Formation.OWN,
                           founded=self.founded_after(unit.founded), units=[unit], employer=unit, child_prefix=unit.name,
                           role=role_of(unit), home=(unit.zone.region.name, unit.village.name if unit.village else ""),
                           child_names=child_names if kind == OrgKind.PRIMARY_COMMITTEE else None)

    def former(self, unit, root):
        """Suspended units often keep their branch for a while; closed units' branches were dissolved."""
        if self.exact_park(unit.zone) or unit.employees < 5 or self.rng.random() < 0.5:
            return
        if unit.status == UnitStatus.SUSPENDED:
            org = self.org(f"{unit.name}党支部", OrgKind.BRANCH, unit.region, root, founded=self.founded_after(unit.founded), units=[unit])
            self.staff(org, self.rng.randint(3, min(6, unit.employees)), unit, role_of(unit),
                       home=(unit.zone.region.name, ""))
        else:
            self.org(f"{unit.name}党支部", OrgKind.BRANCH, unit.region, root, founded=self.founded_after(unit.founded),
                     status=OrgStatus.DISSOLVED, units=[unit])

    def joint_name(self, group, zone_name):
        places = {u.place.name for u in group if u.place}
        if len(places) == 1 and all(u.place for u in group):
            return f"{places.pop()}联合党支部"
        if all(u.industry_division == "60" for u in group):
            return f"{zone_name}快递物流行业联合党支部"
        sections = [u.industry_section for u in group]
        word = SECTION_WORDS.get(max(set(sections), key=lambda s: (sections.count(s), s)), "")
        return f"{zone_name}{word}联合党支部"

    def joint(self, group, root):
        """Formed once its first unit was there; units founded later joined it afterwards."""
        zone = group[0].zone
        places = {id(u.place) for u in group}
        region = group[0].place if len(places) == 1 and group[0].place else zone.region
        base = self.joint_name(group, zone.region.name)
        self.joint_counts[base] = k = self.joint_counts.get(base, 0) + 1
        name = base if k == 1 else base.replace("联合党支部", f"第{cn(k)}联合党支部")
        org = self.org(name, OrgKind.JOINT_BRANCH, region, root, formation=Formation.JOINT,
                       founded=self.founded_after(min(u.founded for u in group)), units=group)
        for unit in group:
            self.staff(org, unit.n_members, unit, role_of(unit), home=(zone.region.name, unit.village.name if unit.village else ""),
                       min_formal=unit.n_members)
        if len(self.members_of.get(id(org), [])) >= 10 and self.rng.random() < 0.3:
            self.org(f"{org.name}第一党小组", OrgKind.PARTY_GROUP, region, org, formation=Formation.JOINT, founded=org.founded)

    def dissolved_joint(self, zone, root):
        """Now and then a joint branch was dissolved; its units are blank spots again."""
        blank = [u for u in zone.units if u.status == UnitStatus.OPERATING and u.cover is None]
        if self.exact_park(zone) or len(blank) < 4 or self.rng.random() < 0.7:
            return
        group = self.rng.sample(blank, self.rng.randint(2, 3))
        self.org(f"{zone.region.name}{self.rng.choice(list(SECTION_WORDS.values()))}联合党支部（已撤销）",
                 OrgKind.JOINT_BRANCH, zone.region, root, formation=Formation.JOINT,
                 founded=self.founded_after(min(u.founded for u in group)), status=OrgStatus.DISSOLVED, units=group)

    # -- terms and committees ------------------------------------------------------------------
    def committees(self):
        ctx, rng, today = self.ctx, self.rng, self.ctx.today
        for org in ctx.orgs:
            if org.kind in (OrgKind.PARTY_GROUP, OrgKind.GRID_GROUP) or org.status != OrgStatus.ACTIVE:
                continue
            # A committee is chosen from its own members, or (党委/党总支 over branches) from its branches'.
            pool = list(self.members_of.get(id(org)) or self.committee_pool.get(id(org), []))
            if not pool:
                for child in self.tree.children.get(id(org), []):
                    pool += self.members_of.get(id(child), [])
            years = term_years(org.kind)
            roll = rng.random()
            if years:
                if roll < 0.12:  # re-election due within six months
                    start = add_months(today + dt.timedelta(days=rng.randint(5, 175)), -12 * years)
                elif roll < 0.16:  # overdue
                    start = add_months(today - dt.timedelta(days=rng.randint(5, 150)), -12 * years)
                else:
                    start = ctx.date_between(add_months(today, -12 * years) + dt.timedelta(days=200), today - dt.timedelta(days=20))
                if org.founded and start < org.founded:
                    if roll < 0.16 and all(u.founded <= start for u in self.units_of[id(org)]):
                        org.founded = start
                    else:
                        start = org.founded
                org.term_start, org.term_end = start, term_end(org.kind, start)
            start = org.term_start or org.founded
            formal = [m for m in pool if m.category == Category.FORMAL and m.status == MemberStatus.NORMAL]
            eligible = [m for m in formal if m.confirm_date and m.confirm_date <= start] or formal
            if not eligible:
                continue
            if len(formal) >= 7 and len(eligible) >= 3:  # a committee of 3–5 from those formal when the term began
                size = rng.randint(3, min(5, len(eligible)))
            else:
                size = 2 if len(eligible) >= 2 and rng.random() < 0.4 else 1
            chosen = rng.sample(eligible, size)
            posts = [CommitteePost.SECRETARY]
            if size >= 2:
                posts.append(CommitteePost.DEPUTY if size == 2 or rng.random() < 0.7 else CommitteePost.MEMBER)
            posts += [CommitteePost.MEMBER] * (size - len(posts))
            ctx.committee += [CommitteeMember(organization=org, member=m, post=post, start=start) for m, post in zip(chosen, posts)]
            others = [m for m in eligible if m not in chosen]
            if years and others and rng.random() < 0.25:
                previous = add_months(start, -12 * years)
                if org.founded and previous >= org.founded:
                    ctx.committee.append(CommitteeMember(organization=org, member=rng.choice(others),
                                                         post=CommitteePost.SECRETARY, start=previous, end=start))

    def all_members(self):
        return [m for members in self.members_of.values() for m in members]
