import datetime as dt
from types import SimpleNamespace

import pytest

from dangjian.accounts.models import Role
from dangjian.services import actions
from dangjian.services.models import Department, DepartmentKind, Officer, OfficerKind
from tests.fixtures import user_with_role

TODAY = dt.date(2026, 11, 27)  # a Friday


@pytest.fixture
def svc(world, django_user_model):
    d = world
    hrss = Department.objects.create(code="hrss", name="区人力社保局", region=d.district)
    commerce = Department.objects.create(code="commerce", name="区商务委", region=d.district)
    town_office = Department.objects.create(code="shuanggui-office", name="双桂街道办事处", region=d.shuanggui,
                                            kind=DepartmentKind.TOWN)
    users = SimpleNamespace(
        qiye=user_with_role(django_user_model, "qiye_jia", Role.ENTERPRISE, unit=d.units.jia),
        qiye_ding=user_with_role(django_user_model, "qiye_ding", Role.ENTERPRISE, unit=d.units.ding),
        hrss=user_with_role(django_user_model, "renshe", Role.DEPARTMENT, department=hrss),
        commerce=user_with_role(django_user_model, "shangwu", Role.DEPARTMENT, department=commerce),
        officer=user_with_role(django_user_model, "zhuqi", Role.OFFICER, region=d.shuanggui),
        head=django_user_model.objects.create_user("juzhang", password="x"),
    )
    hrss.head = users.head
    hrss.save()
    officer = Officer.objects.create(user=users.officer, name="刘服务", kind=OfficerKind.SERVICE, department=commerce,
                                     region=d.shuanggui)
    instructor = Officer.objects.create(user=d.users.instructor, name="陈指导", kind=OfficerKind.INSTRUCTOR,
                                        department=town_office, region=d.shuanggui)
    return SimpleNamespace(world=d, hrss=hrss, commerce=commerce, town_office=town_office, users=users,
                           officer=officer, instructor=instructor)


@pytest.fixture
def raised(svc):
    """A recruitment request of 甲 raised by its enterprise contact."""
    return actions.raise_request(svc.users.qiye, svc.world.units.jia, "recruitment", "招工难",
                                 "今年需要招聘 30 名普工，招不到人。")
