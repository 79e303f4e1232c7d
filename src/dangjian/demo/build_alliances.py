"""Joint building for a demo district: the largest enterprises grouped into linkage groups by the same solver the
office uses (Liangping's 158 enterprises in 10 groups), their activities, strong–weak pairs from the pairing
proposal, enterprise–village pairs with part of their six actions done, 三联 pairs, industry alliances, need and
resource lists with deals, and a talent pool."""
import datetime as dt
import random

from django.core.files.base import ContentFile

from dangjian.alliances import actions as alliance_actions
from dangjian.alliances.models import (Activity, Alliance, AllianceMeeting, Deal, Expert, Item, ItemCategory, ItemKind,
                                       LinkMember, Pair, PairAction, PairKind, Post, Scheme, SixAction)
from dangjian.alliances.pairing import propose as propose_pairs
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit, UnitKind, UnitStatus

ITEMS = {  # category: [(kind, title, description)]
    ItemCategory.PRODUCTS: [
        (ItemKind.NEED, "包装纸箱和礼盒采购", "每月需要瓦楞纸箱约{n}千个、节日礼盒若干，希望就近采购。"),
        (ItemKind.RESOURCE, "纸箱包装和彩印礼盒", "生产瓦楞纸箱、彩印礼盒和不干胶标签，可按需定制，区内送货。"),
        (ItemKind.NEED, "职工食堂蔬菜肉类供应", "职工食堂每天约{n}0人就餐，需要稳定的蔬菜、猪肉供应。"),
        (ItemKind.RESOURCE, "生态蔬菜和生猪直供", "合作社直供时令蔬菜和生猪，可每日配送到企业食堂。"),
    ],
    ItemCategory.SERVICES: [
        (ItemKind.NEED, "冷链仓储和配送", "柑橘、柚子采摘季需要冷库暂存和冷藏车配送到城区。"),
        (ItemKind.RESOURCE, "冷库仓储与同城冷链配送", "拥有冷库{n}00平方米和冷藏车，可提供生鲜仓储和配送。"),
        (ItemKind.NEED, "财税代理记账", "小微企业需要代理记账和税务申报服务。"),
        (ItemKind.RESOURCE, "代理记账和税务咨询", "专业会计团队，提供代理记账、税务申报和财税咨询。"),
        (ItemKind.NEED, "宣传画册设计印刷", "需要设计印刷企业宣传画册{n}00本。"),
        (ItemKind.RESOURCE, "设计印刷一站式服务", "承接画册、海报、宣传单设计印刷，交货快。"),
    ],
    ItemCategory.TALENT: [
        (ItemKind.NEED, "旺季临时普工", "订单旺季需要临时普工{n}0名，工期两个月。"),
        (ItemKind.RESOURCE, "劳务派遣和技能培训", "可提供普工、叉车工等劳务派遣，并开展岗前技能培训。"),
        (ItemKind.NEED, "电工焊工技术工人", "急需持证电工、焊工各{n}名。"),
        (ItemKind.RESOURCE, "职业院校订单培养", "职业院校开设电工、焊工专业，可与企业订单式培养。"),
    ],
    ItemCategory.TECHNOLOGY: [
        (ItemKind.NEED, "精密零件外协加工", "寻找有数控加工中心的企业外协加工精密零件。"),
        (ItemKind.RESOURCE, "数控机床加工产能", "数控车床、加工中心有空余产能，可承接来料加工。"),
        (ItemKind.NEED, "生产线自动化改造", "希望对包装生产线进行自动化改造，提高效率。"),
        (ItemKind.RESOURCE, "工业自动化改造服务", "提供生产线自动化改造、机器人集成和设备维护。"),
    ],
    ItemCategory.VENUE: [
        (ItemKind.NEED, "职工培训场地", "计划举办{n}0人安全生产培训，需要报告厅一天。"),
        (ItemKind.RESOURCE, "报告厅和会议室", "园区报告厅可容纳200人，另有会议室，可用于培训和活动。"),
    ],
    ItemCategory.FINANCE: [
        (ItemKind.NEED, "流动资金贷款", "原材料备货需要流动资金贷款约{n}00万元。"),
        (ItemKind.RESOURCE, "小微企业信用贷款", "银行推出小微企业信用贷款，无需抵押，最快三天放款。"),
    ],
    ItemCategory.MARKET: [
        (ItemKind.NEED, "农产品网上销售", "村里的腊肉、竹笋、柚子想通过直播带货和网店卖出去。"),
        (ItemKind.RESOURCE, "电商直播带货运营", "专业直播带货团队，熟悉各大平台运营，可代运营农产品网店。"),
    ],
}
SKILLS = ["数控加工、工艺改进", "电气自动化、设备维修", "财务管理、税务筹划", "电商运营、直播带货", "食品安全、质量管理",
          "安全生产管理", "物流仓储管理", "农产品深加工", "人力资源管理", "市场营销策划"]
ALLIANCES = [("制造业党建联盟", "C", "先进制造业企业互通订单、共享设备和技术人才。"),
             ("商贸物流党建联盟", "F", "商贸和快递物流企业共建共享仓储配送网络。"),
             ("建筑业党建联盟", "E", "建筑企业共享劳务资源、开展安全生产联学联查。"),
             ("农业产业化党建联盟", "A", "农业企业、合作社与村党组织联手打通产销。"),
             ("现代服务业党建联盟", "L", "商务服务企业共享专业服务和人才。")]
PARTNERS = ["区税务局机关党委", "区农商行党支部", "区供电公司党支部", "区市场监管局机关党支部", "区建设银行党支部"]


class AlliancesBuilder:
    def __init__(self, district, seed: int, today: dt.date, progress=None, enterprise_unit=None):
        self.district, self.today = district, today
        self.rng = random.Random(f"dangjian-demo-alliances/{district.code}/{seed}")
        self.progress = progress or (lambda *a: None)
        self.enterprise_unit = enterprise_unit
        self.units = list(Unit.objects.filter(region__path__startswith=district.path, status=UnitStatus.OPERATING,
                                              lng__isnull=False).select_related("region").order_by("pk"))

    def scheme(self) -> Scheme:
        """The largest enterprises (158 for Liangping, as the article has it) in groups of about 16."""
        enterprises = sorted((u for u in self.units if u.kind == UnitKind.ENTERPRISE),
                             key=lambda u: (-u.employees, u.pk))
        chosen = enterprises[:max(20, round(len(self.units) * 158 / 1100))]
        k = max(2, round(len(chosen) / 15.8))
        scheme = alliance_actions.propose_scheme(None, self.district, [u.pk for u in chosen], k,
                                                 name=f"{self.district.name}党建联动组", seed=1,
                                                 year=self.today.year - 1)
        Scheme.objects.filter(pk=scheme.pk).update(accepted=True)
        Scheme.objects.filter(pk=scheme.pk).update(created_at=dt.datetime.combine(
            self.today.replace(month=1, day=1) - dt.timedelta(days=200), dt.time(9), tzinfo=dt.timezone.utc))
        acts, posts = [], []
        for group in scheme.groups.select_related("leader"):
            members = list(group.members.values_list("unit", flat=True))
            for half_start in (self.today.replace(month=1, day=1) - dt.timedelta(days=184),
                               self.today.replace(month=1, day=1), self.today.replace(month=7, day=1)):
                if half_start > self.today or self.rng.random() < 0.15:
                    continue  # a few groups let a half year pass: the page flags them
                day = min(self.today, half_start + dt.timedelta(days=self.rng.randint(20, 150)))
                acts.append(Activity(group=group, date=day, host_id=self.rng.choice(members),
                                     title=self.rng.choice(["联建：党员志愿服务进社区", "联学：学习新修订的条例",
                                                            "联谊：企业家座谈会", "联动：订单互通对接会"]),
                                     summary="各成员单位党组织书记和党员代表参加。"))
            posts.append(Post(group=group, text=f"{group.name}本季度联建活动由{group.leader}牵头，请各单位做好准备。"))
        Activity.objects.bulk_create(acts)
        Post.objects.bulk_create(posts)
        return scheme

    def pairs(self) -> int:
        from dangjian.alliances.queries import strong_weak_sides

        strong, weak, orgs, _s = strong_weak_sides(None, self.district, self.today)
        made = [Pair(kind=PairKind.STRONG_WEAK, region=self.district, strong_id=p.strong_id, weak_id=p.weak_id,
                     start=self.today - dt.timedelta(days=self.rng.randint(30, 400)),
                     outcome="帮助完善了三会一课制度。" if self.rng.random() < 0.5 else "")
                for p in propose_pairs(strong, weak)]
        villages = list(Region.objects.filter(path__startswith=self.district.path, kind=RegionKind.VILLAGE)
                        .order_by("path"))
        enterprises = [u for u in self.units if u.kind == UnitKind.ENTERPRISE and u.employees >= 50]
        n_village = min(len(villages), len(enterprises), max(5, round(len(self.units) * 59 / 3000)))
        for unit, village in zip(self.rng.sample(enterprises, n_village), self.rng.sample(villages, n_village)):
            made.append(Pair(kind=PairKind.VILLAGE, region=Region.objects.get_parent(village) or self.district, unit=unit,
                             village=village, start=self.today - dt.timedelta(days=self.rng.randint(60, 500))))
        weak_orgs = [orgs[w.id] for w in weak][:len(PARTNERS)]
        for partner, org in zip(PARTNERS, weak_orgs):
            made.append(Pair(kind=PairKind.THREE_LINK, region=self.district, partner=partner, weak=org,
                             start=self.today - dt.timedelta(days=self.rng.randint(30, 300))))
        Pair.objects.bulk_create(made)
        done = []
        for pair in made:
            if pair.kind != PairKind.VILLAGE:
                continue
            for code in list(SixAction.values)[:self.rng.randint(1, 6)]:  # in order: agreement first
                action = PairAction(pair=pair, action=code, date=pair.start + dt.timedelta(days=self.rng.randint(5, 50)),
                                    note="已完成")
                action.evidence.save(f"{code}.txt", ContentFile(f"{pair} {SixAction(code).label}".encode()),
                                     save=False)
                done.append(action)
        PairAction.objects.bulk_create(done)
        Activity.objects.bulk_create([
            Activity(pair=pair, date=max(pair.start, self.today - dt.timedelta(days=self.rng.randint(5, 150))),
                     title=self.rng.choice(["结对共建：支部联学", "结对帮扶：上门指导三会一课", "共建：联合开展志愿服务"]))
            for pair in made if self.rng.random() < 0.6])
        return len(made)

    def market(self) -> dict:
        alliances = []
        for name, section, text in ALLIANCES:
            alliance = Alliance.objects.create(name=f"{self.district.name.replace('（演示数据）', '')}{name}",
                                               region=self.district, industry=name[:-4], description=text)
            members = [u for u in self.units if u.industry_section == section][:60]
            alliance.units.set(members)
            AllianceMeeting.objects.create(alliance=alliance, date=self.today - dt.timedelta(days=self.rng.randint(10, 90)),
                                           title="联盟联席会：需求资源对接", guests="区经济信息委、区商务委",
                                           summary="各成员单位发布需求和资源清单，现场对接。")
            alliances.append((alliance, members))
        items = []
        n = max(60, len(self.units) // 6)
        for i in range(n):
            category = self.rng.choice(list(ITEMS))
            kind, title, text = self.rng.choice(ITEMS[category])
            alliance, members = self.rng.choice(alliances)
            unit = self.rng.choice(members or self.units)
            items.append(Item(kind=kind, unit=unit, alliance=alliance, title=title,
                              description=text.format(n=self.rng.randint(2, 9)), category=category,
                              quantity="" if self.rng.random() < 0.5 else f"{self.rng.randint(1, 50)}",
                              valid_until=self.today + dt.timedelta(days=self.rng.randint(-20, 180)),
                              contact=f"{self.rng.choice('王李张刘陈杨黄赵')}经理"))
        if self.enterprise_unit is not None:  # the demo enterprise has a need of its own, with matches to see
            kind, title, text = ITEMS[ItemCategory.PRODUCTS][0]
            items[0] = Item(kind=kind, unit=self.enterprise_unit, title=title, description=text.format(n=5),
                            category=ItemCategory.PRODUCTS, valid_until=self.today + dt.timedelta(days=60),
                            contact="王经理")
        Item.objects.bulk_create(items)
        experts = [Expert(name=f"{self.rng.choice('王李张刘陈杨黄赵周吴')}{self.rng.choice('伟芳强敏磊杰娟军')}",
                          title=self.rng.choice(["高级工程师", "技师", "会计师", "经理"]), skills=self.rng.choice(SKILLS),
                          unit=self.rng.choice(self.units), contact="内部联系") for _ in range(max(20, n // 5))]
        Expert.objects.bulk_create(experts)
        return {"alliances": len(alliances), "items": len(items), "experts": len(experts), "deals": self.deals()}

    def deals(self) -> int:
        """Some valid needs found their resource: recorded as deals with a value."""
        from dangjian.alliances.matching import matches_for

        needs = list(Item.objects.filter(unit__region__path__startswith=self.district.path, kind=ItemKind.NEED,
                                         valid_until__gte=self.today).select_related("unit").order_by("pk"))
        deals = []
        for need in self.rng.sample(needs, min(len(needs), max(10, len(needs) // 4))):
            found = matches_for(need, limit=3)
            if found:
                deals.append(Deal(need=need, resource=found[0].item, value=round(self.rng.uniform(2, 80), 1),
                                  date=self.today - dt.timedelta(days=self.rng.randint(0, 300)), note="通过联盟对接"))
        Deal.objects.bulk_create(deals)
        return len(deals)

    def build(self) -> dict:
        scheme = self.scheme()
        self.progress("alliances", 1, 3)
        pairs = self.pairs()
        self.progress("alliances", 2, 3)
        market = self.market()
        self.progress("alliances", 3, 3)
        return {"groups": scheme.groups.count(), "grouped_units": LinkMember.objects.filter(scheme=scheme).count(),
                "pairs": pairs, **market}


def build_alliances(district, seed: int, today: dt.date, progress=None, enterprise=None) -> dict:
    """``enterprise``: the demo enterprise login's unit (demo.accounts.demo_enterprise), given data of its own."""
    return AlliancesBuilder(district, seed, today, progress, enterprise).build()
