"""Compliance dashboard, behind list, Excel report and PDF record book: content, scope and query counts."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.orglife import actions
from dangjian.organizations.models import Organization
from tests.orglife.conftest import add_formal
from tests.orglife.test_compliance import held
from tests.sheets import HOSTILE, assert_no_formulas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(pin):
    return pin(dt.date(2026, 11, 5))  # October is over; November's theme day (the 10th) still to come


@pytest.fixture
def history(world):
    held(world.orgs.jia, "general_meeting", dt.date(2026, 10, 15))
    held(world.orgs.joint, "theme_day", dt.date(2026, 10, 10), expected=4, present=2, made_up=2)


def test_dashboard_for_the_district_and_drill_down(world, login, history):
    c = login(world.users.district)
    page = c.get(reverse("orglife:compliance") + "?period=2026-Q4").content.decode()
    assert "组织生活落实情况" in page and "双桂街道" in page and "礼让镇" in page
    assert 'id="compliance-data"' in page and '"2026-10-10", 1' in page.replace("[", "").replace("]", "")
    town = c.get(reverse("orglife:compliance") + f"?region={world.shuanggui.pk}&period=2026-Q4").content.decode()
    assert "甲印务有限公司党支部" in town and "丁机械有限公司党支部" not in town


def test_dashboard_scope(world, login, history):
    c = login(world.users.lirang)
    assert c.get(reverse("orglife:compliance") + f"?region={world.shuanggui.pk}").status_code == 404
    assert c.get(reverse("orglife:compliance") + f"?org={world.orgs.jia.pk}").status_code == 404
    page = c.get(reverse("orglife:compliance")).content.decode()
    assert "丁机械有限公司党支部" in page and "甲印务" not in page
    secretary = login(world.users.secretary).get(reverse("orglife:compliance")).content.decode()
    assert "甲印务有限公司党支部" in secretary and "记录本" in secretary
    assert login(world.users.member).get(reverse("orglife:compliance")).status_code in (200, 404)


@pytest.mark.parametrize("extra", [0, 12])
def test_dashboard_costs_a_fixed_number_of_queries(world, login, django_assert_num_queries, extra):
    from dangjian.organizations.models import Organization, OrgKind

    for i in range(extra):
        org = Organization.objects.add_root(instance=Organization(name=f"支部{i}", kind=OrgKind.BRANCH, region=world.lirang))
        add_formal(org, i % 9)
        held(org, "committee", dt.date(2026, 11, 2))
    c = login(world.users.district)
    with django_assert_num_queries(11):
        assert c.get(reverse("orglife:compliance") + "?period=2026").status_code == 200


def test_behind_list_and_excel_report(world, login, history):
    c = login(world.users.district)
    page = c.get(reverse("orglife:compliance_behind") + "?period=2026-Q4&kind=theme_day").content.decode()
    assert "甲印务有限公司党支部" in page and "双桂街道商贸物流联合党支部" not in page
    r = c.get(reverse("orglife:compliance_xlsx") + "?period=2026-Q4")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["汇总", "按下级", "各党组织"]
    names = [row[0] for row in wb["各党组织"].iter_rows(min_row=2, values_only=True)]
    assert set(names) == {"甲印务有限公司党支部", "双桂街道商贸物流联合党支部", "丁机械有限公司党支部"}
    summary = {row[0]: row for row in wb["汇总"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert wb["汇总"]["G2"].value == "待开"
    assert summary["主题党日"][1:4] == (3, 1, 0.3333) and summary["主题党日"][6] == 3  # October's; November's to come
    assert summary["党课"][3] == "待开"  # nothing due yet in Q4: pending, not 0%
    rows = {row[0]: row for row in wb["各党组织"].iter_rows(min_row=2, values_only=True)}
    header = next(wb["各党组织"].iter_rows(max_row=1, values_only=True))
    assert rows["甲印务有限公司党支部"][header.index("主题党日（已开/应开）")] == "0/1（待开1）"
    town = login(world.users.lirang).get(reverse("orglife:compliance_xlsx"))
    names = [row[0] for row in load_workbook(io.BytesIO(town.content))["各党组织"].iter_rows(min_row=2, values_only=True)]
    assert names == ["丁机械有限公司党支部"]


def test_record_book_pdf(world, login, history):
    m = held(world.orgs.jia, "lecture", dt.date(2026, 11, 3))
    actions.add_minutes(world.users.secretary, m, "书记讲授专题党课。")
    r = login(world.users.secretary).get(reverse("orglife:recordbook", args=[world.orgs.jia.pk, 2026]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert login(world.users.lirang).get(reverse("orglife:recordbook", args=[world.orgs.jia.pk, 2026])).status_code == 404
    assert login(world.users.secretary).get(reverse("orglife:recordbook", args=[world.orgs.jia.pk, 2099])).status_code == 404


def test_a_running_month_reads_pending_not_zero(world, login, pin):
    pin(dt.date(2026, 12, 4))
    c = login(world.users.district)
    page = c.get(reverse("orglife:compliance") + "?period=2026-12").content.decode()
    assert "本月待开" in page and "0.0%" not in page
    quarter = c.get(reverse("orglife:compliance") + "?period=2026-Q4").content.decode()
    assert "另有" in quarter  # the rate's hint says how many are still to come
    past = c.get(reverse("orglife:compliance") + "?period=2026-10").content.decode()
    assert "本月待开" not in past


def test_record_book_pdf_of_a_small_branch(world, login):
    r = login(world.users.district).get(reverse("orglife:recordbook", args=[world.orgs.ding.pk, 2026]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_a_hostile_organisation_name_is_text_not_a_formula(world, login, history):
    Organization.objects.filter(pk=world.orgs.jia.pk).update(name=HOSTILE)
    r = login(world.users.district).get(reverse("orglife:compliance_xlsx") + "?period=2026-Q4")
    assert "'" + HOSTILE in assert_no_formulas(r.content)
