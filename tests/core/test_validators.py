"""Identifier rules of domain-rules §8, with real-shaped valid and invalid examples."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.validators import (
    USCC_ALPHABET,
    make_citizen_id,
    make_credit_code,
    org_code_check,
    validate_citizen_id,
    validate_credit_code,
    validate_division_code,
    validate_phone,
)


@pytest.fixture(autouse=True)
def chinese():
    """Messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def code_of(exc_info):
    return exc_info.value.code


class TestCreditCode:
    @pytest.mark.parametrize(
        "code",
        [
            "91110000600037341L",  # published example of an enterprise code (Beijing)
            "N2500155MF1234567L",  # N…: registered by another authority; stdnum's cn.uscc rejects these
            "Y1500155MA6A2B3C58",  # Y…: catch-all authority
            "52500155MJP581233W",  # 5…: civil affairs (民办非企业单位)
            "91500155MA5U3RXW5L",
        ],
    )
    def test_valid_codes(self, code):
        assert validate_credit_code(code) == code

    def test_lower_case_and_spaces_are_normalised(self):
        assert validate_credit_code(" 9111 0000 6000 3734 1l ") == "91110000600037341L"

    def test_wrong_final_check_character(self):
        with pytest.raises(ValidationError) as exc:
            validate_credit_code("91110000600037341M")
        assert code_of(exc) == "checksum"

    def test_wrong_organisation_code_check(self):
        # Change the 17th character (GB 11714 check) and recompute the final one: still invalid.
        body = "9111000060003734"
        code = make_credit_code("9", "1", "110000", "60003734")
        assert code[16] == "1"
        bad = body + "2" + code[17]
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(bad)
        assert code_of(exc) == "org_checksum"

    @pytest.mark.parametrize("code,reason", [
        ("9111000060003734", "length"),
        ("9111000060003734IL", "format"),  # I is not in the alphabet
        ("O1110000600037341L", "format"),
        ("Z1110000600037341L", "format"),
        ("C1110000600037341L", "authority"),
        ("911A0000600037341L", "area"),
    ])
    def test_malformed(self, code, reason):
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(code)
        assert code_of(exc) == reason

    def test_org_code_check_uses_base36_letter_values(self):
        # GB 11714 values J as 19 (base 36), not as its position in the GB 32100 alphabet.
        assert org_code_check("MA5U3RXW") == "5"
        assert org_code_check("60003734") == "1"

    @given(st.text(alphabet=USCC_ALPHABET[:10] + "MAJPQ", min_size=8, max_size=8),
           st.sampled_from(["1", "5", "9", "N", "Y"]))
    def test_every_generated_code_validates(self, body, authority):
        assert validate_credit_code(make_credit_code(authority, "1", "500155", body))


class TestCitizenId:
    def test_valid_liangping_id_uses_the_sichuan_code_of_its_birth_year(self):
        number = make_citizen_id("512224", dt.date(1985, 3, 7), 123)
        assert validate_citizen_id(number, dt.date(1985, 3, 7), "M") == number

    def test_x_check_digit(self):
        number = "11010519491231002X"
        assert validate_citizen_id(number.lower()) == number

    def test_checksum(self):
        number = make_citizen_id("512224", dt.date(1985, 3, 7), 123)
        wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(wrong)
        assert code_of(exc) == "checksum"

    # Area codes from python-stdnum's history of GB/T 2260 (Liangping: Sichuan 512224 until 1992, Chongqing's
    # 500228 1997–2016, 500155 since 2016). An ID carries the code of first registration, which can come years
    # after birth, so any code in use from the birth year until today is accepted.
    @pytest.mark.parametrize("area,born", [
        ("500228", dt.date(1990, 1, 1)),  # 梁平县 1997–2016: first registered in Chongqing after 1997 (issue 11)
        ("500228", dt.date(2016, 6, 1)),  # its last year
        ("500155", dt.date(1990, 1, 1)),  # 梁平区 since 2016: an ID first issued after the renaming
        ("512224", dt.date(1985, 3, 7)),  # Liangping's Sichuan code at birth
        ("512224", dt.date(1992, 12, 31)),  # ... in its last year
        ("500101", dt.date(1960, 5, 1)),  # 万县区 1997, 万州区 since 1998: one code, two names
        ("110000", dt.date(1949, 12, 31)),  # a code without dates in the history: always in use
    ])
    def test_area_code_in_use_at_any_time_from_birth_until_today(self, area, born):
        number = make_citizen_id(area, born, 11)
        assert validate_citizen_id(number, born, "M", today=dt.date(2026, 12, 4)) == number

    @pytest.mark.parametrize("area,born", [
        ("512224", dt.date(1993, 1, 1)),  # Liangping's Sichuan code ended in 1992
        ("510212", dt.date(2000, 1, 1)),  # Sichuan's 沙坪坝区 code, 1983–1997: Chongqing's since
    ])
    def test_area_code_abolished_before_the_birth_year(self, area, born):
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(make_citizen_id(area, born, 11), today=dt.date(2026, 12, 4))
        assert code_of(exc) == "area"
        assert exc.value.messages == [f"身份证号码的地区代码{area}在出生年份{born.year}之后已不存在"]

    @pytest.mark.parametrize("area", [
        "999999",  # no such province
        "509999",  # Chongqing, but no such county (used to fail with a KeyError: a 500 in the member form)
    ])
    def test_area_code_that_never_existed(self, area):
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(make_citizen_id(area, dt.date(1990, 1, 1), 11), today=dt.date(2026, 12, 4))
        assert code_of(exc) == "area"
        assert exc.value.messages == [f"身份证号码的地区代码{area}不存在"]

    def test_area_code_checked_until_the_given_today(self):
        # 500155 was created in 2016: on a day in 2015 nobody could have been registered under it.
        number = make_citizen_id("500155", dt.date(1990, 1, 1), 11)
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(number, today=dt.date(2015, 12, 31))
        assert exc.value.messages == ["身份证号码的地区代码500155不存在"]

    def test_area_code_valid_after_creation(self):
        assert validate_citizen_id(make_citizen_id("500155", dt.date(2017, 1, 1), 11))

    def test_impossible_birth_date(self):
        first = "50022819850230123"
        from dangjian.core.validators import id_check_digit

        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(first + id_check_digit(first))
        assert code_of(exc) == "birth_date"

    def test_future_birth_date(self):
        future = dt.date.today() + dt.timedelta(days=1)  # born tomorrow (not "this day next year": no 29 February)
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(make_citizen_id("500155", future, 11))
        assert code_of(exc) == "birth_date"

    def test_birth_date_must_agree(self):
        number = make_citizen_id("512224", dt.date(1985, 3, 7), 123)
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(number, birth_date=dt.date(1985, 3, 8))
        assert code_of(exc) == "birth_mismatch"

    def test_gender_must_agree(self):
        male = make_citizen_id("512224", dt.date(1985, 3, 7), 123)
        female = make_citizen_id("512224", dt.date(1985, 3, 7), 124)
        assert validate_citizen_id(female, gender="F")
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(male, gender="F")
        assert code_of(exc) == "gender_mismatch"

    @pytest.mark.parametrize("value,reason", [("50022819850307123", "length"), ("5002281985030712A3", "format")])
    def test_malformed(self, value, reason):
        with pytest.raises(ValidationError) as exc:
            validate_citizen_id(value)
        assert code_of(exc) == reason


@pytest.mark.parametrize("code,ok", [("500155", True), ("500155101", True), ("500155101001", True),
                                     ("5001551", False), ("50015510100A", False), ("", False)])
def test_division_codes(code, ok):
    if ok:
        assert validate_division_code(code) == code
    else:
        with pytest.raises(ValidationError):
            validate_division_code(code)


@pytest.mark.parametrize("phone,ok", [("13812345678", True), ("023-53221234", True), ("02353221234", True),
                                      ("12812345678", False), ("1381234567", False), ("abc", False)])
def test_phone(phone, ok):
    if ok:
        assert validate_phone(phone)
    else:
        with pytest.raises(ValidationError):
            validate_phone(phone)
