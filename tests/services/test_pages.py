"""Service pages for each role: the workbench, the queues and a request's page, raising and rating, coverage
with suggestions, the dashboard, ideas; out of scope answers 404; lists cost a fixed number of queries."""
import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.services import actions
from dangjian.services.models import Assignment, Idea, Request, State
from tests.services.test_officers import placed  # noqa: F401  (fixture)
from tests.sheets import HOSTILE, assert_no_formulas


def test_home_sends_each_role_to_its_start(svc, login):
    assert login(svc.users.officer).get(reverse("services:home")).url == reverse("services:workbench")
    assert login(svc.world.users.district).get(reverse("services:home")).url == reverse("services:dashboard")
    assert login(svc.users.qiye).get(reverse("services:home")).url == reverse("services:requests")


def test_an_enterprise_raises_follows_and_rates(svc, login):
    client = login(svc.users.qiye)
    page = client.get(reverse("services:request_create"))
    assert page.status_code == 200 and "甲印务有限公司" in page.content.decode()
    bad = client.post(reverse("services:request_create"), {"unit": svc.world.units.jia.pk, "category": "recruitment",
                                                           "title": "", "description": ""})
    assert bad.status_code == 200 and not Request.objects.exists()
    done = client.post(reverse("services:request_create"), {
        "unit": svc.world.units.jia.pk, "category": "recruitment", "title": "招工难", "description": "缺普工"})
    item = Request.objects.get()
    assert done.url == reverse("services:request", args=[item.pk])
    w = svc.world.users
    for user, action, note in ((w.district, "accept", ""), (w.district, "assign", ""), (svc.users.hrss, "reply", "已对接")):
        r = login(user).post(reverse("services:request_act", args=[item.pk]),
                             {"action": action, "version": Request.objects.get().version, "note": note})
        assert r.status_code == 302
    page = client.get(reverse("services:request", args=[item.pk])).content.decode()
    assert "已对接" in page and 'data-step="confirm"' in page and 'data-step="reply"' not in page
    client.post(reverse("services:request_act", args=[item.pk]), {"action": "confirm", "version": Request.objects.get().version})
    client.post(reverse("services:request_rate", args=[item.pk]), {"rating": 5, "comment": "好"})
    assert Request.objects.get().rating == 5 and Request.objects.get().state == State.CLOSED


def test_a_stale_page_is_told_someone_else_acted(svc, raised, login):
    client = login(svc.world.users.district)
    login(svc.world.users.shuanggui).post(reverse("services:request_act", args=[raised.pk]),
                                          {"action": "accept", "version": 0})
    r = client.post(reverse("services:request_act", args=[raised.pk]), {"action": "accept", "version": 0},
                    follow=True)
    assert "刚被他人处理过" in r.content.decode()
    assert raised.events.filter(action="accept").count() == 1


def test_out_of_scope_requests_answer_404(svc, raised, login):
    for user in (svc.world.users.lirang, svc.users.qiye_ding, svc.users.commerce, svc.world.users.member):
        client = login(user)
        assert client.get(reverse("services:request", args=[raised.pk])).status_code == 404
        assert client.post(reverse("services:request_act", args=[raised.pk]),
                           {"action": "accept", "version": 0}).status_code == 404
    assert Request.objects.get().state == State.SUBMITTED


def test_queue_lists_filters_and_exports(svc, raised, login, django_assert_max_num_queries):
    for i in range(5):
        actions.raise_request(svc.users.qiye, svc.world.units.jia, "policy", f"开票问题{i}", "内容")
    client = login(svc.world.users.district)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("services:requests"))
    assert page.status_code == 200 and page.content.decode().count("开票问题") == 5
    only = client.get(reverse("services:requests"), {"category": "recruitment"}).content.decode()
    assert "招工难" in only and "开票问题" not in only
    hrss = login(svc.users.hrss).get(reverse("services:requests")).content.decode()
    assert "招工难" in hrss and "开票问题" not in hrss  # its department's queue
    xlsx = client.get(reverse("services:request_export"), {"category": "policy"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert len(rows) == 6 and rows[1][1] == "甲印务有限公司"


def test_workbench_and_visit_form(svc, login):
    d, today = svc.world, timezone.localdate()
    actions.assign_officer(d.users.district, svc.officer, d.units.jia, today - dt.timedelta(days=200))
    client = login(svc.users.officer)
    page = client.get(reverse("services:workbench")).content.decode()
    assert "甲印务有限公司" in page and "该走访了" in page
    r = client.post(reverse("services:workbench"), {"unit": d.units.jia.pk, "date": today.isoformat(),
                                                    "purpose": "了解用工", "findings": "缺人"})
    assert r.status_code == 302 and "该走访了" not in client.get(reverse("services:workbench")).content.decode()
    bad = client.post(reverse("services:workbench"), {"unit": d.units.jia.pk, "date": "2099-01-01", "purpose": "x"},
                      follow=True)
    assert "走访日期不能晚于今天" in bad.content.decode()
    assert login(d.users.district).get(reverse("services:workbench")).status_code == 404


def test_coverage_page_suggests_and_applies(placed, login):
    d = placed.world
    client = login(d.users.district)
    page = client.get(reverse("services:coverage"), {"propose": 1, "kind": "instructor"}).content.decode()
    assert "智能派员建议" in page and page.count('name="pairs"') == 5
    values = [f"{u.pk}:{placed.instructor.pk}" for u in (d.units.jia, d.units.yi)]
    r = client.post(reverse("services:coverage"), {"pairs": values})
    assert r.status_code == 302 and Assignment.objects.count() == 2
    assert login(d.users.secretary).get(reverse("services:coverage")).status_code == 404


def test_dashboard_counts_and_fixed_queries(svc, raised, login, django_assert_max_num_queries):
    w = svc.world.users
    r = actions.act(w.district, raised, "accept", 0)
    r = actions.act(w.district, r, "assign", r.version)
    r = actions.act(svc.users.hrss, r, "reply", r.version, "好")
    r = actions.act(svc.users.qiye, r, "confirm", r.version)
    actions.rate(svc.users.qiye, r, 4)
    client = login(w.district)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("services:dashboard"))
    text = page.content.decode()
    assert 'data-figure="satisfaction">80.0<' in text and 'data-figure="on-time">100.0%<' in text
    assert "区人力社保局" in text
    assert login(svc.users.qiye).get(reverse("services:dashboard")).status_code == 404


def test_ideas_are_recorded_and_adopted(svc, login):
    client = login(svc.users.qiye)
    client.post(reverse("services:ideas"), {"unit": svc.world.units.jia.pk, "kind": "suggestion",
                                            "text": "建议开通园区公交", "staff_name": "王师傅"})
    idea = Idea.objects.get()
    assert login(svc.users.qiye).post(reverse("services:idea_adoption", args=[idea.pk]),
                                      {"adoption": "adopted"}, follow=True).status_code == 200
    assert Idea.objects.get().adoption == "pending"  # the enterprise cannot adopt its own idea
    login(svc.world.users.shuanggui).post(reverse("services:idea_adoption", args=[idea.pk]), {"adoption": "adopted"})
    assert Idea.objects.get().adoption == "adopted"


def test_visits_and_requests_feed_the_units_page(svc, raised, login):
    d, today = svc.world, timezone.localdate()
    actions.assign_officer(d.users.district, svc.officer, d.units.jia, today - dt.timedelta(days=5))
    actions.record_visit(svc.users.officer, d.units.jia, today, "宣讲惠企政策", "企业反映用工紧张")
    page = login(d.users.shuanggui).get(reverse("units:detail", args=[d.units.jia.pk])).content.decode()
    assert "服务记录" in page and "宣讲惠企政策" in page and "招工难" in page and "刘服务" in page
    other = login(d.users.lirang).get(reverse("units:detail", args=[d.units.ding.pk])).content.decode()
    assert "还没有走访或诉求记录" in other


def test_a_hostile_request_title_is_text_not_a_formula(svc, login):
    actions.raise_request(svc.users.qiye, svc.world.units.jia, "policy", HOSTILE, "-1+1")
    xlsx = login(svc.world.users.district).get(reverse("services:request_export"))
    assert "'" + HOSTILE in assert_no_formulas(xlsx.content)
