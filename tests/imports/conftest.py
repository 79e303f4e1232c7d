"""Imports run their background tasks immediately in tests; files are built in code with openpyxl."""
import datetime as dt
import io
import itertools

import pytest
from django.utils import translation
from openpyxl import Workbook

from dangjian.core.validators import make_citizen_id

_counter = itertools.count()


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are checked in Chinese, whatever language an earlier test's request left active."""
    with translation.override("zh-hans"):
        yield


def new_person(male=True) -> tuple[dt.date, str]:
    """A birth date and a valid, never repeated citizen ID (400 people per birthday)."""
    n = next(_counter)
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 400)
    return birth, make_citizen_id("110101", birth, 101 + 2 * (n % 400) + (0 if male else 1))


def new_id(male=True) -> str:
    return new_person(male)[1]


def member_row(**overrides) -> dict:
    """A valid member row for the world fixture's 甲印务有限公司党支部, by Chinese header."""
    male = overrides.pop("male", True)
    birth, number = new_person(male)
    row = {
        "姓名": "测试党员", "性别": "男" if male else "女", "身份证号码": number, "出生日期": birth,
        "人员类别": "正式党员", "所在党支部": "甲印务有限公司党支部", "入党日期": "2015-07-01",
        "转正日期": "2016/7/1", "联系电话": "13912345678",
    }
    row.update(overrides)
    return row


def workbook_bytes(rows: list[dict], headers=None, sheet="党员") -> bytes:
    headers = headers or list(dict.fromkeys(h for row in rows for h in row))
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(path, rows: list[dict], headers=None, sheet="党员"):
    path.write_bytes(workbook_bytes(rows, headers, sheet))
    return path


def issues_at(outcome) -> dict:
    """{(row, column): message} of a pipeline outcome."""
    return {(i.row, i.column): i.message for i in outcome.issues}
