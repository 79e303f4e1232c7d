import datetime as dt

import pytest
from django.utils import timezone

from dangjian.learning import actions


@pytest.fixture
def lecture(world):
    """A 25-minute micro lecture with two quiz questions, written by the district admin."""
    content = actions.create_content(world.users.district, kind="micro_lecture", title="新就业群体党员的责任",
                                     url="https://intranet.example/v/1", summary="快递小哥微党课")
    actions.add_question(world.users.district, content, "党章规定党员每月应当？", ["交纳党费", "写日记"], 0)
    actions.add_question(world.users.district, content, "主题党日一般定在每月？", ["10日", "31日"], 0)
    return content


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def yesterday(today):
    return today - dt.timedelta(days=1)
