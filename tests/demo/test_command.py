"""`dangjian demo` refuses what it must not do, and says why in Chinese."""
import pytest
from django.core.management import CommandError, call_command

from dangjian.demo import ensure_accounts, generate
from dangjian.demo.accounts import DemoMissing
from dangjian.demo.generator import DemoConflict
from dangjian.units.models import Unit

pytestmark = pytest.mark.django_db


def test_real_data_under_the_demo_district_code_is_left_alone(world):
    # The test world's 梁平区 uses code 500155 and is not marked as demo data.
    with pytest.raises(CommandError, match="不是演示数据"):
        call_command("demo", "--profile", "liangping", "--no-serve")
    with pytest.raises(DemoConflict):
        generate("liangping")
    assert Unit.objects.count() == 7
    assert not Unit.objects.filter(name__contains="有限公司").exclude(pk__in=[u.pk for u in vars(world.units).values()]).exists()


def test_accounts_need_the_demo_district_first():
    with pytest.raises(DemoMissing, match="尚未生成演示区县"):
        ensure_accounts("fuling")


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("demo", "--profile", "chongqing", "--no-serve")
    with pytest.raises(CommandError, match="端口"):
        call_command("demo", "--no-serve", "--port", "70000")
    assert not Unit.objects.exists()
