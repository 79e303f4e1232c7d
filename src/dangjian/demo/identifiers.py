"""Valid, unique identifiers for made-up people and units (domain-rules §8)."""
import datetime as dt
import random
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from dangjian.core.validators import USCC_ALPHABET, make_citizen_id, make_credit_code


@lru_cache(maxsize=None)
def code_valid_in(area: str, year: int) -> bool:
    """Did GB/T 2260 area code `area` exist in `year`? (stdnum's history of codes decides.)"""
    try:
        ric.get_birth_place(make_citizen_id(area, dt.date(year, 7, 1), 1))
    except StdnumError:
        return False
    return True


class CitizenIds:
    """Citizen IDs whose area code existed in the birth year, never the same twice."""

    def __init__(self, rng: random.Random, home_codes, other_codes, taken=()):
        self.rng = rng
        self.home_codes = tuple(home_codes)
        self.other_codes = tuple(other_codes)
        self.issued: set[str] = set(taken)

    def area_for(self, year: int, born_here: bool) -> str:
        codes = [c for c in self.home_codes if code_valid_in(c, year)]
        if not born_here:
            codes = [c for c in self.other_codes if code_valid_in(c, year)] or codes
        if not codes:
            raise ValueError(f"no area code in the profile is valid for birth year {year}")
        return self.rng.choice(codes)

    def make(self, birth: dt.date, gender: str, born_here: bool = True) -> str:
        parity = 1 if gender == "M" else 0
        for _attempt in range(50):
            area = self.area_for(birth.year, born_here)
            sequence = self.rng.randrange(0, 500) * 2 + parity
            number = make_citizen_id(area, birth, sequence)
            if number not in self.issued:
                self.issued.add(number)
                return number
        raise RuntimeError(f"could not find a free citizen ID for birth date {birth}")


# Registering authority + entity type (GB 32100) for each kind of unit.
CREDIT_TYPES = {
    "enterprise": [("9", "1", 100)],
    "small_business": [("9", "1", 90), ("9", "3", 10)],  # 93: farmers' cooperative
    "individual_business": [("9", "2", 100)],
    "social_org": [("5", "2", 70), ("5", "1", 25), ("Y", "1", 5)],  # 民办非企业, 社会团体, other
    "collective": [("N", "2", 100)],  # village collective economic organisation
    "professional_market": [("9", "1", 100)],
}
_BODY_CHARS = USCC_ALPHABET


class CreditCodes:
    def __init__(self, rng: random.Random, taken=()):
        self.rng = rng
        self.issued: set[str] = set(taken)

    def make(self, kind: str, area: str, founded: dt.date) -> str:
        choices = CREDIT_TYPES[kind]
        authority, entity, _w = self.rng.choices(choices, weights=[w for *_x, w in choices])[0]
        for _attempt in range(50):
            if founded.year < 2015 and authority == "9" and entity == "1":
                body = "".join(self.rng.choice("0123456789") for _ in range(8))  # converted old org code
            else:
                prefix = {"5": "MJ", "N": "MF", "Y": "MC"}.get(authority, "MA")
                body = prefix + "".join(self.rng.choice(_BODY_CHARS) for _ in range(6))
            code = make_credit_code(authority, entity, area, body)
            if code not in self.issued:
                self.issued.add(code)
                return code
        raise RuntimeError("could not find a free credit code")


MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159",
                   "173", "177", "180", "181", "182", "183", "185", "187", "189", "191", "199")


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
