"""Service to enterprises for a demo district, read from the saved registry: the district's departments and town
offices, about one officer per 12 operating units ("1,695 officers for 20,000 enterprises"), their units chosen
by the same assignment solver the dispatchers use (instructors for organised units, others for the rest, a few
units left for the coverage page to show), a year of visits, requests at every stage of their life with ratings,
and staff problems and suggestions."""
import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone
from faker import Faker

from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.organizations.models import OrgStatus, OrgUnit
from dangjian.regions.models import Region
from dangjian.services import solver
from dangjian.services.actions import add_deadline, officer_limit
from dangjian.services.models import (Adoption, Assignment, Category, Channel, Department, DepartmentKind, Idea,
                                      IdeaKind, Officer, OfficerKind, Request, RequestEvent, State, Visit)
from dangjian.units.models import Unit, UnitStatus

CHUNK = 5000
DEPARTMENTS = [("organization", "区委组织部（两新工委）"), ("hrss", "区人力社保局"), ("finance", "区金融服务中心"),
               ("transport", "区交通局"), ("education", "区教委"), ("planning", "区规划自然资源局"),
               ("commerce", "区商务委"), ("economy", "区经济信息委")]
KIND_MIX = [(OfficerKind.INSTRUCTOR, 0.30), (OfficerKind.SERVICE, 0.55), (OfficerKind.RESIDENT, 0.10),
            (OfficerKind.FIRST_SECRETARY, 0.05)]
PROBLEMS = {
    Category.RECRUITMENT: [("普工招聘困难", "订单增加，需要招聘普工 {n} 名，附近劳动力不足。"),
                           ("技术工人紧缺", "急需焊工、电工各 {n} 名，希望对接职业院校。")],
    Category.FINANCING: [("流动资金周转困难", "原材料涨价，需要流动资金贷款约 {n}0 万元。"),
                         ("希望了解创业担保贷款", "企业负责人想了解创业担保贷款的条件和额度。")],
    Category.TRANSPORT: [("园区通勤公交班次少", "职工上下班通勤不便，希望增加早晚班次。"),
                         ("货车进出道路狭窄", "厂区门前道路狭窄，大货车进出困难。")],
    Category.SCHOOLING: [("外地职工子女入学", "{n} 名外地职工的子女需要就近入学。")],
    Category.LAND: [("扩建用地指标", "计划扩建生产线，需要新增用地约 {n} 亩。")],
    Category.POLICY: [("稳岗补贴申请", "想了解今年稳岗补贴的申请条件和流程。"),
                      ("高新技术企业认定", "希望得到高新技术企业认定的政策辅导。")],
    Category.OTHER: [("用电容量不足", "新设备投产后用电容量不足，需要增容。")],
}
REPLIES = ["已对接相关单位，专人跟进办理。", "已组织专场招聘会，推荐求职者到企业面试。", "已协调银行上门对接，授信审批中。",
           "已按政策办理，请企业留意后续通知。", "已现场办公协调解决。"]
IDEAS = {IdeaKind.PROBLEM: ["食堂就餐时间太集中，排队时间长", "夜班职工下班后没有公交", "车间夏季降温设施不足"],
         IdeaKind.SUGGESTION: ["建议设立职工书屋", "建议开展技能比武，以赛促学", "建议优化排产，减少换线时间",
                               "建议推行合理化建议积分奖励"]}
VISIT_PURPOSES = ["了解企业生产经营情况", "宣讲惠企政策", "指导党组织建设", "收集企业诉求", "回访诉求办理情况"]


class ServicesBuilder:
    def __init__(self, district, seed: int, today: dt.date, progress=None, enterprise_unit=None):
        self.district, self.today = district, today
        self.rng = random.Random(f"dangjian-demo-services/{district.code}/{seed}")
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.progress = progress or (lambda *a: None)
        self.enterprise_unit = enterprise_unit
        self.towns = list(Region.objects.filter(path__startswith=district.path, depth=district.depth + 1)
                          .order_by("path"))
        self.units = list(Unit.objects.filter(region__path__startswith=district.path, status=UnitStatus.OPERATING,
                                              lng__isnull=False).order_by("pk").values_list("pk", "lng", "lat",
                                                                                            "region__path"))
        orgs = OrgUnit.objects.filter(unit__in=[u[0] for u in self.units], organization__status=OrgStatus.ACTIVE)
        self.org_of = dict(orgs.order_by("organization__path").values_list("unit", "organization"))

    def departments(self) -> dict:
        depts = {code: Department(code=f"{self.district.code}-{code}", name=name, region=self.district)
                 for code, name in DEPARTMENTS}
        for town in self.towns:
            depts[town.path] = Department(code=f"{self.district.code}-t{town.pk}", name=f"{town.name}办事处",
                                          kind=DepartmentKind.TOWN, region=town)
        Department.objects.bulk_create(depts.values())
        return depts

    def officers(self, depts) -> list[Officer]:
        n = max(len(self.towns), round(len(self.units) / 11.8))
        units_per_town = defaultdict(int)
        for _pk, _lng, _lat, path in self.units:
            units_per_town[path[:len(self.district.path) + Region.steplen]] += 1
        towns = [t for t in self.towns if units_per_town[t.path]]
        weights = [units_per_town[t.path] for t in towns]
        officers = []
        for i in range(n):
            kind = self.rng.choices([k for k, _w in KIND_MIX], [w for _k, w in KIND_MIX])[0]
            town = towns[i % len(towns)] if i < len(towns) else self.rng.choices(towns, weights)[0]
            dept = depts["organization"] if kind == OfficerKind.INSTRUCTOR else (
                depts[self.rng.choice(DEPARTMENTS[1:])[0]] if kind == OfficerKind.FIRST_SECRETARY else depts[town.path])
            officers.append(Officer(name=self.fake.name(), kind=kind, department=dept, region=town))
        Officer.objects.bulk_create(officers)
        return officers

    def assignments(self, officers) -> list[Assignment]:
        """Two solver runs: instructors for organised units, the other officers for the units still unserved;
        about 4% of units are left out so that the coverage page has gaps to fill."""
        where = {}
        for pk, lng, lat, path in self.units:
            acc = where.setdefault(path[:len(self.district.path) + Region.steplen], [0.0, 0.0, 0])
            acc[0], acc[1], acc[2] = acc[0] + lng, acc[1] + lat, acc[2] + 1
        place = {o.pk: solver.Place(o.pk, where[o.region.path][0] / where[o.region.path][2],
                                    where[o.region.path][1] / where[o.region.path][2]) for o in officers}
        units = [u for u in self.units if u[0] == getattr(self.enterprise_unit, "pk", None) or self.rng.random() > 0.04]
        rows, taken = [], set()
        demo_unit = getattr(self.enterprise_unit, "pk", None)  # kept for a service officer (the zhuqi login)
        for kinds, pool in (({OfficerKind.INSTRUCTOR}, [u for u in units if u[0] in self.org_of and u[0] != demo_unit]),
                            ({OfficerKind.SERVICE, OfficerKind.RESIDENT, OfficerKind.FIRST_SECRETARY}, units)):
            group = [o for o in officers if o.kind in kinds]
            suggestions = solver.suggest([solver.Place(u[0], u[1], u[2]) for u in pool if u[0] not in taken],
                                         [place[o.pk] for o in group], {}, {o.pk: officer_limit(o.kind) for o in group})
            kind_of = {o.pk: o.kind for o in group}
            for s in suggestions:
                start = self.today - dt.timedelta(days=self.rng.randint(60, 900))
                rows.append(Assignment(officer_id=s.officer_id, unit_id=s.unit_id, start=start,
                                       organization_id=self.org_of.get(s.unit_id)
                                       if kind_of[s.officer_id] == OfficerKind.INSTRUCTOR else None))
                taken.add(s.unit_id)
        Assignment.objects.bulk_create(rows, batch_size=CHUNK)
        names = {o.pk: o for o in officers}
        WorkLink.objects.bulk_create([WorkLink(unit_id=a.unit_id, kind=WorkLinkKind.INSTRUCTOR, start=a.start,
                                               person_name=names[a.officer_id].name)
                                      for a in rows if names[a.officer_id].kind == OfficerKind.INSTRUCTOR],
                                     batch_size=CHUNK)
        return rows

    def visits(self, assignments) -> int:
        rows = []
        for a in assignments:
            day = max(a.start, self.today - dt.timedelta(days=365)) + dt.timedelta(days=self.rng.randint(3, 40))
            while day <= self.today:
                rows.append(Visit(officer_id=a.officer_id, unit_id=a.unit_id, date=day,
                                  purpose=self.rng.choice(VISIT_PURPOSES),
                                  findings="生产经营正常。" if self.rng.random() < 0.8 else "反映用工和资金方面的困难。"))
                day += dt.timedelta(days=self.rng.randint(45, 130))
            if len(rows) >= CHUNK:
                Visit.objects.bulk_create(rows)
                self.progress("services", len(rows), len(rows))
                rows = []
        Visit.objects.bulk_create(rows)
        return Visit.objects.filter(unit__region__path__startswith=self.district.path).count()

    def requests(self, depts, assignments) -> int:
        """About one request a year per 10 operating units, at every stage: old ones closed and mostly rated,
        recent ones still open, a few late."""
        officer_of = {a.unit_id: a.officer_id for a in assignments}
        routed = {c: depts.get(spec) for c, spec in (("recruitment", "hrss"), ("financing", "finance"),
                                                     ("transport", "transport"), ("schooling", "education"),
                                                     ("land", "planning"), ("policy", "commerce"), ("other", None))}
        units = [u[0] for u in self.units]
        n = max(20, len(units) // 10)
        picked = [self.rng.choice(units) for _ in range(n)]
        if self.enterprise_unit is not None:
            picked[:3] = [self.enterprise_unit.pk] * 3
        requests, histories = [], []
        for i, unit_id in enumerate(picked):
            category = self.rng.choices(list(PROBLEMS), [30, 18, 10, 8, 6, 20, 8])[0]
            title, text = self.rng.choice(PROBLEMS[category])
            age = (2, 3, 30)[i] if i < 3 and self.enterprise_unit is not None else self.rng.randint(1, 360)
            submitted = dt.datetime.combine(self.today - dt.timedelta(days=age), dt.time(self.rng.randint(8, 17),
                                                                                         self.rng.randint(0, 59)),
                                            tzinfo=timezone.get_default_timezone())
            dept = routed[category] or depts[self.rng.choice(DEPARTMENTS[1:])[0]]
            channel = self.rng.choices([Channel.ENTERPRISE, Channel.VISIT, Channel.PHONE], [5, 3, 2])[0]
            r = Request(unit_id=unit_id, channel=channel, category=category, title=title,
                        description=text.format(n=self.rng.randint(3, 40)), officer_id=officer_of.get(unit_id),
                        department=dept, submitted_at=submitted)
            history = self._life(r, category, age, i)
            requests.append(r)
            histories.append(history)
        Request.objects.bulk_create(requests, batch_size=CHUNK)
        RequestEvent.objects.bulk_create([RequestEvent(request=r, **e) for r, h in zip(requests, histories)
                                          for e in h], batch_size=CHUNK)
        # auto_now_add set every event's time to now: give each the time of its step.
        times = {r.pk: iter([e["at"] for e in h]) for r, h in zip(requests, histories)}
        events = list(RequestEvent.objects.filter(request__in=requests).order_by("request", "id"))
        for e in events:
            e.at = next(times[e.request_id])
        RequestEvent.objects.bulk_update(events, ["at"], batch_size=CHUNK)
        return len(requests)

    def _life(self, r: Request, category: str, age: int, i: int) -> list[dict]:
        """Walk the request through its states as far as its age allows; returns its history."""
        rng = self.rng
        t = r.submitted_at
        events = [{"action": "submit", "from_state": "", "to_state": State.SUBMITTED, "at": t}]
        r.state = State.SUBMITTED

        def step(action, target, hours, note=""):
            nonlocal t
            t = t + dt.timedelta(hours=hours)
            events.append({"action": action, "from_state": r.state, "to_state": target, "at": t, "note": note})
            r.state = target
            return t

        now = dt.datetime.combine(self.today, dt.time(18), tzinfo=timezone.get_default_timezone())
        if age < 1 or (i == 0 and self.enterprise_unit is not None):
            return events
        r.accepted_at = step("accept", State.ACCEPTED, rng.randint(2, 30))
        r.deadline = add_deadline(r.accepted_at.date(), category)
        step("assign", State.ASSIGNED, rng.randint(1, 24))
        if age < 4:
            return events
        step("start", State.IN_PROGRESS, rng.randint(4, 48))
        late = rng.random() < 0.12
        days = (r.deadline - r.accepted_at.date()).days
        reply_at = t + dt.timedelta(days=(days + rng.randint(2, 12)) if late else rng.randint(1, max(1, days - 1)))
        if reply_at >= now:
            return events
        r.reply = rng.choice(REPLIES)
        r.replied_at = step("reply", State.REPLIED, (reply_at - t).total_seconds() / 3600, r.reply)
        if rng.random() < 0.08 and t + dt.timedelta(days=3) < now:
            step("return", State.RETURNED, 40, "问题还没有解决，请继续协调。")
            step("start", State.IN_PROGRESS, 8)
            r.replied_at = step("reply", State.REPLIED, 24 * rng.randint(2, 6), "已再次协调，问题已解决。")
            r.reply = "已再次协调，问题已解决。"
        close_at = t + dt.timedelta(days=rng.randint(1, 6))
        if close_at >= now or rng.random() < 0.1:
            return events
        r.closed_at = step("confirm", State.CLOSED, (close_at - t).total_seconds() / 3600)
        if rng.random() < 0.85:
            r.rating = rng.choices([5, 4, 3, 2, 1], [60, 28, 8, 3, 1])[0]
            r.rating_comment = {5: "非常及时，感谢！", 4: "办理得不错。", 3: "基本解决。"}.get(r.rating, "还需改进。")
            events.append({"action": "rate", "from_state": State.CLOSED, "to_state": State.CLOSED,
                           "at": t + dt.timedelta(hours=rng.randint(1, 48)), "note": f"{r.rating}/5"})
        return events

    def ideas(self) -> int:
        units = [u[0] for u in self.units]
        n = max(10, round(len(units) * 867 / 20000))  # Fuling: 628 problems and 239 good suggestions
        rows = []
        for _ in range(n):
            kind = IdeaKind.PROBLEM if self.rng.random() < 628 / 867 else IdeaKind.SUGGESTION
            rows.append(Idea(unit_id=self.rng.choice(units), kind=kind, text=self.rng.choice(IDEAS[kind]),
                             staff_name=self.fake.name(), adoption=self.rng.choices(
                                 [Adoption.PENDING, Adoption.ADOPTED, Adoption.DECLINED], [3, 5, 2])[0]))
        Idea.objects.bulk_create(rows, batch_size=CHUNK)
        return len(rows)

    def build(self) -> dict:
        depts = self.departments()
        officers = self.officers(depts)
        assignments = self.assignments(officers)
        visits = self.visits(assignments)
        requests = self.requests(depts, assignments)
        ideas = self.ideas()
        self.progress("services", 1, 1)
        return {"officers": len(officers), "assignments": len(assignments), "visits": visits, "requests": requests,
                "ideas": ideas}


def build_services(district, seed: int, today: dt.date, progress=None, enterprise=None) -> dict:
    """``enterprise``: the demo enterprise login's unit (demo.accounts.demo_enterprise), given data of its own."""
    return ServicesBuilder(district, seed, today, progress, enterprise).build()
