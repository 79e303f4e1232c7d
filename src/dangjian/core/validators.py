"""Identifier checks of domain-rules §8, with messages that say what is wrong."""
import datetime as dt
import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

# GB 32100: digits and capitals without I O S V Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_AUTHORITIES = set("123456789ANGY")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _char_value(ch: str) -> int:
    return USCC_ALPHABET.index(ch)


def org_code_check(body: str) -> str:
    """GB 11714 check character for the 8-character organisation code body.

    GB 11714 values letters A=10 … Z=35 (base 36), unlike GB 32100's 31-character alphabet.
    """
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check(body17: str) -> str:
    total = sum(_char_value(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code; return it normalised.

    Own implementation because python-stdnum's ``cn.uscc`` rejects valid N…/Y… codes.
    """
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，当前为%(n)d位") % {"n": len(code)}, code="length")
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含非法字符“%(c)s”（不得含 I、O、S、V、Z）") % {"c": bad[0]}, code="format"
        )
    if code[0] not in USCC_AUTHORITIES:
        raise ValidationError(_("统一社会信用代码第1位登记管理部门代码“%(c)s”无效") % {"c": code[0]}, code="authority")
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3–8位应为行政区划代码"), code="area")
    if code[16] != org_code_check(code[8:16]):
        raise ValidationError(_("统一社会信用代码中的组织机构代码校验位错误"), code="org_checksum")
    if code[17] != uscc_check(code[:17]):
        raise ValidationError(_("统一社会信用代码校验位错误"), code="checksum")
    return code


def make_credit_code(authority: str, entity: str, area: str, org_body: str) -> str:
    """Build a valid code from its parts (used by the demo generator and tests)."""
    org = org_body + org_code_check(org_body)
    body = authority + entity + area + org
    return body + uscc_check(body)


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return "10X98765432"[total % 11]


def normalize_citizen_id(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


@lru_cache(maxsize=8192)
def area_years(area: str) -> tuple[tuple[int, int], ...]:
    """The years GB/T 2260 code ``area`` was in use, as (first, last) ranges from python-stdnum's code history
    (0 and 9999 stand for open ends); empty for a code that never existed. Cached: imports check many IDs."""
    counties = ",".join(props["county"] for _, props in numdb.get("cn/loc").info(area) if "county" in props)
    ranges = []
    for county in filter(None, counties.split(",")):
        if not county.startswith("["):
            ranges.append((0, 9999))  # no dates: in use throughout the history
            continue
        first, last = county[1:county.index("]")].split("-")
        ranges.append((int(first or 0), int(last or 9999)))
    return tuple(ranges)


def area_problem(area: str, birth_year: int, this_year: int) -> str:
    """Why ``area`` cannot be in an ID of someone born in ``birth_year`` ("" if it can).

    An ID carries the code of first registration, which can be years after birth (a code created after a
    county was renamed): any year from birth until now will do."""
    ranges = area_years(area)
    if any(first <= this_year and last >= birth_year for first, last in ranges):
        return ""
    if ranges and all(last < birth_year for _, last in ranges):
        return "gone"
    return "unknown"


def validate_citizen_id(value: str, birth_date: dt.date | None = None, gender: str | None = None,
                        today: dt.date | None = None) -> str:
    """Validate a GB 11643 citizen ID; if given, birth date and gender must agree."""
    number = normalize_citizen_id(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位，当前为%(n)d位") % {"n": len(number)}, code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码格式错误：前17位应为数字，末位为数字或X"), code="format")
    if number[17] != id_check_digit(number[:17]):
        raise ValidationError(_("身份证号码校验位错误"), code="checksum")
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date") from None
    today = today or timezone.localdate()
    if born > today or born.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date")
    problem = area_problem(number[:6], born.year, today.year)
    if problem == "gone":
        raise ValidationError(
            _("身份证号码的地区代码%(area)s在出生年份%(year)d之后已不存在") % {"area": number[:6], "year": born.year},
            code="area",
        )
    if problem:
        raise ValidationError(_("身份证号码的地区代码%(area)s不存在") % {"area": number[:6]}, code="area")
    if birth_date and birth_date != born:
        raise ValidationError(
            _("出生日期与身份证号码不一致（号码中为%(d)s）") % {"d": born.isoformat()}, code="birth_mismatch"
        )
    if gender and gender != id_gender(number):
        raise ValidationError(_("性别与身份证号码不一致"), code="gender_mismatch")
    return number


def id_gender(number: str) -> str:
    """'M' for an odd sequence digit, 'F' for even."""
    return "M" if int(number[16]) % 2 else "F"


def id_birth_date(number: str) -> dt.date:
    return ric.get_birth_date(number)


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def validate_phone(value: str) -> str:
    phone = re.sub(r"[\s()]", "", value or "")
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(_("电话号码格式错误：应为11位手机号或带区号的固定电话"), code="phone")
    return phone


def validate_division_code(value: str) -> str:
    code = (value or "").strip()
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValidationError(_("统计用区划代码应为6、9或12位数字"), code="division_code")
    return code


def make_citizen_id(area: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID (demo generator and tests): odd sequence = male, even = female."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)
