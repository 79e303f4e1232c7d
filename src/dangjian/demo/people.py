"""Made-up party members with the national record fields (domain-rules §8) and dues (§3)."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from stdnum.cn import ric

from dangjian.core.validators import make_citizen_id
from dangjian.demo.context import Ctx
from dangjian.demo.identifiers import code_valid_in, mobile
from dangjian.demo.names import (
    ELSEWHERE, ETHNICITIES, JOBS_COURIER, JOBS_ENTERPRISE, JOBS_SHOP, JOBS_SOCIAL, JOBS_VILLAGE,
)
from dangjian.members.models import Category, Education, Member, MemberStatus
from dangjian.organizations.terms import add_months

CENT = Decimal("0.01")
# Age range and gender share (men) of members by where they work or live.
PROFILES = {
    "worker": (22, 58, 0.68), "courier": (21, 48, 0.85), "social": (24, 60, 0.4), "shop": (25, 62, 0.55),
    "village": (24, 90, 0.72), "community": (24, 88, 0.5), "cadre": (35, 56, 0.75),
}
JOBS = {"worker": JOBS_ENTERPRISE, "courier": JOBS_COURIER, "social": JOBS_SOCIAL, "shop": JOBS_SHOP,
        "village": JOBS_VILLAGE, "community": ("退休职工", "社区工作者", "个体经营者", "自由职业者", "企业职工"),
        "cadre": ("机关干部",)}


@lru_cache(maxsize=128)
def _place(area: str) -> tuple[str, str]:
    """(full name, county name) of an area code, as of the latest year it existed (stdnum's history)."""
    for year in (2025, 2010, 1996, 1993, 1985, 1970):
        if code_valid_in(area, year):
            info = ric.get_birth_place(make_citizen_id(area, dt.date(year, 7, 1), 1))
            parts = [info.get("province", ""), info.get("prefecture", ""), info.get("county", "")]
            full = "".join(p for i, p in enumerate(parts) if p and p not in ("市辖区", "县") and p not in parts[:i])
            return full, info.get("county", "")
    return "", ""


def place_of(area: str, current_codes=()) -> str:
    """Where someone whose ID starts with `area` is registered today: a county's current code wins
    (an ID issued under Sichuan's 512322 belongs to today's 重庆市垫江县, 500231)."""
    full, county = _place(area)
    for code in current_codes:
        if code != area and code_valid_in(code, 2025) and _place(code)[1] == county:
            return _place(code)[0]
    return full


def dues_for(rng, role: str, age: int, job: str) -> Decimal:
    if job == "退休职工" or age >= 65:
        pension = Decimal(rng.randint(1800, 6500))
        return (pension * (Decimal("0.005") if pension <= 5000 else Decimal("0.01"))).quantize(CENT, ROUND_HALF_UP)
    if job in ("农民", "村民小组长"):
        return Decimal(rng.choice(["0.20", "0.50", "1.00"]))
    if role == "shop" or job == "个体经营者":
        pay = Decimal(rng.randint(2500, 9000))
    else:
        pay = Decimal(round(rng.lognormvariate(8.45, 0.4)))  # median ≈ 4,700 yuan after tax
    rate = next(r for bound, r in ((3000, "0.005"), (5000, "0.01"), (10000, "0.015"), (None, "0.02"))
                if bound is None or pay <= bound)
    return (pay * Decimal(rate)).quantize(CENT, ROUND_HALF_UP)


class MemberFactory:
    def __init__(self, ctx: Ctx):
        self.ctx, self.rng, self.p = ctx, ctx.rng, ctx.profile
        self.ethnicities, self.ethnicity_weights = zip(*ETHNICITIES)
        self.this_month = ctx.today.replace(day=1)

    def education(self, age: int) -> str:
        if age >= 60:
            weights = (0, 2, 6, 8, 30, 54)
        elif age >= 45:
            weights = (2, 12, 20, 16, 25, 25)
        else:
            weights = (6, 36, 30, 10, 10, 8)
        return self.rng.choices(list(Education.values), weights=weights)[0]

    def make(self, org, employer=None, role="worker", *, probationary=False, home=None) -> Member:
        """A member of `org`; `home` is (town, village) names for the household registration."""
        rng, ctx, today = self.rng, self.ctx, self.ctx.today
        low, high, men = PROFILES[role]
        if probationary:
            high = min(high, 45)
        gender = "M" if rng.random() < men else "F"
        age = round(rng.triangular(low, high, low + (high - low) * (0.75 if role == "village" else 0.4)))
        birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        if birth > add_months(today, -12 * low):
            birth = add_months(today, -12 * low) - dt.timedelta(days=rng.randint(1, 300))
        born_here = rng.random() < 0.85
        number = ctx.citizen_ids.make(birth, gender, born_here)
        adult = add_months(birth, 12 * 18)
        if probationary:
            join = max(adult, ctx.days_ago(15, 350))
            confirm = None
        else:
            latest = today - dt.timedelta(days=400)
            join = ctx.date_between(max(adult + dt.timedelta(days=365), dt.date(1960, 1, 1)), latest)
            join = max(join, adult)
            confirm = add_months(join, 18 if rng.random() < 0.05 else 12)  # probation sometimes extended
            if confirm >= today:
                confirm = add_months(join, 12)
        job = rng.choice(JOBS[role])
        is_mobile = rng.random() < (0.06 if role == "village" else 0.015)
        if is_mobile:
            job = "外出务工人员"
        town, village = home or (employer.zone.region.name if employer is not None else "", "")
        household = f"重庆市{self.p.short}{town}{village}" if born_here else place_of(number[:6], self.p.other_codes)
        residence = (rng.choice(ELSEWHERE) if is_mobile else f"重庆市{self.p.short}{town}{village}")
        paid = self.this_month if rng.random() < 0.7 else add_months(self.this_month, -1)
        if rng.random() < 0.06:
            paid = add_months(self.this_month, -rng.randint(2, 9))  # in arrears; ≥6 months gets flagged
        join_month = join.replace(day=1)
        status = MemberStatus.TRANSFERRED if role == "village" and rng.random() < 0.005 else MemberStatus.NORMAL
        member = Member(
            name=ctx.person_name(gender), gender=gender, birth_date=birth,
            ethnicity=rng.choices(self.ethnicities, weights=self.ethnicity_weights)[0],
            education=self.education(age), category=Category.PROBATIONARY if probationary else Category.FORMAL,
            organization=org, join_date=join, confirm_date=confirm, job=job,
            household_registration=household, residence=residence, status=status, is_mobile=is_mobile,
            employer=employer, dues_standard=dues_for(rng, role, age, job), dues_paid_until=max(paid, join_month),
        )
        member.set_id_number(number)
        member.set_phone(mobile(rng))
        return member
