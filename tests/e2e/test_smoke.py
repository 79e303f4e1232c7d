"""The front door: the login page, wrong and right passwords, and the lock-out after repeated failures."""
import pytest

from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.e2e

PASSWORD = "Zhengque-mima-2026"
LOGIN_PATH = "/accounts/login/"


@pytest.fixture
def member_user(django_user_model):
    return django_user_model.objects.create_user(username="zhangsan", password=PASSWORD)


def test_login_page_is_in_chinese_with_styles(page, live_server):
    response = page.goto(f"{live_server.url}{LOGIN_PATH}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.title().startswith("登录")
    assert page.get_by_role("heading", name="登录智慧党建平台").is_visible()
    assert page.get_by_label("用户名").is_visible()
    assert page.get_by_label("密码").is_visible()
    assert page.get_by_role("button", name="登录").is_visible()
    # Tabler's stylesheet came from the local static files, not a CDN, and applied.
    tabler_rules = page.evaluate(
        "() => [...document.styleSheets].filter(s => s.href && s.href.includes('/static/vendor/tabler/'))"
        ".map(s => s.cssRules.length)"
    )
    assert tabler_rules and tabler_rules[0] > 1000
    assert page.locator("button[type=submit]").evaluate("b => getComputedStyle(b).borderRadius") != "0px"
    shot(page, "login")


def test_login_page_fits_a_phone(phone_page, live_server):
    phone_page.goto(f"{live_server.url}{LOGIN_PATH}")
    assert phone_page.get_by_role("button", name="登录").is_visible()
    # no sideways scrolling in a phone browser
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    login(phone_page, live_server, "nobody", "whatever-2026")
    assert phone_page.locator(".alert-danger").is_visible()
    shot(phone_page, "login-phone")


def test_wrong_password_shows_error_and_stays_logged_out(page, live_server, member_user):
    login(page, live_server, "zhangsan", "not-the-password")
    assert page.url.endswith(LOGIN_PATH)
    error = page.locator(".alert-danger")
    assert error.is_visible()
    assert "密码" in error.inner_text()
    # the username is kept so only the password needs retyping
    assert page.locator("#id_username").input_value() == "zhangsan"
    page.goto(f"{live_server.url}/")
    assert LOGIN_PATH in page.url


def test_right_password_logs_in_and_out(page, live_server, member_user):
    login(page, live_server, "zhangsan", PASSWORD)
    assert LOGIN_PATH not in page.url
    assert page.locator(".navbar").get_by_text("zhangsan").is_visible()
    # a fresh account without a role is told so instead of seeing data
    assert page.get_by_text("您的账号尚未分配角色").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert page.url.endswith(LOGIN_PATH)
    page.goto(f"{live_server.url}/")
    assert LOGIN_PATH in page.url


def test_repeated_wrong_passwords_lock_the_account(page, live_server, member_user, django_user_model):
    django_user_model.objects.create_user(username="lisi", password=PASSWORD)
    statuses = [login(page, live_server, "zhangsan", f"wrong-{i}").status for i in range(6)]
    assert statuses[:4] == [200] * 4  # the ordinary "wrong password" form
    assert statuses[5] == 429
    assert "账号已在本设备上暂时锁定" in page.locator(".alert-danger").inner_text()
    assert "30 分钟后再试" in page.locator(".alert-danger").inner_text()
    shot(page, "login-locked")
    # now even the right password is refused...
    response = login(page, live_server, "zhangsan", PASSWORD)
    assert response.status == 429
    page.goto(f"{live_server.url}/")
    assert LOGIN_PATH in page.url
    # ...while another account from the same browser still gets in
    login(page, live_server, "lisi", PASSWORD)
    assert LOGIN_PATH not in page.url
    assert page.locator(".navbar").get_by_text("lisi").is_visible()
