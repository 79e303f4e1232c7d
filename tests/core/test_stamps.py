"""Cached list counts stay exact: every kind of write to a listed table renews its change stamp."""
import pytest
from django.db import connection, transaction

from dangjian.core.models import AuditLog, ChangeStamp
from dangjian.core.stamps import cached_count
from dangjian.members.models import Member
from tests.fixtures import add_member


def version(table):
    return ChangeStamp.objects.get(table_name=table).version


def test_every_write_renews_the_stamp(world):
    seen = {version("members_member")}
    member = add_member(world.orgs.joint, "新党员", world.units.jia)
    seen.add(version("members_member"))
    Member.objects.filter(pk=member.pk).update(job="工程师")
    seen.add(version("members_member"))
    with connection.cursor() as cursor:  # even writes that bypass the ORM
        cursor.execute("DELETE FROM members_member WHERE id = %s", [member.pk])
    seen.add(version("members_member"))
    assert len(seen) == 4


def test_count_is_reused_until_a_listed_table_changes(world, django_assert_num_queries):
    members = Member.objects.filter(organization__region__path__startswith=world.shuanggui.path)
    total = members.count()
    assert cached_count(members) == total
    with django_assert_num_queries(1):  # the stamps only
        assert cached_count(members) == total
    add_member(world.orgs.joint, "新党员", world.units.jia)
    with django_assert_num_queries(2):  # stamps, then a fresh count
        assert cached_count(members) == total + 1
    # A table the count joins (organisations, regions) changing counts too: moving every organisation
    # out of the town empties the list.
    world.shuanggui.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE regions_region SET path = 'ZZZZ' || path WHERE path LIKE %s", [world.shuanggui.path + "%"])
    assert cached_count(members) == 0


def test_a_rolled_back_write_cannot_leave_a_wrong_count(world):
    members = Member.objects.all()
    before = cached_count(members)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_member(world.orgs.joint, "回滚党员", world.units.jia)
        assert cached_count(members) == before + 1
        raise RuntimeError
    assert cached_count(members) == before
    Member.objects.filter(pk=world.members.zhao.pk).delete()  # a different write after the rollback
    assert cached_count(members) == before - 1


def test_tables_without_a_stamp_are_always_counted(world, django_assert_num_queries):
    AuditLog.objects.create(action=AuditLog.Action.CREATE, object_type="x")
    logs = AuditLog.objects.all()
    assert cached_count(logs) == 1
    with django_assert_num_queries(2):  # stamps (audit log has none), then the count every time
        assert cached_count(logs) == 1


def test_empty_scope_needs_no_sql(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert cached_count(Member.objects.none()) == 0


def test_ids_in_order_are_reused_until_a_listed_table_changes(world, django_assert_num_queries):
    from dangjian.core.stamps import cached_ids

    members = Member.objects.filter(organization__region__path__startswith=world.shuanggui.path).order_by("-name")
    expected = list(members.values_list("pk", flat=True))
    assert list(cached_ids(members)) == expected
    with django_assert_num_queries(1):  # the stamps only
        assert list(cached_ids(members)) == expected
    newcomer = add_member(world.orgs.joint, "新党员", world.units.jia)
    with django_assert_num_queries(2):  # stamps, then the ids afresh
        assert newcomer.pk in cached_ids(members)


def test_a_list_too_long_to_hold_is_paged_in_the_database(world, monkeypatch, django_assert_num_queries):
    from dangjian.core import stamps
    from dangjian.core.schemas import IdPager

    ordering = ("-name", "id")  # an order no other test caches
    in_order = list(Member.objects.order_by(*ordering).values_list("pk", flat=True))
    monkeypatch.setattr(stamps, "CACHE_IDS", 4)
    pager = IdPager(Member.objects.all(), ordering, list)
    assert pager.ids is None and pager.count() == len(in_order) == 6
    assert pager[2:5] == in_order[2:5]
    with django_assert_num_queries(2):  # stamps (the ids are known to be too many), the page's ids
        assert IdPager(Member.objects.all(), ordering, list)[4:8] == in_order[4:]
