import datetime as dt
import os
import pytest
from dangjian.organizations.models import Organization, OrgKind, Formation, OrgUnit, CommitteeMember
from dangjian.units.models import Unit
from tests.fixtures import add_member, credit_code
from tests.e2e.conftest import login, CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

@pytest.fixture
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

def more(world):
    for i in range(60):
        Unit.objects.create(name=f"测试{i:02d}号科技有限公司", credit_code=credit_code(100 + i), industry_section="I", industry_division="65",
                            employees=i * 7, region=[world.community, world.lirang, world.park][i % 3])
    party = Organization.objects.add_root(instance=Organization(name="高新区非公企业综合党委", kind=OrgKind.PRIMARY_COMMITTEE, region=world.park, term_start=dt.date(2021, 6, 1), term_end=dt.date(2026, 6, 1)))
    for j in range(3):
        b = Organization.objects.add_child(party, instance=Organization(name=f"高新区第{j+1}联合党支部", kind=OrgKind.JOINT_BRANCH, formation=Formation.JOINT, region=world.park))
        m = add_member(b, f"党员{j}")
        for k in range(2):
            Organization.objects.add_child(b, instance=Organization(name=f"第{j+1}支部第{k+1}党小组", kind=OrgKind.PARTY_GROUP, region=world.park))
    CommitteeMember.objects.create(organization=world.orgs.jia, member=world.members.zhang, post="secretary", start=dt.date(2023, 1, 1))

def test_shots(browser, live_server, world):
    more(world)
    desk = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    login(page, live_server, "qu", world.password)
    for name, url in [("units-list", "/units/"), ("org-tree", "/organizations/tree/"), ("org-list", "/organizations/"),
                      ("regions-list", "/regions/"), ("members-list", "/members/"),
                      ("region-detail", f"/regions/{world.district.pk}/"), ("unit-detail", f"/units/{world.units.jia.pk}/"),
                      ("org-detail", f"/organizations/{world.orgs.joint.pk}/"), ("member-detail", f"/members/{world.members.zhang.pk}/"),
                      ("unit-form", "/units/new/"), ("org-units", f"/organizations/{world.orgs.joint.pk}/units/"), ("member-form", "/members/new/")]:
        page.goto(url)
        if name == "org-tree":
            page.locator("details summary").first.click()
            page.wait_for_timeout(500)
            page.locator("details summary").nth(1).click() if page.locator("details summary").count() > 1 else None
            page.wait_for_timeout(500)
        page.screenshot(path=f"/tmp/shots/{name}.png", full_page=True)
        page.screenshot(path=f"/tmp/shots/{name}-top.png")
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    p = phone.new_page()
    login(p, live_server, "shuji", world.password)
    for name, url in [("m-member-detail", f"/members/{world.members.zhang.pk}/"), ("m-units-list", "/units/"), ("m-org-tree", "/organizations/tree/"), ("m-member-form", "/members/new/")]:
        p.goto(url)
        if name == "m-member-detail":
            p.get_by_role("button", name="查看完整信息").click()
            p.wait_for_timeout(500)
        if name == "m-member-form":
            p.fill("#id_name", "刘洋")
            p.fill("#id_id_number", "500228199005170011")
            p.locator("#id_birth_date").click()
            p.wait_for_timeout(800)
        p.screenshot(path=f"/tmp/shots/{name}.png", full_page=True)
