"""Non-public units: kind, GB/T 4754 industry, size, place, founding date, status, credit code."""
import datetime as dt
import math

from dangjian.demo.context import Ctx, Zone
from dangjian.demo.names import INDUSTRY_WORDS, SHOP_WORDS, SOCIAL_ORG_WORDS, brand, road
from dangjian.units.industry import COURIER_DIVISION, section_of
from dangjian.units.models import Unit, UnitKind, UnitStatus

# Sections (weights) and the divisions drawn within them, for companies outside the park.
COMPANY_SECTIONS = {
    "C": 26, "F": 22, "E": 9, "G": 5, "H": 5, "I": 3, "K": 3, "L": 9, "M": 3, "N": 2, "O": 5, "R": 2, "A": 5, "D": 1,
}
SECTION_DIVISIONS = {
    "A": ["01", "02", "03", "05"], "D": ["44", "46"], "E": ["47", "48", "49", "50"], "F": ["51", "52"],
    "G": ["54", "58", "59"], "H": ["61", "62"], "I": ["63", "64", "65"], "K": ["70"], "L": ["71", "72"],
    "M": ["73", "74", "75"], "N": ["77", "78"], "O": ["80", "81", "82"], "R": ["86", "87", "88", "89", "90"],
}
INDIVIDUAL_DIVISIONS = (("52", 50), ("62", 25), ("80", 9), ("81", 9), ("01", 4), ("03", 3))
SOCIAL_DIVISIONS = (("83", 30), ("84", 12), ("85", 22), ("95", 26), ("88", 5), ("89", 5))
BUILDING_DIVISIONS = ("72", "65", "64", "74", "70", "68", "66", "86")
KINDS = {
    "enterprise": UnitKind.ENTERPRISE, "small_business": UnitKind.SMALL_BUSINESS, "collective": UnitKind.ENTERPRISE,
    "individual_business": UnitKind.INDIVIDUAL_BUSINESS, "social_org": UnitKind.SOCIAL_ORG,
    "professional_market": UnitKind.PROFESSIONAL_MARKET,
}


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights`."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[: total - sum(out)]:
        out[i] += 1
    return out


class UnitFactory:
    def __init__(self, ctx: Ctx):
        self.ctx, self.rng, self.p = ctx, ctx.rng, ctx.profile
        self.names: set[str] = set()
        self.collective_villages: set[int] = set()

    # -- attributes ---------------------------------------------------------------------------
    def employees(self, kind: str, park: bool) -> int:
        rng = self.rng
        if kind == "individual_business":
            return rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[30, 28, 18, 10, 7, 4, 3])[0]
        median, sigma, low, high = {
            "enterprise": (70 if park else 22, 0.95, 5, 1200), "small_business": (7, 0.7, 2, 40),
            "social_org": (9, 0.8, 3, 80), "collective": (6, 0.5, 3, 20), "professional_market": (40, 0.4, 15, 120),
        }[kind]
        return max(low, min(high, round(rng.lognormvariate(math.log(median), sigma))))

    def founded(self, kind: str, park: bool, status: str) -> dt.date:
        mean_age = {"individual_business": 5, "small_business": 6, "social_org": 8}.get(kind, 9)
        oldest = 2009 if park else 1993
        age_days = int(self.rng.expovariate(1 / (mean_age * 365.25)))
        if status != UnitStatus.OPERATING:
            age_days += 700
        day = self.ctx.today - dt.timedelta(days=max(20, age_days))
        return max(day, dt.date(oldest, 1, 1) + dt.timedelta(days=self.rng.randint(0, 3000)))

    def division(self, kind: str, park: bool, place) -> str:
        rng = self.rng
        if place is not None and place.kind == "building":
            return rng.choice(BUILDING_DIVISIONS)
        if kind == "individual_business":
            return rng.choices(*zip(*INDIVIDUAL_DIVISIONS))[0]
        if kind == "social_org":
            return rng.choices(*zip(*SOCIAL_DIVISIONS))[0]
        if kind == "collective":
            return rng.choice(["01", "05", "03"])
        if kind == "professional_market":
            return "72"
        if park and rng.random() < 0.85:
            return rng.choice(self.p.main_industries)
        section = rng.choices(*zip(*COMPANY_SECTIONS.items()))[0]
        if section == "C":
            return rng.choice(self.p.main_industries) if rng.random() < 0.7 else rng.choice(["17", "18", "22", "23", "31", "32", "35", "36", "40", "42"])
        return rng.choice(SECTION_DIVISIONS[section])

    def name(self, kind: str, division: str, zone: Zone, village, person: str) -> str:
        rng, short = self.rng, self.p.short
        town = zone.region.name
        for _attempt in range(40):
            if kind == "individual_business":
                words = SHOP_WORDS.get(division, ["经营部"])
                name = f"{short}{town}{person}{rng.choice(words)}"
                person = self.ctx.person_name(rng.choice("MF"))
            elif kind == "social_org":
                word = rng.choice(SOCIAL_ORG_WORDS[division])
                name = f"{short}{brand(rng)}{word}" if division != "95" else f"{short}{town}{brand(rng)}{word}"
            elif kind == "collective":
                name = f"{short}{town}{village.name}股份经济合作联合社"
            elif kind == "professional_market":
                name = f"重庆{brand(rng)}市场管理有限公司"
            else:
                word = rng.choice(INDUSTRY_WORDS.get(division, ["实业"]))
                head = rng.choice(["重庆", "重庆", "重庆市" + short, short])
                name = f"{head}{brand(rng)}{word}有限公司"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("could not find a free unit name")

    def above_size(self, section: str, employees: int) -> bool:
        if section in ("B", "C", "D") and employees >= 50:
            return self.rng.random() < 0.7
        return employees >= 100 and self.rng.random() < 0.4

    # -- one unit -------------------------------------------------------------------------------
    def make(self, zone: Zone, status=UnitStatus.OPERATING, courier_staff=None, anchor=None, place=None) -> Unit:
        rng, p, ctx = self.rng, self.p, self.ctx
        park = zone.is_park
        if courier_staff is not None:
            kind = "enterprise" if courier_staff >= 10 else "small_business"
        elif anchor or (place is not None and place.kind == "building"):
            kind = "enterprise"
        elif place is not None and place.kind == "market":
            kind = "professional_market" if not any(u.kind == UnitKind.PROFESSIONAL_MARKET for u in zone.units if getattr(u, "place", None) is place) else "individual_business"
        elif park:
            kind = rng.choices(["enterprise", "small_business", "social_org"], weights=[85, 12, 3])[0]
        else:
            kind = rng.choices(*zip(*p.kind_mix.items()))[0]
        village = None
        if place is None and zone.villages:
            share = p.in_village[1] if kind in ("individual_business", "collective", "social_org") else p.in_village[0]
            if kind == "collective" or rng.random() < share:
                village = rng.choice(zone.villages)
        if kind == "collective" and (village is None or id(village) in self.collective_villages):
            kind = "small_business"
        if kind == "collective":
            self.collective_villages.add(id(village))
        division = COURIER_DIVISION if courier_staff is not None else self.division(kind, park, place)
        if anchor:
            division = rng.choice(p.main_industries)
        employees = courier_staff if courier_staff is not None else self.employees(kind, park)
        if anchor == "big":
            employees = rng.randint(800, 2600)
        elif anchor == "mid":
            employees = rng.randint(260, 750)
        founded = self.founded(kind, park, status)
        if anchor:
            founded = dt.date(rng.randint(1995, 2014), rng.randint(1, 12), rng.randint(1, 28))
        person = ctx.person_name(rng.choice("MF"))
        name = self.name(kind, division, zone, village, person)
        region = place or village or zone.region
        spread = 0.001 if place is not None else (0.006 if village is not None else 0.012)
        area = p.old_code if founded.year <= p.old_code_until and rng.random() < 0.7 else p.code
        section = section_of(division)
        where = f"{zone.region.name}{village.name if village else ''}{place.name if place else ''}"
        unit = Unit(
            name=name, credit_code=ctx.credit_codes.make(kind, area, founded), kind=KINDS[kind],
            industry_section=section, industry_division=division, employees=employees,
            above_size=kind != "individual_business" and self.above_size(section, employees),
            region=region, address=f"重庆市{p.short}{where}{road(rng)}",
            lng=round(rng.gauss(region.lng, spread), 6), lat=round(rng.gauss(region.lat, spread), 6),
            status=status, founded=founded,
        )
        unit.zone, unit.village, unit.place = zone, village, place
        unit.courier, unit.anchor = courier_staff is not None, anchor
        zone.units.append(unit)
        return unit


def build_units(ctx: Ctx) -> list[Unit]:
    p, rng = ctx.profile, ctx.rng
    factory = UnitFactory(ctx)
    zones = ctx.zones
    park = zones[-1]
    towns = zones[:-1]

    def weight(z):
        return {"street": 3.0, "town": rng.uniform(0.7, 1.4), "township": 0.5}[z.region.kind]

    weights = [weight(z) for z in towns]
    n_park = round(p.operating * p.park_share)
    per_town = _split(p.operating - n_park, weights)
    # Operating unit slots per zone; couriers and the big firms take some of them.
    slots = {id(z): [dict() for _ in range(n)] for z, n in zip(towns, per_town)}
    slots[id(park)] = [dict() for _ in range(n_park)]
    staff = _split(p.courier_staff - 3 * p.couriers, [rng.lognormvariate(0, 0.6) for _ in range(p.couriers)])
    courier_zones = rng.choices(towns, weights=[w * (3 if z.region.kind == "street" else 1) for z, w in zip(towns, weights)], k=p.couriers)
    for zone, extra in zip(courier_zones, staff):
        free = [s for s in slots[id(zone)] if not s]
        if not free:
            raise ValueError(f"no room for a courier firm in {zone.region.name}")
        free[0]["courier_staff"] = 3 + extra
    in_park = {"big": min(p.park_anchors[0], p.big_firms), "mid": min(p.park_anchors[1], p.mid_firms)}
    anchors = [("big", i < in_park["big"]) for i in range(p.big_firms)]
    anchors += [("mid", i < in_park["mid"]) for i in range(p.mid_firms)]
    for level, here in anchors:
        zone = park if here else rng.choice([z for z in towns if z.region.kind != "township"])
        free = [s for s in slots[id(zone)] if not s]
        free[0]["anchor"] = level
    for zone in towns:
        for place in zone.places:
            free = [s for s in slots[id(zone)] if not s]
            for s in free[: max(4, min(14, len(free) // 3))]:
                s["place"] = place
    # Units not operating any more, spread like the others.
    for status, count in ((UnitStatus.SUSPENDED, p.suspended), (UnitStatus.CLOSED, p.closed)):
        for zone in rng.choices(zones, weights=[*weights, 1.5], k=count):
            slots[id(zone)].append({"status": status})
    total = sum(len(s) for s in slots.values())
    units = []
    for zone in zones:
        for spec in slots[id(zone)]:
            units.append(factory.make(zone, **spec))
            if len(units) % 1000 == 0:
                ctx.report("units", len(units), total)
    ctx.report("units", total, total)
    ctx.units = units
    return units
