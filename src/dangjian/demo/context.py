"""State shared by the generator's steps: the profile, the seeded randomness, today."""
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from faker import Faker

from dangjian.demo.identifiers import CitizenIds, CreditCodes
from dangjian.demo.profiles import Profile


# Phases reported to the progress callback as (label, done, total).
PHASES = {
    "regions": _("生成区划"),
    "units": _("生成单位"),
    "organizations": _("组建党组织"),
    "members": _("生成党员（含身份证号、电话加密）"),
    "save": _("写入数据库"),
    "orglife": _("生成一年的组织生活（会议、参会、记录）"),
    "learning": _("生成学习内容、推送、学习记录和积分"),
    "services": _("生成服务人员、联系单位、走访和企业诉求"),
    "alliances": _("生成联动组、结对共建、党建联盟和需求资源"),
}


def _silent(label, done, total):
    return None


@dataclass
class Zone:
    """A town, street, township or the park, with what lies in it."""

    region: object
    villages: list = field(default_factory=list)  # villages and communities
    places: list = field(default_factory=list)  # buildings and markets
    units: list = field(default_factory=list)

    @property
    def is_park(self) -> bool:
        return self.region.kind == "park"


class Ctx:
    def __init__(self, profile: Profile, seed: int, today: dt.date, progress=None):
        self.profile = profile
        self.seed = seed
        self.today = today
        self.rng = random.Random(f"dangjian-demo/{profile.key}/{seed}")
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        people = self.fake.provider("faker.providers.person")
        self._surnames = list(people.last_names)
        self._surname_weights = list(itertools.accumulate(people.last_names.values()))
        self._male, self._female = list(people.first_names_male), list(people.first_names_female)
        self._draw, self._pick = self.fake.random.choices, self.fake.random.choice
        self.progress = progress or _silent
        self.citizen_ids = CitizenIds(self.rng, profile.home_codes, profile.other_codes)
        self.credit_codes = CreditCodes(self.rng)
        self.district = None
        self.zones: list[Zone] = []
        self.units: list = []
        self.orgs: list = []
        self.org_units: list = []
        self.members: list = []
        self.committee: list = []
        self.work_links: list = []

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def person_name(self, gender: str) -> str:
        """Surname by its frequency, given name by gender: Faker's zh_CN lists, drawn with its seeded random
        (directly, as Faker's own weighted draw costs ~60 µs a name)."""
        first = self._male if gender == "M" else self._female
        return self._draw(self._surnames, cum_weights=self._surname_weights)[0] + self._pick(first)

    def report(self, phase: str, done: int, total: int):
        self.progress(str(PHASES[phase]), done, total)
