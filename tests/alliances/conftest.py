import datetime as dt
from types import SimpleNamespace

import pytest

from dangjian.accounts.models import Role
from dangjian.units.models import Unit
from tests.fixtures import user_with_role

SPOTS = {"jia": (107.80, 30.67, "C"), "yi": (107.81, 30.67, "F"), "bing": (107.82, 30.68, "G"),
         "ding": (107.60, 30.50, "C"), "wu": (107.61, 30.51, "C"), "geng": (107.90, 30.70, "I")}


@pytest.fixture
def al(world, django_user_model):
    for name, (lng, lat, section) in SPOTS.items():
        Unit.objects.filter(pk=getattr(world.units, name).pk).update(lng=lng, lat=lat, industry_section=section)
        getattr(world.units, name).refresh_from_db()
    qiye = user_with_role(django_user_model, "qiye_jia", Role.ENTERPRISE, unit=world.units.jia)
    qiye_ding = user_with_role(django_user_model, "qiye_ding", Role.ENTERPRISE, unit=world.units.ding)
    return SimpleNamespace(world=world, qiye=qiye, qiye_ding=qiye_ding, today=dt.date.today())
