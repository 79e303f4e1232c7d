"""Password policy and the password change page."""
import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dangjian.core.models import AuditLog
from dangjian.demo.accounts import ACCOUNTS, DEMO_PASSWORD


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def messages_for(password, username):
    from django.contrib.auth.models import User

    try:
        password_validation.validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


def test_password_containing_the_user_name_is_refused_whatever_the_case():
    assert messages_for("bumen12345", "bumen") == ["密码不能包含用户名“bumen”。"]
    assert messages_for("xyBUMEN-2026!", "bumen") == ["密码不能包含用户名“bumen”。"]
    assert messages_for("Hongqi-Piaopiao-7", "bumen") == []


def test_common_numeric_and_short_passwords_are_refused_in_chinese():
    assert any("太常见" in m for m in messages_for("password123", "shuji"))
    assert any("只包含数字" in m for m in messages_for("3141592653589", "shuji"))
    assert messages_for("Ab#12345xy", "shuji") == [] and messages_for("Ab#12345", "shuji") == ["密码太短，至少需要10个字符。"]


def test_demo_password_passes_the_policy_for_every_demo_login():
    assert {name: messages_for(DEMO_PASSWORD, name) for name, *_ in ACCOUNTS} == {name: [] for name, *_ in ACCOUNTS}


def test_password_change_page_from_the_user_menu(client, world):
    user = world.users.secretary
    client.force_login(user)
    home = client.get(reverse("home"), follow=True).content.decode()
    url = reverse("accounts:password_change")
    assert url == "/accounts/password_change/" and f'href="{url}"' in home
    assert client.get(url).status_code == 200

    refused = client.post(url, {"old_password": world.password, "new_password1": "shuji-2026-abc",
                                "new_password2": "shuji-2026-abc"})
    assert refused.status_code == 200 and "密码不能包含用户名“shuji”。" in refused.content.decode()
    wrong_old = client.post(url, {"old_password": "nope", "new_password1": "Hongqi-Piaopiao-7",
                                  "new_password2": "Hongqi-Piaopiao-7"})
    assert "old_password" in wrong_old.context["form"].errors
    assert not AuditLog.objects.filter(object_type="auth.user").exists()

    done = client.post(url, {"old_password": world.password, "new_password1": "Hongqi-Piaopiao-7",
                             "new_password2": "Hongqi-Piaopiao-7"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("accounts:password_change_done") and "密码已修改" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Hongqi-Piaopiao-7")
    log = AuditLog.objects.get(object_type="auth.user", object_id=str(user.pk))
    assert log.actor == user and log.changes == {"changed_protected_fields": ["password"]}
    after = client.get(reverse("home"), follow=True)  # still logged in after the change
    assert after.status_code == 200 and after.context["user"] == user


def test_password_change_needs_a_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
