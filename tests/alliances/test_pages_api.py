"""Alliance pages and API for each role: the proposal screen (move, accept), groups, pairs with the checklist,
the market with matches and deals; out of scope answers 404."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.alliances import actions
from dangjian.alliances.models import Deal, Item, LinkMember, Pair, Scheme
from tests.alliances.test_actions import operating, publish
from tests.sheets import HOSTILE, assert_no_formulas

API = "/api/v1/alliances"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_proposal_screen_move_and_accept(al, login):
    w = al.world
    client = login(w.users.district)
    page = client.get(reverse("alliances:scheme_new"))
    assert page.status_code == 200
    r = client.post(reverse("alliances:scheme_new"), {"region": w.district.pk, "organised_only": "", "min_employees": 0,
                                                       "groups": 2, "seed": 1, "name": "梁平测试方案"})
    scheme = Scheme.objects.get()
    assert r.url == reverse("alliances:scheme", args=[scheme.pk])
    text = client.get(r.url).content.decode()
    assert "梁平测试方案" in text and 'draggable="true"' in text and "scheme-data" in text
    member = LinkMember.objects.filter(scheme=scheme).first()
    target = scheme.groups.exclude(pk=member.group_id).get()
    client.post(reverse("alliances:scheme_move", args=[scheme.pk]), {"unit": member.unit_id, "group": target.pk})
    assert LinkMember.objects.get(pk=member.pk).group == target
    client.post(reverse("alliances:scheme_accept", args=[scheme.pk]), follow=True)
    scheme.refresh_from_db()
    assert scheme.accepted and 'draggable="true"' not in client.get(reverse("alliances:scheme", args=[scheme.pk])).content.decode()
    assert login(w.users.lirang).get(reverse("alliances:scheme", args=[scheme.pk])).status_code == 404
    assert login(al.qiye).get(reverse("alliances:scheme_new")).status_code == 404


def test_group_page_board_and_activity(al, login):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    group = scheme.groups.first()
    client = login(w.users.district)
    client.post(reverse("alliances:group", args=[group.pk]), {"form": "post", "text": "下周三联建活动，请各单位派员参加"})
    client.post(reverse("alliances:group", args=[group.pk]), {"form": "activity", "date": timezone.localdate(),
                                                             "title": "联建：送法进企业", "host": group.leader_id})
    page = client.get(reverse("alliances:group", args=[group.pk])).content.decode()
    assert "下周三联建活动" in page and "送法进企业" in page


def test_pairs_page_proposes_and_checklist_needs_evidence(al, login):
    w = al.world
    client = login(w.users.district)
    assert client.get(reverse("alliances:pairs"), {"propose": 1}).status_code == 200
    r = client.post(reverse("alliances:pairs"), {"kind": "village", "unit_name": "丁机械有限公司", "village": w.community.pk,
                                                 "start": timezone.localdate()})
    pair = Pair.objects.get()
    assert r.status_code == 302 and pair.unit == w.units.ding
    bad = client.post(reverse("alliances:pair", args=[pair.pk]), {"action": "survey", "date": timezone.localdate()},
                      follow=True)
    assert "请上传佐证材料" in bad.content.decode() and not pair.actions.exists()
    client.post(reverse("alliances:pair", args=[pair.pk]), {"action": "survey", "date": timezone.localdate(),
                                                            "evidence": SimpleUploadedFile("s.jpg", b"\xff\xd8\xffjpeg")})
    assert pair.actions.count() == 1
    assert "16.7%" in client.get(reverse("alliances:pairs")).content.decode()


def test_market_item_matches_and_deal_through_pages(al, login):
    w = al.world
    need = publish(al, al.qiye, w.units.jia, "need", "包装盒印刷", "需要定制包装盒和宣传单印刷")
    printing = publish(al, al.qiye_ding, w.units.ding, "resource", "包装印刷", "承接包装盒、宣传单印刷")
    client = login(al.qiye)
    page = client.get(reverse("alliances:item", args=[need.pk])).content.decode()
    assert f'data-match="{printing.pk}"' in page and "包装" in page and f'data-deal="{printing.pk}"' in page
    client.post(reverse("alliances:item", args=[need.pk]), {"resource": printing.pk, "value": "8", "date": timezone.localdate()})
    assert Deal.objects.get().resource == printing
    market = login(w.users.lirang).get(reverse("alliances:market"), {"q": "印刷"}).content.decode()
    assert "包装盒印刷" in market  # the market is open to every user
    assert "登记成交" not in login(al.qiye_ding).get(reverse("alliances:item", args=[need.pk])).content.decode()
    r = client.post(reverse("alliances:item_new"), {"kind": "resource", "unit": w.units.jia.pk, "title": "过期资源",
                                                    "description": "x", "category": "services", "contact": "王",
                                                    "valid_until": timezone.localdate() - dt.timedelta(days=1)})
    assert r.status_code == 200 and "有效期不能早于今天" in r.content.decode()
    assert not Item.objects.filter(title="过期资源").exists()


def test_api_scheme_items_matches_and_deals(al, login):
    w = al.world
    qu = login(w.users.district)
    r = post(qu, f"{API}/schemes", {"region": w.district.pk, "units": operating(w), "groups": 2, "seed": 3})
    assert r.status_code == 201 and len(r.json()["groups"]) == 2
    scheme = r.json()
    unit = scheme["groups"][0]["members"][0]["unit_id"]
    moved = post(qu, f"{API}/schemes/{scheme['id']}/moves", {"unit": unit, "group": scheme["groups"][1]["id"]})
    assert unit in [m["unit_id"] for m in moved.json()["groups"][1]["members"]]
    assert login(w.users.lirang).get(f"{API}/schemes/{scheme['id']}").status_code == 404
    bad = post(qu, f"{API}/schemes", {"region": w.district.pk, "units": operating(w), "groups": 9})
    assert bad.status_code == 422
    qiye = login(al.qiye)
    need = post(qiye, f"{API}/items", {"unit": w.units.jia.pk, "kind": "need", "title": "包装盒印刷",
                                       "description": "需要定制包装盒印刷", "category": "services",
                                       "valid_until": str(timezone.localdate() + dt.timedelta(days=9)), "contact": "王"})
    assert need.status_code == 201
    res = publish(al, al.qiye_ding, w.units.ding, "resource", "包装印刷", "承接包装盒印刷")
    matches = qiye.get(f"{API}/items/{need.json()['id']}/matches").json()
    assert matches[0]["item"]["id"] == res.pk and "包装盒" in matches[0]["shared"]
    deal = post(qiye, f"{API}/items/{need.json()['id']}/deals", {"resource": res.pk, "value": "3.5",
                                                               "date": str(timezone.localdate())})
    assert deal.status_code == 201
    assert post(qiye, f"{API}/items", {"unit": w.units.ding.pk, "kind": "need", "title": "t", "description": "d",
                                       "category": "services", "valid_until": "2099-01-01",
                                       "contact": "王"}).status_code == 404
    assert qu.get(f"{API}/pairs/proposals").status_code == 200


def test_outcomes_experts_and_the_workbook(al, login):
    import io

    from openpyxl import load_workbook

    from dangjian.alliances.models import Expert

    w = al.world
    pair = actions.create_pair(w.users.district, w.district, "village", timezone.localdate(), unit=w.units.ding,
                               village=w.community)
    client = login(w.users.district)
    client.post(reverse("alliances:pair", args=[pair.pk]), {"form": "outcome", "outcome": "帮村里卖出柚子 2 万斤"})
    assert Pair.objects.get().outcome == "帮村里卖出柚子 2 万斤"
    assert login(al.qiye).post(reverse("alliances:pair", args=[pair.pk]), {"form": "outcome",
                                                                           "outcome": "x"}).status_code == 404
    need = publish(al, al.qiye, w.units.jia, "need", "包装印刷", "需要包装盒印刷")
    expert = Expert.objects.create(name="周工", skills="包装设计、印刷工艺", unit=w.units.ding)
    page = login(al.qiye).get(reverse("alliances:item", args=[need.pk])).content.decode()
    assert "周工" in page
    login(al.qiye).post(reverse("alliances:item", args=[need.pk]), {"expert": expert.pk})
    assert list(Item.objects.get(pk=need.pk).experts.all()) == [expert]
    book = load_workbook(io.BytesIO(client.get(reverse("alliances:export")).content))
    assert book.sheetnames == ["需求和资源", "对接成交", "结对共建"]
    assert list(book["结对共建"].values)[1][-1] == "帮村里卖出柚子 2 万斤"


def test_api_pairs_alliances_experts_and_dashboard(al, login):
    from dangjian.alliances.models import Alliance, Expert

    w = al.world
    qu = login(w.users.district)
    made = post(qu, f"{API}/pairs", {"kind": "village", "start": str(timezone.localdate()), "unit": w.units.ding.pk,
                                     "village": w.community.pk})
    assert made.status_code == 201 and made.json()["actions_done"] == []
    missing = post(qu, f"{API}/pairs", {"kind": "village", "start": str(timezone.localdate()), "unit": 99999,
                                        "village": w.community.pk})
    assert missing.status_code == 422 and "unit" in missing.json()["detail"]
    assert [p["id"] for p in qu.get(f"{API}/pairs").json()["items"]] == [made.json()["id"]]
    assert login(w.users.lirang).get(f"{API}/pairs").json()["items"] == []
    assert qu.get(f"{API}/pairs/completion").json()[-1]["pairs"] == 1
    Alliance.objects.create(name="制造业党建联盟", region=w.district, industry="制造业")
    assert [a["name"] for a in qu.get(f"{API}/alliances").json()["items"]] == ["制造业党建联盟"]
    assert login(w.users.lirang).get(f"{API}/alliances").json()["items"] == []
    Expert.objects.create(name="周工", skills="包装设计", unit=w.units.ding)
    assert [e["name"] for e in login(al.qiye).get(f"{API}/experts", {"q": "包装"}).json()["items"]] == ["周工"]
    assert qu.get(f"{API}/dashboard").json()["pairs"] == {"village": 1}


def test_member_units_see_their_groups_board_but_not_others(al, login):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    mine = scheme.groups.get(members__unit=w.units.jia)
    other = scheme.groups.exclude(pk=mine.pk).get()
    client = login(al.qiye)
    assert client.get(reverse("alliances:group", args=[mine.pk])).status_code == 200
    client.post(reverse("alliances:group", args=[mine.pk]), {"form": "post", "text": "甲公司可提供会议室"})
    assert mine.posts.get().text == "甲公司可提供会议室"
    assert client.get(reverse("alliances:group", args=[other.pk])).status_code == 404
    bad = client.post(reverse("alliances:group", args=[mine.pk]), {"form": "leader", "leader": w.units.jia.pk},
                      follow=True)
    assert "管理员可以办理" in bad.content.decode()  # members see the board; staff arrange the group
    assert client.get(reverse("alliances:scheme", args=[scheme.pk])).status_code == 404


def test_a_hostile_item_title_and_description_are_text_not_formulas(al, login):
    w = al.world
    publish(al, al.qiye, w.units.jia, "need", HOSTILE, "@SUM(1+1)*cmd|' /C calc'!A0")
    texts = assert_no_formulas(login(w.users.district).get(reverse("alliances:export")).content)
    assert "'" + HOSTILE in texts and "'@SUM(1+1)*cmd|' /C calc'!A0" in texts
