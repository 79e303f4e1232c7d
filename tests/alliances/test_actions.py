"""Linkage groups, pairings and the market through their actions: the rules and the bad input of the issue."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.alliances import actions, queries
from dangjian.alliances.models import Deal, Item, LinkGroup, LinkMember, Pair, PairKind, Scheme, SixAction
from dangjian.organizations.models import Organization


def operating(world):
    u = world.units
    return [u.jia.pk, u.yi.pk, u.bing.pk, u.ding.pk, u.wu.pk, u.geng.pk]


def test_a_proposal_groups_neighbours_and_names_a_leader(al):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    assert not scheme.accepted and scheme.groups.count() == 2
    groups = {frozenset(g.members.values_list("unit", flat=True)) for g in scheme.groups.all()}
    u = w.units
    # 丁 and 戊 (礼让镇) are 25 km from the other four: they stay together.
    assert any({u.ding.pk, u.wu.pk} <= g for g in groups)
    assert all(g.leader_id in set(g.members.values_list("unit", flat=True)) for g in scheme.groups.all())
    again = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    assert {frozenset(g.members.values_list("unit", flat=True)) for g in again.groups.all()} == groups


def test_moves_accept_and_the_rules_of_a_scheme(al):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    first, second = scheme.groups.order_by("number")
    unit = first.members.first().unit
    actions.move_unit(w.users.district, scheme, unit, second)
    assert LinkMember.objects.get(scheme=scheme, unit=unit).group == second
    with pytest.raises(ValidationError, match="一家单位只能加入一个联动组"):
        actions.add_member(w.users.district, first, unit)  # a unit in two groups of the same scheme
    LinkGroup.objects.filter(pk=second.pk).update(leader=None)
    with pytest.raises(ValidationError, match="还没有牵头单位"):
        actions.accept_scheme(w.users.district, Scheme.objects.get(pk=scheme.pk))
    actions.set_leader(w.users.district, LinkGroup.objects.get(pk=second.pk), unit)
    scheme = actions.accept_scheme(w.users.district, Scheme.objects.get(pk=scheme.pk))
    with pytest.raises(ValidationError, match="方案已确定"):
        actions.move_unit(w.users.district, scheme, unit, first)


def test_only_the_regions_staff_arrange_groups(al):
    w = al.world
    with pytest.raises(ValidationError, match="管理员可以办理"):
        actions.propose_scheme(w.users.lirang, w.district, operating(w), 2)
    with pytest.raises(ValidationError, match="不存在、已不在营业或不在您的管理范围内"):
        actions.propose_scheme(w.users.lirang, w.lirang, operating(w), 2)  # 双桂's units are not his
    with pytest.raises(ValidationError, match="可分为 2 至 3 个组"):
        actions.propose_scheme(w.users.district, w.district, operating(w), 5)
    assert not Scheme.objects.exists()


def test_activities_one_per_half_year_and_their_checks(al):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    actions.accept_scheme(w.users.district, scheme)
    group = scheme.groups.order_by("number").first()
    outsider = next(u for u in operating(w) if not group.members.filter(unit=u).exists())
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.record_activity(w.users.district, timezone.localdate() + dt.timedelta(days=1), "联建", group=group)
    with pytest.raises(ValidationError, match="承办单位须是本组成员"):
        actions.record_activity(w.users.district, timezone.localdate(), "联建", group=group,
                                host=w.units.jia.__class__.objects.get(pk=outsider))
    actions.record_activity(w.users.district, timezone.localdate(), "联建：共建红色书屋", group=group,
                            host=group.leader)
    view = queries.scheme_view(Scheme.objects.get(pk=scheme.pk))
    held = {gv.group.pk: gv.activities_this_half for gv in view["groups"]}
    assert held[group.pk] == 1 and sorted(held.values()) == [0, 1]
    assert queries.dashboard(w.users.district)["groups_active"] == 1


def test_strong_weak_pairs_allow_two_per_strong_organisation(al):
    w = al.world
    extra = [Organization.objects.add_root(instance=Organization(name=f"弱支部{i}", kind="branch", formation="own",
                                                                 region=w.shuanggui)) for i in range(3)]
    today = timezone.localdate()
    actions.create_pair(w.users.district, w.district, PairKind.STRONG_WEAK, today, strong=w.orgs.jia, weak=extra[0])
    actions.create_pair(w.users.district, w.district, PairKind.STRONG_WEAK, today, strong=w.orgs.jia, weak=extra[1])
    with pytest.raises(ValidationError, match="已帮带 2 个党组织"):
        actions.create_pair(w.users.district, w.district, PairKind.STRONG_WEAK, today, strong=w.orgs.jia,
                            weak=extra[2])
    with pytest.raises(ValidationError, match="已有帮带党组织"):
        actions.create_pair(w.users.district, w.district, PairKind.STRONG_WEAK, today, strong=w.orgs.ding,
                            weak=extra[0])


def test_the_six_actions_need_evidence_once_each(al):
    w = al.world
    pair = actions.create_pair(w.users.district, w.district, PairKind.VILLAGE, timezone.localdate(),
                               unit=w.units.ding, village=w.community)
    with pytest.raises(ValidationError, match="请上传佐证材料"):
        actions.record_action(w.users.district, pair, SixAction.AGREEMENT, timezone.localdate(), None)
    photo = SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 agreement", content_type="application/pdf")
    actions.record_action(w.users.district, pair, SixAction.AGREEMENT, timezone.localdate(), photo)
    with pytest.raises(ValidationError, match="已经登记过了"):
        actions.record_action(w.users.district, pair, SixAction.AGREEMENT, timezone.localdate(),
                              SimpleUploadedFile("again.pdf", b"%PDF", content_type="application/pdf"))
    total = queries.checklist_completion(w.users.district)[-1]
    assert (total["pairs"], total["done"]) == (1, 1) and total["rate"] == pytest.approx(1 / 6)


def publish(al, user, unit, kind, title, description, category="services", days=30):
    return actions.publish_item(user, unit, kind, title, description, category,
                                timezone.localdate() + dt.timedelta(days=days), "王经理")


def test_market_bad_input_and_a_deal(al):
    w = al.world
    with pytest.raises(ValidationError, match="有效期不能早于今天"):
        publish(al, al.qiye, w.units.jia, "need", "印刷", "印刷", days=-1)
    with pytest.raises(ValidationError, match="不能代“丁机械有限公司”发布"):
        publish(al, al.qiye, w.units.ding, "need", "印刷", "印刷")
    need = publish(al, al.qiye, w.units.jia, "need", "包装盒印刷", "需要定制包装盒和宣传单印刷")
    printing = publish(al, al.qiye_ding, w.units.ding, "resource", "包装印刷", "承接包装盒、宣传单印刷")
    unrelated = publish(al, al.qiye_ding, w.units.ding, "resource", "冷库出租", "冷链仓储", category="venue")
    with pytest.raises(ValidationError, match="成交须对应一条需求和与之匹配的一条资源"):
        actions.record_deal(al.qiye, need, None, 10, timezone.localdate())  # a deal without a match
    with pytest.raises(ValidationError, match="与该需求不匹配"):
        actions.record_deal(al.qiye, need, unrelated, 10, timezone.localdate())
    Item.objects.filter(pk=printing.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="已过有效期"):
        actions.record_deal(al.qiye, need, Item.objects.get(pk=printing.pk), 10, timezone.localdate())
    Item.objects.filter(pk=printing.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="成交金额须大于 0"):
        actions.record_deal(al.qiye, need, Item.objects.get(pk=printing.pk), 0, timezone.localdate())
    deal = actions.record_deal(al.qiye, need, Item.objects.get(pk=printing.pk), "12.5", timezone.localdate())
    assert float(deal.value) == 12.5 and Deal.objects.count() == 1
    assert queries.dashboard(w.users.district)["deal_value"] == 12.5


def test_hosting_rotates_to_the_member_that_waited_longest(al):
    w = al.world
    scheme = actions.propose_scheme(w.users.district, w.district, operating(w), 2, seed=1)
    group = scheme.groups.order_by("number").first()
    members = [m.unit for m in group.members.select_related("unit").order_by("unit__name", "unit__pk")]
    assert queries.next_host(group) == members[0]
    today = timezone.localdate()
    for i, unit in enumerate(members):
        actions.record_activity(w.users.district, today - dt.timedelta(days=100 - i), "联建", group=group, host=unit)
    assert queries.next_host(group) == members[0]  # everyone hosted: the earliest host's turn again
    actions.record_activity(w.users.district, today, "联建", group=group, host=members[0])
    assert queries.next_host(group) == (members[1] if len(members) > 1 else members[0])
